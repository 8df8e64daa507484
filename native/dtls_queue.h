/*
 * dtls_queue: a fixed-size FIFO of whole datagrams or records, stored as [u16 length][bytes].
 * The engine keeps two (datagrams to send, application records received). The buffer is
 * allocated once by dtls_queue_init; nothing else allocates, so a connected session costs no
 * heap per record. An entry is written in place: reserve room with dtls_queue_room, write at
 * dtls_queue_slot, then dtls_queue_commit its length.
 */
#ifndef DTLS_QUEUE_H
#define DTLS_QUEUE_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  uint8_t *buf;
  size_t cap, head, tail; /* bytes [head, tail) hold entries */
} dtls_queue;

/* Returns 1 when the buffer of `cap` bytes was allocated, else 0 (free is still safe). */
int dtls_queue_init(dtls_queue *q, size_t cap);
void dtls_queue_free(dtls_queue *q);

/* Contiguous room for one more entry's payload (at most 0xFFFF), compacting first. */
size_t dtls_queue_room(dtls_queue *q);
/* The largest entry an empty queue holds. */
size_t dtls_queue_max_entry(const dtls_queue *q);
/* Where the next entry's payload goes; valid for dtls_queue_room() bytes. */
uint8_t *dtls_queue_slot(dtls_queue *q);
/* Appends the entry of `len` bytes written at dtls_queue_slot(). */
void dtls_queue_commit(dtls_queue *q, size_t len);

/* Bytes held, entry headers included; compaction never changes it. */
size_t dtls_queue_used(const dtls_queue *q);
/* Drops the newest entries until dtls_queue_used() is `used` (an earlier reading). */
void dtls_queue_truncate(dtls_queue *q, size_t used);

/* Length of the oldest entry, 0 if empty. */
size_t dtls_queue_front_size(const dtls_queue *q);
/* Copies the oldest entry into dst and drops it. Returns its length, 0 if empty, or
 * (size_t)-1 (entry kept) if cap is too small. */
size_t dtls_queue_pop(dtls_queue *q, uint8_t *dst, size_t cap);

#endif
