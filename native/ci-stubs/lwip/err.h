/* CI stand-in for lwIP's lwip/err.h: err_t and the three codes native/udp6.c tests. */
#ifndef CI_STUB_LWIP_ERR_H
#define CI_STUB_LWIP_ERR_H
typedef signed char err_t;
#define ERR_OK (0)
#define ERR_MEM (-1)
#define ERR_USE (-8)
#endif
