/* CI stand-in for lwIP's lwip/pbuf.h: the pbuf fields and calls native/udp6.c uses. */
#ifndef CI_STUB_LWIP_PBUF_H
#define CI_STUB_LWIP_PBUF_H
#include "lwip/arch.h"

typedef enum { PBUF_TRANSPORT = 74, PBUF_IP = 54, PBUF_LINK = 14, PBUF_RAW = 0 } pbuf_layer;
typedef enum { PBUF_RAM = 0x0280, PBUF_ROM = 0x01, PBUF_REF = 0x41, PBUF_POOL = 0x0182 } pbuf_type;

struct pbuf {
  struct pbuf *next;
  void *payload;
  u16_t tot_len;
  u16_t len;
};

struct pbuf *pbuf_alloc(pbuf_layer l, u16_t length, pbuf_type type);
u8_t pbuf_free(struct pbuf *p);
u16_t pbuf_copy_partial(const struct pbuf *p, void *dataptr, u16_t len, u16_t offset);
#endif
