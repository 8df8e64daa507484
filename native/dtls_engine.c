/*
 * dtls_engine.c: see dtls_engine.h. mbedTLS runs over two memory BIOs (the datagram being
 * fed, and a queue of datagrams to send) and a timer whose clock is the caller's "now", so
 * retransmission and the 116 s handshake timeout follow virtual time exactly.
 */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* getrandom() under -std=c99 */
#endif

#include "dtls_engine.h"

#include <stdlib.h>
#include <string.h>

#include "mbedtls/version.h"
#include "mbedtls/ssl.h"
#include "mbedtls/ssl_cookie.h"
#include "mbedtls/ssl_ciphersuites.h"
#include "mbedtls/x509_crt.h"
#include "mbedtls/pk.h"
#include "mbedtls/error.h"
#if MBEDTLS_VERSION_MAJOR >= 4 || (MBEDTLS_VERSION_MAJOR == 3 && defined(MBEDTLS_PSA_CRYPTO_C))
/* 4.x always, and 3.x with PSA compiled in (TLS 1.3 or USE_PSA code paths), need PSA up. */
#define DTLS_NEEDS_PSA_INIT 1
#include "psa/crypto.h"
#endif
#if MBEDTLS_VERSION_MAJOR < 4
/* Mbed TLS 4 removed these headers; with 2.28 headers installed an unguarded include would
 * silently pick the old copies. */
#include "mbedtls/ctr_drbg.h"
#endif
#if MBEDTLS_VERSION_MAJOR >= 3
#define DTLS_PRIV(member) MBEDTLS_PRIVATE(member)
#else
#define DTLS_PRIV(member) member
#endif

#if defined(__linux__)
#include <sys/random.h>
#include <errno.h>
#endif

/* Queues hold whole datagrams / records as [u16 length][bytes]. Sized once at create so
 * nothing is allocated per record; a device build can shrink them. */
#ifndef DTLS_ENGINE_TX_QUEUE_BYTES
#define DTLS_ENGINE_TX_QUEUE_BYTES (2 * (MBEDTLS_SSL_OUT_CONTENT_LEN + 512))
#endif
#ifndef DTLS_ENGINE_RX_QUEUE_BYTES
#define DTLS_ENGINE_RX_QUEUE_BYTES (2 * (MBEDTLS_SSL_IN_CONTENT_LEN + 2))
#endif
#define DTLS_MAX_CLIENT_ID 32

typedef struct {
  uint8_t *buf;
  size_t cap, head, tail; /* bytes [head, tail) hold entries */
} byte_queue;

struct dtls_engine {
  dtls_role role;
  dtls_mode mode;
  dtls_state state;
  dtls_error error;
  int started;   /* client: handshake begun */
  int ssl_ready; /* ssl/conf initialised (free must clean up) */
  double now;
  /* timer (absolute, caller's clock) */
  int timer_armed;
  double timer_int, timer_fin;
  /* the datagram being fed: valid only inside dtls_engine_feed (in_ptr: not yet read by
   * mbedTLS; fed: the whole datagram) */
  const uint8_t *in_ptr;
  size_t in_len;
  const uint8_t *fed;
  size_t fed_len;
  byte_queue tx, rx;
  size_t tx_dropped;
  uint8_t client_id[DTLS_MAX_CLIENT_ID];
  size_t client_id_len;
  uint16_t suite;
  int ciphersuites[2];
  /* key log */
  int have_keys;
  uint8_t client_random[32];
  uint8_t master_secret[48];

  mbedtls_ssl_context ssl;
  mbedtls_ssl_config conf;
  mbedtls_ssl_cookie_ctx cookie;
  mbedtls_x509_crt own_cert, ca_chain;
  mbedtls_pk_context own_key;
#if MBEDTLS_VERSION_MAJOR < 4
  mbedtls_ctr_drbg_context drbg;
#endif
};

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

#if MBEDTLS_VERSION_MAJOR < 4
static int drbg_entropy(void *ctx, unsigned char *out, size_t len) {
  (void)ctx;
  return entropy_fn(entropy_ctx, out, len) == 0 ? 0 : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}
#endif

/* ---------- queues ---------- */

static int queue_init(byte_queue *q, size_t cap) {
  q->buf = (uint8_t *)malloc(cap);
  q->cap = cap;
  q->head = q->tail = 0;
  return q->buf != NULL;
}

