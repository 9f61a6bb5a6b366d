/* RP2350 pins for key matrices: pull-up inputs (RP2350-E9 makes pull-downs unsafe with IE set),
 * driven low through SIO OE. Pad isolation (an RP2350 addition) is removed last, after the pad
 * and the function are set, so the pin never glitches to the SIO while half-configured. */
#include "hal/rp2350/hal_rp2350.h"
#include "hal/rp2350/rp2350.h"
#include "hal/rp2/mmio.h"

#define PAD_KEY_INPUT (PAD_IE | PAD_PUE | PAD_SCHMITT | PAD_DRIVE_4MA)

void rp2350_pin_init(unsigned pin)
{
    if (pin >= RP2350_NUM_GPIO) return;
    uint32_t bit = 1u << pin;
    mmio_wr(SIO_GPIO_OE_CLR, bit);
    mmio_wr(SIO_GPIO_OUT_CLR, bit);
    mmio_wr(PADS_GPIO(pin), PAD_KEY_INPUT | PAD_ISO);
    mmio_wr(IO_GPIO_CTRL(pin), IO_FUNC_SIO);
    mmio_clr(PADS_GPIO(pin), PAD_ISO);
}

void rp2350_pin_drive_low(unsigned pin)
{
    if (pin < RP2350_NUM_GPIO) mmio_wr(SIO_GPIO_OE_SET, 1u << pin);
}

void rp2350_pin_release(unsigned pin)
{
    if (pin < RP2350_NUM_GPIO) mmio_wr(SIO_GPIO_OE_CLR, 1u << pin);
}

uint32_t rp2350_pins_read(void)
{
    return mmio_rd(SIO_GPIO_IN);
}
