/*
 * dtls_engine_setup.c: the mbedTLS configuration of one engine: what every engine shares
 * (DTLS 1.2 only, retransmission bounds, anti-replay), then PSK or X.509 credentials with the
 * single suite of that mode, then (server) the cookies that keep a listener stateless.
 */
#include "dtls_engine_internal.h"

#include <stdlib.h>
#include <string.h>

static dtls_error map_setup(int ret) {
  if (ret == 0) return DTLS_ERR_NONE;
  if (ret == MBEDTLS_ERR_SSL_ALLOC_FAILED || ret == MBEDTLS_ERR_X509_ALLOC_FAILED ||
      ret == MBEDTLS_ERR_PK_ALLOC_FAILED)
    return DTLS_ERR_OUT_OF_MEMORY;
  return DTLS_ERR_INVALID_INPUT;
}

/* mbedTLS wants PEM with its terminating NUL counted: a NUL-terminated copy (NULL when out of
 * memory), to be wiped and freed by the caller. */
static unsigned char *pem_copy(const uint8_t *pem, size_t len) {
  unsigned char *copy = (unsigned char *)malloc(len + 1);
  if (copy == NULL) return NULL;
  memcpy(copy, pem, len);
  copy[len] = 0;
  return copy;
}

static int parse_crt(mbedtls_x509_crt *crt, const uint8_t *pem, size_t len) {
  if (pem == NULL || len == 0) return MBEDTLS_ERR_X509_BAD_INPUT_DATA;
  unsigned char *copy = pem_copy(pem, len);
  if (copy == NULL) return MBEDTLS_ERR_X509_ALLOC_FAILED;
  int ret = mbedtls_x509_crt_parse(crt, copy, len + 1);
  free(copy);
  return ret;
}

static int parse_key(dtls_engine *e, const uint8_t *pem, size_t len) {
  if (pem == NULL || len == 0) return MBEDTLS_ERR_PK_BAD_INPUT_DATA;
  unsigned char *copy = pem_copy(pem, len);
  if (copy == NULL) return MBEDTLS_ERR_PK_ALLOC_FAILED;
  int ret = dtls_compat_pk_parse_key(&e->own_key, copy, len + 1, &e->rng);
  mbedtls_platform_zeroize(copy, len + 1);
  free(copy);
  return ret;
}

/* Everything but credentials and cookies. */
static dtls_error configure_common(dtls_engine *e, const dtls_config *cfg) {
  mbedtls_ssl_config *conf = &e->conf;
  int endpoint = cfg->role == DTLS_ROLE_SERVER ? MBEDTLS_SSL_IS_SERVER : MBEDTLS_SSL_IS_CLIENT;
  int ret = mbedtls_ssl_config_defaults(conf, endpoint, MBEDTLS_SSL_TRANSPORT_DATAGRAM, MBEDTLS_SSL_PRESET_DEFAULT);
  if (ret != 0) return map_setup(ret);
  dtls_compat_conf_dtls12_only(conf);
  dtls_compat_conf_rng(conf, &e->rng);
  uint32_t hs_min = cfg->hs_timeout_min_ms ? cfg->hs_timeout_min_ms : 8000;
  uint32_t hs_max = cfg->hs_timeout_max_ms ? cfg->hs_timeout_max_ms : 60000;
  if (hs_max < hs_min) return DTLS_ERR_INVALID_INPUT;
  mbedtls_ssl_conf_handshake_timeout(conf, hs_min, hs_max);
  mbedtls_ssl_conf_dtls_anti_replay(conf, MBEDTLS_SSL_ANTI_REPLAY_ENABLED);
  dtls_compat_conf_export_keys(conf, e);
  return DTLS_ERR_NONE;
}

