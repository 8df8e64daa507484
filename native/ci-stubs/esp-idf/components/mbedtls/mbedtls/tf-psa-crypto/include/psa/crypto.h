/* CI stand-in for TF-PSA-Crypto 1.0's psa/crypto.h: what the DTLS engine calls, plus the hash
 * operation whose layout depends on the whole configuration chain. Signatures as in the
 * real header. */
#ifndef PSA_CRYPTO_H
#define PSA_CRYPTO_H
#include <stddef.h>
#include <stdint.h>
#include "tf-psa-crypto/build_info.h"
#include "mbedtls/private_access.h"

typedef int32_t psa_status_t;
typedef uint32_t psa_algorithm_t;
typedef uint32_t mbedtls_svc_key_id_t;
#define PSA_SUCCESS ((psa_status_t)0)
#define PSA_ERROR_INVALID_ARGUMENT ((psa_status_t)-135)
#define PSA_ERROR_INSUFFICIENT_MEMORY ((psa_status_t)-141)

#include "psa/crypto_driver_contexts_primitives.h"

typedef struct psa_hash_operation_s {
  unsigned int MBEDTLS_PRIVATE(id); /* which driver runs it */
  psa_driver_hash_context_t MBEDTLS_PRIVATE(ctx);
} psa_hash_operation_t;

psa_status_t psa_crypto_init(void);
void mbedtls_psa_crypto_free(void);
#endif
