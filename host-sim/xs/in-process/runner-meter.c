/*
 * The metering variant of xs-sim-runner reads the machine's instruction count here: the count
 * lives in txMachine (xsAll.h), which cannot be included next to xs.h in runner.c.
 */
#include "xsAll.h"

double xsSimRunnerMeter(txMachine *the);

double xsSimRunnerMeter(txMachine *the)
{
#ifdef mxMetering
	return (double)the->meterIndex;
#else
	(void)the;
	return 0;
#endif
}
