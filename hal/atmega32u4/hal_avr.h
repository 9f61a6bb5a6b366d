/* The ATmega32U4 hardware layer: what the firmware main loop needs from the chip (clock, GPIO by
 * config pin byte, millisecond time, sleep, EEPROM, bootloader entry, the config region). */
#ifndef KESTREL_HAL_AVR_HAL_AVR_H
#define KESTREL_HAL_AVR_HAL_AVR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Flash map (byte addresses; see docs/boards/atmega32u4.md):
 *   0x0000 .. HAL_AVR_CFG_ADDR-1   vectors, firmware info block, code, .data initialisers
 *   HAL_AVR_CFG_ADDR .. 0x6FFF     config region (written by `kestrel build`; 0xFF = none)
 *   0x7000 .. 0x7FFF               Caterina / Atmel DFU (HalfKay uses only 0x7E00 .. 0x7FFF) */
#ifndef HAL_AVR_CFG_ADDR
#define HAL_AVR_CFG_ADDR 0x6000u
#endif
#define HAL_AVR_CFG_MAX  (0x7000u - HAL_AVR_CFG_ADDR)
#define HAL_AVR_APP_MAX  0x7000u /* 28,672 bytes: what Caterina and Atmel DFU leave */

/* The functions fw/hal.h asks of every chip, declared here too until fw/ lands. */
void hal_init(void);                 /* clock prescaler, JTAG off, 500 us timer tick, interrupts on */

/* Pins are config image pin bytes: port << 3 | bit, port B = 1 .. F = 5 (core/cfg.h PINS). */
bool hal_pin_valid(uint8_t pin);     /* exists on the 32U4 (no PC0-5, PE0-1/3-5/7, PF2-3) */
void hal_pin_input_pullup(uint8_t pin);
void hal_pin_drive_low(uint8_t pin);
void hal_pin_release(uint8_t pin);   /* input with pull-up */
bool hal_pin_read(uint8_t pin);      /* an invalid pin reads high (a released key) */
/* No pin wakes the CPU on this chip (only port B and five INT pins could): the 500 us timer tick
 * wakes it instead, so an idle matrix is still scanned at least every 500 us. */
void hal_pin_wake_low(uint8_t pin, bool on);
void hal_pin_settle(void);

uint32_t hal_micros(void);           /* timer 1, 500 us ticks + the counter; wraps after 71 min */
void hal_delay_us(uint16_t us);
void hal_sleep_until(uint32_t wake_us, bool timed);

const uint8_t *hal_cfg_region(size_t *max); /* program memory: read through CFG_RD8 */
const char *hal_serial(void);

/* Leaves the application for the bootloader named by enum cfg_bootloader; never returns. */
void hal_bootloader_jump(uint8_t bootloader) __attribute__((noreturn));
void hal_reset(void) __attribute__((noreturn)); /* watchdog reset back into the application */
void hal_uptime_mark(uint32_t ms);
void hal_probe(unsigned which);      /* GPIOR0 = which, for the harness's benchmarks */

/* This chip's extras. */
void hal_eeprom_read(uint16_t addr, void *dst, uint16_t n);
void hal_eeprom_write(uint16_t addr, const void *src, uint16_t n); /* only changed bytes */

#endif
