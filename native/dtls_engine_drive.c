/*
 * dtls_engine_drive.c: running mbedTLS. It reads the datagram being fed and writes into the
 * send queue through two memory BIOs, and its timer reads the caller's "now", so
 * retransmission and the 116 s handshake timeout follow virtual time exactly.
 */
#include "dtls_engine_internal.h"

#include <string.h>

/* ---------- BIO and timer callbacks ---------- */

static int bio_send(void *ctx, const unsigned char *buf, size_t len) {
  dtls_engine *e = (dtls_engine *)ctx;
  if (len == 0) return 0;
  /* A full queue behaves like a lossy link (the datagram is dropped): DTLS retransmission
   * recovers. */
  if (dtls_queue_room(&e->tx) < len) return (int)len;
  memcpy(dtls_queue_slot(&e->tx), buf, len);
  dtls_queue_commit(&e->tx, len);
  return (int)len;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len) {
  dtls_engine *e = (dtls_engine *)ctx;
  if (e->in_ptr == NULL) return MBEDTLS_ERR_SSL_WANT_READ;
  size_t n = e->in_len < len ? e->in_len : len;
  memcpy(buf, e->in_ptr, n);
  e->in_ptr = NULL;
  e->in_len = 0;
  return (int)n;
}

static void timer_set(void *ctx, uint32_t int_ms, uint32_t fin_ms) {
  dtls_engine *e = (dtls_engine *)ctx;
  if (fin_ms == 0) {
    e->timer_armed = 0;
    return;
  }
  e->timer_armed = 1;
  e->timer_int = e->now + int_ms;
  e->timer_fin = e->now + fin_ms;
}

static int timer_get(void *ctx) {
  dtls_engine *e = (dtls_engine *)ctx;
  if (!e->timer_armed) return -1;
  if (e->now >= e->timer_fin) return 2;
  if (e->now >= e->timer_int) return 1;
  return 0;
}

void dtls_attach_io(dtls_engine *e) {
  mbedtls_ssl_set_bio(&e->ssl, e, bio_send, bio_recv, NULL);
  mbedtls_ssl_set_timer_cb(&e->ssl, e, timer_set, timer_get);
}

/* ---------- failures ---------- */

static dtls_error map_alert(unsigned char alert) {
  switch (alert) {
    case MBEDTLS_SSL_ALERT_MSG_CLOSE_NOTIFY: return DTLS_ERR_PEER_CLOSED;
    case MBEDTLS_SSL_ALERT_MSG_BAD_RECORD_MAC: return DTLS_ERR_BAD_RECORD_MAC;
    case MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE: return DTLS_ERR_HANDSHAKE_FAILURE;
    case MBEDTLS_SSL_ALERT_MSG_NO_CERT:
    case MBEDTLS_SSL_ALERT_MSG_BAD_CERT:
    case MBEDTLS_SSL_ALERT_MSG_UNSUPPORTED_CERT:
    case MBEDTLS_SSL_ALERT_MSG_CERT_REVOKED:
    case MBEDTLS_SSL_ALERT_MSG_CERT_EXPIRED:
    case MBEDTLS_SSL_ALERT_MSG_CERT_UNKNOWN:
    case MBEDTLS_SSL_ALERT_MSG_UNKNOWN_CA:
    case MBEDTLS_SSL_ALERT_MSG_ACCESS_DENIED: return DTLS_ERR_CERTIFICATE_REJECTED;
    default: return DTLS_ERR_FATAL_ALERT;
  }
}

int dtls_tx_has_room(dtls_engine *e, size_t payload) {
  int expansion = mbedtls_ssl_get_record_expansion(&e->ssl);
  if (expansion < 0) return 0;
  return dtls_queue_room(&e->tx) >= payload + (size_t)expansion;
}

static int handshake_over(const dtls_engine *e) {
  return dtls_compat_ssl_state(&e->ssl) == MBEDTLS_SSL_HANDSHAKE_OVER;
}

