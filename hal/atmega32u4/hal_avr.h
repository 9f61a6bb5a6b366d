/* The ATmega32U4 hardware layer: what the firmware main loop needs from the chip (clock, GPIO by
 * config pin byte, millisecond time, sleep, EEPROM, bootloader entry, the config region). */
#ifndef KESTREL_HAL_AVR_HAL_AVR_H
#define KESTREL_HAL_AVR_HAL_AVR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Flash map (byte addresses; see docs/boards/atmega32u4.md):
 *   0x0000 .. __data_load_end-1    vectors, firmware info block, code, .data initialisers
 *   __data_load_end .. 0x6FFF      config region (written by `kestrel build`; 0xFF = none)
 *   0x7000 .. 0x7FFF               Caterina / Atmel DFU (HalfKay uses only 0x7E00 .. 0x7FFF)
 * The firmware info block tells `kestrel build` where the region starts and how big it is. */
#define HAL_AVR_APP_MAX  0x7000u /* 28,672 bytes: what Caterina and Atmel DFU leave */

/* fw/hal.h is what the portable main loop asks of every chip. On this one: pins are config image
 * pin bytes, port << 3 | bit, port B = 1 .. F = 5 (QMK's B0..F7); no pin wakes the CPU (only port B
 * and five INT pins could), the 500 us timer tick does, so an idle matrix is scanned at least that
 * often; time is timer 1; the config region is program memory, read through CFG_RD8. */
#include "fw/hal.h"

/* This chip's extras. */
void hal_eeprom_read(uint16_t addr, void *dst, uint16_t n);
void hal_eeprom_write(uint16_t addr, const void *src, uint16_t n); /* only changed bytes */

#endif
