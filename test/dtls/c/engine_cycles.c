/*
 * Drives N create/handshake/data/close cycles of two in-memory engines (client and server,
 * PSK and, when PEM files are given, certificate mode). Run under valgrind by
 * test/dtls/engine-memory.test.ts; exits nonzero on any protocol failure.
 * Usage: engine_cycles <psk-cycles> [<x509-cycles> cert.pem key.pem ca.pem]
 *        engine_cycles records <n>   one PSK session, then n records each way (the test
 *                                    compares heap allocation counts for different n)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dtls_engine.h"

static uint8_t buf[20000];

static int shuttle(dtls_engine *from, dtls_engine *to, double now, int server_side) {
  int moved = 0;
  size_t n;
  while ((n = dtls_engine_take_outgoing(from, buf, sizeof buf)) > 0 && n != (size_t)-1) {
    if (server_side) dtls_engine_set_client_id(to, (const uint8_t *)"\x7f\x00\x00\x01\x16\x34", 6);
    dtls_engine_feed(to, now, buf, n);
    moved++;
  }
  return moved;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  static char tmp[8192];
  *len = fread(tmp, 1, sizeof tmp, f);
  fclose(f);
  char *p = malloc(*len);
  if (p) memcpy(p, tmp, *len);
  return p;
}

static int records = 0; /* extra records each way per cycle */

static int cycle(const dtls_config *cc, const dtls_config *sc, int i) {
  dtls_error err;
  double now = 1000.0 * i;
  dtls_engine *c = dtls_engine_create(cc, now, &err);
  dtls_engine *s = dtls_engine_create(sc, now, &err);
  if (!c || !s) { fprintf(stderr, "create failed: %s\n", dtls_error_name(err)); return 1; }
  dtls_engine_on_timer(c, now);
  for (int round = 0; round < 20; round++) {
    int moved = shuttle(c, s, now, 1) + shuttle(s, c, now, 0);
    if (!moved) break;
  }
  if (dtls_engine_state(c) != DTLS_STATE_CONNECTED || dtls_engine_state(s) != DTLS_STATE_CONNECTED) {
    fprintf(stderr, "cycle %d: client %s/%s server %s/%s\n", i, dtls_state_name(dtls_engine_state(c)),
            dtls_error_name(dtls_engine_error(c)), dtls_state_name(dtls_engine_state(s)),
            dtls_error_name(dtls_engine_error(s)));
    return 1;
  }
  static const uint8_t msg[] = "hello over dtls";
  if (dtls_engine_write(c, now, msg, sizeof msg) != DTLS_ERR_NONE) return 1;
  shuttle(c, s, now, 0);
  uint8_t got[64];
  if (dtls_engine_read(s, got, sizeof got) != sizeof msg || memcmp(got, msg, sizeof msg) != 0) return 1;
  for (int r = 0; r < records; r++) {
    if (dtls_engine_write(c, now, msg, sizeof msg) != DTLS_ERR_NONE) return 1;
    shuttle(c, s, now, 0);
    if (dtls_engine_read(s, got, sizeof got) != sizeof msg) return 1;
    if (dtls_engine_write(s, now, got, sizeof msg) != DTLS_ERR_NONE) return 1;
    shuttle(s, c, now, 0);
    if (dtls_engine_read(c, got, sizeof got) != sizeof msg || memcmp(got, msg, sizeof msg) != 0) return 1;
  }
  dtls_engine_close(c, now);
  shuttle(c, s, now, 0);
  if (dtls_engine_state(s) != DTLS_STATE_CLOSED || dtls_engine_error(s) != DTLS_ERR_PEER_CLOSED) return 1;
  dtls_engine_free(c);
  dtls_engine_free(s);
  return 0;
}

int main(int argc, char **argv) {
  int cycles = argc > 1 ? atoi(argv[1]) : 10;
  if (argc > 2 && strcmp(argv[1], "records") == 0) {
    records = atoi(argv[2]);
    cycles = 1;
  }
  dtls_config cc, sc;
  memset(&cc, 0, sizeof cc);
  cc.role = DTLS_ROLE_CLIENT;
  cc.mode = DTLS_MODE_PSK;
  cc.psk = (const uint8_t *)"secretPSK";
  cc.psk_len = 9;
  cc.psk_identity = (const uint8_t *)"Client_identity";
  cc.psk_identity_len = 15;
  sc = cc;
  sc.role = DTLS_ROLE_SERVER;
  for (int i = 0; i < cycles; i++)
    if (cycle(&cc, &sc, i)) { fprintf(stderr, "psk cycle %d failed\n", i); return 2; }
  if (argc > 5) {
    size_t cl, kl, al;
    char *cert = slurp(argv[3], &cl), *key = slurp(argv[4], &kl), *ca = slurp(argv[5], &al);
    if (!cert || !key || !ca) return 3;
    memset(&cc, 0, sizeof cc);
    cc.role = DTLS_ROLE_CLIENT;
    cc.mode = DTLS_MODE_X509;
    cc.cert_pem = (const uint8_t *)cert; cc.cert_pem_len = cl;
    cc.key_pem = (const uint8_t *)key; cc.key_pem_len = kl;
    cc.ca_pem = (const uint8_t *)ca; cc.ca_pem_len = al;
    cc.verify_peer = 1;
    sc = cc;
    sc.role = DTLS_ROLE_SERVER;
    int xcycles = atoi(argv[2]);
    for (int i = 0; i < xcycles; i++)
      if (cycle(&cc, &sc, i)) { fprintf(stderr, "x509 cycle %d failed\n", i); return 2; }
    free(cert); free(key); free(ca);
  }
  dtls_engine_global_teardown(); /* PSA's global state, so valgrind sees nothing left */
  printf("ok %d psk cycles%s\n", cycles, argc > 5 ? " + x509 cycles" : "");
  return 0;
}
