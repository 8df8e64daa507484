/* CI stand-in for lwIP's lwip/netif.h: only netif_default, used by native/udp6.c. */
#ifndef CI_STUB_LWIP_NETIF_H
#define CI_STUB_LWIP_NETIF_H
struct netif;
extern struct netif *netif_default;
#endif
