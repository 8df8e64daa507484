/*
 * Engine contract checks, one per mode; run (under valgrind) by test/dtls/engine-defects.test.ts.
 * Each mode prints "ok <mode>" and exits 0, or prints what it saw and exits 1.
 * Usage: engine_defects <mode> [files...]
 *   reconnect              a connected server ignores an epoch-0 ClientHello behind a junk record
 *   mismatch cert key ca   create refuses a certificate whose key is another one
 *   hello-at-create        a client's ClientHello is queued by create
 *   rx-full                feed never drops a datagram silently when the read queue is full
 *   tx-full                write never reports success for a record it could not queue
 *   close-full             close with a full send queue leaves a trace in error()
 *   forged-hello cert key ca  an x509 ClientHello to a PSK server: cookie-less ones get a
 *                          HelloVerifyRequest and change nothing; the cookie-bearing one of
 *                          the real peer fails both sides with HandshakeFailure
 */
#include "common.h"

static uint8_t buf[20000];

static int fail_with(const char *what) {
  printf("FAIL %s\n", what);
  return 1;
}

static int connect_pair(dtls_engine **cl, dtls_engine **sv) {
  dtls_config c = test_psk_config(DTLS_ROLE_CLIENT), s = test_psk_config(DTLS_ROLE_SERVER);
  dtls_error err;
  *cl = dtls_engine_create(&c, 0, &err);
  *sv = dtls_engine_create(&s, 0, &err);
  return *cl && *sv && test_handshake(*cl, *sv, 0);
}

static int reconnect(void) {
  dtls_engine *cl, *sv;
  if (!connect_pair(&cl, &sv)) return fail_with("no connection");
  dtls_config c = test_psk_config(DTLS_ROLE_CLIENT);
  dtls_error err;
  dtls_engine *c2 = dtls_engine_create(&c, 0, &err);
  dtls_engine_on_timer(c2, 0);
  static uint8_t hello[4000], wrapped[4100];
  size_t n = dtls_engine_take_outgoing(c2, hello, sizeof hello);
  /* An epoch-5 application_data record of one byte, then the ClientHello. */
  static const uint8_t junk[14] = {23, 0xfe, 0xfd, 0, 5, 0, 0, 0, 0, 0, 1, 0, 1, 0};
  memcpy(wrapped, junk, sizeof junk);
  memcpy(wrapped + sizeof junk, hello, n);
  int rc = 0;
  dtls_engine_feed(sv, 1, hello, n);
  if (dtls_engine_outgoing_size(sv) != 0) rc = fail_with("plain ClientHello answered");
  dtls_engine_feed(sv, 1, wrapped, n + sizeof junk);
  if (!rc && dtls_engine_outgoing_size(sv) != 0) rc = fail_with("ClientHello behind a junk record answered");
  if (!rc && dtls_engine_state(sv) != DTLS_STATE_CONNECTED) rc = fail_with("session lost");
  /* The session still carries data both ways. */
  if (!rc && (dtls_engine_write(cl, 2, (const uint8_t *)"ping", 4) != DTLS_ERR_NONE)) rc = fail_with("write");
  if (!rc) {
    test_pump(cl, sv, 2, 0);
    if (dtls_engine_read(sv, buf, sizeof buf) != 4 || memcmp(buf, "ping", 4) != 0) rc = fail_with("record lost");
  }
  dtls_engine_free(cl);
  dtls_engine_free(sv);
  dtls_engine_free(c2);
  return rc;
}

static int mismatch(char **files) {
  dtls_config x;
  if (!test_x509_config(&x, DTLS_ROLE_SERVER, files[0], files[1], files[2], 0)) {
    test_free_x509_config(&x);
    return fail_with("cannot read credentials");
  }
  dtls_error err = DTLS_ERR_NONE;
  dtls_engine *e = dtls_engine_create(&x, 0, &err);
  int rc = 0;
  if (e != NULL || err != DTLS_ERR_INVALID_INPUT) {
    printf("FAIL create gave %s, error %s\n", e ? "an engine" : "NULL", dtls_error_name(err));
    rc = 1;
  }
  dtls_engine_free(e);
  test_free_x509_config(&x);
  return rc;
}

/* The datagram's first record type and, for a handshake record, its message type. */
static int kind(size_t n, int *hs_type) {
  *hs_type = n > 13 ? buf[13] : -1;
  return n >= 13 && n != (size_t)-1 ? buf[0] : -1;
}

