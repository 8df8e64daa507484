/* CI stand-in for TF-PSA-Crypto 1.0's mbedtls/platform_util.h. */
#ifndef MBEDTLS_PLATFORM_UTIL_H
#define MBEDTLS_PLATFORM_UTIL_H
#include <stddef.h>
#include "tf-psa-crypto/build_info.h"
void mbedtls_platform_zeroize(void *buf, size_t len);
#endif
