/* CI stand-in for TF-PSA-Crypto 1.0's mbedtls/pk.h: the context keeps the public key in raw
 * form, sized from the curves the crypto configuration wants (a build that never read
 * psa/crypto_config.h has no size for it, as with the real header). */
#ifndef MBEDTLS_PK_H
#define MBEDTLS_PK_H
#include "psa/crypto.h"

#define MBEDTLS_ERR_PK_BAD_INPUT_DATA PSA_ERROR_INVALID_ARGUMENT
#define MBEDTLS_ERR_PK_ALLOC_FAILED PSA_ERROR_INSUFFICIENT_MEMORY

#if defined(PSA_WANT_ECC_SECP_R1_256)
#define CI_STUB_PK_MAX_EC_PUBKEY_RAW_LEN (1 + 2 * 32)
#endif

typedef struct mbedtls_pk_info_t mbedtls_pk_info_t;
typedef struct mbedtls_pk_context {
  const mbedtls_pk_info_t *MBEDTLS_PRIVATE(pk_info);
  mbedtls_svc_key_id_t MBEDTLS_PRIVATE(priv_id);
#if defined(PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY)
  uint8_t MBEDTLS_PRIVATE(pub_raw)[CI_STUB_PK_MAX_EC_PUBKEY_RAW_LEN];
  size_t MBEDTLS_PRIVATE(pub_raw_len);
#endif
} mbedtls_pk_context;

void mbedtls_pk_init(mbedtls_pk_context *ctx);
void mbedtls_pk_free(mbedtls_pk_context *ctx);
int mbedtls_pk_parse_key(mbedtls_pk_context *ctx, const unsigned char *key, size_t keylen,
                         const unsigned char *pwd, size_t pwdlen);
int mbedtls_pk_check_pair(const mbedtls_pk_context *pub, const mbedtls_pk_context *prv);
#endif
