/*
 * The entry points of native/xs_dtls.c, for the host programs that call the glue directly
 * (host-sim/xs/in-process/runner.c, test/device/xs-glue/harness.c). On a board mcconfig
 * binds them from the `native("...")` names in src/platform/moddable/dtls-native.ts.
 */
#ifndef XS_DTLS_NATIVES_H
#define XS_DTLS_NATIVES_H

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

#endif
