/* The RP2350 HAL's public functions: bring-up, pins, time, watchdog, ROM services (BOOTSEL
 * reboot, flash erase/program). The portable layers above call these through the shared HAL
 * interface; the init functions are also compiled for the host tests (tests/unit/test_rp2350*). */
#ifndef KESTREL_HAL_RP2350_HAL_H
#define KESTREL_HAL_RP2350_HAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
void rp2350_periph_init(void);              /* IO_BANK0, PADS_BANK0, TIMER0 out of reset */

/* ---- gpio.c ----
 * Every pin a keyboard uses is an input with a pull-up (RP2350-E9: never a pull-down), and a
 * "driven" pin is the same pad with SIO OE set and OUT = 0: active-low scanning in both diode
 * directions. Pad ISO is cleared and IE set for each configured pin. */
void rp2350_pin_init(unsigned pin);         /* SIO function, pull-up input, isolation removed */
void rp2350_pin_drive_low(unsigned pin);    /* OE on (OUT is 0) */
void rp2350_pin_release(unsigned pin);      /* OE off: the pull-up takes the line high */
uint32_t rp2350_pins_read(void);            /* GPIO_IN, bit n = GPIOn */

/* ---- usb_phy.c ---- */
void rp2350_usb_power_up(void);             /* USBCTRL out of reset, PHY isolation removed */

/* ---- timer.c ---- */
uint64_t rp2350_time_us(void);
uint32_t rp2350_time_us32(void);

/* ---- watchdog.c ---- */
void rp2350_watchdog_start(uint32_t ms);
void rp2350_watchdog_feed(void);
__attribute__((noreturn)) void rp2350_reset(void);                   /* full chip reset through the watchdog */

/* ---- rom.c (target only) ---- */
void *rp2350_rom_func(uint32_t code);       /* Arm Secure ROM function, NULL if absent */
__attribute__((noreturn)) void rp2350_reboot_bootsel(void);          /* no return */
/* Flash offsets (from the start of flash), erase: multiples of 4096; program: of 256. `data`
 * must be in RAM (flash is not readable while the ROM writes it). Interrupts are masked for the
 * duration. Returns false on bad alignment or a range outside the writable area. */
bool rp2350_flash_erase(uint32_t offset, uint32_t len);
bool rp2350_flash_program(uint32_t offset, const uint8_t *data, uint32_t len);

#endif