static dtls_error configure_psk(dtls_engine *e, const dtls_config *cfg) {
  e->ciphersuites[0] = MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8;
  if (cfg->psk == NULL || cfg->psk_len == 0 || cfg->psk_len > 32 || cfg->psk_identity == NULL ||
      cfg->psk_identity_len == 0 || cfg->psk_identity_len > 32)
    return DTLS_ERR_INVALID_INPUT;
  int ret = mbedtls_ssl_conf_psk(&e->conf, cfg->psk, cfg->psk_len, cfg->psk_identity, cfg->psk_identity_len);
  if (ret != 0) return map_setup(ret);
  mbedtls_ssl_conf_authmode(&e->conf, MBEDTLS_SSL_VERIFY_NONE);
  return DTLS_ERR_NONE;
}

static dtls_error configure_x509(dtls_engine *e, const dtls_config *cfg) {
  mbedtls_ssl_config *conf = &e->conf;
  int ret;
  e->ciphersuites[0] = MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8;
  if ((ret = parse_crt(&e->own_cert, cfg->cert_pem, cfg->cert_pem_len)) != 0) return map_setup(ret);
  if ((ret = parse_key(e, cfg->key_pem, cfg->key_pem_len)) != 0) return map_setup(ret);
  /* A key that is not the certificate's would only show as a failed handshake later. */
  if ((ret = dtls_compat_pk_check_pair(&e->own_cert.pk, &e->own_key, &e->rng)) != 0) return map_setup(ret);
  if ((ret = parse_crt(&e->ca_chain, cfg->ca_pem, cfg->ca_pem_len)) != 0) return map_setup(ret);
  mbedtls_ssl_conf_ca_chain(conf, &e->ca_chain, NULL);
  if ((ret = mbedtls_ssl_conf_own_cert(conf, &e->own_cert, &e->own_key)) != 0) return map_setup(ret);
  mbedtls_ssl_conf_authmode(conf, cfg->verify_peer ? MBEDTLS_SSL_VERIFY_REQUIRED : MBEDTLS_SSL_VERIFY_NONE);
  dtls_compat_conf_p256_sha256(conf);
  return DTLS_ERR_NONE;
}

/* Server: HelloVerifyRequest cookies bound to the transport id the caller supplies. */
static dtls_error configure_cookies(dtls_engine *e) {
  int ret = dtls_compat_cookie_setup(&e->cookie, &e->rng);
  if (ret != 0) return map_setup(ret);
  mbedtls_ssl_conf_dtls_cookies(&e->conf, mbedtls_ssl_cookie_write, mbedtls_ssl_cookie_check, &e->cookie);
  return DTLS_ERR_NONE;
}

/* The context, once the configuration is complete. */
static dtls_error setup_context(dtls_engine *e, const dtls_config *cfg) {
  int ret = mbedtls_ssl_setup(&e->ssl, &e->conf);
  if (ret != 0) return map_setup(ret);
  dtls_compat_ssl_export_keys(&e->ssl, e);
#if defined(MBEDTLS_X509_CRT_PARSE_C)
  /* No host name check (OpenThread); saying so explicitly keeps 3.6+ from refusing. */
  if (cfg->role == DTLS_ROLE_CLIENT && (ret = mbedtls_ssl_set_hostname(&e->ssl, NULL)) != 0) return map_setup(ret);
#else
  (void)cfg;
#endif
  dtls_attach_io(e);
  return DTLS_ERR_NONE;
}

dtls_error dtls_configure(dtls_engine *e, const dtls_config *cfg) {
  dtls_error r = configure_common(e, cfg);
  if (r != DTLS_ERR_NONE) return r;
  if (cfg->mode == DTLS_MODE_PSK)
    r = configure_psk(e, cfg);
  else if (cfg->mode == DTLS_MODE_X509)
    r = configure_x509(e, cfg);
  else
    r = DTLS_ERR_INVALID_INPUT;
  if (r != DTLS_ERR_NONE) return r;
  e->ciphersuites[1] = 0;
  mbedtls_ssl_conf_ciphersuites(&e->conf, e->ciphersuites);
  if (cfg->role == DTLS_ROLE_SERVER && (r = configure_cookies(e)) != DTLS_ERR_NONE) return r;
  return setup_context(e, cfg);
}
