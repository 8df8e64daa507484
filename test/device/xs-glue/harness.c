/*
 * Runs our xsmc glue on the real XS engine (the objects @agoric/xsnap built on install):
 * native/xs_dtls.c with the real DTLS engine over Debian's mbedTLS, and native/udp6.c over a
 * test double of lwIP (fake-lwip.c). A JS script calls the glue exactly as the TypeScript
 * faces do (a host object with the glue's destructor, each method a host function called
 * with .call(receiver, ...)).
 *
 * Usage: harness <script.js>. Globals: print(text), newHostObject("dtls" | "udp6") (what
 * Native("...") gives a class instance), dtls.{create, feed, ...} and udp6.{constructor,
 * read, write, close} and hwrandomFill (the native("xs_*") functions), and the lwIP double's
 * controls.
 * Exit status 0 when the script ran without an uncaught exception.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs.h"

#include "xs-dtls-natives.h"
extern void xs_udp6_destructor(void *data);
extern void xs_udp6_constructor(xsMachine *the);
extern void xs_udp6_read(xsMachine *the);
extern void xs_udp6_write(xsMachine *the);
extern void xs_udp6_close(xsMachine *the);
extern void fake_lwip_inject(xsMachine *the);
extern void fake_pump_messages(xsMachine *the);
extern void fake_lwip_sent(xsMachine *the);
extern void fake_lwip_live_pcbs(xsMachine *the);
extern void fake_post_fails(xsMachine *the);
extern int fake_lwip_live_count(void);
extern void xs_hwrandom_fill(xsMachine *the);

static void harness_print(xsMachine *the)
{
	printf("%s\n", xsToString(xsArg(0)));
	fflush(stdout);
}

static void harness_new_host_object(xsMachine *the)
{
	char *kind = xsToString(xsArg(0));
	xsResult = xsNewHostObject(strcmp(kind, "udp6") ? xs_dtls_destructor : xs_udp6_destructor);
}

typedef struct { const char *name; xsCallback fn; } Method;

static const Method globals[] = {
	{ "lwipInject", fake_lwip_inject },
	{ "pumpMessages", fake_pump_messages },
	{ "lwipSent", fake_lwip_sent },
	{ "lwipLivePcbs", fake_lwip_live_pcbs },
	{ "postFails", fake_post_fails },
	{ "hwrandomFill", xs_hwrandom_fill },
};

static const Method udp6Methods[] = {
	{ "constructor", xs_udp6_constructor },
	{ "read", xs_udp6_read },
	{ "write", xs_udp6_write },
	{ "close", xs_udp6_close },
};

static const Method methods[] = {
	{ "create", xs_dtls_create },
	{ "setClientId", xs_dtls_set_client_id },
	{ "feed", xs_dtls_feed },
	{ "takeOutgoing", xs_dtls_take_outgoing },
	{ "write", xs_dtls_write },
	{ "read", xs_dtls_read },
	{ "handleTimer", xs_dtls_handle_timer },
	{ "nextDeadline", xs_dtls_next_deadline },
	{ "state", xs_dtls_state },
	{ "error", xs_dtls_error },
	{ "cipherSuite", xs_dtls_cipher_suite },
	{ "close", xs_dtls_close },
	{ "free", xs_dtls_free },
};

static char *readAll(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *text;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = malloc((size_t)n + 1);
	if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	if (text)
		text[n] = 0;
	fclose(f);
	return text;
}

int main(int argc, char *argv[])
{
	xsCreation creation = {
		4 * 1024 * 1024, 1024 * 1024, 64 * 1024, 16 * 1024, 4096, 4096, 1024, 1993, 127, 1024 * 1024, 1993, 0,
	};
	xsMachine *machine;
	char *script;
	volatile int status = 0;
	size_t i;

	if (argc != 2 || !(script = readAll(argv[1]))) {
		fprintf(stderr, "usage: harness <script.js>\n");
		return 2;
	}
	machine = xsCreateMachine(&creation, "xs-glue", NULL);
	xsBeginHost(machine);
	{
		xsVars(2);
		xsResult = xsNewHostFunction(harness_print, 1);
		xsDefine(xsGlobal, xsID("print"), xsResult, xsDontEnum);
		xsResult = xsNewHostFunction(harness_new_host_object, 1);
		xsDefine(xsGlobal, xsID("newHostObject"), xsResult, xsDontEnum);
		xsVar(0) = xsNewObject();
		for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
			xsVar(1) = xsNewHostFunction(methods[i].fn, 0);
			xsDefine(xsVar(0), xsID(methods[i].name), xsVar(1), xsDontEnum);
		}
		xsDefine(xsGlobal, xsID("dtls"), xsVar(0), xsDontEnum);
		xsVar(0) = xsNewObject();
		for (i = 0; i < sizeof(udp6Methods) / sizeof(udp6Methods[0]); i++) {
			xsVar(1) = xsNewHostFunction(udp6Methods[i].fn, 0);
			xsDefine(xsVar(0), xsID(udp6Methods[i].name), xsVar(1), xsDontEnum);
		}
		xsDefine(xsGlobal, xsID("udp6"), xsVar(0), xsDontEnum);
		for (i = 0; i < sizeof(globals) / sizeof(globals[0]); i++) {
			xsVar(1) = xsNewHostFunction(globals[i].fn, 0);
			xsDefine(xsGlobal, xsID(globals[i].name), xsVar(1), xsDontEnum);
		}
		xsTry {
			xsVar(1) = xsString(script);
			xsCall1(xsGlobal, xsID("eval"), xsVar(1));
		}
		xsCatch {
			fprintf(stderr, "uncaught: %s\n", xsToString(xsException));
			status = 1;
		}
	}
	xsEndHost(machine);
	/* Engines the script never freed are released here, through the glue's destructor. */
	xsDeleteMachine(machine);
	printf("{\"livePcbsAfterTeardown\":%d}\n", fake_lwip_live_count());
	free(script);
	return status;
}
