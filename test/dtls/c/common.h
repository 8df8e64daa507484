/*
 * What the engine test drivers (engine_cycles.c, engine_defects.c) share: one PSK set, an x509
 * set read from PEM files, and the in-memory pump that carries datagrams between a client and a
 * server engine (no sockets, one `now` for both). Header-only, so each driver stays one gcc
 * command.
 */
#ifndef DTLS_TEST_COMMON_H
#define DTLS_TEST_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dtls_engine.h"

/* The client as the server sees it (transport id: 127.0.0.1, port 5684). */
static const uint8_t TEST_CLIENT_ID[6] = {127, 0, 0, 1, 0x16, 0x34};

static inline dtls_config test_psk_config(dtls_role role) {
  dtls_config c;
  memset(&c, 0, sizeof c);
  c.role = role;
  c.mode = DTLS_MODE_PSK;
  c.psk = (const uint8_t *)"secretPSK";
  c.psk_len = 9;
  c.psk_identity = (const uint8_t *)"Client_identity";
  c.psk_identity_len = 15;
  return c;
}

/* A whole file (at most 64 KiB) in a new buffer, or NULL. */
static inline uint8_t *test_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *p = malloc(65536);
  *len = p ? fread(p, 1, 65536, f) : 0;
  fclose(f);
  return p;
}

/* Certificate mode from PEM files cert, key, ca; 0 when one cannot be read. Release with
 * test_free_x509_config. */
static inline int test_x509_config(dtls_config *c, dtls_role role, const char *cert, const char *key, const char *ca,
                                   int verify_peer) {
  memset(c, 0, sizeof *c);
  c->role = role;
  c->mode = DTLS_MODE_X509;
  c->verify_peer = verify_peer;
  c->cert_pem = test_read_file(cert, &c->cert_pem_len);
  c->key_pem = test_read_file(key, &c->key_pem_len);
  c->ca_pem = test_read_file(ca, &c->ca_pem_len);
  return c->cert_pem && c->key_pem && c->ca_pem;
}

static inline void test_free_x509_config(dtls_config *c) {
  free((void *)c->cert_pem);
  free((void *)c->key_pem);
  free((void *)c->ca_pem);
}

/* Moves every datagram `from` has queued into `to`, tagged with TEST_CLIENT_ID when `to` is
 * the server; returns how many moved. */
static inline int test_pump(dtls_engine *from, dtls_engine *to, double now, int to_server) {
  static uint8_t datagram[20000];
  int moved = 0;
  size_t n;
  while ((n = dtls_engine_take_outgoing(from, datagram, sizeof datagram)) > 0 && n != (size_t)-1) {
    if (to_server) dtls_engine_set_client_id(to, TEST_CLIENT_ID, sizeof TEST_CLIENT_ID);
    dtls_engine_feed(to, now, datagram, n);
    moved++;
  }
  return moved;
}

/* Pumps both ways until both ends are connected (1) or 20 rounds have passed (0). */
static inline int test_handshake(dtls_engine *cl, dtls_engine *sv, double now) {
  for (int round = 0; round < 20; round++) {
    dtls_engine_on_timer(cl, now);
    test_pump(cl, sv, now, 1);
    test_pump(sv, cl, now, 0);
    if (dtls_engine_state(cl) == DTLS_STATE_CONNECTED && dtls_engine_state(sv) == DTLS_STATE_CONNECTED) return 1;
  }
  return 0;
}

#endif
