/*
 * dtls_compat.h: every difference between Mbed TLS 2.28, 3.x and 4.x the engine meets, in one
 * place, so that the engine's .c files test no MBEDTLS_VERSION_MAJOR themselves.
 *
 *   random generator  2.x/3.x: a CTR_DRBG per engine over dtls_engine_set_entropy's source;
 *                     4.x: none (ctr_drbg.h is gone, PSA draws its own entropy)
 *   PSA               3.x with MBEDTLS_PSA_CRYPTO_C, and 4.x: psa_crypto_init() before use,
 *                     mbedtls_psa_crypto_free() at process teardown
 *   private members   3.x/4.x: MBEDTLS_PRIVATE(); 2.x: plain names
 *   DTLS 1.2 only     3.x/4.x: conf_{min,max}_tls_version; 2.x: conf_{min,max}_version
 *   P-256 + SHA-256   3.x/4.x: conf_groups + conf_sig_algs; 2.x: conf_curves + conf_sig_hashes
 *   key export        3.x/4.x: per context, (type, secret) callback; 2.x: per config,
 *                     (master secret, key block) callback, only with MBEDTLS_SSL_EXPORT_KEYS
 *   RNG arguments     3.x: mbedtls_pk_parse_key and mbedtls_pk_check_pair take the RNG (2.x
 *                     and 4.x do not); 2.x/3.x: mbedtls_ssl_cookie_setup takes it (4.x not)
 *   error codes       3.x folded NO_CIPHER_CHOSEN / NO_USABLE_CIPHERSUITE into
 *                     HANDSHAKE_FAILURE, and PEER_VERIFY_FAILED became BAD_CERTIFICATE
 *
 * Include it after any MBEDTLS_CONFIG_FILE / TF_PSA_CRYPTO_USER_CONFIG_FILE definition (see
 * xs_dtls_engine.c): it includes the mbedTLS headers, and they fix the structure layouts.
 */
#ifndef DTLS_COMPAT_H
#define DTLS_COMPAT_H

#include <stddef.h>

#include "mbedtls/version.h"
#include "mbedtls/ssl.h"
#include "mbedtls/ssl_cookie.h"
#include "mbedtls/ssl_ciphersuites.h"
#include "mbedtls/x509_crt.h"
#include "mbedtls/pk.h"
#include "mbedtls/error.h"
#if MBEDTLS_VERSION_MAJOR >= 4 || (MBEDTLS_VERSION_MAJOR == 3 && defined(MBEDTLS_PSA_CRYPTO_C))
/* 4.x always, and 3.x with PSA compiled in (TLS 1.3 or USE_PSA code paths), need PSA up. */
#define DTLS_COMPAT_PSA 1
#include "psa/crypto.h"
#endif
#if MBEDTLS_VERSION_MAJOR < 4
/* Mbed TLS 4 removed these headers; with 2.28 headers installed an unguarded include would
 * silently pick the old copies. */
#include "mbedtls/ctr_drbg.h"
#endif

#if MBEDTLS_VERSION_MAJOR >= 3
#define DTLS_COMPAT_PRIV(member) MBEDTLS_PRIVATE(member)
#else
#define DTLS_COMPAT_PRIV(member) member
#endif

/* ---------- process-wide crypto state ---------- */

/* 1 when the crypto library is ready for an engine (PSA initialised where there is PSA). */
static inline int dtls_compat_crypto_init(void) {
#if defined(DTLS_COMPAT_PSA)
  return psa_crypto_init() == PSA_SUCCESS;
#else
  return 1;
#endif
}

static inline void dtls_compat_crypto_teardown(void) {
#if defined(DTLS_COMPAT_PSA)
  mbedtls_psa_crypto_free();
#endif
}

/* ---------- the engine's random generator ---------- */

#if MBEDTLS_VERSION_MAJOR < 4
typedef mbedtls_ctr_drbg_context dtls_compat_rng;
/* What an entropy callback returns when its source failed. */
#define DTLS_COMPAT_ERR_ENTROPY MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED
#else
typedef struct { int unused; } dtls_compat_rng; /* PSA's generator serves every engine */
#define DTLS_COMPAT_ERR_ENTROPY (-1)            /* never used: nothing asks for entropy */
#endif

