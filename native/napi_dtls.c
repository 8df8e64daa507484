/*
 * napi_dtls.c: Node N-API glue for dtls_engine (host-sim/dtls-napi.ts is its only caller).
 * Each engine is an External whose finalizer frees it if JS never called free(). All logic
 * stays in the engine (native/dtls_*.c); this file only converts arguments.
 *
 * The board: create() may be given a Float64Array of DTLS_BOARD_SLOTS, into which every call
 * that can change the engine publishes what JS would otherwise ask for with one call each
 * (status, sizes of the next datagram and record, next deadline). A record then costs JS two
 * crossings (feed + read, write + takeOutgoing) instead of eight: N-API calls dominate the
 * engine's own work for small records.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <node_api.h>

#include "dtls_engine.h"
#include "mbedtls_version.h"

/* Board slots, in the order host-sim/dtls-napi.ts reads them. */
enum { BOARD_STATUS, BOARD_OUTGOING, BOARD_READ, BOARD_DEADLINE, DTLS_BOARD_SLOTS };

/* Holders not yet finalized and engines not yet freed, process-wide (worker threads share
 * them): liveCounts() lets a test see that a dropped engine really goes. */
static long live_holders, live_engines;

typedef struct {
  dtls_engine *e;
  double *board;      /* NULL when create() got none */
  napi_ref board_ref; /* keeps the board's ArrayBuffer alive as long as the engine */
} holder;

/* status = state*16 + error (as status() returns it); deadline NaN when none. */
static void publish(holder *h) {
  if (h->board == NULL || h->e == NULL) return;
  double d;
  h->board[BOARD_STATUS] = (double)(dtls_engine_state(h->e) * 16 + dtls_engine_error(h->e));
  h->board[BOARD_OUTGOING] = (double)dtls_engine_outgoing_size(h->e);
  h->board[BOARD_READ] = (double)dtls_engine_read_size(h->e);
  h->board[BOARD_DEADLINE] = dtls_engine_next_deadline(h->e, &d) ? d : NAN;
}

#define CHECK(call)                                          \
  do {                                                       \
    if ((call) != napi_ok) {                                 \
      napi_throw_error(env, NULL, "dtls_napi: " #call);      \
      return NULL;                                           \
    }                                                        \
  } while (0)

static napi_value undefined(napi_env env) {
  napi_value v;
  napi_get_undefined(env, &v);
  return v;
}

static napi_value number(napi_env env, double d) {
  napi_value v;
  napi_create_double(env, d, &v);
  return v;
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  holder *h = (holder *)data;
  if (h->e != NULL) __atomic_fetch_sub(&live_engines, 1, __ATOMIC_RELAXED);
  __atomic_fetch_sub(&live_holders, 1, __ATOMIC_RELAXED);
  dtls_engine_free(h->e);
  if (h->board_ref != NULL) napi_delete_reference(env, h->board_ref);
  free(h);
}

/* Fetches the holder of a live engine from args[0]; throws when freed. */
static holder *engine_arg(napi_env env, napi_value v) {
  holder *h = NULL;
  if (napi_get_value_external(env, v, (void **)&h) != napi_ok || h == NULL) {
    napi_throw_type_error(env, NULL, "not a DTLS engine");
    return NULL;
  }
  if (h->e == NULL) {
    napi_throw_error(env, NULL, "DTLS engine freed");
    return NULL;
  }
  return h;
}

static int bytes_arg(napi_env env, napi_value v, const uint8_t **ptr, size_t *len) {
  napi_valuetype t;
  *ptr = NULL;
  *len = 0;
  if (napi_typeof(env, v, &t) != napi_ok) return 0;
  if (t == napi_undefined || t == napi_null) return 1;
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  if (!is_ta) return 0;
  napi_typedarray_type type;
  size_t length, offset;
  void *data;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok) return 0;
  if (type != napi_uint8_array) return 0;
  *ptr = (const uint8_t *)data;
  *len = length;
  return 1;
}

/* The next queued datagram or record, popped straight into a new Uint8Array of its exact
 * size (no static scratch buffer: worker_threads each load this addon into one process), or
 * undefined when the queue is empty. */
static napi_value take_into_uint8array(napi_env env, holder *h, size_t (*size_of)(const dtls_engine *),
                                       size_t (*take)(dtls_engine *, uint8_t *, size_t)) {
  dtls_engine *e = h->e;
  size_t len = size_of(e);
  if (len == 0) return undefined(env);
  napi_value ab, ta;
  void *dst;
  CHECK(napi_create_arraybuffer(env, len, &dst, &ab));
  if (take(e, (uint8_t *)dst, len) != len) {
    napi_throw_error(env, NULL, "dtls_napi: queue entry changed size");
    return NULL;
  }
  publish(h);
  CHECK(napi_create_typedarray(env, napi_uint8_array, len, ab, 0, &ta));
  return ta;
}

