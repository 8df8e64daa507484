/* CI stand-in for lwIP's lwip/ip_addr.h (with ip6_addr.h and ip6_zone.h, which it includes),
 * configured dual-stack with IPv6 scopes as ESP-IDF builds lwIP. Only what native/udp6.c
 * uses; the struct layout follows lwIP 2.1 (union of ip6/ip4, then the type byte). */
#ifndef CI_STUB_LWIP_IP_ADDR_H
#define CI_STUB_LWIP_IP_ADDR_H
#include "lwip/arch.h"

#define LWIP_IPV6_SCOPES 1

typedef struct ip4_addr { u32_t addr; } ip4_addr_t;
typedef struct ip6_addr { u32_t addr[4]; u8_t zone; } ip6_addr_t;
typedef struct ip_addr {
  union { ip6_addr_t ip6; ip4_addr_t ip4; } u_addr;
  u8_t type;
} ip_addr_t;

enum lwip_ip_addr_type { IPADDR_TYPE_V4 = 0U, IPADDR_TYPE_V6 = 6U, IPADDR_TYPE_ANY = 46U };
enum lwip_ipv6_scope_type { IP6_UNKNOWN = 0, IP6_UNICAST = 1, IP6_MULTICAST = 2 };

extern const ip_addr_t ip_addr_any_type;
#define IP_ANY_TYPE (&ip_addr_any_type)

#define IP_IS_V6(ipaddr) (((ipaddr) != NULL) && ((ipaddr)->type == IPADDR_TYPE_V6))
#define ip_2_ip6(ipaddr) (&((ipaddr)->u_addr.ip6))
#define ip_2_ip4(ipaddr) (&((ipaddr)->u_addr.ip4))
#define ip_addr_copy(dest, src) ((dest) = (src))

int ipaddr_aton(const char *cp, ip_addr_t *addr);

struct netif;
int ip6_addr_lacks_zone(const ip6_addr_t *ip6addr, enum lwip_ipv6_scope_type type);
void ip6_addr_assign_zone(ip6_addr_t *ip6addr, enum lwip_ipv6_scope_type type, const struct netif *netif);
#endif
