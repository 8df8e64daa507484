/*
 * udp6: a dual-stack lwIP UDP socket for XS, behind src/platform/moddable/udp6.ts, with the
 * shape of ECMA-419 `embedded:io/socket/udp` (constructor, read, write, close, onReadable).
 *
 * Why: Moddable's own UDP calls udp_new() and binds IP_ADDR_ANY, which makes an IPv4-only PCB,
 * and formats addresses into 32 bytes (moddable-target.md §0.1). Here the PCB is
 * udp_new_ip_type(IPADDR_TYPE_ANY) bound to IP_ANY_TYPE, so IPv6 and IPv4 peers share it.
 *
 * Threads: lwIP runs on the tcpip thread and JS on the VM thread.
 *   - Every lwIP PCB call goes to the tcpip thread through tcpip_api_call (blocking).
 *   - The receive callback (tcpip thread) copies the datagram into a fixed ring allocated with
 *     the socket (no allocation per datagram), then posts one message to the VM; a pending
 *     flag turns a burst into one onReadable(count).
 *   - read() (VM thread) takes the oldest slot. Ring indices change only inside
 *     modCriticalSection; the producer fills a slot beyond `count`, which the reader never
 *     touches.
 *   - close() removes the PCB (no callback runs after udp_remove returns); if a message is
 *     still queued for the VM, its delivery frees the record instead.
 *
 * Addresses: IPv6 is printed in all eight groups, lower-case, never "::"-compressed
 * (coaps-cli.md §1.6); IPv4 as a dotted quad. 46 bytes hold either.
 * Not done: multicast (MLD6 joins), IPv4-mapped IPv6 peer text.
 */
#include <stddef.h>
#include <stdint.h>
#include "xsmc.h"
#include "xsHost.h"
#include "mc.xs.h"
#include "mc.defines.h"

#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/udp.h"
#include "lwip/priv/tcpip_priv.h"

#ifndef MODDEF_UDP6_QUEUE_LENGTH
#define MODDEF_UDP6_QUEUE_LENGTH (4)
#endif
#ifndef MODDEF_UDP6_MAX_DATAGRAM
#define MODDEF_UDP6_MAX_DATAGRAM (1280) /* IPv6 minimum MTU; a CoAPS record is at most ~960 */
#endif
#define ADDRESS_TEXT_SIZE (46)

typedef struct {
	ip_addr_t address;
	uint16_t port;
	uint16_t length;
	uint8_t data[MODDEF_UDP6_MAX_DATAGRAM];
} Udp6Slot;

typedef struct {
	xsMachine *the;
	xsSlot obj;
	xsSlot onReadable;
	struct udp_pcb *pcb;
	uint8_t hasOnReadable;
	volatile uint8_t pending; /* a delivery message is queued for the VM */
	volatile uint8_t closed;  /* closed while a delivery was queued: the delivery frees */
	volatile uint8_t head;
	volatile uint8_t count;
	uint32_t dropped;         /* datagrams dropped: queue full or larger than a slot */
	Udp6Slot slots[MODDEF_UDP6_QUEUE_LENGTH];
} Udp6Record;

/* tcpip_api_call argument; `call` must come first. */
typedef struct {
	struct tcpip_api_call_data call;
	Udp6Record *udp;
	uint16_t port;
	ip_addr_t address;
	struct pbuf *packet;
} Udp6Call;

void xs_udp6_destructor(void *data);

static const xsHostHooks xsUdp6Hooks = { xs_udp6_destructor, NULL, NULL };

static void udp6Deliver(void *theIn, void *refcon, uint8_t *message, uint16_t messageLength);

/* tcpip thread */
static void udp6Receive(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *address, u16_t port)
{
	Udp6Record *udp = arg;
	Udp6Slot *slot = NULL;
	uint8_t post = 0;

	(void)pcb;
	if (p->tot_len <= MODDEF_UDP6_MAX_DATAGRAM) {
		modCriticalSectionBegin();
		if (udp->count < MODDEF_UDP6_QUEUE_LENGTH)
			slot = &udp->slots[(udp->head + udp->count) % MODDEF_UDP6_QUEUE_LENGTH];
		modCriticalSectionEnd();
	}
	if (slot) {
		ip_addr_copy(slot->address, *address);
		slot->port = port;
		slot->length = pbuf_copy_partial(p, slot->data, p->tot_len, 0);
		modCriticalSectionBegin();
		udp->count += 1;
		post = !udp->pending;
		udp->pending = 1;
		modCriticalSectionEnd();
	}
	else
		udp->dropped += 1;
	pbuf_free(p);

	if (post && modMessagePostToMachine(udp->the, NULL, 0, udp6Deliver, udp) != 0) {
		modCriticalSectionBegin();
		udp->pending = 0; /* queue full: the next datagram posts again */
		modCriticalSectionEnd();
	}
}