static int forged_hello(char **files) {
  dtls_config x;
  if (!test_x509_config(&x, DTLS_ROLE_CLIENT, files[0], files[1], files[2], 1)) {
    test_free_x509_config(&x);
    return fail_with("cannot read credentials");
  }
  dtls_config s = test_psk_config(DTLS_ROLE_SERVER);
  dtls_error err;
  dtls_engine *cli = dtls_engine_create(&x, 1000000, &err), *sv = dtls_engine_create(&s, 1000000, &err);
  static uint8_t hello[4000];
  int rc = 0, hs;
  size_t hn = cli && sv ? dtls_engine_take_outgoing(cli, hello, sizeof hello) : 0;
  if (hn == 0 || hn == (size_t)-1) rc = fail_with("no engines or no ClientHello");
  /* From three forged ids: a HelloVerifyRequest each, nothing else, still listening. */
  for (uint8_t i = 0; !rc && i < 3; i++) {
    const uint8_t forged[6] = {10, 0, 0, i, 0x16, 0x34};
    dtls_engine_set_client_id(sv, forged, sizeof forged);
    dtls_engine_feed(sv, 1000001, hello, hn);
    size_t n = dtls_engine_take_outgoing(sv, buf, sizeof buf);
    if (kind(n, &hs) != 22 || hs != 3 || dtls_engine_outgoing_size(sv) != 0) rc = fail_with("forged hello not answered by one HelloVerifyRequest");
    else if (dtls_engine_state(sv) != DTLS_STATE_LISTENING) rc = fail_with("forged hello ended the listen");
  }
  /* The real peer: its HelloVerifyRequest, its cookie-bearing hello, the failure. */
  if (!rc) {
    dtls_engine_set_client_id(sv, TEST_CLIENT_ID, sizeof TEST_CLIENT_ID);
    dtls_engine_feed(sv, 1000002, hello, hn);
    test_pump(sv, cli, 1000002, 0);
    test_pump(cli, sv, 1000002, 1);
    if (dtls_engine_state(sv) != DTLS_STATE_FAILED || dtls_engine_error(sv) != DTLS_ERR_HANDSHAKE_FAILURE) {
      printf("FAIL server after the cookie-bearing hello: %s/%s\n", dtls_state_name(dtls_engine_state(sv)), dtls_error_name(dtls_engine_error(sv)));
      rc = 1;
    }
  }
  if (!rc) {
    size_t n = dtls_engine_take_outgoing(sv, buf, sizeof buf);
    if (kind(n, &hs) != 21 || n != 15 || buf[13] != 2 || buf[14] != 40) rc = fail_with("no fatal handshake_failure alert");
    else dtls_engine_feed(cli, 1000003, buf, n);
    if (!rc && (dtls_engine_state(cli) != DTLS_STATE_FAILED || dtls_engine_error(cli) != DTLS_ERR_HANDSHAKE_FAILURE)) rc = fail_with("client did not fail");
  }
  dtls_engine_free(cli);
  dtls_engine_free(sv);
  test_free_x509_config(&x);
  return rc;
}

static int hello_at_create(void) {
  dtls_config c = test_psk_config(DTLS_ROLE_CLIENT);
  dtls_error err;
  dtls_engine *cl = dtls_engine_create(&c, 0, &err);
  if (!cl) return fail_with("create");
  int rc = 0;
  size_t n = dtls_engine_take_outgoing(cl, buf, sizeof buf);
  if (n == 0 || n == (size_t)-1 || buf[0] != 22 || buf[13] != 1) rc = fail_with("no ClientHello queued by create");
  /* An early on_timer does not send a second one. */
  dtls_engine_on_timer(cl, 0);
  if (!rc && dtls_engine_outgoing_size(cl) != 0) rc = fail_with("on_timer at once sent another flight");
  double d;
  if (!rc && (!dtls_engine_next_deadline(cl, &d) || d != 8000)) rc = fail_with("retransmission deadline not 8000 ms");
  dtls_engine_free(cl);
  return rc;
}

/* 40 records of `size` bytes fed without reading: each is either delivered later by read(),
 * in order, or refused by feed with QueueFull — never accepted and lost. */
