/* CI stand-in for TF-PSA-Crypto's include/psa/crypto_driver_contexts_primitives.h as ESP-IDF
 * 6.0 builds it: the per-driver hash contexts that make up psa_hash_operation_t. The
 * built-in context is there when config_psa.h kept the software SHA-256; ESP's context
 * (from port/psa_driver/include) when esp_config.h enabled its driver. */
#ifndef CI_STUB_CRYPTO_DRIVER_CONTEXTS_PRIMITIVES_H
#define CI_STUB_CRYPTO_DRIVER_CONTEXTS_PRIMITIVES_H
#if !defined(TF_PSA_CRYPTO_CONFIG_IS_FINALIZED)
#error "included before the crypto configuration is final"
#endif
#if defined(MBEDTLS_PSA_BUILTIN_HASH)
#include "mbedtls/private/sha256.h"
#endif
#if defined(ESP_SHA_DRIVER_ENABLED)
#include "psa_crypto_driver_esp_sha_contexts.h"
#endif

typedef union {
  unsigned dummy;
#if defined(MBEDTLS_PSA_BUILTIN_HASH)
  mbedtls_sha256_context mbedtls_ctx;
#endif
#if defined(ESP_SHA_DRIVER_ENABLED)
  esp_sha_hash_operation_t esp_sha_ctx;
#endif
} psa_driver_hash_context_t;
#endif