/* Contiguous room for one more entry payload, compacting first. */
static size_t queue_room(byte_queue *q) {
  if (q->head == q->tail) q->head = q->tail = 0;
  if (q->head > 0 && q->cap - q->tail < q->cap / 2) {
    memmove(q->buf, q->buf + q->head, q->tail - q->head);
    q->tail -= q->head;
    q->head = 0;
  }
  size_t room = q->cap - q->tail;
  if (room <= 2) return 0;
  room -= 2;
  return room > 0xFFFF ? 0xFFFF : room;
}

static uint8_t *queue_slot(byte_queue *q) { return q->buf + q->tail + 2; }

static void queue_commit(byte_queue *q, size_t len) {
  q->buf[q->tail] = (uint8_t)(len >> 8);
  q->buf[q->tail + 1] = (uint8_t)len;
  q->tail += 2 + len;
}

static size_t queue_front_size(const byte_queue *q) {
  if (q->head == q->tail) return 0;
  return ((size_t)q->buf[q->head] << 8) | q->buf[q->head + 1];
}

static int queue_empty(const byte_queue *q) { return q->head == q->tail; }

static size_t queue_pop(byte_queue *q, uint8_t *dst, size_t cap) {
  if (queue_empty(q)) return 0;
  size_t len = queue_front_size(q);
  if (len > cap) return (size_t)-1;
  memcpy(dst, q->buf + q->head + 2, len);
  q->head += 2 + len;
  if (q->head == q->tail) q->head = q->tail = 0;
  return len;
}


/* ---------- BIO and timer callbacks ---------- */

