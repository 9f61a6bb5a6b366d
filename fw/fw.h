/* The portable firmware main loop: scan, debounce, engine, reports to USB, sleep until the next
 * deadline or interrupt. A target's main() calls fw_run() after nothing else. */
#ifndef KESTREL_FW_FW_H
#define KESTREL_FW_FW_H

void fw_run(void) __attribute__((noreturn));

/* While any key is down the matrix is scanned at this period (a press while all keys are up
 * wakes the CPU by interrupt and is scanned at once). A chip may set it (0: scan back to back). */
#ifndef FW_SCAN_PERIOD_US
#define FW_SCAN_PERIOD_US 500u
#endif
/* For this long after start the loop wakes every 50 ms even when idle, so hal_uptime_mark() sees
 * a double-tap window close in time; 0 where the hal has no such window (the ATmega32U4: every
 * bootloader there has its own way in), which leaves the code out. */
#ifndef FW_UPTIME_WAKE_MS
#if defined(__AVR__)
#define FW_UPTIME_WAKE_MS 0u
#else
#define FW_UPTIME_WAKE_MS 1000u
#endif
#endif

/* Whether the fallback's USB product string names the reason (costs ~0.4 KB of RAM for the
 * texts on the ATmega32U4, where constant strings live in RAM: off there). */
#ifndef FW_FALLBACK_REASON
#if defined(__AVR__)
#define FW_FALLBACK_REASON 0
#else
#define FW_FALLBACK_REASON 1
#endif
#endif /* after this the firmware no longer needs hal_uptime_mark() */

/* hal_probe() values (watched by the emulator harness; no effect on hardware beyond one store):
 * 0/1 scan begin/end, 2 report handed to the USB controller, 3/4 key event into/out of the
 * engine, 5/6 io_delay begin/end, FW_PROBE_ACTION followed by the keycode when the engine hands
 * over an action (QK_BOOT, QK_REBOOT, QK_CLEAR_EEPROM, ...), FW_PROBE_QUEUED + endpoint. */
#define FW_PROBE_ACTION 7u
#define FW_PROBE_QUEUED 8u /* + endpoint number: a report was queued for that endpoint */
#define FW_PROBE_CONFIG 24u /* the drive's new config is active (fw/fw_drive.h) */

#endif
