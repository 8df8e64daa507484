/*
 * xs-sim-runner: one XS machine that holds a whole simulation (virtual clock, simulated
 * network, every node's firmware) and the device's own DTLS glue (native/xs_dtls.c over the
 * engine and Debian's mbedTLS) as in-process host functions, as a board has them. Nothing
 * crosses a process boundary while the simulation runs, so what it costs is XS interpreting
 * the firmware and the simulator, plus the C the firmware calls: the engine-against-engine
 * figure that bench/xs compares with the same simulation on Node.
 *
 * Usage: xs-sim-runner <bundle.js>
 * The bundle (host-sim/xs/in-process/bundle.ts) defines globalThis.handleLine. Each line read
 * on stdin is passed to it; its string result is written to stdout as one line starting with
 * "." (or "!" and the exception's message when it threw), then pending promise jobs run.
 * Diagnostics go to stderr. EOF on stdin ends the machine, freeing every DTLS engine the
 * firmware left open through the glue's destructor.
 *
 * Globals for the bundle: __natives (the xs_dtls_* host functions by their C names, which is
 * what `native("name")` resolves to, as xsc resolves it at build time), __newHostObject(name)
 * (the host object `Native(name)` gives a class instance), hostNow() (monotonic ms) and
 * print(text) (stderr), and TextEncoder as xsnap-worker has it. A build with mxProfile (build.ts's profiling variant) also has
 * startProfiling() and stopProfiling(path), XS's sampling profiler writing a .cpuprofile. A build
 * with mxMetering (the metering variant) also has meterNow(): the machine's count of executed
 * instructions, for measuring where a GET's work goes in units that do not depend on the clock.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "xs.h"

extern void fxRunLoop(xsMachine *the);
extern void modInstallTextEncoder(xsMachine *the);

#include "xs-dtls-natives.h"

#ifdef mxMetering
/* runner-meter.c: reads the machine's instruction count (xsAll.h cannot share a unit with xs.h). */
extern double xsSimRunnerMeter(xsMachine *the);
static void runner_meter_now(xsMachine *the)
{
	xsResult = xsNumber(xsSimRunnerMeter(the));
}
#endif

/* Read by the glue through mc.xs.h's xsID_Uint8Array (build.ts writes that header). */
xsIdentifier xsSimRunnerIdUint8Array;

typedef struct { const char *name; xsCallback fn; } Native;

static const Native natives[] = {
	{ "xs_dtls_create", xs_dtls_create },
	{ "xs_dtls_set_client_id", xs_dtls_set_client_id },
	{ "xs_dtls_feed", xs_dtls_feed },
	{ "xs_dtls_take_outgoing", xs_dtls_take_outgoing },
	{ "xs_dtls_write", xs_dtls_write },
	{ "xs_dtls_read", xs_dtls_read },
	{ "xs_dtls_handle_timer", xs_dtls_handle_timer },
	{ "xs_dtls_next_deadline", xs_dtls_next_deadline },
	{ "xs_dtls_state", xs_dtls_state },
	{ "xs_dtls_error", xs_dtls_error },
	{ "xs_dtls_cipher_suite", xs_dtls_cipher_suite },
	{ "xs_dtls_close", xs_dtls_close },
	{ "xs_dtls_free", xs_dtls_free },
};

static void runner_print(xsMachine *the)
{
	fprintf(stderr, "%s\n", xsToString(xsArg(0)));
	fflush(stderr);
}

static void runner_now(xsMachine *the)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	xsResult = xsNumber((double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6);
}

/* The only destructor the product's Native(...) classes name on this runner. */
static void runner_new_host_object(xsMachine *the)
{
	if (strcmp(xsToString(xsArg(0)), "xs_dtls_destructor"))
		xsUnknownError("no host class %s on this runner", xsToString(xsArg(0)));
	xsResult = xsNewHostObject(xs_dtls_destructor);
}

#ifdef mxProfile
static void runner_start_profiling(xsMachine *the)
{
	fxStartProfiling(the);
}

static void runner_stop_profiling(xsMachine *the)
{
	FILE *file = fopen(xsToString(xsArg(0)), "w");
	if (!file)
		xsUnknownError("cannot write %s", xsToString(xsArg(0)));
	fxStopProfiling(the, file); /* closes the file */
}
#endif

