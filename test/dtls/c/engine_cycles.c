/*
 * Drives N create/handshake/data/close cycles of two in-memory engines (client and server,
 * PSK and, when PEM files are given, certificate mode). Run under valgrind by
 * test/dtls/engine-memory.test.ts; exits nonzero on any protocol failure.
 * Usage: engine_cycles <psk-cycles> [<x509-cycles> cert.pem key.pem ca.pem]
 *        engine_cycles records <n>   one PSK session, then n records each way (the test
 *                                    compares heap allocation counts for different n)
 */
#include "common.h"

static int records = 0; /* extra records each way per cycle */

static int cycle(const dtls_config *cc, const dtls_config *sc, int i) {
  dtls_error err;
  double now = 1000.0 * i;
  dtls_engine *c = dtls_engine_create(cc, now, &err);
  dtls_engine *s = dtls_engine_create(sc, now, &err);
  if (!c || !s) { fprintf(stderr, "create failed: %s\n", dtls_error_name(err)); return 1; }
  if (!test_handshake(c, s, now)) {
    fprintf(stderr, "cycle %d: client %s/%s server %s/%s\n", i, dtls_state_name(dtls_engine_state(c)),
            dtls_error_name(dtls_engine_error(c)), dtls_state_name(dtls_engine_state(s)),
            dtls_error_name(dtls_engine_error(s)));
    return 1;
  }
  static const uint8_t msg[] = "hello over dtls";
  if (dtls_engine_write(c, now, msg, sizeof msg) != DTLS_ERR_NONE) return 1;
  test_pump(c, s, now, 0);
  uint8_t got[64];
  if (dtls_engine_read(s, got, sizeof got) != sizeof msg || memcmp(got, msg, sizeof msg) != 0) return 1;
  for (int r = 0; r < records; r++) {
    if (dtls_engine_write(c, now, msg, sizeof msg) != DTLS_ERR_NONE) return 1;
    test_pump(c, s, now, 0);
    if (dtls_engine_read(s, got, sizeof got) != sizeof msg) return 1;
    if (dtls_engine_write(s, now, got, sizeof msg) != DTLS_ERR_NONE) return 1;
    test_pump(s, c, now, 0);
    if (dtls_engine_read(c, got, sizeof got) != sizeof msg || memcmp(got, msg, sizeof msg) != 0) return 1;
  }
  dtls_engine_close(c, now);
  test_pump(c, s, now, 0);
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
  dtls_config cc = test_psk_config(DTLS_ROLE_CLIENT), sc = test_psk_config(DTLS_ROLE_SERVER);
  for (int i = 0; i < cycles; i++)
    if (cycle(&cc, &sc, i)) { fprintf(stderr, "psk cycle %d failed\n", i); return 2; }
  if (argc > 5) {
    int readable = test_x509_config(&cc, DTLS_ROLE_CLIENT, argv[3], argv[4], argv[5], 1);
    readable &= test_x509_config(&sc, DTLS_ROLE_SERVER, argv[3], argv[4], argv[5], 1);
    int rc = readable ? 0 : 3, xcycles = atoi(argv[2]);
    for (int i = 0; rc == 0 && i < xcycles; i++)
      if (cycle(&cc, &sc, i)) { fprintf(stderr, "x509 cycle %d failed\n", i); rc = 2; }
    test_free_x509_config(&cc);
    test_free_x509_config(&sc);
    if (rc) return rc;
  }
  dtls_engine_global_teardown(); /* PSA's global state, so valgrind sees nothing left */
  printf("ok %d psk cycles%s\n", cycles, argc > 5 ? " + x509 cycles" : "");
  return 0;
}
