/*
 * Runs native/xs_dtls.c on the real XS engine (the objects @agoric/xsnap built on install),
 * with the real DTLS engine over Debian's mbedTLS: a JS script drives two engines through the
 * glue exactly as src/platform/moddable/dtls-native.ts does (host object with the glue's
 * destructor, each method a host function called with .call(receiver, ...)).
 *
 * Usage: harness <script.js>. Globals: print(text), newHostObject() (what Native("...")
 * gives a class instance), dtls.{create, feed, ...} (the native("xs_dtls_*") functions).
 * Exit status 0 when the script ran without an uncaught exception.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs.h"

extern void xs_dtls_destructor(void *data);
extern void xs_dtls_create(xsMachine *the);
extern void xs_dtls_set_client_id(xsMachine *the);
extern void xs_dtls_feed(xsMachine *the);
extern void xs_dtls_take_outgoing(xsMachine *the);
extern void xs_dtls_write(xsMachine *the);
extern void xs_dtls_read(xsMachine *the);
extern void xs_dtls_handle_timer(xsMachine *the);
extern void xs_dtls_next_deadline(xsMachine *the);
extern void xs_dtls_state(xsMachine *the);
extern void xs_dtls_error(xsMachine *the);
extern void xs_dtls_cipher_suite(xsMachine *the);
extern void xs_dtls_close(xsMachine *the);
extern void xs_dtls_free(xsMachine *the);

static void harness_print(xsMachine *the)
{
	printf("%s\n", xsToString(xsArg(0)));
	fflush(stdout);
}

static void harness_new_host_object(xsMachine *the)
{
	xsResult = xsNewHostObject(xs_dtls_destructor);
}

static const struct { const char *name; xsCallback fn; } methods[] = {
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
		4 * 1024 * 1024, 1024 * 1024, 64 * 1024, 16 * 1024, 4096, 4096, 1024, 1993, 127, 1024 * 1024, 1993,
	};
	xsMachine *machine;
	char *script;
	int status = 0;
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
		xsResult = xsNewHostFunction(harness_new_host_object, 0);
		xsDefine(xsGlobal, xsID("newHostObject"), xsResult, xsDontEnum);
		xsVar(0) = xsNewObject();
		for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
			xsVar(1) = xsNewHostFunction(methods[i].fn, 0);
			xsDefine(xsVar(0), xsID(methods[i].name), xsVar(1), xsDontEnum);
		}
		xsDefine(xsGlobal, xsID("dtls"), xsVar(0), xsDontEnum);
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
	free(script);
	return status;
}