/* The engine's error for mbedTLS code `ret` (not close_notify), and in *send_alert the fatal
 * alert OpenThread sends where mbedTLS itself did not (-1: none). */
static dtls_error failure_reason(const dtls_engine *e, int ret, int *send_alert) {
  *send_alert = -1;
  switch (ret) {
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE: return map_alert(dtls_compat_ssl_in_msg(&e->ssl)[1]);
    case MBEDTLS_ERR_SSL_TIMEOUT: return DTLS_ERR_HANDSHAKE_TIMEOUT;
    case MBEDTLS_ERR_SSL_INVALID_MAC:
#if !defined(MBEDTLS_SSL_ALL_ALERT_MESSAGES)
      if (!handshake_over(e)) *send_alert = MBEDTLS_SSL_ALERT_MSG_BAD_RECORD_MAC;
#endif
      return DTLS_ERR_BAD_RECORD_MAC;
    case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
    case MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE:
    case DTLS_COMPAT_ERR_PEER_CERTIFICATE: return DTLS_ERR_CERTIFICATE_REJECTED; /* alert sent */
    case MBEDTLS_ERR_SSL_ALLOC_FAILED: return DTLS_ERR_OUT_OF_MEMORY;
    default: break;
  }
  if (handshake_over(e)) return DTLS_ERR_INTERNAL;
  if (!dtls_compat_is_negotiation_error(ret)) *send_alert = MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE;
  return DTLS_ERR_HANDSHAKE_FAILURE;
}

void dtls_fail(dtls_engine *e, int ret) {
  if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
    e->state = DTLS_STATE_CLOSED;
    e->error = DTLS_ERR_PEER_CLOSED;
    return;
  }
  int send_alert;
  dtls_error err = failure_reason(e, ret, &send_alert);
  if (send_alert >= 0 && dtls_tx_has_room(e, 2) &&
      mbedtls_ssl_send_alert_message(&e->ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL, (unsigned char)send_alert) != 0) {
    /* The session is over whether or not the alert goes out: an alert that cannot be queued
     * (or sent) is lost like a datagram, and the peer's own timers end its side. `err`, the
     * reason the session failed, stays what error() reports. */
  }
  e->state = DTLS_STATE_FAILED;
  e->error = err;
  e->timer_armed = 0;
}

/* ---------- driving mbedTLS ---------- */

static int wants_io(int ret) { return ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE; }

/* Back to a clean listening server: no trace of the last peer remains. */
static void listen_reset(dtls_engine *e) {
  if (mbedtls_ssl_session_reset(&e->ssl) != 0) {
    e->state = DTLS_STATE_FAILED;
    e->error = DTLS_ERR_INTERNAL;
  }
  e->timer_armed = 0;
}

void dtls_pump_read(dtls_engine *e) {
  while (e->state == DTLS_STATE_CONNECTED) {
    /* Records stay inside mbedTLS while the queue is short of room for the largest one (or,
     * with a queue smaller than that on a device, until the queue is empty). */
    size_t room = dtls_queue_room(&e->rx);
    size_t need = dtls_queue_max_entry(&e->rx);
    if (need > MBEDTLS_SSL_IN_CONTENT_LEN) need = MBEDTLS_SSL_IN_CONTENT_LEN;
    if (room < need) return;
    int ret = mbedtls_ssl_read(&e->ssl, dtls_queue_slot(&e->rx), room);
    if (ret > 0) {
      dtls_queue_commit(&e->rx, (size_t)ret);
      continue;
    }
    if (ret == 0) continue; /* empty record */
    if (wants_io(ret)) return;
    if (ret == MBEDTLS_ERR_SSL_TIMEOUT) return; /* no read timeout is configured */
    dtls_fail(e, ret);
    return;
  }
}

