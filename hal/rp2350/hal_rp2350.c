/* The RP2350 side of fw/hal.h: bring-up (clocks, reset blocks), the config region, the serial
 * number, BOOTSEL and double-tap-reset entry, reboot. Pins, time and sleep are hal/rp2/hal_rp2.c,
 * the same code as on the RP2040. */
#include <stdint.h>

#include "fw/hal.h"
#include "hal/rp2/hal_rp2.h"
#include "hal/rp2/mmio.h"
#include "hal/rp2350/hal_rp2350.h"
#include "hal/rp2350/memmap.h"
#include "hal/rp2350/rp2350.h"

/* ---- double-tap reset ---- */

#define DOUBLE_TAP_MAGIC 0x7A9C21D5u
#define DOUBLE_TAP_WINDOW_MS 500u
__attribute__((section(".noinit"))) static volatile uint32_t double_tap[2];

/* A reset (RUN pin) within DOUBLE_TAP_WINDOW_MS of the previous one enters BOOTSEL: SRAM survives
 * the reset, so a marker written at boot and cleared after the window tells the two apart. Only
 * a pin/power reset counts: a watchdog reboot leaves WATCHDOG_REASON non-zero. */
static void double_tap_check(void)
{
    bool tapped = double_tap[0] == DOUBLE_TAP_MAGIC && double_tap[1] == ~DOUBLE_TAP_MAGIC &&
                  mmio_rd(WATCHDOG_REASON) == 0;
    if (tapped) {
        double_tap[0] = 0;
        rp2350_reboot_bootsel();
    }
    double_tap[0] = DOUBLE_TAP_MAGIC;
    double_tap[1] = ~DOUBLE_TAP_MAGIC;
}

void hal_uptime_mark(uint32_t ms)
{
    if (ms >= DOUBLE_TAP_WINDOW_MS && double_tap[0]) double_tap[0] = 0;
}

void hal_init(void)
{
    double_tap_check();
    rp2350_clocks_init();
    rp2350_periph_init();
    rp2_hal_start();
}

/* No emulator runs this chip, so there is nobody to watch the bench probes. */
void hal_probe(unsigned which)
{
    (void)which;
}

const uint8_t *hal_cfg_region(size_t *max)
{
    *max = RP2350_CONFIG_MAX;
    return (const uint8_t *)(uintptr_t)RP2350_CONFIG_ADDR;
}

const char *hal_serial(void)
{
    static char serial[17];
    if (!serial[0]) {
        uint8_t id[8] = {0};
        if (!rp2350_chip_id(id)) return "RP2350";
        static const char hex[] = "0123456789ABCDEF";
        for (unsigned i = 0; i < 8; i++) {
            serial[2 * i] = hex[id[i] >> 4];
            serial[2 * i + 1] = hex[id[i] & 15u];
        }
        serial[16] = 0;
    }
    return serial;
}

void hal_bootloader_jump(uint8_t bootloader)
{
    (void)bootloader; /* every RP2350 has the same ROM bootloader */
    rp2350_reboot_bootsel();
}

void hal_reset(void)
{
    rp2350_reset();
}
