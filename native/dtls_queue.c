/* dtls_queue.c: see dtls_queue.h. */
#include "dtls_queue.h"

#include <stdlib.h>
#include <string.h>

#define ENTRY_HEADER 2 /* u16 length, big-endian */

int dtls_queue_init(dtls_queue *q, size_t cap) {
  q->buf = (uint8_t *)malloc(cap);
  q->cap = q->buf != NULL ? cap : 0;
  q->head = q->tail = 0;
  return q->buf != NULL;
}

void dtls_queue_free(dtls_queue *q) {
  free(q->buf);
  q->buf = NULL;
  q->cap = q->head = q->tail = 0;
}

size_t dtls_queue_room(dtls_queue *q) {
  if (q->head == q->tail) q->head = q->tail = 0;
  if (q->head > 0 && q->cap - q->tail < q->cap / 2) {
    memmove(q->buf, q->buf + q->head, q->tail - q->head);
    q->tail -= q->head;
    q->head = 0;
  }
  size_t room = q->cap - q->tail;
  if (room <= ENTRY_HEADER) return 0;
  room -= ENTRY_HEADER;
  return room > 0xFFFF ? 0xFFFF : room;
}

size_t dtls_queue_max_entry(const dtls_queue *q) {
  if (q->cap <= ENTRY_HEADER) return 0;
  return q->cap - ENTRY_HEADER > 0xFFFF ? 0xFFFF : q->cap - ENTRY_HEADER;
}

uint8_t *dtls_queue_slot(dtls_queue *q) { return q->buf + q->tail + ENTRY_HEADER; }

void dtls_queue_commit(dtls_queue *q, size_t len) {
  q->buf[q->tail] = (uint8_t)(len >> 8);
  q->buf[q->tail + 1] = (uint8_t)len;
  q->tail += ENTRY_HEADER + len;
}

size_t dtls_queue_used(const dtls_queue *q) { return q->tail - q->head; }

void dtls_queue_truncate(dtls_queue *q, size_t used) {
  q->tail = q->head + used;
  if (q->head == q->tail) q->head = q->tail = 0;
}

size_t dtls_queue_front_size(const dtls_queue *q) {
  if (q->head == q->tail) return 0;
  return ((size_t)q->buf[q->head] << 8) | q->buf[q->head + 1];
}

size_t dtls_queue_pop(dtls_queue *q, uint8_t *dst, size_t cap) {
  if (q->head == q->tail) return 0;
  size_t len = dtls_queue_front_size(q);
  if (len > cap) return (size_t)-1;
  memcpy(dst, q->buf + q->head + ENTRY_HEADER, len);
  q->head += ENTRY_HEADER + len;
  if (q->head == q->tail) q->head = q->tail = 0;
  return len;
}
