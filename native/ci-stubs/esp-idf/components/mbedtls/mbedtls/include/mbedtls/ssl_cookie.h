/* CI stand-in for Mbed TLS 4.0's include/mbedtls/ssl_cookie.h. */
#ifndef MBEDTLS_SSL_COOKIE_H
#define MBEDTLS_SSL_COOKIE_H
#include "mbedtls/ssl.h"

typedef struct mbedtls_ssl_cookie_ctx {
  mbedtls_svc_key_id_t MBEDTLS_PRIVATE(psa_hmac_key);
  psa_algorithm_t MBEDTLS_PRIVATE(psa_hmac_alg);
  unsigned long MBEDTLS_PRIVATE(timeout);
} mbedtls_ssl_cookie_ctx;

void mbedtls_ssl_cookie_init(mbedtls_ssl_cookie_ctx *ctx);
int mbedtls_ssl_cookie_setup(mbedtls_ssl_cookie_ctx *ctx);
void mbedtls_ssl_cookie_free(mbedtls_ssl_cookie_ctx *ctx);
mbedtls_ssl_cookie_write_t mbedtls_ssl_cookie_write;
mbedtls_ssl_cookie_check_t mbedtls_ssl_cookie_check;
#endif
