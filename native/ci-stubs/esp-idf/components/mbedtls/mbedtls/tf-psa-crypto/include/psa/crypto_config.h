/* CI stand-in for TF-PSA-Crypto 1.0's default include/psa/crypto_config.h: the PSA_WANT_*
 * defaults a user config file adjusts. Only what the stand-in structures read. */
#ifndef CI_STUB_PSA_CRYPTO_CONFIG_H
#define CI_STUB_PSA_CRYPTO_CONFIG_H
#define PSA_WANT_ALG_SHA_256 1
#define PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY 1
#define PSA_WANT_ECC_SECP_R1_256 1
#define MBEDTLS_PSA_CRYPTO_C
#endif
