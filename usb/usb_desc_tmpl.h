/* The device and configuration descriptors as one template, shared by the firmware (usb/usb_desc.c
 * patches a RAM copy at start-up) and the config writer (config/image_write.c writes them patched
 * into the image's USB_STRINGS section, which the ATmega32U4 serves as they are: core/cfg.h).
 * Facts: USB 2.0 ch. 9, HID 1.11. */
#ifndef KESTREL_USB_USB_DESC_TMPL_H
#define KESTREL_USB_USB_DESC_TMPL_H

#include <stdint.h>

#include "usb/usb.h"

/* The report descriptors' lengths (usb/usb_desc.c checks them against its arrays). */
#define USB_REPORT_KBD_LEN 65u
#define USB_REPORT_EXTRA_LEN 158u

#define USB_DESC_DEVICE_LEN 18u
#define USB_HID_IF_LEN 25u
#define USB_CONFIG_LEN (9u + 2u * USB_HID_IF_LEN)

/* Where the template takes the identity's values: idVendor, idProduct, bcdDevice (6 bytes, as the
 * config image's INFO holds them), bMaxPower, and each HID endpoint's bInterval. */
#define USB_TMPL_IDS 8u
#define USB_TMPL_MAX_POWER (USB_DESC_DEVICE_LEN + 8u)
#define USB_TMPL_POLL(iface) (USB_DESC_DEVICE_LEN + 9u + (iface) * USB_HID_IF_LEN + USB_HID_IF_LEN - 1u)

#define USB_TMPL_LO(v) (uint8_t)((v) & 0xFFu)
#define USB_TMPL_HI(v) (uint8_t)((unsigned)(v) >> 8)
/* An interface of the HID class with its HID descriptor and one interrupt IN endpoint. */
#define USB_TMPL_HID_IFACE(num, subclass, protocol, report_len, ep, ep_size)                       \
    9, 4 /* INTERFACE */, num, 0, 1, 3, subclass, protocol, 0,                                     \
    9, 0x21 /* HID */, 0x11, 0x01, 0, 1, 0x22 /* report */, USB_TMPL_LO(report_len),               \
    USB_TMPL_HI(report_len),                                                                       \
    7, 5 /* ENDPOINT */, ep, 0x03, USB_TMPL_LO(ep_size), USB_TMPL_HI(ep_size), 1

/* The device descriptor, then the configuration descriptor with its interfaces (the HID ones:
 * USB_CONFIG_LEN bytes); a firmware with the keyboard's drive appends the mass-storage one. */
#define USB_TMPL_BYTES                                                                             \
    18, 1 /* DEVICE */, 0x00, 0x02, 0, 0, 0, /* USB 2.0, class per interface */                    \
    64,                                      /* bMaxPacketSize0 */                                 \
    0, 0, 0, 0, 0, 0,                        /* vid, pid, bcd */                                   \
    1, 2, 3,                                 /* manufacturer, product, serial strings */           \
    1,                                       /* one configuration */                               \
    9, 2 /* CONFIGURATION */, USB_TMPL_LO(USB_CONFIG_LEN), USB_TMPL_HI(USB_CONFIG_LEN),            \
    USB_IF_COUNT, 1, 0,                                                                            \
    0xA0, /* bus powered, remote wake-up */                                                        \
    0,    /* bMaxPower */                                                                          \
    USB_TMPL_HID_IFACE(USB_IF_KBD, 1, 1, USB_REPORT_KBD_LEN, USB_EP_KBD_IN, USB_BOOT_REPORT_LEN),  \
    USB_TMPL_HID_IFACE(USB_IF_EXTRA, 0, 0, USB_REPORT_EXTRA_LEN, USB_EP_EXTRA_IN, USB_EXTRA_EP_SIZE)

#endif
