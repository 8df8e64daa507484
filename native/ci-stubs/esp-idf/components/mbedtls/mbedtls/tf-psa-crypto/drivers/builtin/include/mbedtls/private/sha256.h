/* CI stand-in for TF-PSA-Crypto 1.0's built-in SHA-256 context (layout as in the library). */
#ifndef CI_STUB_SHA256_H
#define CI_STUB_SHA256_H
#include <stdint.h>
typedef struct mbedtls_sha256_context {
  unsigned char buffer[64];
  uint32_t total[2];
  uint32_t state[8];
  int is224;
} mbedtls_sha256_context;
#endif
