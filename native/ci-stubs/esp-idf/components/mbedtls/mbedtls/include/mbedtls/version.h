/* CI stand-in for Mbed TLS 4.0's include/mbedtls/version.h. */
#ifndef MBEDTLS_VERSION_H
#define MBEDTLS_VERSION_H
#include "mbedtls/build_info.h"
#endif