static int bio_send(void *ctx, const unsigned char *buf, size_t len) {
  dtls_engine *e = (dtls_engine *)ctx;
  if (len == 0) return 0;
  if (queue_room(&e->tx) < len) {
    /* A full queue behaves like a lossy link: DTLS retransmission recovers. */
    e->tx_dropped++;
    return (int)len;
  }
  memcpy(queue_slot(&e->tx), buf, len);
  queue_commit(&e->tx, len);
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

/* ---------- key export ---------- */

#if MBEDTLS_VERSION_MAJOR >= 3
static void export_keys(void *p, mbedtls_ssl_key_export_type type, const unsigned char *secret,
                        size_t secret_len, const unsigned char client_random[32],
                        const unsigned char server_random[32], mbedtls_tls_prf_types prf) {
  dtls_engine *e = (dtls_engine *)p;
  (void)server_random;
  (void)prf;
  if (type != MBEDTLS_SSL_KEY_EXPORT_TLS12_MASTER_SECRET || secret_len != 48) return;
  memcpy(e->master_secret, secret, 48);
  memcpy(e->client_random, client_random, 32);
  e->have_keys = 1;
}
#elif defined(MBEDTLS_SSL_EXPORT_KEYS)
static int export_keys(void *p, const unsigned char *ms, const unsigned char *kb, size_t maclen,
                       size_t keylen, size_t ivlen, const unsigned char client_random[32],
                       const unsigned char server_random[32], mbedtls_tls_prf_types prf) {
  dtls_engine *e = (dtls_engine *)p;
  (void)kb;
  (void)maclen;
  (void)keylen;
  (void)ivlen;
  (void)server_random;
  (void)prf;
  memcpy(e->master_secret, ms, 48);
  memcpy(e->client_random, client_random, 32);
  e->have_keys = 1;
  return 0;
}
#endif

/* ---------- error mapping ---------- */

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

/* Room in the send queue for one record of `payload` bytes, header and MAC included. */
static int tx_has_room(dtls_engine *e, size_t payload) {
  int expansion = mbedtls_ssl_get_record_expansion(&e->ssl);
  if (expansion < 0) return 0;
  return queue_room(&e->tx) >= payload + (size_t)expansion;
}

static int handshake_over(const dtls_engine *e) {
  return e->ssl.DTLS_PRIV(state) == MBEDTLS_SSL_HANDSHAKE_OVER;
}

/* Negotiation errors for which mbedTLS has already sent a handshake_failure alert. */
static int is_negotiation_error(int ret) {
#if MBEDTLS_VERSION_MAJOR >= 3
  return ret == MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE; /* 3.x folded the no-suite codes into it */
#else
  return ret == MBEDTLS_ERR_SSL_NO_CIPHER_CHOSEN || ret == MBEDTLS_ERR_SSL_NO_USABLE_CIPHERSUITE;
#endif
}

/* Moves the engine to FAILED (or CLOSED for close_notify) for mbedTLS code `ret`, sending
 * the alert OpenThread sends when mbedTLS itself did not. */
static void fail(dtls_engine *e, int ret) {
  dtls_error err;
  int send_alert = -1;
  switch (ret) {
    case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
      e->state = DTLS_STATE_CLOSED;
      e->error = DTLS_ERR_PEER_CLOSED;
      return;
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
      err = map_alert(e->ssl.DTLS_PRIV(in_msg)[1]);
      break;
    case MBEDTLS_ERR_SSL_TIMEOUT: err = DTLS_ERR_HANDSHAKE_TIMEOUT; break;
    case MBEDTLS_ERR_SSL_INVALID_MAC:
      err = DTLS_ERR_BAD_RECORD_MAC;
#if !defined(MBEDTLS_SSL_ALL_ALERT_MESSAGES)
      if (!handshake_over(e)) send_alert = MBEDTLS_SSL_ALERT_MSG_BAD_RECORD_MAC;
#endif
      break;
    case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
    case MBEDTLS_ERR_SSL_NO_CLIENT_CERTIFICATE:
#if MBEDTLS_VERSION_MAJOR < 3
    case MBEDTLS_ERR_SSL_PEER_VERIFY_FAILED:
#else
    case MBEDTLS_ERR_SSL_BAD_CERTIFICATE:
#endif
      err = DTLS_ERR_CERTIFICATE_REJECTED; /* mbedTLS has sent the certificate alert */
      break;
    case MBEDTLS_ERR_SSL_ALLOC_FAILED: err = DTLS_ERR_OUT_OF_MEMORY; break;
    default:
      if (!handshake_over(e)) {
        err = DTLS_ERR_HANDSHAKE_FAILURE;
        if (!is_negotiation_error(ret)) send_alert = MBEDTLS_SSL_ALERT_MSG_HANDSHAKE_FAILURE;
      } else {
        err = DTLS_ERR_INTERNAL;
      }
      break;
  }
  if (send_alert >= 0) {
    /* The session is over whether or not the alert goes out (the peer's timers cover it), but
     * one that cannot be queued is counted in dtls_engine_dropped_datagrams(). */
    if (!tx_has_room(e, 2) ||
        mbedtls_ssl_send_alert_message(&e->ssl, MBEDTLS_SSL_ALERT_LEVEL_FATAL, (unsigned char)send_alert) != 0)
      e->tx_dropped++;
  }
  e->state = DTLS_STATE_FAILED;
  e->error = err;
  e->timer_armed = 0;
}

/* ---------- ClientHello records ---------- */

#define DTLS_RECORD_HEADER 13 /* type(1) version(2) epoch(2) seq(6) length(2) */
#define DTLS_HS_HEADER 12     /* type(1) length(3) message_seq(2) fragment_offset(3) fragment_length(3) */

/* The first epoch-0 ClientHello record of a datagram (its header), or NULL. Walks every
 * record, since mbedTLS processes each of them: one junk record in front must not smuggle a
 * ClientHello past a check. Stops at a truncated record, which mbedTLS discards together
 * with the rest of the datagram. *body_len gets the record's length field. */
static const uint8_t *find_client_hello(const uint8_t *d, size_t len, size_t *body_len) {
  size_t off = 0;
  while (len - off >= DTLS_RECORD_HEADER) {
    const uint8_t *r = d + off;
    size_t body = ((size_t)r[11] << 8) | r[12];
    if (body > len - off - DTLS_RECORD_HEADER) return NULL;
    if (r[0] == 22 /* handshake */ && r[3] == 0 && r[4] == 0 && body > 0 && r[13] == 1 /* client_hello */) {
      *body_len = body;
      return r;
    }
    off += DTLS_RECORD_HEADER + body;
  }
  return NULL;
}

/* 1 when the datagram's ClientHello carries a cookie this server issued to `id`: the sender
 * receives at the address it claims. */
static int client_hello_has_valid_cookie(dtls_engine *e, const uint8_t *d, size_t len, const uint8_t *id, size_t id_len) {
  size_t body_len;
  const uint8_t *r = find_client_hello(d, len, &body_len);
  if (r == NULL) return 0;
  const uint8_t *b = r + DTLS_RECORD_HEADER;
  size_t at = DTLS_HS_HEADER + 2 + 32; /* client_version, random */
  if (body_len <= at) return 0;
  at += 1 + (size_t)b[at]; /* session_id */
  if (body_len <= at) return 0;
  size_t cookie_len = b[at];
  if (cookie_len == 0 || body_len - at - 1 < cookie_len) return 0;
  return mbedtls_ssl_cookie_check(&e->cookie, b + at + 1, cookie_len, id, id_len) == 0;
}

/* Queues the HelloVerifyRequest mbedTLS would have sent for this ClientHello had it offered
 * our suite (RFC 6347 4.2.1): record sequence number and message_seq echo the ClientHello's,
 * version DTLS 1.2 as mbedTLS writes it, a fresh cookie for `id`. Returns 0 when it cannot
 * (no room, cookie error): the peer retransmits. */
static int queue_hello_verify_request(dtls_engine *e, const uint8_t *d, size_t len, const uint8_t *id, size_t id_len) {
  size_t body_len;
  const uint8_t *ch = find_client_hello(d, len, &body_len);
  if (ch == NULL || body_len < DTLS_HS_HEADER) return 0;
  unsigned char cookie[64];
  unsigned char *p = cookie;
  if (mbedtls_ssl_cookie_write(&e->cookie, &p, cookie + sizeof cookie, id, id_len) != 0) return 0;
  size_t cookie_len = (size_t)(p - cookie);
  size_t hs_body = 2 + 1 + cookie_len;
  size_t total = DTLS_RECORD_HEADER + DTLS_HS_HEADER + hs_body;
  if (queue_room(&e->tx) < total) return 0;
  uint8_t *o = queue_slot(&e->tx);
  o[0] = 22;
  o[1] = 0xfe;
  o[2] = 0xfd;
  memcpy(o + 3, ch + 3, 8); /* epoch 0 and the ClientHello's sequence number */
  o[11] = (uint8_t)((DTLS_HS_HEADER + hs_body) >> 8);
  o[12] = (uint8_t)(DTLS_HS_HEADER + hs_body);
  uint8_t *h = o + DTLS_RECORD_HEADER;
  h[0] = 3; /* hello_verify_request */
  h[1] = 0;
  h[2] = (uint8_t)(hs_body >> 8);
  h[3] = (uint8_t)hs_body;
  h[4] = ch[DTLS_RECORD_HEADER + 4]; /* message_seq */
  h[5] = ch[DTLS_RECORD_HEADER + 5];
  memset(h + 6, 0, 3); /* fragment_offset */
  memcpy(h + 9, h + 1, 3); /* fragment_length = length */
  h[12] = 0xfe;
  h[13] = 0xfd;
  h[14] = (uint8_t)cookie_len;
  memcpy(h + 15, cookie, cookie_len);
  queue_commit(&e->tx, total);
  return 1;
}

/* ---------- driving mbedTLS ---------- */

/* Back to a clean listening server: no trace of the last peer remains. */
static void listen_reset(dtls_engine *e) {
  if (mbedtls_ssl_session_reset(&e->ssl) != 0) {
    e->state = DTLS_STATE_FAILED;
    e->error = DTLS_ERR_INTERNAL;
  }
  e->timer_armed = 0;
}

static void pump_read(dtls_engine *e) {
  while (e->state == DTLS_STATE_CONNECTED) {
    /* Records stay inside mbedTLS while the queue is short of room for the largest one (or,
     * with a queue smaller than that on a device, until the queue is empty). */
    size_t room = queue_room(&e->rx);
    size_t need = e->rx.cap - 2 < MBEDTLS_SSL_IN_CONTENT_LEN ? e->rx.cap - 2 : MBEDTLS_SSL_IN_CONTENT_LEN;
    if (need > 0xFFFF) need = 0xFFFF;
    if (room < need) return;
    int ret = mbedtls_ssl_read(&e->ssl, queue_slot(&e->rx), room);
    if (ret > 0) {
      queue_commit(&e->rx, (size_t)ret);
      continue;
    }
    if (ret == 0) continue; /* empty record */
    if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) return;
    if (ret == MBEDTLS_ERR_SSL_TIMEOUT) return; /* no read timeout is configured */
    fail(e, ret);
    return;
  }
}