typedef int (*dtls_compat_entropy_fn)(void *ctx, unsigned char *out, size_t len);

static inline void dtls_compat_rng_init(dtls_compat_rng *rng) {
#if MBEDTLS_VERSION_MAJOR < 4
  mbedtls_ctr_drbg_init(rng);
#else
  rng->unused = 0;
#endif
}

/* Returns 0 or an mbedTLS error. `entropy` is called with a NULL context, now and on reseeds. */
static inline int dtls_compat_rng_seed(dtls_compat_rng *rng, dtls_compat_entropy_fn entropy) {
#if MBEDTLS_VERSION_MAJOR < 4
  static const unsigned char pers[] = "moddable-coaps dtls";
  return mbedtls_ctr_drbg_seed(rng, entropy, NULL, pers, sizeof pers - 1);
#else
  (void)rng;
  (void)entropy;
  return 0;
#endif
}

static inline void dtls_compat_rng_free(dtls_compat_rng *rng) {
#if MBEDTLS_VERSION_MAJOR < 4
  mbedtls_ctr_drbg_free(rng);
#else
  (void)rng;
#endif
}

static inline void dtls_compat_conf_rng(mbedtls_ssl_config *conf, dtls_compat_rng *rng) {
#if MBEDTLS_VERSION_MAJOR < 4
  mbedtls_ssl_conf_rng(conf, mbedtls_ctr_drbg_random, rng);
#else
  (void)conf;
  (void)rng;
#endif
}

/* ---------- configuration ---------- */

static inline void dtls_compat_conf_dtls12_only(mbedtls_ssl_config *conf) {
#if MBEDTLS_VERSION_MAJOR >= 3
  mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
  mbedtls_ssl_conf_max_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
  mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
}

/* Certificate mode: the secp256r1 group and ecdsa_secp256r1_sha256 signatures only. */
static inline void dtls_compat_conf_p256_sha256(mbedtls_ssl_config *conf) {
#if MBEDTLS_VERSION_MAJOR >= 3
  static const uint16_t groups[] = {MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1, MBEDTLS_SSL_IANA_TLS_GROUP_NONE};
  static const uint16_t sig_algs[] = {0x0403, 0}; /* ecdsa_secp256r1_sha256 */
  mbedtls_ssl_conf_groups(conf, groups);
  mbedtls_ssl_conf_sig_algs(conf, sig_algs);
#else
  static const mbedtls_ecp_group_id curves[] = {MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_NONE};
  static const int hashes[] = {MBEDTLS_MD_SHA256, MBEDTLS_MD_NONE};
  mbedtls_ssl_conf_curves(conf, curves);
  mbedtls_ssl_conf_sig_hashes(conf, hashes);
#endif
}

/* `key` is PEM with its terminating NUL counted. Returns 0 or an mbedTLS error. */
static inline int dtls_compat_pk_parse_key(mbedtls_pk_context *pk, const unsigned char *key, size_t len,
                                           dtls_compat_rng *rng) {
#if MBEDTLS_VERSION_MAJOR == 3
  return mbedtls_pk_parse_key(pk, key, len, NULL, 0, mbedtls_ctr_drbg_random, rng);
#else
  (void)rng;
  return mbedtls_pk_parse_key(pk, key, len, NULL, 0);
#endif
}

/* 0 when `prv` is the private half of `pub`, else an mbedTLS error. */
static inline int dtls_compat_pk_check_pair(mbedtls_pk_context *pub, mbedtls_pk_context *prv, dtls_compat_rng *rng) {
#if MBEDTLS_VERSION_MAJOR == 3
  return mbedtls_pk_check_pair(pub, prv, mbedtls_ctr_drbg_random, rng);
#else
  (void)rng;
  return mbedtls_pk_check_pair(pub, prv);
#endif
}