/* A handshake timeout in ms: an integer 0 .. 2^32-1 (0 selects the engine default). Read as
 * a double so a negative or huge value is refused instead of wrapping. */
static int timeout_arg(napi_env env, napi_value v, uint32_t *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    napi_throw_type_error(env, NULL, "handshake timeout must be a number");
    return 0;
  }
  if (!(d >= 0 && d <= 4294967295.0) || d != (double)(uint32_t)d) {
    napi_throw_range_error(env, NULL, "invalid timeout");
    return 0;
  }
  *out = (uint32_t)d;
  return 1;
}

/* The board: undefined/null for none, else a Float64Array of exactly DTLS_BOARD_SLOTS. Its
 * data pointer stays valid while the reference create() takes keeps the ArrayBuffer alive
 * (N-API hands out an off-heap backing store, which V8 never moves). */
static int board_arg(napi_env env, napi_value v, double **out) {
  napi_valuetype t;
  *out = NULL;
  if (napi_typeof(env, v, &t) != napi_ok) return 0;
  if (t == napi_undefined || t == napi_null) return 1;
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return 0;
  napi_typedarray_type type;
  size_t length, offset;
  void *data;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok) return 0;
  if (type != napi_float64_array || length != DTLS_BOARD_SLOTS) return 0;
  *out = (double *)data;
  return 1;
}

/* create(role, mode, a, b, c, verifyPeer, minMs, maxMs, now[, board]): PSK a=key b=identity;
 * X.509 a=cert b=key c=ca; now is the caller's clock (ms), the origin of the first
 * retransmission deadline; board an optional Float64Array of DTLS_BOARD_SLOTS (see the top).
 * Returns the External; a failure throws Error(<dtls_error_name>) as the xsmc glue does
 * ("InvalidInput" for unusable credentials). */
static napi_value js_create(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 9) {
    napi_throw_type_error(env, NULL, "create needs 9 arguments");
    return NULL;
  }
  int32_t role, mode;
  uint32_t min_ms, max_ms;
  bool verify;
  double now;
  CHECK(napi_get_value_int32(env, argv[0], &role));
  CHECK(napi_get_value_int32(env, argv[1], &mode));
  CHECK(napi_get_value_bool(env, argv[5], &verify));
  if (!timeout_arg(env, argv[6], &min_ms) || !timeout_arg(env, argv[7], &max_ms)) return NULL;
  if (napi_get_value_double(env, argv[8], &now) != napi_ok || now != now) {
    napi_throw_type_error(env, NULL, "now must be a number");
    return NULL;
  }
  const uint8_t *a, *b, *c;
  size_t al, bl, cl;
  if (!bytes_arg(env, argv[2], &a, &al) || !bytes_arg(env, argv[3], &b, &bl) || !bytes_arg(env, argv[4], &c, &cl)) {
    napi_throw_type_error(env, NULL, "credentials must be Uint8Array");
    return NULL;
  }
  double *board = NULL;
  if (argc >= 10 && !board_arg(env, argv[9], &board)) {
    napi_throw_type_error(env, NULL, "board must be a Float64Array of 4");
    return NULL;
  }
  dtls_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.role = role == 1 ? DTLS_ROLE_SERVER : DTLS_ROLE_CLIENT;
  cfg.mode = mode == 1 ? DTLS_MODE_X509 : DTLS_MODE_PSK;
  if (cfg.mode == DTLS_MODE_PSK) {
    cfg.psk = a;
    cfg.psk_len = al;
    cfg.psk_identity = b;
    cfg.psk_identity_len = bl;
  } else {
    cfg.cert_pem = a;
    cfg.cert_pem_len = al;
    cfg.key_pem = b;
    cfg.key_pem_len = bl;
    cfg.ca_pem = c;
    cfg.ca_pem_len = cl;
    cfg.verify_peer = verify;
  }
  cfg.hs_timeout_min_ms = min_ms;
  cfg.hs_timeout_max_ms = max_ms;
  dtls_error err = DTLS_ERR_NONE;
  dtls_engine *e = dtls_engine_create(&cfg, now, &err);
  if (e == NULL) {
    napi_throw_error(env, NULL, dtls_error_name(err != DTLS_ERR_NONE ? err : DTLS_ERR_INTERNAL));
    return NULL;
  }
  holder *h = (holder *)malloc(sizeof(holder));
  if (h == NULL) {
    dtls_engine_free(e);
    napi_throw_error(env, NULL, dtls_error_name(DTLS_ERR_OUT_OF_MEMORY));
    return NULL;
  }
  h->e = e;
  h->board = NULL;
  h->board_ref = NULL;
  if (board != NULL && napi_create_reference(env, argv[9], 1, &h->board_ref) != napi_ok) {
    dtls_engine_free(e);
    free(h);
    napi_throw_error(env, NULL, "dtls_napi: cannot hold the board");
    return NULL;
  }
  h->board = board;
  napi_value ext;
  if (napi_create_external(env, h, finalize, NULL, &ext) != napi_ok) {
    if (h->board_ref != NULL) napi_delete_reference(env, h->board_ref);
    dtls_engine_free(e);
    free(h);
    napi_throw_error(env, NULL, "dtls_napi: cannot wrap engine");
    return NULL;
  }
  __atomic_fetch_add(&live_holders, 1, __ATOMIC_RELAXED);
  __atomic_fetch_add(&live_engines, 1, __ATOMIC_RELAXED);
  publish(h);
  return ext;
}