static void handshake_done(dtls_engine *e) {
  e->state = DTLS_STATE_CONNECTED;
  e->suite = (uint16_t)mbedtls_ssl_get_ciphersuite_id(mbedtls_ssl_get_ciphersuite(&e->ssl));
  dtls_pump_read(e);
}

/* A listening server's handshake step ended in `ret` (not 0) for the peer with transport id
 * e->client_id[0, id_len); tx held `queued_before` bytes before it. */
static void listen_outcome(dtls_engine *e, int ret, size_t id_len, size_t queued_before) {
  if (ret == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
    listen_reset(e); /* HelloVerifyRequest stays queued; nothing else is kept */
    return;
  }
  if (wants_io(ret) && dtls_compat_ssl_state(&e->ssl) > MBEDTLS_SSL_CLIENT_HELLO) {
    e->state = DTLS_STATE_HANDSHAKING; /* cookie verified: this peer owns the engine now */
    return;
  }
  int no_common_suite = dtls_compat_is_negotiation_error(ret);
  if (no_common_suite && dtls_hello_has_valid_cookie(&e->cookie, e->fed, e->fed_len, e->client_id, id_len)) {
    /* No suite in common (PSK vs x509 node) with a peer that proved its address: mbedTLS
     * has queued a handshake_failure alert. Reporting it lets both sides of a mode
     * mismatch see the failure, as OpenThread nodes do. */
    dtls_fail(e, ret);
    return;
  }
  /* Garbage, a fragment or a failed ClientHello: forget it (drop whatever mbedTLS queued
   * for it, such as an alert, but not earlier datagrams). mbedTLS checks suites before it
   * would send a HelloVerifyRequest, so a cookie-less ClientHello with no suite in common
   * gets the HelloVerifyRequest from here, like any other: a forged sender learns nothing
   * and ends nothing, and a real mismatched peer fails on its cookie-bearing ClientHello.
   * One that cannot be queued is lost like a datagram: the peer retransmits. */
  dtls_queue_truncate(&e->tx, queued_before);
  if (no_common_suite)
    (void)dtls_hello_queue_verify_request(&e->cookie, &e->tx, e->fed, e->fed_len, e->client_id, id_len);
  listen_reset(e);
}

static void drive_listen(dtls_engine *e) {
  size_t id_len = e->client_id_len;
  e->client_id_len = 0; /* one id per fed datagram */
  /* Without an id, or when mbedTLS cannot store it (only ALLOC_FAILED is possible), drop the
   * datagram and stay listening; the peer retransmits. */
  if (id_len == 0 || mbedtls_ssl_set_client_transport_id(&e->ssl, e->client_id, id_len) != 0) {
    e->in_ptr = NULL;
    return;
  }
  size_t queued_before = dtls_queue_used(&e->tx);
  int ret = mbedtls_ssl_handshake(&e->ssl);
  if (ret == 0)
    handshake_done(e);
  else
    listen_outcome(e, ret, id_len, queued_before);
}

static void drive_handshake(dtls_engine *e) {
  if (e->state == DTLS_STATE_LISTENING) {
    drive_listen(e);
    return;
  }
  int ret = mbedtls_ssl_handshake(&e->ssl);
  if (ret == 0)
    handshake_done(e);
  else if (!wants_io(ret))
    dtls_fail(e, ret);
}

int dtls_drive(dtls_engine *e) {
  int unread = 0;
  if (e->state == DTLS_STATE_LISTENING || e->state == DTLS_STATE_HANDSHAKING) {
    if (e->role == DTLS_ROLE_CLIENT) e->started = 1;
    drive_handshake(e);
  } else if (e->state == DTLS_STATE_CONNECTED) {
    /* A done side keeps reading: that is where it answers a retransmitted last flight. */
    dtls_pump_read(e);
    unread = e->in_ptr != NULL && e->state == DTLS_STATE_CONNECTED;
  }
  e->in_ptr = NULL;
  e->in_len = 0;
  return unread;
}