static char *readAll(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	char *text = NULL;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		text = malloc((size_t)n + 1);
		if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
			free(text);
			text = NULL;
		}
		if (text)
			text[n] = 0;
	}
	fclose(f);
	return text;
}

static void defineGlobals(xsMachine *machine)
{
	size_t i;
	xsBeginHost(machine);
	{
		xsVars(2);
		xsSimRunnerIdUint8Array = xsID("Uint8Array");
		xsResult = xsNewHostFunction(runner_print, 1);
		xsDefine(xsGlobal, xsID("print"), xsResult, xsDontEnum);
		xsResult = xsNewHostFunction(runner_now, 0);
		xsDefine(xsGlobal, xsID("hostNow"), xsResult, xsDontEnum);
		xsResult = xsNewHostFunction(runner_new_host_object, 1);
		xsDefine(xsGlobal, xsID("__newHostObject"), xsResult, xsDontEnum);
		xsVar(0) = xsNewObject();
		for (i = 0; i < sizeof(natives) / sizeof(natives[0]); i++) {
			xsVar(1) = xsNewHostFunction(natives[i].fn, 0);
			xsDefine(xsVar(0), xsID(natives[i].name), xsVar(1), xsDontEnum);
		}
		xsDefine(xsGlobal, xsID("__natives"), xsVar(0), xsDontEnum);
#ifdef mxMetering
		xsResult = xsNewHostFunction(runner_meter_now, 0);
		xsDefine(xsGlobal, xsID("meterNow"), xsResult, xsDontEnum);
#endif
#ifdef mxProfile
		xsResult = xsNewHostFunction(runner_start_profiling, 0);
		xsDefine(xsGlobal, xsID("startProfiling"), xsResult, xsDontEnum);
		xsResult = xsNewHostFunction(runner_stop_profiling, 1);
		xsDefine(xsGlobal, xsID("stopProfiling"), xsResult, xsDontEnum);
#endif
	}
	xsEndHost(machine);
}

/* Evaluates the bundle; 0 when it ran without an uncaught exception. */
static int evaluate(xsMachine *machine, const char *script)
{
	volatile int status = 0;
	xsBeginHost(machine);
	{
		xsVars(1);
		xsTry {
			xsVar(0) = xsString(script);
			xsCall1(xsGlobal, xsID("eval"), xsVar(0));
		}
		xsCatch {
			fprintf(stderr, "xs-sim-runner: bundle threw: %s\n", xsToString(xsException));
			status = 1;
		}
	}
	xsEndHost(machine);
	fxRunLoop(machine);
	return status;
}

static void answer(xsMachine *machine, const char *line)
{
	xsBeginHost(machine);
	{
		xsVars(1);
		xsTry {
			xsVar(0) = xsString(line);
			xsResult = xsCall1(xsGlobal, xsID("handleLine"), xsVar(0));
			printf(".%s\n", xsToString(xsResult));
		}
		xsCatch {
			char *message = xsToString(xsException);
			/* One line per answer: the protocol is line-based. */
			for (char *p = message; *p; p++)
				if (*p == '\n' || *p == '\r')
					*p = ' ';
			printf("!%s\n", message);
		}
	}
	xsEndHost(machine);
	fflush(stdout);
	fxRunLoop(machine);
}

int main(int argc, char *argv[])
{
	/* The creation xsnap-worker uses, so both XS hosts collect garbage alike. */
	xsCreation creation = {
		32 * 1024 * 1024, 4 * 1024 * 1024, 256 * 1024, 128 * 1024, 4096, 32000, 8000, 1993, 127,
		8192 * 1024, 1993, 0,
	};
	xsMachine *machine;
	char *script, *line = NULL;
	size_t capacity = 0;
	ssize_t length;
	int status;

	if (argc != 2 || !(script = readAll(argv[1]))) {
		fprintf(stderr, "usage: xs-sim-runner <bundle.js>\n");
		return 2;
	}
	machine = xsCreateMachine(&creation, "xs-sim", NULL);
	defineGlobals(machine);
	modInstallTextEncoder(machine);
	status = evaluate(machine, script);
	free(script);
	if (status == 0) {
		while ((length = getline(&line, &capacity, stdin)) > 0) {
			if (line[length - 1] == '\n')
				line[length - 1] = 0;
			answer(machine, line);
		}
	}
	free(line);
	xsDeleteMachine(machine);
	return status;
}