#define ARGS(n)                                                \
  size_t argc = n;                                             \
  napi_value argv[n];                                          \
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL)); \
  if (argc < n) {                                              \
    napi_throw_type_error(env, NULL, "missing argument");      \
    return NULL;                                               \
  }                                                            \
  holder *h = engine_arg(env, argv[0]);                        \
  if (h == NULL) return NULL;                                  \
  dtls_engine *e = h->e;

static napi_value js_set_client_id(napi_env env, napi_callback_info info) {
  ARGS(2);
  const uint8_t *p;
  size_t n;
  if (!bytes_arg(env, argv[1], &p, &n)) {
    napi_throw_type_error(env, NULL, "client id must be Uint8Array");
    return NULL;
  }
  dtls_error r = dtls_engine_set_client_id(e, p, n);
  publish(h);
  return number(env, (double)r);
}

/* (engine, now, bytes) -> dtls_error: feed() and write() take the same arguments. */
typedef dtls_error (*timed_bytes_fn)(dtls_engine *e, double now_ms, const uint8_t *data, size_t len);

static napi_value timed_bytes(napi_env env, napi_callback_info info, timed_bytes_fn fn, const char *type_error) {
  ARGS(3);
  double now;
  CHECK(napi_get_value_double(env, argv[1], &now));
  const uint8_t *p;
  size_t n;
  if (!bytes_arg(env, argv[2], &p, &n)) {
    napi_throw_type_error(env, NULL, type_error);
    return NULL;
  }
  dtls_error r = fn(e, now, p, n);
  publish(h);
  return number(env, (double)r);
}

static napi_value js_feed(napi_env env, napi_callback_info info) {
  return timed_bytes(env, info, dtls_engine_feed, "datagram must be Uint8Array");
}

static napi_value js_write(napi_env env, napi_callback_info info) {
  return timed_bytes(env, info, dtls_engine_write, "data must be Uint8Array");
}

static napi_value js_take_outgoing(napi_env env, napi_callback_info info) {
  ARGS(1);
  (void)e;
  return take_into_uint8array(env, h, dtls_engine_outgoing_size, dtls_engine_take_outgoing);
}

static napi_value js_read(napi_env env, napi_callback_info info) {
  ARGS(1);
  (void)e;
  return take_into_uint8array(env, h, dtls_engine_read_size, dtls_engine_read);
}

/* (engine, dst) -> size: the next queued datagram or record copied into dst, a Uint8Array the
 * caller sized from the board (BOARD_OUTGOING / BOARD_READ); 0 when the queue is empty.
 * The host cuts dst from a slab: a new ArrayBuffer per datagram costs V8 an off-heap
 * allocation of 1-2 us on some machines, as much as the record's crypto. */
static napi_value take_into(napi_env env, napi_callback_info info, size_t (*size_of)(const dtls_engine *),
                            size_t (*take)(dtls_engine *, uint8_t *, size_t)) {
  ARGS(2);
  size_t len = size_of(e);
  if (len == 0) return number(env, 0);
  bool is_ta = false;
  if (napi_is_typedarray(env, argv[1], &is_ta) != napi_ok || !is_ta) {
    napi_throw_type_error(env, NULL, "destination must be Uint8Array");
    return NULL;
  }
  napi_typedarray_type type;
  size_t room, offset;
  void *dst;
  napi_value ab;
  CHECK(napi_get_typedarray_info(env, argv[1], &type, &room, &dst, &ab, &offset));
  if (type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "destination must be Uint8Array");
    return NULL;
  }
  if (room < len) {
    napi_throw_range_error(env, NULL, "destination too small");
    return NULL;
  }
  if (take(e, (uint8_t *)dst, len) != len) {
    napi_throw_error(env, NULL, "dtls_napi: queue entry changed size");
    return NULL;
  }
  publish(h);
  return number(env, (double)len);
}

