/* What the portable firmware main loop (fw/) needs from a chip. Each target implements it under
 * hal/<target>/; names follow the ATmega32U4 hal where both exist. Pins are config-image pin bytes
 * (core/cfg.h PINS): a GPIO number on RP2040/RP2350. Time is the chip's free-running clock. */
#ifndef KESTREL_FW_HAL_H
#define KESTREL_FW_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/ktime.h"

void hal_init(void);                   /* clocks, timer, GPIO blocks; interrupts on */

bool hal_pin_valid(uint8_t pin);
void hal_pin_input_pullup(uint8_t pin);
/* Matrix select lines: "drive" pulls the line low, "release" makes it an input with pull-up,
 * which is how an unselected line must look to the other lines of a diode matrix. */
void hal_pin_drive_low(uint8_t pin);
void hal_pin_release(uint8_t pin);
bool hal_pin_read(uint8_t pin);        /* an invalid pin reads high (a released key) */
/* Optional fast path for scanning (fw/matrix.c has weak defaults that say "not available"):
 * hal_pins_word() is true when hal_pins_read_word() returns the levels of pins 0..30 at once,
 * bit n = pin n (bit 31 is free for the scanner's own use). */
bool hal_pins_word(void);
uint32_t hal_pins_read_word(void);
/* Optional too (the default reads pin by pin): bit r set when pins[r] reads low, n <= 32. For a
 * chip whose pins do not fit one word. */
uint32_t hal_pins_read_low(const uint8_t *pins, uint8_t n);
/* Optional (the default does nothing): the matrix names its read lines once, when it is set up and
 * before any hal_pins_read_low() of them, so a hal can work out per line what the reads need. */
void hal_pins_prepare(const uint8_t *pins, uint8_t n);
/* Wake the CPU from hal_sleep_until() when this input reads low (the key matrix with every select
 * line driven, or a direct pin); disarmed again by the first such wake-up. */
void hal_pin_wake_low(uint8_t pin, bool on);
/* Known when compiling, so that an image leaves out the code it can never run: whether the hal has
 * a pin word (hal_pins_word may still say no at run time) and whether a pin can wake the CPU (if
 * not, the chip's timer tick wakes it to scan). The ATmega32U4 has neither: its pins are on five
 * ports, and only port B and the INT pins could wake it (fw/matrix.c then has neither path; 0.4 KB
 * of its flash). */
#if defined(__AVR__)
#define HAL_PINS_WORD 0
#define HAL_PIN_WAKE 0
#endif
#ifndef HAL_PINS_WORD
#define HAL_PINS_WORD 1
#endif
#ifndef HAL_PIN_WAKE
#define HAL_PIN_WAKE 1
#endif
void hal_pin_settle(void);             /* the short wait between select and read */

/* Time. A chip whose timer counts the milliseconds itself (HAL_MS_CLOCK: the ATmega32U4, where
 * turning microseconds into the engine's milliseconds costs a 32-bit division and multiply, and
 * where the loop scans back to back anyway) gives hal_millis() and hal_sleep_until_ms(); the
 * others give hal_micros() and hal_sleep_until(). */
#if defined(__AVR__)
#define HAL_MS_CLOCK 1
#endif
#ifndef HAL_MS_CLOCK
#define HAL_MS_CLOCK 0
#endif
uint32_t hal_micros(void);             /* free-running, wraps after 71 minutes */
void hal_millis_start(void);           /* HAL_MS_CLOCK: engine time 0 is now */
ktime_t hal_millis(void);              /* HAL_MS_CLOCK: engine time, from hal_millis_start() */
void hal_delay_us(uint16_t us);
/* Sleeps until `wake_us` (hal_micros() time; ignored when !timed) or the next interrupt
 * (USB, armed pins). Returns at once if an interrupt is already pending. */
void hal_sleep_until(uint32_t wake_us, bool timed);
/* HAL_MS_CLOCK: returns at once once hal_millis() has reached `wake_ms` (when timed), else
 * sleeps until the next interrupt. */
void hal_sleep_until_ms(ktime_t wake_ms, bool timed);

/* The config region: where `kestrel build` put the config image (0xFF-filled when none). */
const uint8_t *hal_cfg_region(size_t *max);
/* A serial number for USB string descriptor 3: NUL-terminated hex text, stable per chip. */
const char *hal_serial(void);

/* Leaves the application for the chip's bootloader (enum cfg_bootloader); never returns. */
void hal_bootloader_jump(uint8_t bootloader) __attribute__((noreturn));
void hal_reset(void) __attribute__((noreturn)); /* reboot into the application */
void hal_uptime_mark(uint32_t ms);     /* the firmware has run this long (double-tap window) */

/* Bench probes: the emulator harness watches these words (see emu/rp2040/README.md). */
void hal_probe(unsigned which);

#endif
