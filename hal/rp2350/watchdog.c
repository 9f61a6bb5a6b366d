/* RP2350 watchdog: a hang resets the keyboard; also the way to a clean full-chip reset. The
 * watchdog tick is set to 1 µs by rp2350_clocks_init (RP2040-E1's double decrement does not
 * apply to RP2350, so LOAD is simply µs). */
#include "hal/rp2350/hal_rp2350.h"
#include "hal/rp2350/rp2350.h"
#include "hal/rp2/mmio.h"

static uint32_t wd_load;

void rp2350_watchdog_start(uint32_t ms)
{
    if (ms > 0xFFFFFFu / 1000u) ms = 0xFFFFFFu / 1000u;   /* LOAD is 24 bits */
    wd_load = ms * 1000u;
    mmio_clr(WATCHDOG_CTRL, WATCHDOG_CTRL_ENABLE);
    mmio_wr(PSM_WDSEL, PSM_WDSEL_ALL_BUT_OSC);
    mmio_wr(WATCHDOG_LOAD, wd_load);
    mmio_set(WATCHDOG_CTRL, WATCHDOG_CTRL_ENABLE | WATCHDOG_CTRL_PAUSE_DBG);
}

void rp2350_watchdog_feed(void)
{
    mmio_wr(WATCHDOG_LOAD, wd_load);
}

void rp2350_reset(void)
{
    mmio_wr(PSM_WDSEL, PSM_WDSEL_ALL_BUT_OSC);
    mmio_set(WATCHDOG_CTRL, WATCHDOG_CTRL_TRIGGER);
    for (;;) {
    }
}
