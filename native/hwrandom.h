/*
 * hwrandom: the platform's hardware random number generator, for the JS RandomSource
 * (xs_hwrandom_fill) and as the DTLS engine's entropy hook on mbedTLS 2.x/3.x.
 */
#ifndef HWRANDOM_H
#define HWRANDOM_H

#include <stddef.h>

/* Fills out[0..len) with random bytes. Returns 0 on success. ctx is unused. Matches
 * dtls_entropy_fn so the engine can use it directly. */
int hwrandom_fill(void *ctx, unsigned char *out, size_t len);

#endif
