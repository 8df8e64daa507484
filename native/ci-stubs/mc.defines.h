/* CI stand-in for mcconfig's generated mc.defines.h. Empty on purpose: the native files
 * supply defaults for every MODDEF_* they read (udp6.c: MODDEF_UDP6_QUEUE_LENGTH,
 * MODDEF_UDP6_MAX_DATAGRAM; xs_dtls_engine.c: the MODDEF_MBEDTLS_* config names, optional;
 * test/device/mbedtls-config-chain.test.ts generates the real ones from manifest.json). */
#ifndef CI_STUB_MC_DEFINES_H
#define CI_STUB_MC_DEFINES_H
#endif
