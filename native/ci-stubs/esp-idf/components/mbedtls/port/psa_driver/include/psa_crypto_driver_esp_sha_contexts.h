/* CI stand-in for ESP-IDF 6.0's components/mbedtls/port/psa_driver/include/
 * psa_crypto_driver_esp_sha_contexts.h: the ESP SHA driver's operation context, which IDF's
 * TF-PSA-Crypto pulls into PSA's hash operation (crypto_driver_contexts_primitives.h) when
 * esp_config.h enables the driver. This folder is only on the include path if the build adds
 * port/psa_driver/include, as IDF's CMake does. Size chosen for the model, not the real one. */
#ifndef CI_STUB_PSA_CRYPTO_DRIVER_ESP_SHA_CONTEXTS_H
#define CI_STUB_PSA_CRYPTO_DRIVER_ESP_SHA_CONTEXTS_H
#include <stdint.h>

typedef struct {
  int type;          /* which SHA the hardware runs */
  void *hw_state;    /* engine state saved between updates */
} esp_sha_hash_operation_t;

#endif
