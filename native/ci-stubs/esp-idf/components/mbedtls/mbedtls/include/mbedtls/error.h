/* CI stand-in for Mbed TLS 4.0's include/mbedtls/error.h. */
#ifndef MBEDTLS_ERROR_H
#define MBEDTLS_ERROR_H
#include "mbedtls/build_info.h"
#endif
