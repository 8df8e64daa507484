/* CI stand-in for TF-PSA-Crypto 1.0's mbedtls/private_access.h: private members get a prefix
 * unless MBEDTLS_ALLOW_PRIVATE_ACCESS. */
#ifndef MBEDTLS_PRIVATE_ACCESS_H
#define MBEDTLS_PRIVATE_ACCESS_H
#ifndef MBEDTLS_ALLOW_PRIVATE_ACCESS
#define MBEDTLS_PRIVATE(member) private_##member
#else
#define MBEDTLS_PRIVATE(member) member
#endif
#endif
