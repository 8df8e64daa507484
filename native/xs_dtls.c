/*
 * xsmc glue for the DTLS engine (dtls_engine.h), behind src/platform/moddable/dtls-native.ts.
 *
 * Each entry does five things and makes no protocol decision: check the receiver (host
 * hooks), unpack the arguments, call one engine function, map a failure to a throw of the
 * error's name (dtls_error_name: "InvalidInput", "OutOfMemory" ...), return.
 * free() is repeatable, the destructor accepts NULL, and any call after free() throws "closed".
 * Pointers into XS buffers are taken after every allocating XS call and passed straight to
 * the engine, which copies what it keeps.
 * Converting an argument can run JS (valueOf), and that JS can call free() or create() on the
 * same object, so every entry converts all its arguments first and only then fetches (or, in
 * create, checks) the engine pointer.
 */
#include <stddef.h>
#include <stdint.h>
#include "xsmc.h"
#include "xsHost.h"
#include "mc.xs.h"
#include "dtls_engine.h"
#include "hwrandom.h"

void xs_dtls_destructor(void *data);

static const xsHostHooks xsDtlsHooks = { xs_dtls_destructor, NULL, NULL };

void xs_dtls_destructor(void *data)
{
	dtls_engine_free((dtls_engine *)data);
}

/* Throws "closed" after free(), and a TypeError for a receiver that is not a DTLS engine. */
static dtls_engine *engineOf(xsMachine *the)
{
	dtls_engine *engine = xsmcGetHostDataValidate(xsThis, (void *)&xsDtlsHooks);
	if (!engine)
		xsUnknownError("closed");
	return engine;
}

static void throwIfError(xsMachine *the, dtls_error err)
{
	if (err != DTLS_ERR_NONE)
		xsUnknownError("%s", dtls_error_name(err));
}

/* An optional buffer argument: undefined gives (NULL, 0). */
static void bufferArg(xsMachine *the, int index, const uint8_t **data, size_t *length)
{
	void *p = NULL;
	xsUnsignedValue n = 0;
	if (xsmcTypeOf(xsArg(index)) != xsUndefinedType)
		xsmcGetBufferReadable(xsArg(index), &p, &n);
	*data = p;
	*length = n;
}

/* A handshake timeout: an integer 0 .. 2^32-1 (0 = engine default), refused rather than
 * wrapped or truncated, as the N-API glue does. */
static uint32_t msArg(xsMachine *the, int index)
{
	double ms = xsmcToNumber(xsArg(index));
	if (!(ms >= 0 && ms <= 4294967295.0) || ms != (double)(uint32_t)ms)
		xsRangeError("invalid timeout");
	return (uint32_t)ms;
}

/* (server, x509, key|cert, identity|privateKey, -|caChain, verifyPeer, minMs, maxMs, now) */
void xs_dtls_create(xsMachine *the)
{
	dtls_config cfg;
	dtls_error err = DTLS_ERR_NONE;
	dtls_engine *engine;
	double now;

	/* Receiver check before anything runs: throws for a plain object. */
	if (xsmcGetHostData(xsThis))
		xsUnknownError("already created");

	cfg.role = xsmcToBoolean(xsArg(0)) ? DTLS_ROLE_SERVER : DTLS_ROLE_CLIENT;
	cfg.mode = xsmcToBoolean(xsArg(1)) ? DTLS_MODE_X509 : DTLS_MODE_PSK;
	cfg.verify_peer = xsmcToBoolean(xsArg(5)) ? 1 : 0;
	cfg.hs_timeout_min_ms = msArg(the, 6);
	cfg.hs_timeout_max_ms = msArg(the, 7);
	now = xsmcToNumber(xsArg(8));

	cfg.psk = cfg.psk_identity = cfg.cert_pem = cfg.key_pem = cfg.ca_pem = NULL;
	cfg.psk_len = cfg.psk_identity_len = cfg.cert_pem_len = cfg.key_pem_len = cfg.ca_pem_len = 0;
	if (cfg.mode == DTLS_MODE_PSK) {
		bufferArg(the, 2, &cfg.psk, &cfg.psk_len);
		bufferArg(the, 3, &cfg.psk_identity, &cfg.psk_identity_len);
	}
	else {
		bufferArg(the, 2, &cfg.cert_pem, &cfg.cert_pem_len);
		bufferArg(the, 3, &cfg.key_pem, &cfg.key_pem_len);
		bufferArg(the, 4, &cfg.ca_pem, &cfg.ca_pem_len);
	}

	/* Again after the conversions (their valueOf may have run a nested create on this object):
	 * an engine stored meanwhile must not be overwritten and leaked. */
	if (xsmcGetHostData(xsThis))
		xsUnknownError("already created");

	/* Used by mbedTLS 2.x/3.x builds only; 4.x (ESP-IDF 6.0) draws entropy through PSA. */
	dtls_engine_set_entropy(hwrandom_fill, NULL);
	engine = dtls_engine_create(&cfg, now, &err);
	if (!engine)
		throwIfError(the, (err != DTLS_ERR_NONE) ? err : DTLS_ERR_INTERNAL);

	xsmcSetHostData(xsThis, engine);
	xsSetHostHooks(xsThis, &xsDtlsHooks);
}

