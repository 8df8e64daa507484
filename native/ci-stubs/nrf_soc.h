/* CI stand-in for the nRF5 SDK's nrf_soc.h: only the two SoftDevice RNG calls and
 * NRF_SUCCESS, used by native/hwrandom.c. */
#ifndef CI_STUB_NRF_SOC_H
#define CI_STUB_NRF_SOC_H
#include <stdint.h>
#define NRF_SUCCESS (0)
uint32_t sd_rand_application_bytes_available_get(uint8_t *p_bytes_available);
uint32_t sd_rand_application_vector_get(uint8_t *p_buff, uint8_t length);
#endif
