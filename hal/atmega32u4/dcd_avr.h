/* ATmega32U4 device-controller limits, for the usb/ stack's descriptors and the tests. */
#ifndef KESTREL_HAL_AVR_DCD_AVR_H
#define KESTREL_HAL_AVR_DCD_AVR_H

#define DCD_AVR_EP0_SIZE 64 /* bMaxPacketSize0; one 64-byte bank */
#define DCD_AVR_MAX_EP   2  /* highest endpoint number used: the two HID interfaces (the chip has 6) */

#endif
