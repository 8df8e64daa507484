/*
 * The DTLS engine as the Moddable build compiles it. mcconfig compiles module C outside the
 * ESP-IDF CMake build, so IDF's MBEDTLS_CONFIG_FILE define never reaches it, and a config
 * mismatch silently changes the layout of mbedtls_ssl_context (moddable-target.md §0.3, §4.2).
 * The manifest passes the config header's name through "defines" (mc.defines.h), and this
 * wrapper sets it before the engine includes any mbedTLS header. On lin no define is given,
 * so Debian's default mbedTLS config applies.
 *
 * The manifest lists this file and dtls_engine.h, never dtls_engine.c itself (it would be
 * compiled twice).
 */
#include "mc.defines.h"

#if defined(MODDEF_MBEDTLS_CONFIG_FILE) && !defined(MBEDTLS_CONFIG_FILE)
#define MBEDTLS_CONFIG_FILE MODDEF_MBEDTLS_CONFIG_FILE
#endif
#if defined(MODDEF_MBEDTLS_PSA_CONFIG_FILE) && !defined(TF_PSA_CRYPTO_CONFIG_FILE)
#define TF_PSA_CRYPTO_CONFIG_FILE MODDEF_MBEDTLS_PSA_CONFIG_FILE
#endif

#include "dtls_engine.c"
