/* CI stand-in for ESP-IDF's esp_random.h: only esp_fill_random, used by native/hwrandom.c. */
#ifndef CI_STUB_ESP_RANDOM_H
#define CI_STUB_ESP_RANDOM_H
#include <stddef.h>
void esp_fill_random(void *buf, size_t len);
#endif