/* VM thread */
static void udp6Deliver(void *theIn, void *refcon, uint8_t *message, uint16_t messageLength)
{
	xsMachine *the = theIn;
	Udp6Record *udp = refcon;
	uint8_t closed, count;

	(void)message;
	(void)messageLength;
	modCriticalSectionBegin();
	udp->pending = 0;
	closed = udp->closed;
	count = udp->count;
	modCriticalSectionEnd();

	if (closed) {
		c_free(udp);
		return;
	}
	if (!count || !udp->hasOnReadable)
		return;
	xsBeginHost(the);
	xsmcSetInteger(xsResult, count);
	xsCallFunction1(udp->onReadable, udp->obj, xsResult);
	xsEndHost(the);
}

/* tcpip thread */
static err_t udp6OpenOnTcpip(struct tcpip_api_call_data *call)
{
	Udp6Call *c = (Udp6Call *)call;
	struct udp_pcb *pcb = udp_new_ip_type(IPADDR_TYPE_ANY);
	err_t err;

	if (!pcb)
		return ERR_MEM;
	err = udp_bind(pcb, IP_ANY_TYPE, c->port);
	if (err != ERR_OK) {
		udp_remove(pcb);
		return err;
	}
	udp_recv(pcb, udp6Receive, c->udp);
	c->udp->pcb = pcb;
	return ERR_OK;
}

/* tcpip thread */
static err_t udp6SendOnTcpip(struct tcpip_api_call_data *call)
{
	Udp6Call *c = (Udp6Call *)call;
	err_t err;
#if LWIP_IPV6_SCOPES
	/* A link-local peer typed without "%zone" goes out on the default interface (Wi-Fi STA). */
	if (IP_IS_V6(&c->address) && ip6_addr_lacks_zone(ip_2_ip6(&c->address), IP6_UNICAST) && netif_default)
		ip6_addr_assign_zone(ip_2_ip6(&c->address), IP6_UNICAST, netif_default);
#endif
	err = udp_sendto(c->udp->pcb, c->packet, &c->address, c->port);
	pbuf_free(c->packet);
	return err;
}

/* tcpip thread */
static err_t udp6RemoveOnTcpip(struct tcpip_api_call_data *call)
{
	Udp6Call *c = (Udp6Call *)call;
	udp_remove(c->udp->pcb);
	c->udp->pcb = NULL;
	return ERR_OK;
}

/* VM thread (close) or GC/teardown (destructor): never calls XS. */
static void udp6Release(Udp6Record *udp)
{
	uint8_t pending;

	if (udp->pcb) {
		Udp6Call c;
		c.udp = udp;
		tcpip_api_call(udp6RemoveOnTcpip, &c.call);
	}
	modCriticalSectionBegin();
	pending = udp->pending;
	udp->closed = 1;
	modCriticalSectionEnd();
	if (!pending)
		c_free(udp);
}

void xs_udp6_destructor(void *data)
{
	if (data)
		udp6Release(data);
}

static Udp6Record *udp6Of(xsMachine *the)
{
	Udp6Record *udp = xsmcGetHostDataValidate(xsThis, (void *)&xsUdp6Hooks);
	if (!udp)
		xsUnknownError("closed");
	return udp;
}

static uint16_t portValue(xsMachine *the, xsSlot *value)
{
	xsIntegerValue port = xsmcToInteger(*value);
	if ((port < 0) || (port > 65535))
		xsRangeError("invalid port");
	return (uint16_t)port;
}

static char *putHex16(char *out, unsigned value)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 12;
	while ((shift > 0) && !((value >> shift) & 0xF))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*out++ = digits[(value >> shift) & 0xF];
	return out;
}

static char *putDecimal8(char *out, unsigned value)
{
	if (value >= 100)
		*out++ = (char)('0' + value / 100);
	if (value >= 10)
		*out++ = (char)('0' + (value / 10) % 10);
	*out++ = (char)('0' + value % 10);
	return out;
}