static void drive_handshake(dtls_engine *e) {
  int listening = e->state == DTLS_STATE_LISTENING;
  size_t id_len = e->client_id_len;
  if (listening) {
    if (id_len == 0) {
      e->in_ptr = NULL;
      return;
    }
    int r = mbedtls_ssl_set_client_transport_id(&e->ssl, e->client_id, id_len);
    e->client_id_len = 0; /* one id per fed datagram */
    if (r != 0) {
      /* Only ALLOC_FAILED is possible here: drop the datagram and stay listening; the peer
       * retransmits. */
      e->in_ptr = NULL;
      return;
    }
  }
  size_t queued_before = e->tx.tail - e->tx.head; /* compaction keeps this difference */
  int ret = mbedtls_ssl_handshake(&e->ssl);
  if (ret == 0) {
    e->state = DTLS_STATE_CONNECTED;
    e->suite = (uint16_t)mbedtls_ssl_get_ciphersuite_id(mbedtls_ssl_get_ciphersuite(&e->ssl));
    pump_read(e);
    return;
  }
  if (listening) {
    if (ret == MBEDTLS_ERR_SSL_HELLO_VERIFY_REQUIRED) {
      listen_reset(e); /* HelloVerifyRequest stays queued; nothing else is kept */
      return;
    }
    if ((ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) &&
        e->ssl.DTLS_PRIV(state) > MBEDTLS_SSL_CLIENT_HELLO) {
      e->state = DTLS_STATE_HANDSHAKING; /* cookie verified: this peer owns the engine now */
      return;
    }
    if (is_negotiation_error(ret) && client_hello_has_valid_cookie(e, e->fed, e->fed_len, e->client_id, id_len)) {
      /* No suite in common (PSK vs x509 node) with a peer that proved its address: mbedTLS
       * has queued a handshake_failure alert. Reporting it lets both sides of a mode
       * mismatch see the failure, as OpenThread nodes do. */
      fail(e, ret);
      return;
    }
    /* Garbage, a fragment or a failed ClientHello: forget it (drop whatever mbedTLS queued
     * for it, such as an alert, but not earlier datagrams). mbedTLS checks suites before it
     * would send a HelloVerifyRequest, so a cookie-less ClientHello with no suite in common
     * gets the HelloVerifyRequest from here, like any other: a forged sender learns nothing
     * and ends nothing, and a real mismatched peer fails on its cookie-bearing ClientHello. */
    e->tx.tail = e->tx.head + queued_before;
    if (e->tx.head == e->tx.tail) e->tx.head = e->tx.tail = 0;
    if (is_negotiation_error(ret) && !queue_hello_verify_request(e, e->fed, e->fed_len, e->client_id, id_len))
      e->tx_dropped++; /* like a HelloVerifyRequest bio_send could not queue: the peer retransmits */
    listen_reset(e);
    return;
  }
  if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) return;
  fail(e, ret);
}

