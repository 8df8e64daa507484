/* CI stand-in for Mbed TLS 4.0's include/mbedtls/ssl_ciphersuites.h (values as upstream). */
#ifndef MBEDTLS_SSL_CIPHERSUITES_H
#define MBEDTLS_SSL_CIPHERSUITES_H
#define MBEDTLS_TLS_PSK_WITH_AES_128_CCM_8 0xC0A8
#define MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 0xC0AE
#endif
