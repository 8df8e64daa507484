/*
 * The Mbed TLS version the firmware runs with, for its boot banner and the simulator's: the
 * version the linked library reports, plus the headers' version when the two differ. A
 * mismatch means another Mbed TLS was linked than the one compiled against (on lin, gcc's own
 * -L directories come before LIBRARIES' -L, so -lmbedtls finds Debian's 2.28 first).
 *
 * Header-only (static functions) so the XS glue and the N-API addon share it without another
 * object file in either build.
 */
#ifndef MBEDTLS_VERSION_TEXT_H
#define MBEDTLS_VERSION_TEXT_H

#include <stddef.h>
#include <stdio.h>
#include "mbedtls/version.h"

/* Longest text: "Mbed TLS 255.255.255 (compiled against 255.255.255 headers)" + NUL. */
#define MBEDTLS_VERSION_TEXT_MAX 64

/* Formats two MBEDTLS_VERSION_NUMBER-style values (0xMMmmpp00). Returns the length written. */
static int mbedtls_version_format(unsigned long linked, unsigned long headers, char *out, size_t cap)
{
	unsigned a = (unsigned)(linked >> 24) & 0xff, b = (unsigned)(linked >> 16) & 0xff, c = (unsigned)(linked >> 8) & 0xff;
	unsigned x = (unsigned)(headers >> 24) & 0xff, y = (unsigned)(headers >> 16) & 0xff, z = (unsigned)(headers >> 8) & 0xff;
	if ((linked & 0xffffff00UL) == (headers & 0xffffff00UL))
		return snprintf(out, cap, "Mbed TLS %u.%u.%u", a, b, c);
	return snprintf(out, cap, "Mbed TLS %u.%u.%u (compiled against %u.%u.%u headers)", a, b, c, x, y, z);
}

/* The running library's version (its own answer when MBEDTLS_VERSION_C is on). */
static int mbedtls_version_describe(char *out, size_t cap)
{
#if defined(MBEDTLS_VERSION_C)
	return mbedtls_version_format(mbedtls_version_get_number(), MBEDTLS_VERSION_NUMBER, out, cap);
#else
	/* Without MBEDTLS_VERSION_C the library cannot say: report the headers, and say so. */
	int n = mbedtls_version_format(MBEDTLS_VERSION_NUMBER, MBEDTLS_VERSION_NUMBER, out, cap);
	if (n > 0 && (size_t)n < cap)
		n += snprintf(out + n, cap - (size_t)n, " (headers)");
	return n;
#endif
}

#endif