/* Returns 1 when a connected engine left the fed datagram unread because the read queue is
 * short of room (mbedTLS only takes a new datagram once it has passed on the records it
 * holds). */
static int drive(dtls_engine *e) {
  int unread = 0;
  if (e->state == DTLS_STATE_LISTENING || e->state == DTLS_STATE_HANDSHAKING) {
    if (e->role == DTLS_ROLE_CLIENT) e->started = 1;
    drive_handshake(e);
  } else if (e->state == DTLS_STATE_CONNECTED) {
    /* A done side keeps reading: that is where it answers a retransmitted last flight. */
    pump_read(e);
    unread = e->in_ptr != NULL && e->state == DTLS_STATE_CONNECTED;
  }
  e->in_ptr = NULL;
  e->in_len = 0;
  return unread;
}

/* ---------- setup ---------- */

static dtls_error map_setup(int ret) {
  if (ret == 0) return DTLS_ERR_NONE;
  if (ret == MBEDTLS_ERR_SSL_ALLOC_FAILED || ret == MBEDTLS_ERR_X509_ALLOC_FAILED ||
      ret == MBEDTLS_ERR_PK_ALLOC_FAILED)
    return DTLS_ERR_OUT_OF_MEMORY;
  return DTLS_ERR_INVALID_INPUT;
}

/* mbedTLS wants PEM with its terminating NUL counted. */
static int parse_crt(mbedtls_x509_crt *crt, const uint8_t *pem, size_t len) {
  if (pem == NULL || len == 0) return MBEDTLS_ERR_X509_BAD_INPUT_DATA;
  unsigned char *copy = (unsigned char *)malloc(len + 1);
  if (copy == NULL) return MBEDTLS_ERR_X509_ALLOC_FAILED;
  memcpy(copy, pem, len);
  copy[len] = 0;
  int ret = mbedtls_x509_crt_parse(crt, copy, len + 1);
  free(copy);
  return ret;
}

static int parse_key(dtls_engine *e, const uint8_t *pem, size_t len) {
  if (pem == NULL || len == 0) return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
  unsigned char *copy = (unsigned char *)malloc(len + 1);
  if (copy == NULL) return MBEDTLS_ERR_PK_ALLOC_FAILED;
  memcpy(copy, pem, len);
  copy[len] = 0;
#if MBEDTLS_VERSION_MAJOR == 3
  int ret = mbedtls_pk_parse_key(&e->own_key, copy, len + 1, NULL, 0, mbedtls_ctr_drbg_random, &e->drbg);
#else
  int ret = mbedtls_pk_parse_key(&e->own_key, copy, len + 1, NULL, 0);
#endif
  mbedtls_platform_zeroize(copy, len + 1);
  free(copy);
  return ret;
}