void xs_dtls_set_client_id(xsMachine *the)
{
	const uint8_t *id;
	size_t length;
	bufferArg(the, 0, &id, &length);
	throwIfError(the, dtls_engine_set_client_id(engineOf(the), id, length));
}

/* (now, buffer): feed() and write() take the same arguments. */
static void timedBytes(xsMachine *the, dtls_error (*call)(dtls_engine *, double, const uint8_t *, size_t))
{
	double now = xsmcToNumber(xsArg(0));
	const uint8_t *data;
	size_t length;
	bufferArg(the, 1, &data, &length);
	throwIfError(the, call(engineOf(the), now, data, length));
}

/* One queued datagram or record as a new Uint8Array of its exact size, or undefined (made
 * here, so the JS side can stay a bare native call). */
static void takeBytes(xsMachine *the, size_t (*sizeOf)(const dtls_engine *), size_t (*take)(dtls_engine *, uint8_t *, size_t))
{
	dtls_engine *engine = engineOf(the);
	size_t size = sizeOf(engine);
	if (size == 0)
		return; /* undefined */
	xsmcSetArrayBuffer(xsResult, NULL, (xsIntegerValue)size);
	/* Re-fetched: the allocation above is an XS call. */
	if (take(engineOf(the), xsmcToArrayBuffer(xsResult), size) != size)
		xsUnknownError("%s", dtls_error_name(DTLS_ERR_INTERNAL));
	xsResult = xsNew1(xsGlobal, xsID_Uint8Array, xsResult);
}

void xs_dtls_feed(xsMachine *the)
{
	timedBytes(the, dtls_engine_feed);
}

void xs_dtls_take_outgoing(xsMachine *the)
{
	takeBytes(the, dtls_engine_outgoing_size, dtls_engine_take_outgoing);
}

void xs_dtls_write(xsMachine *the)
{
	timedBytes(the, dtls_engine_write);
}

void xs_dtls_read(xsMachine *the)
{
	takeBytes(the, dtls_engine_read_size, dtls_engine_read);
}

void xs_dtls_handle_timer(xsMachine *the)
{
	double now = xsmcToNumber(xsArg(0));
	dtls_engine_on_timer(engineOf(the), now);
}

void xs_dtls_next_deadline(xsMachine *the)
{
	dtls_engine *engine = engineOf(the);
	double deadline;
	if (dtls_engine_next_deadline(engine, &deadline))
		xsmcSetNumber(xsResult, deadline);
}

void xs_dtls_state(xsMachine *the)
{
	dtls_engine *engine = engineOf(the);
	xsmcSetString(xsResult, (char *)dtls_state_name(dtls_engine_state(engine)));
}

void xs_dtls_error(xsMachine *the)
{
	dtls_engine *engine = engineOf(the);
	xsmcSetString(xsResult, (char *)dtls_error_name(dtls_engine_error(engine)));
}

void xs_dtls_cipher_suite(xsMachine *the)
{
	dtls_engine *engine = engineOf(the);
	xsmcSetInteger(xsResult, dtls_engine_cipher_suite(engine));
}

void xs_dtls_close(xsMachine *the)
{
	double now = xsmcToNumber(xsArg(0));
	dtls_engine_close(engineOf(the), now);
}

void xs_dtls_free(xsMachine *the)
{
	dtls_engine *engine = xsmcGetHostDataValidate(xsThis, (void *)&xsDtlsHooks);
	if (!engine)
		return; /* already freed */
	xsmcSetHostData(xsThis, NULL);
	dtls_engine_free(engine);
}
