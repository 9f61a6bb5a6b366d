/* Temporary stand-in for fw/'s main loop, so the RP2350 image links and can be inspected before
 * the portable firmware lands. Deleted as soon as fw/ exists. */
#include "hal/rp2350/hal_rp2350.h"

int main(void)
{
    rp2350_clocks_init();
    rp2350_periph_init();
    rp2350_usb_power_up();
    for (unsigned pin = 0; pin < 4; pin++) rp2350_pin_init(pin);
    rp2350_watchdog_start(100);
    for (;;) {
        rp2350_watchdog_feed();
        __asm__ volatile("wfe");
    }
}