static const uint16_t sig_algs_p256_sha256[] = {0x0403, 0}; /* ecdsa_secp256r1_sha256 */

static dtls_error configure(dtls_engine *e, const dtls_config *cfg) {
  mbedtls_ssl_config *conf = &e->conf;
  int ret = mbedtls_ssl_config_defaults(conf, cfg->role == DTLS_ROLE_SERVER ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT,
                                        MBEDTLS_SSL_TRANSPORT_DATAGRAM, MBEDTLS_SSL_PRESET_DEFAULT);
  if (ret != 0) return map_setup(ret);
#if MBEDTLS_VERSION_MAJOR >= 3
  mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
  mbedtls_ssl_conf_max_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
  mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
#if MBEDTLS_VERSION_MAJOR < 4
  mbedtls_ssl_conf_rng(conf, mbedtls_ctr_drbg_random, &e->drbg);
#endif
  uint32_t hs_min = cfg->hs_timeout_min_ms ? cfg->hs_timeout_min_ms : 8000;
  uint32_t hs_max = cfg->hs_timeout_max_ms ? cfg->hs_timeout_max_ms : 60000;
  if (hs_max < hs_min) return DTLS_ERR_INVALID_INPUT;
  mbedtls_ssl_conf_handshake_timeout(conf, hs_min, hs_max);
  mbedtls_ssl_conf_dtls_anti_replay(conf, MBEDTLS_SSL_ANTI_REPLAY_ENABLED);
#if defined(MBEDTLS_SSL_EXPORT_KEYS) && MBEDTLS_VERSION_MAJOR < 3
  mbedtls_ssl_conf_export_keys_ext_cb(conf, export_keys, e);
#endif

  if (cfg->mode == DTLS_MODE_PSK) {
    e->ciphersuites[0] = MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8;
    if (cfg->psk == NULL || cfg->psk_len == 0 || cfg->psk_len > 32 || cfg->psk_identity == NULL ||
        cfg->psk_identity_len == 0 || cfg->psk_identity_len > 32)
      return DTLS_ERR_INVALID_INPUT;
    ret = mbedtls_ssl_conf_psk(conf, cfg->psk, cfg->psk_len, cfg->psk_identity, cfg->psk_identity_len);
    if (ret != 0) return map_setup(ret);
    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);
  } else if (cfg->mode == DTLS_MODE_X509) {
    e->ciphersuites[0] = MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8;
    if ((ret = parse_crt(&e->own_cert, cfg->cert_pem, cfg->cert_pem_len)) != 0) return map_setup(ret);
    if ((ret = parse_key(e, cfg->key_pem, cfg->key_pem_len)) != 0) return map_setup(ret);
    /* A key that is not the certificate's would only show as a failed handshake later. */
#if MBEDTLS_VERSION_MAJOR == 3
    ret = mbedtls_pk_check_pair(&e->own_cert.pk, &e->own_key, mbedtls_ctr_drbg_random, &e->drbg);
#else
    ret = mbedtls_pk_check_pair(&e->own_cert.pk, &e->own_key); /* 2.x and 4.x take no RNG */
#endif
    if (ret != 0) return map_setup(ret);
    if ((ret = parse_crt(&e->ca_chain, cfg->ca_pem, cfg->ca_pem_len)) != 0) return map_setup(ret);
    mbedtls_ssl_conf_ca_chain(conf, &e->ca_chain, NULL);
    if ((ret = mbedtls_ssl_conf_own_cert(conf, &e->own_cert, &e->own_key)) != 0) return map_setup(ret);
    mbedtls_ssl_conf_authmode(conf, cfg->verify_peer ? MBEDTLS_SSL_VERIFY_REQUIRED : MBEDTLS_SSL_VERIFY_NONE);
#if MBEDTLS_VERSION_MAJOR >= 3
    static const uint16_t groups[] = {MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1, MBEDTLS_SSL_IANA_TLS_GROUP_NONE};
    mbedtls_ssl_conf_groups(conf, groups);
    mbedtls_ssl_conf_sig_algs(conf, sig_algs_p256_sha256);
#else
    static const mbedtls_ecp_group_id curves[] = {MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_NONE};
    static const int hashes[] = {MBEDTLS_MD_SHA256, MBEDTLS_MD_NONE};
    (void)sig_algs_p256_sha256;
    mbedtls_ssl_conf_curves(conf, curves);
    mbedtls_ssl_conf_sig_hashes(conf, hashes);
#endif
  } else {
    return DTLS_ERR_INVALID_INPUT;
  }
  e->ciphersuites[1] = 0;
  mbedtls_ssl_conf_ciphersuites(conf, e->ciphersuites);

  if (cfg->role == DTLS_ROLE_SERVER) {
#if MBEDTLS_VERSION_MAJOR >= 4
    ret = mbedtls_ssl_cookie_setup(&e->cookie);
#else
    ret = mbedtls_ssl_cookie_setup(&e->cookie, mbedtls_ctr_drbg_random, &e->drbg);
#endif
    if (ret != 0) return map_setup(ret);
    mbedtls_ssl_conf_dtls_cookies(conf, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, &e->cookie);
  }

  if ((ret = mbedtls_ssl_setup(&e->ssl, conf)) != 0) return map_setup(ret);
