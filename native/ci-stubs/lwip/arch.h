/* CI stand-in for lwIP's lwip/arch.h: only the integer types native/udp6.c uses. */
#ifndef CI_STUB_LWIP_ARCH_H
#define CI_STUB_LWIP_ARCH_H
#include <stdint.h>
typedef uint8_t u8_t;
typedef uint16_t u16_t;
typedef uint32_t u32_t;
#endif
