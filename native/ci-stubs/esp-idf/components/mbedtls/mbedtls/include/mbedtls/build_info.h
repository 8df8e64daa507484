/* CI stand-in for Mbed TLS 4.0's include/mbedtls/build_info.h: the crypto configuration is
 * completed first (tf-psa-crypto/build_info.h), then the TLS one is read from
 * MBEDTLS_CONFIG_FILE, else mbedtls/mbedtls_config.h. */
#ifndef MBEDTLS_BUILD_INFO_H
#define MBEDTLS_BUILD_INFO_H
#include "tf-psa-crypto/build_info.h"

#define MBEDTLS_VERSION_MAJOR 4
#define MBEDTLS_VERSION_MINOR 0
#define MBEDTLS_VERSION_PATCH 0
#define MBEDTLS_VERSION_STRING "4.0.0"

#if !defined(MBEDTLS_CONFIG_FILE)
#include "mbedtls/mbedtls_config.h"
#else
#include MBEDTLS_CONFIG_FILE
#endif
#if defined(MBEDTLS_USER_CONFIG_FILE)
#include MBEDTLS_USER_CONFIG_FILE
#endif
#define MBEDTLS_CONFIG_IS_FINALIZED
#endif
