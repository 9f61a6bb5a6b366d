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

/* Double-tap reset: hal/rp2/hal_rp2.c. */
static void enter_bootsel(void)
{
    rp2350_reboot_bootsel();
}

void hal_init(void)
{
    rp2_double_tap_check(mmio_rd(WATCHDOG_REASON), enter_bootsel);
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
        rp2_serial_hex(serial, id);
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