static int rx_full(void) {
  dtls_engine *cl, *sv;
  if (!connect_pair(&cl, &sv)) return fail_with("no connection");
  static uint8_t data[1000];
  int accepted = 0, refused = 0, rc = 0;
  for (int i = 0; i < 40 && !rc; i++) {
    data[0] = (uint8_t)accepted;
    if (dtls_engine_write(cl, 1, data, sizeof data) != DTLS_ERR_NONE) rc = fail_with("write");
    size_t n = dtls_engine_take_outgoing(cl, buf, sizeof buf);
    dtls_error r = dtls_engine_feed(sv, 1, buf, n);
    if (r == DTLS_ERR_NONE) accepted++;
    else if (r == DTLS_ERR_QUEUE_FULL) refused++;
    else rc = fail_with(dtls_error_name(r));
  }
  int got = 0;
  size_t n;
  static uint8_t out[20000];
  while (!rc && (n = dtls_engine_read(sv, out, sizeof out)) != 0 && n != (size_t)-1) {
    if (out[0] != (uint8_t)got) rc = fail_with("gap in records");
    got++;
  }
  if (!rc && got != accepted) {
    printf("FAIL accepted %d, read %d\n", accepted, got);
    rc = 1;
  }
  if (!rc && refused == 0) rc = fail_with("read queue never filled (test too weak)");
  if (!rc && dtls_engine_state(sv) != DTLS_STATE_CONNECTED) rc = fail_with("server no longer connected");
  dtls_engine_free(cl);
  dtls_engine_free(sv);
  return rc;
}

/* Writes without draining: every write that returns None has its record queued. */
static int tx_full(void) {
  dtls_engine *cl, *sv;
  if (!connect_pair(&cl, &sv)) return fail_with("no connection");
  static uint8_t data[1000];
  int ok = 0, full = 0, rc = 0;
  for (int i = 0; i < 40 && !rc; i++) {
    dtls_error r = dtls_engine_write(cl, 1, data, sizeof data);
    if (r == DTLS_ERR_NONE) ok++;
    else if (r == DTLS_ERR_QUEUE_FULL) full++;
    else rc = fail_with(dtls_error_name(r));
  }
  int queued = 0;
  while (dtls_engine_take_outgoing(cl, buf, sizeof buf) > 0) queued++;
  if (!rc && queued != ok) {
    printf("FAIL %d writes returned None, %d datagrams queued\n", ok, queued);
    rc = 1;
  }
  if (!rc && full == 0) rc = fail_with("send queue never filled (test too weak)");
  if (!rc && dtls_engine_state(cl) != DTLS_STATE_CONNECTED) rc = fail_with("client no longer connected");
  if (!rc && dtls_engine_write(cl, 1, data, sizeof data) != DTLS_ERR_NONE) rc = fail_with("write after draining");
  dtls_engine_free(cl);
  dtls_engine_free(sv);
  return rc;
}

/* close() with no room for close_notify: closed, and error() says QueueFull; with room the
 * alert is queued and error() stays None. */
static int close_full(void) {
  dtls_engine *cl, *sv;
  if (!connect_pair(&cl, &sv)) return fail_with("no connection");
  static uint8_t data[1000];
  int rc = 0;
  /* Fill the send queue down to less than a 1-byte record's room. */
  for (size_t size = sizeof data; size > 0; size /= 10)
    for (int i = 0; i < 1000 && dtls_engine_write(cl, 1, data, size) == DTLS_ERR_NONE; i++) {}
  dtls_engine_close(cl, 2);
  if (dtls_engine_state(cl) != DTLS_STATE_CLOSED || dtls_engine_error(cl) != DTLS_ERR_QUEUE_FULL) {
    printf("FAIL full queue: close gave %s/%s\n", dtls_state_name(dtls_engine_state(cl)), dtls_error_name(dtls_engine_error(cl)));
    rc = 1;
  }
  dtls_engine_close(sv, 2);
  size_t n = dtls_engine_take_outgoing(sv, buf, sizeof buf);
  if (!rc && (dtls_engine_state(sv) != DTLS_STATE_CLOSED || dtls_engine_error(sv) != DTLS_ERR_NONE || n == 0 || buf[0] != 21)) {
    printf("FAIL room: close gave %s/%s, %zu bytes queued\n", dtls_state_name(dtls_engine_state(sv)), dtls_error_name(dtls_engine_error(sv)), n);
    rc = 1;
  }
  dtls_engine_free(cl);
  dtls_engine_free(sv);
  return rc;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *mode = argv[1];
  int rc;
  if (!strcmp(mode, "reconnect")) rc = reconnect();
  else if (!strcmp(mode, "mismatch") && argc == 5) rc = mismatch(argv + 2);
  else if (!strcmp(mode, "hello-at-create")) rc = hello_at_create();
  else if (!strcmp(mode, "rx-full")) rc = rx_full();
  else if (!strcmp(mode, "tx-full")) rc = tx_full();
  else if (!strcmp(mode, "close-full")) rc = close_full();
  else if (!strcmp(mode, "forged-hello") && argc == 5) rc = forged_hello(argv + 2);
  else return 2;
  if (rc == 0) printf("ok %s\n", mode);
  dtls_engine_global_teardown(); /* PSA's global state, so valgrind sees nothing left */
  return rc;
}