#if MBEDTLS_VERSION_MAJOR >= 3
  mbedtls_ssl_set_export_keys_cb(&e->ssl, export_keys, e);
#endif
#if defined(MBEDTLS_X509_CRT_PARSE_C)
  /* No host name check (OpenThread); saying so explicitly keeps 3.6+ from refusing. */
  if (cfg->role == DTLS_ROLE_CLIENT && (ret = mbedtls_ssl_set_hostname(&e->ssl, NULL)) != 0) return map_setup(ret);
#endif
  mbedtls_ssl_set_bio(&e->ssl, e, bio_send, bio_recv, NULL);
  mbedtls_ssl_set_timer_cb(&e->ssl, e, timer_set, timer_get);
  return DTLS_ERR_NONE;
}

dtls_engine *dtls_engine_create(const dtls_config *cfg, double now_ms, dtls_error *err) {
  dtls_error dummy;
  if (err == NULL) err = &dummy;
  *err = DTLS_ERR_NONE;
  if (cfg == NULL || (cfg->role != DTLS_ROLE_CLIENT && cfg->role != DTLS_ROLE_SERVER)) {
    *err = DTLS_ERR_INVALID_INPUT;
    return NULL;
  }
#if defined(DTLS_NEEDS_PSA_INIT)
  if (psa_crypto_init() != PSA_SUCCESS) {
    *err = DTLS_ERR_INTERNAL;
    return NULL;
  }
#endif
  dtls_engine *e = (dtls_engine *)calloc(1, sizeof(dtls_engine));
  if (e == NULL) {
    *err = DTLS_ERR_OUT_OF_MEMORY;
    return NULL;
  }
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
#if MBEDTLS_VERSION_MAJOR < 4
  mbedtls_ctr_drbg_init(&e->drbg);
#endif
  e->ssl_ready = 1;
  if (!queue_init(&e->tx, DTLS_ENGINE_TX_QUEUE_BYTES) || !queue_init(&e->rx, DTLS_ENGINE_RX_QUEUE_BYTES)) {
    *err = DTLS_ERR_OUT_OF_MEMORY;
    dtls_engine_free(e);
    return NULL;
  }
#if MBEDTLS_VERSION_MAJOR < 4
  static const unsigned char pers[] = "moddable-coaps dtls";
  int ret = mbedtls_ctr_drbg_seed(&e->drbg, drbg_entropy, NULL, pers, sizeof pers - 1);
  if (ret != 0) {
    *err = DTLS_ERR_INTERNAL;
    dtls_engine_free(e);
    return NULL;
  }
#endif
  dtls_error r = configure(e, cfg);
  if (r == DTLS_ERR_NONE && e->role == DTLS_ROLE_CLIENT) {
    drive(e); /* queues the ClientHello and arms the first retransmission */
    if (e->state == DTLS_STATE_FAILED) r = e->error;
  }
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
#if MBEDTLS_VERSION_MAJOR < 4
    mbedtls_ctr_drbg_free(&e->drbg);
#endif
  }
  mbedtls_platform_zeroize(e->master_secret, sizeof e->master_secret);
  free(e->tx.buf);
  free(e->rx.buf);
  free(e);
}

void dtls_engine_global_teardown(void) {
#if defined(DTLS_NEEDS_PSA_INIT)
  mbedtls_psa_crypto_free();
#endif
}

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
  if (e->role == DTLS_ROLE_SERVER && e->state == DTLS_STATE_CONNECTED && find_client_hello(data, len, &hello_len) != NULL) {
    /* OpenThread builds without client port reuse: a new ClientHello from the peer of a live
     * session is discarded and the session stays. (Debian's mbedTLS has port reuse, which would
     * reset this session instead.) */
    return DTLS_ERR_NONE;
  }
  e->in_ptr = e->fed = data;
  e->in_len = e->fed_len = len;
  int unread = drive(e);
  e->fed = NULL;
  e->fed_len = 0;
  return unread ? DTLS_ERR_QUEUE_FULL : DTLS_ERR_NONE;
}

