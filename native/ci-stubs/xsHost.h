/* CI stand-in for Moddable's xsHost.h. Declares only what native/udp6.c, xs_dtls.c and
 * hwrandom.c use: message posting to the VM, the critical section, the c_* allocators. */
#ifndef CI_STUB_XSHOST_H
#define CI_STUB_XSHOST_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef void (*modMessageDeliver)(void *the, void *refcon, uint8_t *message, uint16_t messageLength);
int modMessagePostToMachine(xsMachine *the, uint8_t *message, uint16_t messageLength, modMessageDeliver callback, void *refcon);

void modCriticalSectionBegin(void);
void modCriticalSectionEnd(void);

#define c_calloc calloc
#define c_free free
#define c_memcpy memcpy

#endif