static inline int dtls_compat_cookie_setup(mbedtls_ssl_cookie_ctx *cookie, dtls_compat_rng *rng) {
#if MBEDTLS_VERSION_MAJOR >= 4
  (void)rng;
  return mbedtls_ssl_cookie_setup(cookie);
#else
  return mbedtls_ssl_cookie_setup(cookie, mbedtls_ctr_drbg_random, rng);
#endif
}

/* ---------- key export (NSS key log) ---------- */

/* Defined by the engine: receives the TLS 1.2 master secret and client random once the
 * handshake derived them; `p` is what dtls_compat_{conf,ssl}_export_keys were given. */
void dtls_compat_on_master_secret(void *p, const unsigned char master_secret[48], const unsigned char client_random[32]);

#if MBEDTLS_VERSION_MAJOR >= 3
static inline void dtls_compat_export_keys(void *p, mbedtls_ssl_key_export_type type, const unsigned char *secret,
                                           size_t secret_len, const unsigned char client_random[32],
                                           const unsigned char server_random[32], mbedtls_tls_prf_types prf) {
  (void)server_random;
  (void)prf;
  if (type == MBEDTLS_SSL_KEY_EXPORT_TLS12_MASTER_SECRET && secret_len == 48)
    dtls_compat_on_master_secret(p, secret, client_random);
}
#elif defined(MBEDTLS_SSL_EXPORT_KEYS)
static inline int dtls_compat_export_keys(void *p, const unsigned char *ms, const unsigned char *kb, size_t maclen,
                                          size_t keylen, size_t ivlen, const unsigned char client_random[32],
                                          const unsigned char server_random[32], mbedtls_tls_prf_types prf) {
  (void)kb;
  (void)maclen;
  (void)keylen;
  (void)ivlen;
  (void)server_random;
  (void)prf;
  dtls_compat_on_master_secret(p, ms, client_random);
  return 0;
}
#endif

/* Before mbedtls_ssl_setup: 2.x registers the key export on the configuration. */
static inline void dtls_compat_conf_export_keys(mbedtls_ssl_config *conf, void *p) {
#if MBEDTLS_VERSION_MAJOR < 3 && defined(MBEDTLS_SSL_EXPORT_KEYS)
  mbedtls_ssl_conf_export_keys_ext_cb(conf, dtls_compat_export_keys, p);
#else
  (void)conf;
  (void)p;
#endif
}

/* After mbedtls_ssl_setup: 3.x/4.x register it on the context. */
static inline void dtls_compat_ssl_export_keys(mbedtls_ssl_context *ssl, void *p) {
#if MBEDTLS_VERSION_MAJOR >= 3
  mbedtls_ssl_set_export_keys_cb(ssl, dtls_compat_export_keys, p);
#else
  (void)ssl;
  (void)p;
#endif
}

/* ---------- handshake state and errors ---------- */

static inline int dtls_compat_ssl_state(const mbedtls_ssl_context *ssl) { return ssl->DTLS_COMPAT_PRIV(state); }

/* The last record mbedTLS read (an alert's level and description after FATAL_ALERT_MESSAGE). */
static inline const unsigned char *dtls_compat_ssl_in_msg(const mbedtls_ssl_context *ssl) {
  return ssl->DTLS_COMPAT_PRIV(in_msg);
}

/* Negotiation errors (no suite in common) for which mbedTLS has already sent a
 * handshake_failure alert. */
static inline int dtls_compat_is_negotiation_error(int ret) {
#if MBEDTLS_VERSION_MAJOR >= 3
  return ret == MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE;
#else
  return ret == MBEDTLS_ERR_SSL_NO_CIPHER_CHOSEN || ret == MBEDTLS_ERR_SSL_NO_USABLE_CIPHERSUITE;
#endif
}

/* The peer's certificate chain failed verification (mbedTLS has sent the certificate alert). */
#if MBEDTLS_VERSION_MAJOR >= 3
#define DTLS_COMPAT_ERR_PEER_CERTIFICATE MBEDTLS_ERR_SSL_BAD_CERTIFICATE
#else
#define DTLS_COMPAT_ERR_PEER_CERTIFICATE MBEDTLS_ERR_SSL_PEER_VERIFY_FAILED
#endif

#endif
