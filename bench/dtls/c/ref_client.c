/*
 * C reference client for bench/dtls: the same dtls_engine, driven by a plain poll() loop over
 * a UDP socket, so the Node-hosted figures can be compared with native ones in the same run.
 *   ref_client handshake <port> <count>   median PSK handshake time (us), new socket each time
 *   ref_client gets <port> <count>        sequential CON GET /time in one session: GETs/s
 * PSK secretPSK / Client_identity against 127.0.0.1.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "dtls_engine.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint8_t buf[20000];

static void flush(dtls_engine *e, int fd) {
  size_t n;
  while ((n = dtls_engine_take_outgoing(e, buf, sizeof buf)) > 0 && n != (size_t)-1) {
    if (send(fd, buf, n, 0) < 0) perror("send");
  }
}

/* Runs the engine until cond(e) or failure; returns 0 when cond met. */
static int pump(dtls_engine *e, int fd, int (*cond)(dtls_engine *)) {
  while (!cond(e)) {
    dtls_state st = dtls_engine_state(e);
    if (st == DTLS_STATE_FAILED || st == DTLS_STATE_CLOSED) return -1;
    double deadline;
    int timeout = 10000;
    if (dtls_engine_next_deadline(e, &deadline)) {
      double d = deadline - now_ms();
      timeout = d <= 0 ? 0 : (int)d + 1;
    }
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, timeout);
    if (r > 0) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n > 0) dtls_engine_feed(e, now_ms(), buf, (size_t)n);
    } else {
      dtls_engine_on_timer(e, now_ms());
    }
    flush(e, fd);
  }
  return 0;
}

static int is_connected(dtls_engine *e) { return dtls_engine_state(e) == DTLS_STATE_CONNECTED; }
static int has_data(dtls_engine *e) { return dtls_engine_read_size(e) > 0; }

static double started_at;

static dtls_engine *connect_engine(int port, int *fd_out) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); exit(1); }
  dtls_config c;
  memset(&c, 0, sizeof c);
  c.role = DTLS_ROLE_CLIENT;
  c.mode = DTLS_MODE_PSK;
  c.psk = (const uint8_t *)"secretPSK";
  c.psk_len = 9;
  c.psk_identity = (const uint8_t *)"Client_identity";
  c.psk_identity_len = 15;
  dtls_error err;
  started_at = now_ms(); /* the socket is ready: the handshake clock starts here */
  dtls_engine *e = dtls_engine_create(&c, now_ms(), &err);
  if (!e) { fprintf(stderr, "create: %s\n", dtls_error_name(err)); exit(1); }
  dtls_engine_on_timer(e, now_ms());
  flush(e, fd);
  if (pump(e, fd, is_connected) != 0) { fprintf(stderr, "handshake: %s\n", dtls_error_name(dtls_engine_error(e))); exit(1); }
  *fd_out = fd;
  return e;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: ref_client handshake|gets <port> <count>\n"); return 2; }
  int port = atoi(argv[2]), count = atoi(argv[3]);
  if (strcmp(argv[1], "handshake") == 0) {
    double *t = malloc(sizeof(double) * (size_t)count);
    for (int i = 0; i < count; i++) {
      int fd;
      dtls_engine *e = connect_engine(port, &fd);
      t[i] = now_ms() - started_at;
      dtls_engine_close(e, now_ms());
      flush(e, fd);
      dtls_engine_free(e);
      close(fd);
    }
    qsort(t, (size_t)count, sizeof(double), cmp);
    printf("%.1f\n", t[count / 2] * 1000.0);
    free(t);
    dtls_engine_global_teardown();
    return 0;
  }
  int fd;
  dtls_engine *e = connect_engine(port, &fd);
  uint8_t req[] = {0x42, 0x01, 0, 0, 0xbe, 0xef, 0xb4, 't', 'i', 'm', 'e'};
  uint8_t res[2048];
  double t0 = now_ms();
  for (int i = 0; i < count; i++) {
    req[2] = (uint8_t)(i >> 8);
    req[3] = (uint8_t)i;
    if (dtls_engine_write(e, now_ms(), req, sizeof req) != DTLS_ERR_NONE) { fprintf(stderr, "write failed\n"); return 1; }
    flush(e, fd);
    if (pump(e, fd, has_data) != 0) { fprintf(stderr, "lost session\n"); return 1; }
    size_t n = dtls_engine_read(e, res, sizeof res);
    if (n < 4 || res[1] != 0x45 || res[2] != req[2] || res[3] != req[3]) { fprintf(stderr, "bad response\n"); return 1; }
  }
  double secs = (now_ms() - t0) / 1000.0;
  printf("%.0f\n", count / secs);
  dtls_engine_close(e, now_ms());
  flush(e, fd);
  dtls_engine_free(e);
  close(fd);
  dtls_engine_global_teardown();
  return 0;
}