static napi_value js_take_outgoing_into(napi_env env, napi_callback_info info) {
  return take_into(env, info, dtls_engine_outgoing_size, dtls_engine_take_outgoing);
}

static napi_value js_read_into(napi_env env, napi_callback_info info) {
  return take_into(env, info, dtls_engine_read_size, dtls_engine_read);
}

/* (engine, now) -> undefined: on_timer() and close() take the same arguments. */
static napi_value timed_void(napi_env env, napi_callback_info info, void (*fn)(dtls_engine *e, double now_ms)) {
  ARGS(2);
  double now;
  CHECK(napi_get_value_double(env, argv[1], &now));
  fn(e, now);
  publish(h);
  return undefined(env);
}

static napi_value js_on_timer(napi_env env, napi_callback_info info) {
  return timed_void(env, info, dtls_engine_on_timer);
}

static napi_value js_next_deadline(napi_env env, napi_callback_info info) {
  ARGS(1);
  double d;
  if (!dtls_engine_next_deadline(e, &d)) return undefined(env);
  return number(env, d);
}

/* status(e) -> state*16 + error, so the hot path costs one call */
static napi_value js_status(napi_env env, napi_callback_info info) {
  ARGS(1);
  return number(env, (double)(dtls_engine_state(e) * 16 + dtls_engine_error(e)));
}

static napi_value js_cipher_suite(napi_env env, napi_callback_info info) {
  ARGS(1);
  return number(env, (double)dtls_engine_cipher_suite(e));
}

static napi_value js_max_payload(napi_env env, napi_callback_info info) {
  ARGS(1);
  return number(env, (double)dtls_engine_max_record_payload(e));
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  return timed_void(env, info, dtls_engine_close);
}

static napi_value js_key_log(napi_env env, napi_callback_info info) {
  ARGS(1);
  char line[256];
  size_t n = dtls_engine_key_log(e, line, sizeof line);
  if (n == 0 || n >= sizeof line) return undefined(env);
  napi_value s;
  CHECK(napi_create_string_utf8(env, line, n, &s));
  return s;
}

/* free(e): repeatable; does not go through ARGS, which throws on a freed engine. */
static napi_value js_free(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  holder *h = NULL;
  if (argc < 1 || napi_get_value_external(env, argv[0], (void **)&h) != napi_ok || h == NULL) {
    napi_throw_type_error(env, NULL, "not a DTLS engine");
    return NULL;
  }
  if (h->e != NULL) __atomic_fetch_sub(&live_engines, 1, __ATOMIC_RELAXED);
  dtls_engine_free(h->e);
  h->e = NULL;
  return undefined(env);
}

/* mbedtlsVersion(): "Mbed TLS 2.28.3", from native/mbedtls_version.h (the device prints the same). */
static napi_value js_mbedtls_version(napi_env env, napi_callback_info info) {
  (void)info;
  char text[MBEDTLS_VERSION_TEXT_MAX];
  napi_value v;
  mbedtls_version_describe(text, sizeof text);
  CHECK(napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &v));
  return v;
}

/* liveCounts() -> [holders, engines]: a test hook, see live_holders. */
static napi_value js_live_counts(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value arr;
  CHECK(napi_create_array_with_length(env, 2, &arr));
  CHECK(napi_set_element(env, arr, 0, number(env, (double)__atomic_load_n(&live_holders, __ATOMIC_RELAXED))));
  CHECK(napi_set_element(env, arr, 1, number(env, (double)__atomic_load_n(&live_engines, __ATOMIC_RELAXED))));
  return arr;
}

static napi_value init(napi_env env, napi_value exports) {
  static const struct {
    const char *name;
    napi_callback fn;
  } fns[] = {
      {"create", js_create},         {"setClientId", js_set_client_id}, {"feed", js_feed},
      {"write", js_write},           {"takeOutgoing", js_take_outgoing}, {"read", js_read},
      {"takeOutgoingInto", js_take_outgoing_into}, {"readInto", js_read_into},
      {"onTimer", js_on_timer},      {"nextDeadline", js_next_deadline}, {"status", js_status},
      {"cipherSuite", js_cipher_suite}, {"maxPayload", js_max_payload}, {"close", js_close},
      {"keyLog", js_key_log},        {"free", js_free},
      {"mbedtlsVersion", js_mbedtls_version}, {"liveCounts", js_live_counts},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    CHECK(napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f));
    CHECK(napi_set_named_property(env, exports, fns[i].name, f));
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
