/*
 * xs_mbedtls_version(): the text of native/mbedtls_version.h for JS, e.g. "Mbed TLS 4.0.0",
 * printed at boot so a user can see which library the firmware was linked with.
 */
#include "mbedtls_version.h" /* first: xs.h needs <stddef.h> */
#include "xsmc.h"

void xs_mbedtls_version(xsMachine *the)
{
	char text[MBEDTLS_VERSION_TEXT_MAX];
	mbedtls_version_describe(text, sizeof text);
	xsmcSetString(xsResult, text);
}
