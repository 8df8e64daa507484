/*
 * dtls_engine.c: the API of dtls_engine.h. The engine's other files (dtls_engine_internal.h
 * lists them) configure and run mbedTLS; this one creates and frees engines and passes
 * datagrams, records and the caller's clock in and out.
 */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* getrandom() under -std=c99 */
#endif

#include "dtls_engine_internal.h"

#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <sys/random.h>
#include <errno.h>
#endif

/* ---------- entropy ---------- */

static int default_entropy(void *ctx, unsigned char *out, size_t len) {
  (void)ctx;
#if defined(__linux__)
  while (len > 0) {
    ssize_t n = getrandom(out, len, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    out += n;
    len -= (size_t)n;
  }
  return 0;
#else
  (void)out;
  (void)len;
  return -1; /* a device must install its RNG with dtls_engine_set_entropy */
#endif
}

static dtls_entropy_fn entropy_fn = default_entropy;
static void *entropy_ctx = NULL;

void dtls_engine_set_entropy(dtls_entropy_fn fn, void *ctx) {
  entropy_fn = fn ? fn : default_entropy;
  entropy_ctx = fn ? ctx : NULL;
}

/* The engine's random generator reads the installed source at every (re)seed. */
static int rng_entropy(void *ctx, unsigned char *out, size_t len) {
  (void)ctx;
  return entropy_fn(entropy_ctx, out, len) == 0 ? 0 : DTLS_COMPAT_ERR_ENTROPY;
}

/* ---------- lifecycle ---------- */

static dtls_engine *engine_new(const dtls_config *cfg, double now_ms) {
  dtls_engine *e = (dtls_engine *)calloc(1, sizeof(dtls_engine));
  if (e == NULL) return NULL;
  e->role = cfg->role;
  e->mode = cfg->mode;
  e->now = now_ms;
  e->state = cfg->role == DTLS_ROLE_SERVER ? DTLS_STATE_LISTENING : DTLS_STATE_HANDSHAKING;
  mbedtls_ssl_init(&e->ssl);
  mbedtls_ssl_config_init(&e->conf);
  mbedtls_ssl_cookie_init(&e->cookie);
  mbedtls_x509_crt_init(&e->own_cert);
  mbedtls_x509_crt_init(&e->ca_chain);
  mbedtls_pk_init(&e->own_key);
  dtls_compat_rng_init(&e->rng);
  e->ssl_ready = 1;
  return e;
}

static dtls_error engine_start(dtls_engine *e, const dtls_config *cfg) {
  if (!dtls_queue_init(&e->tx, DTLS_ENGINE_TX_QUEUE_BYTES) || !dtls_queue_init(&e->rx, DTLS_ENGINE_RX_QUEUE_BYTES))
    return DTLS_ERR_OUT_OF_MEMORY;
  if (dtls_compat_rng_seed(&e->rng, rng_entropy) != 0) return DTLS_ERR_INTERNAL;
  dtls_error r = dtls_configure(e, cfg);
  if (r == DTLS_ERR_NONE && e->role == DTLS_ROLE_CLIENT) {
    dtls_drive(e); /* queues the ClientHello and arms the first retransmission */
    if (e->state == DTLS_STATE_FAILED) r = e->error;
  }
  return r;
}

dtls_engine *dtls_engine_create(const dtls_config *cfg, double now_ms, dtls_error *err) {
  dtls_error dummy;
  if (err == NULL) err = &dummy;
  *err = DTLS_ERR_NONE;
  if (cfg == NULL || (cfg->role != DTLS_ROLE_CLIENT && cfg->role != DTLS_ROLE_SERVER)) {
    *err = DTLS_ERR_INVALID_INPUT;
    return NULL;
  }
  if (!dtls_compat_crypto_init()) {
    *err = DTLS_ERR_INTERNAL;
    return NULL;
  }
  dtls_engine *e = engine_new(cfg, now_ms);
  if (e == NULL) {
    *err = DTLS_ERR_OUT_OF_MEMORY;
    return NULL;
  }
  dtls_error r = engine_start(e, cfg);
  if (r != DTLS_ERR_NONE) {
    *err = r;
    dtls_engine_free(e);
    return NULL;
  }
  return e;
}

void dtls_engine_free(dtls_engine *e) {
  if (e == NULL) return;
  if (e->ssl_ready) {
    mbedtls_ssl_free(&e->ssl);
    mbedtls_ssl_config_free(&e->conf);
    mbedtls_ssl_cookie_free(&e->cookie);
    mbedtls_x509_crt_free(&e->own_cert);
    mbedtls_x509_crt_free(&e->ca_chain);
    mbedtls_pk_free(&e->own_key);
    dtls_compat_rng_free(&e->rng);
  }
  mbedtls_platform_zeroize(e->master_secret, sizeof e->master_secret);
  dtls_queue_free(&e->tx);
  dtls_queue_free(&e->rx);
  free(e);
}

void dtls_engine_global_teardown(void) { dtls_compat_crypto_teardown(); }

/* ---------- operations ---------- */

dtls_error dtls_engine_set_client_id(dtls_engine *e, const uint8_t *id, size_t len) {
  if (e == NULL || id == NULL || len == 0 || len > DTLS_MAX_CLIENT_ID) return DTLS_ERR_INVALID_INPUT;
  memcpy(e->client_id, id, len);
  e->client_id_len = len;
  return DTLS_ERR_NONE;
}

dtls_error dtls_engine_feed(dtls_engine *e, double now_ms, const uint8_t *data, size_t len) {
  if (e == NULL || (data == NULL && len > 0)) return DTLS_ERR_INVALID_INPUT;
  if (now_ms > e->now) e->now = now_ms;
  if (e->state == DTLS_STATE_CLOSED || e->state == DTLS_STATE_FAILED || len == 0) return DTLS_ERR_NONE;
  if (e->state == DTLS_STATE_LISTENING && e->client_id_len == 0) return DTLS_ERR_INVALID_INPUT;
  size_t hello_len;
  if (e->role == DTLS_ROLE_SERVER && e->state == DTLS_STATE_CONNECTED && dtls_hello_find(data, len, &hello_len) != NULL) {
    /* OpenThread builds without client port reuse: a new ClientHello from the peer of a live
     * session is discarded and the session stays. (Debian's mbedTLS has port reuse, which would
     * reset this session instead.) */
    return DTLS_ERR_NONE;
  }
  e->in_ptr = e->fed = data;
  e->in_len = e->fed_len = len;
  int unread = dtls_drive(e);
  e->fed = NULL;
  e->fed_len = 0;
  return unread ? DTLS_ERR_QUEUE_FULL : DTLS_ERR_NONE;
}

size_t dtls_engine_outgoing_size(const dtls_engine *e) { return e ? dtls_queue_front_size(&e->tx) : 0; }

size_t dtls_engine_take_outgoing(dtls_engine *e, uint8_t *dst, size_t cap) {
  return e ? dtls_queue_pop(&e->tx, dst, cap) : 0;
}

size_t dtls_engine_read_size(const dtls_engine *e) { return e ? dtls_queue_front_size(&e->rx) : 0; }

size_t dtls_engine_read(dtls_engine *e, uint8_t *dst, size_t cap) {
  if (e == NULL) return 0;
  size_t n = dtls_queue_pop(&e->rx, dst, cap);
  /* Records held back for lack of queue room can come in now. */
  if (n != (size_t)-1 && e->state == DTLS_STATE_CONNECTED && mbedtls_ssl_check_pending(&e->ssl)) dtls_pump_read(e);
  return n;
}

dtls_error dtls_engine_write(dtls_engine *e, double now_ms, const uint8_t *data, size_t len) {
  if (e == NULL || (data == NULL && len > 0)) return DTLS_ERR_INVALID_INPUT;
  if (now_ms > e->now) e->now = now_ms;
  if (e->state != DTLS_STATE_CONNECTED) return DTLS_ERR_INVALID_INPUT;
  if (len > dtls_engine_max_record_payload(e)) return DTLS_ERR_INVALID_INPUT;
  /* bio_send would drop a record that does not fit; refuse before encrypting instead, so the
   * caller can drain take_outgoing and retry (no sequence number is spent). */
  if (!dtls_tx_has_room(e, len)) return DTLS_ERR_QUEUE_FULL;
  int ret = mbedtls_ssl_write(&e->ssl, data, len);
  if (ret >= 0 && (size_t)ret == len) return DTLS_ERR_NONE;
  if (ret >= 0) return DTLS_ERR_INTERNAL; /* a partial record cannot happen in DTLS */
  if (ret == MBEDTLS_ERR_SSL_BAD_INPUT_DATA) return DTLS_ERR_INVALID_INPUT;
  dtls_fail(e, ret);
  return e->error;
}

void dtls_engine_on_timer(dtls_engine *e, double now_ms) {
  if (e == NULL) return;
  if (now_ms > e->now) e->now = now_ms;
  if (e->state == DTLS_STATE_HANDSHAKING && e->role == DTLS_ROLE_CLIENT && !e->started) {
    dtls_drive(e);
    return;
  }
  if (!e->timer_armed || e->now < e->timer_fin) return;
  if (e->state == DTLS_STATE_HANDSHAKING || e->state == DTLS_STATE_CONNECTED) dtls_drive(e);
}

int dtls_engine_next_deadline(const dtls_engine *e, double *deadline_ms) {
  if (e == NULL) return 0;
  if (e->state == DTLS_STATE_HANDSHAKING && e->role == DTLS_ROLE_CLIENT && !e->started) {
    if (deadline_ms) *deadline_ms = e->now;
    return 1;
  }
  if (!e->timer_armed || (e->state != DTLS_STATE_HANDSHAKING && e->state != DTLS_STATE_CONNECTED)) return 0;
  if (deadline_ms) *deadline_ms = e->timer_fin;
  return 1;
}

dtls_state dtls_engine_state(const dtls_engine *e) { return e ? e->state : DTLS_STATE_FAILED; }
dtls_error dtls_engine_error(const dtls_engine *e) { return e ? e->error : DTLS_ERR_INVALID_INPUT; }
uint16_t dtls_engine_cipher_suite(const dtls_engine *e) { return e ? e->suite : 0; }

size_t dtls_engine_max_record_payload(const dtls_engine *e) {
  if (e == NULL || e->state != DTLS_STATE_CONNECTED) return 0;
  int n = mbedtls_ssl_get_max_out_record_payload(&e->ssl);
  return n > 0 ? (size_t)n : 0;
}

void dtls_engine_close(dtls_engine *e, double now_ms) {
  if (e == NULL) return;
  if (now_ms > e->now) e->now = now_ms;
  if (e->state == DTLS_STATE_CONNECTED) {
    /* The session closes either way (the peer's own timers cover a lost close_notify), but an
     * alert that could not be queued leaves its reason in error(). */
    if (!dtls_tx_has_room(e, 2)) {
      e->error = DTLS_ERR_QUEUE_FULL;
    } else {
      int ret = mbedtls_ssl_close_notify(&e->ssl);
      if (ret != 0) e->error = ret == MBEDTLS_ERR_SSL_ALLOC_FAILED ? DTLS_ERR_OUT_OF_MEMORY : DTLS_ERR_INTERNAL;
    }
  }
  if (e->state != DTLS_STATE_FAILED && e->state != DTLS_STATE_CLOSED) e->state = DTLS_STATE_CLOSED;
  e->timer_armed = 0;
}

void dtls_compat_on_master_secret(void *p, const unsigned char master_secret[48], const unsigned char client_random[32]) {
  dtls_engine *e = (dtls_engine *)p;
  memcpy(e->master_secret, master_secret, 48);
  memcpy(e->client_random, client_random, 32);
  e->have_keys = 1;
}

static char *put_hex(char *p, const uint8_t *bytes, size_t n) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    *p++ = hex[bytes[i] >> 4];
    *p++ = hex[bytes[i] & 15];
  }
  return p;
}

