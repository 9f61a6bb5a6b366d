/* RP2350 USB power-up: the controller is the RP2040's, plus a PHY isolation bit (MAIN_CTRL.PHY_ISO,
 * reset 1). It is cleared here, with the controller still disabled, so the shared driver in
 * hal/rp2/ only ever enables a controller whose PHY is already connected. */
#include "hal/rp2350/hal_rp2350.h"
#include "hal/rp2350/rp2350.h"
#include "hal/rp2/mmio.h"

void rp2350_usb_power_up(void)
{
    rp2350_resets_cycle(RESET_USBCTRL);
    mmio_wr(USB_MAIN_CTRL, 0);
}