static void formatAddress(const ip_addr_t *address, char out[ADDRESS_TEXT_SIZE])
{
	char *p = out;
	int i;
	if (IP_IS_V6(address)) {
		const uint8_t *bytes = (const uint8_t *)ip_2_ip6(address)->addr; /* network order */
		for (i = 0; i < 8; i++) {
			if (i)
				*p++ = ':';
			p = putHex16(p, ((unsigned)bytes[2 * i] << 8) | bytes[2 * i + 1]);
		}
	}
	else {
		const uint8_t *bytes = (const uint8_t *)&ip_2_ip4(address)->addr;
		for (i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			p = putDecimal8(p, bytes[i]);
		}
	}
	*p = 0;
}

/* ({port?, onReadable?}): ECMA-419's options object, handed over whole so that the JS
 * constructor is a bare native call (the only shape xsc compiles to a direct host call). */
void xs_udp6_constructor(xsMachine *the)
{
	uint16_t port;
	Udp6Record *udp;
	Udp6Call c;
	err_t err;

	if (xsmcArgc < 1)
		xsTypeError("no options");
	xsmcVars(2);
	xsmcGet(xsVar(0), xsArg(0), xsID_port); /* absent: undefined, i.e. port 0 */
	port = portValue(the, &xsVar(0));
	xsmcGet(xsVar(1), xsArg(0), xsID_onReadable);

	/* Receiver check before anything is allocated: a host object without a socket yet. */
	if (xsmcGetHostData(xsThis))
		xsUnknownError("already open");

	udp = c_calloc(1, sizeof(Udp6Record));
	if (!udp)
		xsUnknownError("no memory");
	udp->the = the;
	udp->obj = xsThis;
	if (xsmcIsCallable(xsVar(1))) {
		udp->onReadable = xsVar(1);
		udp->hasOnReadable = 1;
	}

	c.udp = udp;
	c.port = port;
	err = tcpip_api_call(udp6OpenOnTcpip, &c.call);
	if (err != ERR_OK) {
		c_free(udp);
		if (err == ERR_USE)
			xsUnknownError("bind failed: port in use");
		xsUnknownError("bind failed");
	}

	xsmcSetHostData(xsThis, udp);
	xsSetHostHooks(xsThis, &xsUdp6Hooks);
	xsRemember(udp->obj); /* an open socket stays alive until close() */
	if (udp->hasOnReadable)
		xsRemember(udp->onReadable);
}

void xs_udp6_close(xsMachine *the)
{
	Udp6Record *udp = xsmcGetHostDataValidate(xsThis, (void *)&xsUdp6Hooks);
	if (!udp)
		return; /* already closed */
	xsmcSetHostData(xsThis, NULL);
	xsForget(udp->obj);
	if (udp->hasOnReadable)
		xsForget(udp->onReadable);
	udp6Release(udp);
}

/* () -> ArrayBuffer with .address and .port, or undefined when nothing is queued */
void xs_udp6_read(xsMachine *the)
{
	Udp6Record *udp = udp6Of(the);
	Udp6Slot *slot;
	char text[ADDRESS_TEXT_SIZE];

	if (!udp->count)
		return;
	slot = &udp->slots[udp->head];
	formatAddress(&slot->address, text);

	xsmcVars(1);
	xsmcSetArrayBuffer(xsResult, slot->data, slot->length);
	xsmcSetString(xsVar(0), text);
	xsmcSet(xsResult, xsID_address, xsVar(0));
	xsmcSetInteger(xsVar(0), slot->port);
	xsmcSet(xsResult, xsID_port, xsVar(0));

	modCriticalSectionBegin();
	udp->head = (uint8_t)((udp->head + 1) % MODDEF_UDP6_QUEUE_LENGTH);
	udp->count -= 1;
	modCriticalSectionEnd();
}

/* (buffer, address, port) */
void xs_udp6_write(xsMachine *the)
{
	Udp6Record *udp = udp6Of(the);
	char text[ADDRESS_TEXT_SIZE];
	void *data;
	xsUnsignedValue length;
	Udp6Call c;

	xsmcToStringBuffer(xsArg(1), text, sizeof(text));
	if (!ipaddr_aton(text, &c.address))
		xsRangeError("invalid address");
	c.port = portValue(the, &xsArg(2));
	c.udp = udp;

	xsmcGetBufferReadable(xsArg(0), &data, &length);
	if (length > 0xFFFF)
		xsRangeError("too big");
	c.packet = pbuf_alloc(PBUF_TRANSPORT, (u16_t)length, PBUF_RAM);
	if (!c.packet)
		xsUnknownError("UDP send failed");
	c_memcpy(c.packet->payload, data, length); /* no XS call since data was fetched */

	if (tcpip_api_call(udp6SendOnTcpip, &c.call) != ERR_OK)
		xsUnknownError("UDP send failed");
}
