/*
 * The DTLS engine as the Moddable build compiles it. mcconfig compiles module C outside the
 * ESP-IDF CMake build, so the compile definitions IDF gives its own mbedtls targets never
 * reach it, and a configuration mismatch silently changes the layout of the structures the
 * engine shares with the library (moddable-target.md §0.3, §4.2): memory corruption at the
 * first handshake. The manifest passes IDF's definitions through "defines" (mc.defines.h) and
 * this wrapper sets them before the engine includes any mbedTLS header.
 *
 * ESP-IDF 6.0 (components/mbedtls/CMakeLists.txt) builds Mbed TLS 4 / TF-PSA-Crypto with
 *   MBEDTLS_CONFIG_FILE="mbedtls/esp_config.h"             the TLS configuration
 *   TF_PSA_CRYPTO_USER_CONFIG_FILE="mbedtls/esp_config.h"  read after psa/crypto_config.h,
 *                                                          before the crypto config is final
 *   MBEDTLS_MAJOR_VERSION=4                                 read by esp_config.h itself
 * (TF_PSA_CRYPTO_CONFIG_FILE, which would replace psa/crypto_config.h, is not set.)
 * test/device/mbedtls-config-chain.test.ts compiles this file through the manifest's
 * definitions against stand-ins of that header chain and compares the layouts with a
 * reference compiled the IDF way.
 *
 * On lin no define is given, so the installed mbedTLS's default config applies.
 * The manifest lists this file and the engine's headers, never the engine's .c files (they
 * would be compiled twice, the second time without these definitions): they are compiled
 * here, as one translation unit, in the order binding.gyp lists them
 * (test/dtls/engine-sources.test.ts checks both lists name every native/dtls_*.c).
 */
#include "mc.defines.h"

#if defined(MODDEF_MBEDTLS_CONFIG_FILE) && !defined(MBEDTLS_CONFIG_FILE)
#define MBEDTLS_CONFIG_FILE MODDEF_MBEDTLS_CONFIG_FILE
#endif
#if defined(MODDEF_MBEDTLS_TF_PSA_CRYPTO_USER_CONFIG_FILE) && !defined(TF_PSA_CRYPTO_USER_CONFIG_FILE)
#define TF_PSA_CRYPTO_USER_CONFIG_FILE MODDEF_MBEDTLS_TF_PSA_CRYPTO_USER_CONFIG_FILE
#endif
#if defined(MODDEF_MBEDTLS_MAJOR_VERSION) && !defined(MBEDTLS_MAJOR_VERSION)
#define MBEDTLS_MAJOR_VERSION MODDEF_MBEDTLS_MAJOR_VERSION
#endif

#include "dtls_engine.c" /* first: it sets _DEFAULT_SOURCE before any system header */
#include "dtls_engine_setup.c"
#include "dtls_engine_drive.c"
#include "dtls_engine_hello.c"
#include "dtls_queue.c"
