/*
 * Hardware randomness for XS: one host function, xs_hwrandom_fill(buffer), over
 * hwrandom_fill(). ESP32: esp_fill_random (true random while Wi-Fi/BT radios run, which is
 * the only time CoAPS runs). nRF52: the SoftDevice RNG pool. Linux (mcconfig -p lin):
 * getrandom(2).
 */
#if defined(__linux__) && !defined(ESP32)
#define _GNU_SOURCE /* getrandom() in <sys/random.h> */
#endif

#include <stddef.h>
#include <stdint.h>
#include "xsmc.h"
#include "xsHost.h"
#include "hwrandom.h"

#if defined(ESP32)
#include "esp_random.h"

int hwrandom_fill(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	esp_fill_random(out, len);
	return 0;
}

#elif defined(NRF52840_XXAA) || defined(NRF52832_XXAA)
#include "nrf_soc.h"

int hwrandom_fill(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	while (len > 0) {
		uint8_t available = 0;
		uint8_t n;
		if (sd_rand_application_bytes_available_get(&available) != NRF_SUCCESS)
			return -1;
		if (available == 0)
			continue; /* the pool refills in microseconds */
		n = (len < available) ? (uint8_t)len : available;
		if (sd_rand_application_vector_get(out, n) != NRF_SUCCESS)
			return -1;
		out += n;
		len -= n;
	}
	return 0;
}

#elif defined(__linux__)
#include <errno.h>
#include <sys/random.h>

int hwrandom_fill(void *ctx, unsigned char *out, size_t len)
{
	(void)ctx;
	while (len > 0) {
		ssize_t n = getrandom(out, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		out += n;
		len -= (size_t)n;
	}
	return 0;
}

#else
#error "hwrandom: no random source for this platform"
#endif

void xs_hwrandom_fill(xsMachine *the)
{
	void *data;
	xsUnsignedValue length;

	xsmcGetBufferWritable(xsArg(0), &data, &length);
	/* No XS call between getting the pointer and filling it, so the chunk cannot move. */
	if (hwrandom_fill(NULL, data, length) != 0)
		xsUnknownError("random source failed");
}
