/* CI stand-in for ESP-IDF 6.0's components/mbedtls/port/include/mbedtls/esp_config.h.
 * IDF's CMake names it twice: as TF_PSA_CRYPTO_USER_CONFIG_FILE (read by
 * tf-psa-crypto/build_info.h after psa/crypto_config.h, before the crypto options are
 * finalized) and as MBEDTLS_CONFIG_FILE (read afterwards; the guard makes that a no-op).
 * As in the real file, with Mbed TLS 4 it adjusts the crypto defaults rather than replacing
 * them, and it supplies every TLS option itself (mbedtls_config.h is only read for 3.x).
 * Only options that shape a structure the DTLS engine embeds are modelled; see
 * native/ci-stubs/README.md. */
#ifndef ESP_CONFIG_H
#define ESP_CONFIG_H

#if defined(MBEDTLS_MAJOR_VERSION) && (MBEDTLS_MAJOR_VERSION < 4)
#include "mbedtls/mbedtls_config.h"
#endif

/* Crypto: SHA-256 on the SHA accelerator through ESP's PSA driver (CONFIG_MBEDTLS_HARDWARE_SHA),
 * so no built-in SHA-256 context is needed in PSA's hash operation. */
#define ESP_SHA_DRIVER_ENABLED
#define MBEDTLS_PSA_ACCEL_ALG_SHA_256
#define MBEDTLS_PSA_ASSUME_EXCLUSIVE_BUFFERS

/* TLS: what sdkconfig/sdkconfig.defaults turns on (DTLS 1.2, PSK and ECDHE-ECDSA, small
 * record buffers); IDF leaves DTLS connection ids off. */
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_PROTO_DTLS
#define MBEDTLS_SSL_DTLS_ANTI_REPLAY
#define MBEDTLS_SSL_DTLS_HELLO_VERIFY
#define MBEDTLS_SSL_COOKIE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_SSL_IN_CONTENT_LEN 1536
#define MBEDTLS_SSL_OUT_CONTENT_LEN 1024

#endif /* ESP_CONFIG_H */
