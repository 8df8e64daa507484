/* CI stand-in for TF-PSA-Crypto 1.0's include/tf-psa-crypto/build_info.h (Mbed TLS 4.0):
 * the crypto half of the configuration chain, in the real order. The crypto config
 * (TF_PSA_CRYPTO_CONFIG_FILE, else psa/crypto_config.h) is read first, then
 * TF_PSA_CRYPTO_USER_CONFIG_FILE, then the derived options are computed and the crypto
 * configuration is final: anything a header reads later (MBEDTLS_CONFIG_FILE included)
 * comes too late to change them. */
#ifndef TF_PSA_CRYPTO_BUILD_INFO_H
#define TF_PSA_CRYPTO_BUILD_INFO_H

#define TF_PSA_CRYPTO_VERSION_MAJOR 1

#if defined(TF_PSA_CRYPTO_CONFIG_FILE)
#include TF_PSA_CRYPTO_CONFIG_FILE
#else
#include "psa/crypto_config.h"
#endif
#if defined(TF_PSA_CRYPTO_USER_CONFIG_FILE)
#include TF_PSA_CRYPTO_USER_CONFIG_FILE
#endif

#include "mbedtls/private/config_psa.h"

#define TF_PSA_CRYPTO_CONFIG_IS_FINALIZED

#endif
