/* CI stand-in for lwIP's lwip/priv/tcpip_priv.h: tcpip_api_call, which runs a function on
 * the tcpip thread and waits for it (native/udp6.c marshals every PCB call through it). The
 * real struct also holds a semaphore when core locking is off; callers never touch it. */
#ifndef CI_STUB_LWIP_TCPIP_PRIV_H
#define CI_STUB_LWIP_TCPIP_PRIV_H
#include "lwip/err.h"

struct tcpip_api_call_data {
  err_t err;
};
typedef err_t (*tcpip_api_call_fn)(struct tcpip_api_call_data *call);
err_t tcpip_api_call(tcpip_api_call_fn fn, struct tcpip_api_call_data *call);
#endif
