/* The part of fw/hal.h that the RP2040 and RP2350 implement with the same code (hal/rp2/hal_rp2.c):
 * GPIO through SIO and the pads, the µs timer, its alarm and sleep. Each chip's own file provides
 * clocks, hal_init, the config region, the serial number and the ROM calls. */
#ifndef KESTREL_HAL_RP2_HAL_RP2_H
#define KESTREL_HAL_RP2_HAL_RP2_H

#include <stdint.h>

/* The last step of each chip's hal_init(): alarm 0 and the GPIO level interrupts wake the CPU,
 * interrupts on. The IO_BANK0, PADS_BANK0 and TIMER blocks must be out of reset. */
void rp2_hal_start(void);

/* Double-tap reset, the first step of each chip's hal_init(): a second RUN-pin reset within 500 ms
 * of the first calls enter_bootsel(), which does not return. watchdog_reason is the chip's
 * WATCHDOG_REASON register (non-zero after a watchdog reboot, which must not count as a tap).
 * hal_uptime_mark() (fw/hal.h) closes the window. */
void rp2_double_tap_check(uint32_t watchdog_reason, void (*enter_bootsel)(void));

/* The USB serial number both chips give: the flash or chip unique ID, 8 bytes, as 16 upper-case
 * hex digits (out holds 17 bytes with the terminator). */
void rp2_serial_hex(char out[17], const uint8_t id[8]);

/* Interrupt handlers for the chips' vector tables. */
void rp2_isr_timer0(void);
void rp2_isr_io(void);
void rp2_usb_isr(void); /* hal/rp2/dcd_rp2.c */

#endif
