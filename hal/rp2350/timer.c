/* RP2350 time base: TIMER0's free-running 64-bit µs counter (ticked by TICKS at 1 MHz). */
#include "hal/rp2350/hal_rp2350.h"
#include "hal/rp2350/rp2350.h"
#include "hal/rp2/mmio.h"

uint32_t rp2350_time_us32(void)
{
    return mmio_rd(TIMER0_TIMERAWL);
}

uint64_t rp2350_time_us(void)
{
    /* Unlatched halves: re-read the high word until it did not change around the low read. */
    uint32_t hi = mmio_rd(TIMER0_TIMERAWH), lo, hi2;
    for (;;) {
        lo = mmio_rd(TIMER0_TIMERAWL);
        hi2 = mmio_rd(TIMER0_TIMERAWH);
        if (hi2 == hi) return (uint64_t)hi << 32 | lo;
        hi = hi2;
    }
}
