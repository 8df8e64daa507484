/* CI stand-in for TF-PSA-Crypto 1.0's drivers/builtin/include/mbedtls/private/config_psa.h:
 * decides which algorithms the built-in software drivers provide, from PSA_WANT_* and the
 * MBEDTLS_PSA_ACCEL_* an accelerator driver declares. */
#ifndef CI_STUB_CONFIG_PSA_H
#define CI_STUB_CONFIG_PSA_H
#if defined(PSA_WANT_ALG_SHA_256) && !defined(MBEDTLS_PSA_ACCEL_ALG_SHA_256)
#define MBEDTLS_PSA_BUILTIN_ALG_SHA_256 1
#define MBEDTLS_PSA_BUILTIN_HASH
#endif
#endif