size_t dtls_engine_key_log(const dtls_engine *e, char *dst, size_t cap) {
  static const char label[] = "CLIENT_RANDOM ";
  const size_t need = (sizeof label - 1) + 64 + 1 + 96 + 1;
  if (e == NULL || !e->have_keys) return 0;
  if (dst == NULL || cap < need + 1) return need;
  char *p = dst;
  memcpy(p, label, sizeof label - 1);
  p += sizeof label - 1;
  p = put_hex(p, e->client_random, 32);
  *p++ = ' ';
  p = put_hex(p, e->master_secret, 48);
  *p++ = '\n';
  *p = 0;
  return need;
}

const char *dtls_state_name(dtls_state s) {
  switch (s) {
    case DTLS_STATE_LISTENING: return "listening";
    case DTLS_STATE_HANDSHAKING: return "handshaking";
    case DTLS_STATE_CONNECTED: return "connected";
    case DTLS_STATE_CLOSED: return "closed";
    case DTLS_STATE_FAILED: return "failed";
  }
  return "failed";
}

const char *dtls_error_name(dtls_error err) {
  switch (err) {
    case DTLS_ERR_NONE: return "None";
    case DTLS_ERR_PEER_CLOSED: return "PeerClosed";
    case DTLS_ERR_HANDSHAKE_TIMEOUT: return "HandshakeTimeout";
    case DTLS_ERR_BAD_RECORD_MAC: return "BadRecordMac";
    case DTLS_ERR_HANDSHAKE_FAILURE: return "HandshakeFailure";
    case DTLS_ERR_CERTIFICATE_REJECTED: return "CertificateRejected";
    case DTLS_ERR_FATAL_ALERT: return "FatalAlert";
    case DTLS_ERR_INVALID_INPUT: return "InvalidInput";
    case DTLS_ERR_OUT_OF_MEMORY: return "OutOfMemory";
    case DTLS_ERR_INTERNAL: return "InternalError";
    case DTLS_ERR_QUEUE_FULL: return "QueueFull";
  }
  return "InternalError";
}
