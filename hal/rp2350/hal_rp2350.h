/* The RP2350 HAL's own functions (the rest of fw/hal.h is hal/rp2/hal_rp2.c, shared with the
 * RP2040): bring-up, watchdog, ROM services (BOOTSEL reboot, flash erase/program, chip id). The
 * init functions are also compiled for the host tests (tests/unit/test_rp2350*). */
#ifndef KESTREL_HAL_RP2350_HAL_H
#define KESTREL_HAL_RP2350_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hal/rp2350/memmap.h"

/* Busy-wait for roughly n clk_sys cycles (no-op in host builds). */
static inline void rp2350_spin(unsigned n)
{
#ifdef RP2_MMIO_HOST
    (void)n;
#else
    while (n--) __asm__ volatile("nop");
#endif
}

/* ---- clocks.c ---- */
void rp2350_resets_release(uint32_t mask);  /* take blocks out of reset, wait RESET_DONE */
void rp2350_resets_cycle(uint32_t mask);    /* reset, then release */
void rp2350_clocks_init(void);              /* XOSC, PLLs, clk_ref/sys/usb/peri, µs ticks */
void rp2350_periph_init(void);              /* IO_BANK0, PADS_BANK0, TIMER0 reset and released */

/* ---- watchdog.c ---- */
void rp2350_watchdog_start(uint32_t ms);
void rp2350_watchdog_feed(void);
__attribute__((noreturn)) void rp2350_reset(void);  /* full chip reset through the watchdog */

/* ---- rom.c (target only) ---- */
void *rp2350_rom_func(uint32_t code);       /* Arm Secure ROM function, NULL if absent */
__attribute__((noreturn)) void rp2350_reboot_bootsel(void);
/* Flash offsets (from the start of flash), erase: multiples of 4096; program: of 256. `data`
 * must be in RAM (flash is not readable while the ROM writes it). Interrupts are masked for the
 * duration. Returns false on bad alignment or a range outside the writable area (memmap.h). */
bool rp2350_flash_erase(uint32_t offset, uint32_t len);
/* The argument check of both: aligned, non-empty, inside [WRITABLE_START, WRITABLE_END). */
static inline bool rp2350_flash_range_ok(uint32_t offset, uint32_t len, uint32_t align)
{
    uint32_t lo = RP2350_WRITABLE_START - RP2350_FW_ORIGIN, hi = RP2350_WRITABLE_END - RP2350_FW_ORIGIN;
    return len != 0 && offset % align == 0 && len % align == 0 && offset >= lo && offset <= hi &&
           len <= hi - offset;
}
bool rp2350_flash_program(uint32_t offset, const uint8_t *data, uint32_t len);
/* The chip's 64-bit unique id (device and wafer id from the ROM's get_sys_info); false if the
 * ROM does not provide it. */
bool rp2350_chip_id(uint8_t id[8]);

#endif
