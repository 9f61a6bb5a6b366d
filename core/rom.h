/* Constant tables in program memory on AVR (where const data would otherwise be copied to RAM),
 * ordinary const data elsewhere. */
#ifndef KESTREL_CORE_ROM_H
#define KESTREL_CORE_ROM_H

#include <stdint.h>

#if defined(__AVR__)
#include <avr/pgmspace.h>
#define ROM_DATA PROGMEM
#define ROM_RD16(p) pgm_read_word(p)
#define ROM_RD8(p) pgm_read_byte(p)
#define ROM_RDPTR(p) ((const void *)pgm_read_ptr(p))
#else
#define ROM_DATA
#define ROM_RD16(p) (*(const uint16_t *)(p))
#define ROM_RD8(p) (*(const uint8_t *)(p))
#define ROM_RDPTR(p) (*(const void *const *)(p))
#endif

#endif
