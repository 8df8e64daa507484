/*
 * dtls_engine_hello.c: epoch-0 ClientHello records, read and answered below mbedTLS. A
 * listening server needs them where mbedTLS gives no help: a connected server discards any
 * datagram holding a ClientHello, and a listener must tell a cookie-verified peer with no
 * suite in common from anyone else, and answer a cookie-less one with a HelloVerifyRequest
 * that mbedTLS, which checks suites first, never sends.
 */
#include "dtls_engine_internal.h"

#include <string.h>

/* Walks every record, since mbedTLS processes each of them: one junk record in front must not
 * smuggle a ClientHello past a check. Stops at a truncated record, which mbedTLS discards
 * together with the rest of the datagram. */
const uint8_t *dtls_hello_find(const uint8_t *d, size_t len, size_t *body_len) {
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

/* A valid cookie means the sender receives at the address it claims. */
int dtls_hello_has_valid_cookie(mbedtls_ssl_cookie_ctx *cookie, const uint8_t *d, size_t len, const uint8_t *id,
                                size_t id_len) {
  size_t body_len;
  const uint8_t *r = dtls_hello_find(d, len, &body_len);
  if (r == NULL) return 0;
  const uint8_t *b = r + DTLS_RECORD_HEADER;
  size_t at = DTLS_HS_HEADER + 2 + 32; /* client_version, random */
  if (body_len <= at) return 0;
  at += 1 + (size_t)b[at]; /* session_id */
  if (body_len <= at) return 0;
  size_t cookie_len = b[at];
  if (cookie_len == 0 || body_len - at - 1 < cookie_len) return 0;
  return mbedtls_ssl_cookie_check(cookie, b + at + 1, cookie_len, id, id_len) == 0;
}

/* Writes at h the handshake message of a HelloVerifyRequest carrying `cookie`, echoing the
 * ClientHello's message_seq from its handshake header `ch_hs`. */
static void write_hello_verify_message(uint8_t *h, const uint8_t *ch_hs, const unsigned char *cookie, size_t cookie_len) {
  size_t body = 2 + 1 + cookie_len; /* server_version, cookie */
  h[0] = 3; /* hello_verify_request */
  h[1] = 0;
  h[2] = (uint8_t)(body >> 8);
  h[3] = (uint8_t)body;
  h[4] = ch_hs[4]; /* message_seq */
  h[5] = ch_hs[5];
  memset(h + 6, 0, 3);     /* fragment_offset */
  memcpy(h + 9, h + 1, 3); /* fragment_length = length */
  h[12] = 0xfe;            /* DTLS 1.2, as mbedTLS writes it */
  h[13] = 0xfd;
  h[14] = (uint8_t)cookie_len;
  memcpy(h + 15, cookie, cookie_len);
}

/* The HelloVerifyRequest mbedTLS would have sent had the ClientHello offered our suite (RFC
 * 6347 4.2.1): record sequence number and message_seq echo the ClientHello's. When it cannot
 * (no room, cookie error) the peer retransmits its ClientHello. */
int dtls_hello_queue_verify_request(mbedtls_ssl_cookie_ctx *cookie, dtls_queue *tx, const uint8_t *d, size_t len,
                                    const uint8_t *id, size_t id_len) {
  size_t body_len;
  const uint8_t *ch = dtls_hello_find(d, len, &body_len);
  if (ch == NULL || body_len < DTLS_HS_HEADER) return 0;
  unsigned char value[64];
  unsigned char *p = value;
  if (mbedtls_ssl_cookie_write(cookie, &p, value + sizeof value, id, id_len) != 0) return 0;
  size_t cookie_len = (size_t)(p - value);
  size_t message = DTLS_HS_HEADER + 2 + 1 + cookie_len;
  if (dtls_queue_room(tx) < DTLS_RECORD_HEADER + message) return 0;
  uint8_t *o = dtls_queue_slot(tx);
  o[0] = 22; /* handshake */
  o[1] = 0xfe;
  o[2] = 0xfd;
  memcpy(o + 3, ch + 3, 8); /* epoch 0 and the ClientHello's sequence number */
  o[11] = (uint8_t)(message >> 8);
  o[12] = (uint8_t)message;
  write_hello_verify_message(o + DTLS_RECORD_HEADER, ch + DTLS_RECORD_HEADER, value, cookie_len);
  dtls_queue_commit(tx, DTLS_RECORD_HEADER + message);
  return 1;
}
