/* The portable firmware main loop: scan, debounce, engine, reports to USB, sleep until the next
 * deadline or interrupt. A target's main() calls fw_run() after nothing else. */
#ifndef KESTREL_FW_FW_H
#define KESTREL_FW_FW_H

void fw_run(void) __attribute__((noreturn));

/* While any key is down the matrix is scanned at this period (a press while all keys are up
 * wakes the CPU by interrupt and is scanned at once). */
#define FW_SCAN_PERIOD_US 500u

#endif
