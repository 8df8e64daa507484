/*
 * A test double of lwIP (the calls native/udp6.c makes, declared in native/ci-stubs/lwip)
 * and of Moddable's message queue, so udp6.c runs on XS in the harness. "tcpip thread" work
 * runs inline; posted messages wait until the script calls pumpMessages(); datagrams arrive
 * when the script calls lwipInject(); sends are logged for lwipSent().
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xs.h"
#include "xsHost.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"
#include "lwip/priv/tcpip_priv.h"

struct udp_pcb {
	u8_t type;
	u16_t port;
	udp_recv_fn recv;
	void *arg;
};

struct netif {
	int index;
};

static struct netif wifi = { 3 };
struct netif *netif_default = &wifi;
const ip_addr_t ip_addr_any_type = { .type = IPADDR_TYPE_ANY };

static struct udp_pcb *lastPcb;
static int livePcbs;
static char sentLog[8192];

typedef struct { modMessageDeliver callback; void *refcon; } Message;
static Message messages[64];
static int messageCount;
int fakePostFails; /* the next posts fail, as a full Moddable queue does */

struct udp_pcb *udp_new_ip_type(u8_t type)
{
	struct udp_pcb *pcb = calloc(1, sizeof(*pcb));
	if (pcb) {
		pcb->type = type;
		livePcbs++;
	}
	return pcb;
}

err_t udp_bind(struct udp_pcb *pcb, const ip_addr_t *ipaddr, u16_t port)
{
	if (ipaddr != IP_ANY_TYPE || pcb->type != IPADDR_TYPE_ANY)
		return ERR_MEM; /* the test wants the dual-stack wildcard only */
	if (port == 7)
		return ERR_USE; /* "taken" in this double */
	pcb->port = port;
	return ERR_OK;
}

void udp_recv(struct udp_pcb *pcb, udp_recv_fn recv, void *recv_arg)
{
	pcb->recv = recv;
	pcb->arg = recv_arg;
	lastPcb = pcb;
}

err_t udp_sendto(struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *dst, u16_t port)
{
	char text[64];
	size_t used = strlen(sentLog);
	(void)pcb;
	if (IP_IS_V6(dst))
		inet_ntop(AF_INET6, dst->u_addr.ip6.addr, text, sizeof(text));
	else
		inet_ntop(AF_INET, &dst->u_addr.ip4.addr, text, sizeof(text));
	snprintf(sentLog + used, sizeof(sentLog) - used, "%s%s%%%d:%u:%u", used ? "," : "",
		text, IP_IS_V6(dst) ? dst->u_addr.ip6.zone : 0, port, p->tot_len);
	return ERR_OK;
}

void udp_remove(struct udp_pcb *pcb)
{
	if (lastPcb == pcb)
		lastPcb = NULL;
	free(pcb);
	livePcbs--;
}

struct pbuf *pbuf_alloc(pbuf_layer l, u16_t length, pbuf_type type)
{
	struct pbuf *p = malloc(sizeof(struct pbuf) + length);
	(void)l;
	(void)type;
	if (!p)
		return NULL;
	p->next = NULL;
	p->payload = p + 1;
	p->tot_len = p->len = length;
	return p;
}

u8_t pbuf_free(struct pbuf *p)
{
	free(p);
	return 1;
}

u16_t pbuf_copy_partial(const struct pbuf *p, void *dataptr, u16_t len, u16_t offset)
{
	memcpy(dataptr, (const u8_t *)p->payload + offset, len);
	return len;
}

int ipaddr_aton(const char *cp, ip_addr_t *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (strchr(cp, ':')) {
		addr->type = IPADDR_TYPE_V6;
		return inet_pton(AF_INET6, cp, addr->u_addr.ip6.addr) == 1;
	}
	addr->type = IPADDR_TYPE_V4;
	return inet_pton(AF_INET, cp, &addr->u_addr.ip4.addr) == 1;
}

int ip6_addr_lacks_zone(const ip6_addr_t *ip6addr, enum lwip_ipv6_scope_type type)
{
	const u8_t *b = (const u8_t *)ip6addr->addr;
	(void)type;
	return ip6addr->zone == 0 && b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
}

void ip6_addr_assign_zone(ip6_addr_t *ip6addr, enum lwip_ipv6_scope_type type, const struct netif *netif)
{
	(void)type;
	ip6addr->zone = (u8_t)netif->index;
}

err_t tcpip_api_call(tcpip_api_call_fn fn, struct tcpip_api_call_data *call)
{
	call->err = fn(call);
	return call->err;
}

int modMessagePostToMachine(xsMachine *the, uint8_t *message, uint16_t messageLength, modMessageDeliver callback, void *refcon)
{
	(void)the;
	(void)message;
	(void)messageLength;
	if (fakePostFails > 0) {
		fakePostFails--;
		return -1;
	}
	if (messageCount == 64)
		return -1;
	messages[messageCount].callback = callback;
	messages[messageCount].refcon = refcon;
	messageCount++;
	return 0;
}

void modCriticalSectionBegin(void) {}
void modCriticalSectionEnd(void) {}

/* lwipInject(buffer, address, port): a datagram arrives on the last opened PCB. */
void fake_lwip_inject(xsMachine *the)
{
	ip_addr_t from;
	struct pbuf *p;
	xsIntegerValue length = xsGetArrayBufferLength(xsArg(0));
	if (!lastPcb)
		xsUnknownError("no open pcb");
	if (!ipaddr_aton(xsToString(xsArg(1)), &from))
		xsUnknownError("bad address");
	p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)length, PBUF_RAM);
	xsGetArrayBufferData(xsArg(0), 0, p->payload, length);
	lastPcb->recv(lastPcb->arg, lastPcb, p, &from, (u16_t)xsToInteger(xsArg(2)));
}

/* pumpMessages(): the VM's message loop runs; returns how many were delivered. */
void fake_pump_messages(xsMachine *the)
{
	int n = messageCount, i;
	Message pending[64];
	memcpy(pending, messages, sizeof(Message) * (size_t)n);
	messageCount = 0;
	for (i = 0; i < n; i++)
		pending[i].callback(the, pending[i].refcon, NULL, 0);
	xsResult = xsInteger(n);
}

/* lwipSent(): "address%zone:port:length,..." since the last call. */
void fake_lwip_sent(xsMachine *the)
{
	xsResult = xsString(sentLog);
	sentLog[0] = 0;
}

void fake_lwip_live_pcbs(xsMachine *the)
{
	xsResult = xsInteger(livePcbs);
}

int fake_lwip_live_count(void)
{
	return livePcbs;
}

void fake_post_fails(xsMachine *the)
{
	fakePostFails = xsToInteger(xsArg(0));
}