size_t dtls_engine_outgoing_size(const dtls_engine *e) { return e ? queue_front_size(&e->tx) : 0; }

size_t dtls_engine_take_outgoing(dtls_engine *e, uint8_t *dst, size_t cap) {
  return e ? queue_pop(&e->tx, dst, cap) : 0;
}

size_t dtls_engine_read_size(const dtls_engine *e) { return e ? queue_front_size(&e->rx) : 0; }

size_t dtls_engine_read(dtls_engine *e, uint8_t *dst, size_t cap) {
  if (e == NULL) return 0;
  size_t n = queue_pop(&e->rx, dst, cap);
  /* Records held back for lack of queue room can come in now. */
  if (n != (size_t)-1 && e->state == DTLS_STATE_CONNECTED && mbedtls_ssl_check_pending(&e->ssl)) pump_read(e);
  return n;
}

dtls_error dtls_engine_write(dtls_engine *e, double now_ms, const uint8_t *data, size_t len) {
  if (e == NULL || (data == NULL && len > 0)) return DTLS_ERR_INVALID_INPUT;
  if (now_ms > e->now) e->now = now_ms;
  if (e->state != DTLS_STATE_CONNECTED) return DTLS_ERR_INVALID_INPUT;
  if (len > dtls_engine_max_record_payload(e)) return DTLS_ERR_INVALID_INPUT;
  /* bio_send would drop a record that does not fit; refuse before encrypting instead, so the
   * caller can drain take_outgoing and retry (no sequence number is spent). */
  if (!tx_has_room(e, len)) return DTLS_ERR_QUEUE_FULL;
  int ret = mbedtls_ssl_write(&e->ssl, data, len);
  if (ret >= 0 && (size_t)ret == len) return DTLS_ERR_NONE;
  if (ret >= 0) return DTLS_ERR_INTERNAL; /* a partial record cannot happen in DTLS */
  if (ret == MBEDTLS_ERR_SSL_BAD_INPUT_DATA) return DTLS_ERR_INVALID_INPUT;
  fail(e, ret);
  return e->error;
}

void dtls_engine_on_timer(dtls_engine *e, double now_ms) {
  if (e == NULL) return;
  if (now_ms > e->now) e->now = now_ms;
  if (e->state == DTLS_STATE_HANDSHAKING && e->role == DTLS_ROLE_CLIENT && !e->started) {
    drive(e);
    return;
  }
  if (!e->timer_armed || e->now < e->timer_fin) return;
  if (e->state == DTLS_STATE_HANDSHAKING || e->state == DTLS_STATE_CONNECTED) drive(e);
}

size_t dtls_engine_dropped_datagrams(const dtls_engine *e) { return e ? e->tx_dropped : 0; }

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
    if (!tx_has_room(e, 2)) {
      e->error = DTLS_ERR_QUEUE_FULL;
      e->tx_dropped++;
    } else {
      int ret = mbedtls_ssl_close_notify(&e->ssl);
      if (ret != 0) {
        e->error = ret == MBEDTLS_ERR_SSL_ALLOC_FAILED ? DTLS_ERR_OUT_OF_MEMORY : DTLS_ERR_INTERNAL;
        e->tx_dropped++;
      }
    }
  }
  if (e->state != DTLS_STATE_FAILED && e->state != DTLS_STATE_CLOSED) e->state = DTLS_STATE_CLOSED;
  e->timer_armed = 0;
}

size_t dtls_engine_key_log(const dtls_engine *e, char *dst, size_t cap) {
  static const char hex[] = "0123456789abcdef";
  static const char label[] = "CLIENT_RANDOM ";
  const size_t need = (sizeof label - 1) + 64 + 1 + 96 + 1;
  if (e == NULL || !e->have_keys) return 0;
  if (dst == NULL || cap < need + 1) return need;
  char *p = dst;
  memcpy(p, label, sizeof label - 1);
  p += sizeof label - 1;
  for (int i = 0; i < 32; i++) {
    *p++ = hex[e->client_random[i] >> 4];
    *p++ = hex[e->client_random[i] & 15];
  }
  *p++ = ' ';
  for (int i = 0; i < 48; i++) {
    *p++ = hex[e->master_secret[i] >> 4];
    *p++ = hex[e->master_secret[i] & 15];
  }
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
