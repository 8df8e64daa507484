/* CI stand-in for Mbed TLS 4.0's include/mbedtls/x509_crt.h: a certificate embeds its public
 * key context, so its layout follows the crypto configuration. */
#ifndef MBEDTLS_X509_CRT_H
#define MBEDTLS_X509_CRT_H
#include "mbedtls/build_info.h"
#include "mbedtls/pk.h"

#define MBEDTLS_ERR_X509_CERT_VERIFY_FAILED -0x2700
#define MBEDTLS_ERR_X509_BAD_INPUT_DATA -0x2800
#define MBEDTLS_ERR_X509_ALLOC_FAILED PSA_ERROR_INSUFFICIENT_MEMORY

typedef struct mbedtls_x509_crl mbedtls_x509_crl;
typedef struct mbedtls_x509_crt {
  int MBEDTLS_PRIVATE(own_buffer);
  const unsigned char *MBEDTLS_PRIVATE(raw_p);
  size_t MBEDTLS_PRIVATE(raw_len);
  mbedtls_pk_context pk;
  struct mbedtls_x509_crt *next;
} mbedtls_x509_crt;

void mbedtls_x509_crt_init(mbedtls_x509_crt *crt);
void mbedtls_x509_crt_free(mbedtls_x509_crt *crt);
int mbedtls_x509_crt_parse(mbedtls_x509_crt *chain, const unsigned char *buf, size_t buflen);
#endif
