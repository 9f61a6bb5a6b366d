/* USB descriptors: device and configuration descriptors built at start-up from the identity
 * (vid, pid, version, strings from the config image), string descriptors converted from UTF-8
 * on request, and the two fixed HID report descriptors. Facts: USB 2.0 ch. 9, HID 1.11. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/le.h"
#include "usb/msc.h"
#include "usb/dcd.h"
#include "usb/usb_desc_tmpl.h"
#include "usb/usb_internal.h"

/* The HID report descriptors are constant: on the ATmega32U4, where constants are copied to RAM
 * unless kept in program memory, they stay in flash (223 bytes of its 2.5 KB of RAM) and go to
 * the driver as tagged program-memory addresses (DCD_PGM_TAG). */
#if defined(__AVR__)
#include <avr/pgmspace.h>
#define DESC_ROM PROGMEM
#define DESC_PTR(p) ((const uint8_t *)((uintptr_t)(p) | DCD_PGM_TAG))
#else
#define DESC_ROM
#define DESC_PTR(p) (p)
#endif

/* Interface 0: the boot-protocol keyboard (HID 1.11 appendix B.1 layout): modifier byte,
 * reserved byte, six key slots; LED output report of five bits. */
static const uint8_t report_kbd[] DESC_ROM = {
    0x05, 0x01, 0x09, 0x06, 0xA1, 0x01,             /* Generic Desktop / Keyboard, Application */
    0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7,             /* Keyboard page, usages E0..E7 */
    0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, /* 8 x 1 bit, 0..1 */
    0x81, 0x02,                                     /* Input (Data, Var, Abs): modifiers */
    0x95, 0x01, 0x75, 0x08, 0x81, 0x01,             /* Input (Const): reserved byte */
    0x05, 0x08, 0x19, 0x01, 0x29, 0x05,             /* LED page, usages 1..5 */
    0x95, 0x05, 0x75, 0x01, 0x91, 0x02,             /* Output (Data, Var, Abs): LEDs */
    0x95, 0x01, 0x75, 0x03, 0x91, 0x01,             /* Output (Const): padding */
    0x05, 0x07, 0x19, 0x00, 0x2A, 0xFF, 0x00,       /* Keyboard page, usages 0..255 */
    0x15, 0x00, 0x26, 0xFF, 0x00,                   /* logical 0..255 */
    0x95, 0x06, 0x75, 0x08, 0x81, 0x00,             /* Input (Data, Array): six keys */
    0xC0,
};

/* Interface 1: report IDs 1 NKRO keyboard, 2 system control, 3 consumer control, 4 mouse. */
static const uint8_t report_extra[] DESC_ROM = {
    0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x85, USB_RID_NKRO,
    0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01,
    0x75, 0x01, 0x95, 0x08, 0x81, 0x02,             /* modifiers */
    0x19, 0x00, 0x2A, 0xDF, 0x00, 0x96, 0xE0, 0x00, 0x81, 0x02, /* a bit per usage 0..0xDF */
    0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x95, 0x05, 0x91, 0x02, /* LEDs */
    0x95, 0x01, 0x75, 0x03, 0x91, 0x01,
    0xC0,
    0x05, 0x01, 0x09, 0x80, 0xA1, 0x01, 0x85, USB_RID_SYSTEM, /* System Control */
    0x19, 0x01, 0x2A, 0xB7, 0x00, 0x15, 0x01, 0x26, 0xB7, 0x00,
    0x95, 0x01, 0x75, 0x10, 0x81, 0x00,
    0xC0,
    0x05, 0x0C, 0x09, 0x01, 0xA1, 0x01, 0x85, USB_RID_CONSUMER, /* Consumer Control */
    0x19, 0x01, 0x2A, 0xA0, 0x02, 0x15, 0x01, 0x26, 0xA0, 0x02,
    0x95, 0x01, 0x75, 0x10, 0x81, 0x00,
    0xC0,
    0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0x85, USB_RID_MOUSE, /* Mouse */
    0x09, 0x01, 0xA1, 0x00,
    0x05, 0x09, 0x19, 0x01, 0x29, 0x08, 0x15, 0x00, 0x25, 0x01,
    0x95, 0x08, 0x75, 0x01, 0x81, 0x02,             /* 8 buttons */
    0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x09, 0x38, 0x15, 0x81, 0x25, 0x7F,
    0x95, 0x03, 0x75, 0x08, 0x81, 0x06,             /* x, y, wheel: relative */
    0x05, 0x0C, 0x0A, 0x38, 0x02, 0x95, 0x01, 0x81, 0x06, /* AC Pan: horizontal wheel */
    0xC0, 0xC0,
};

_Static_assert(sizeof report_kbd == USB_REPORT_KBD_LEN && sizeof report_extra == USB_REPORT_EXTRA_LEN,
               "usb/usb_desc_tmpl.h report descriptor lengths");
#define CONFIG_LEN USB_CONFIG_LEN
#define MSC_IF_LEN (9u + 7u + 7u)

#if USB_MSC
#define CFG_DESC_LEN (CONFIG_LEN + MSC_IF_LEN)
static uint16_t cfg_len;
static uint8_t if_count;
#else
#define CFG_DESC_LEN CONFIG_LEN
#define cfg_len ((uint16_t)CONFIG_LEN)
#define if_count ((uint8_t)USB_IF_COUNT)
#endif
/* Longest string descriptor made at run time (the serial number; the names come made by the
 * loader), in characters (126 is USB's limit). A chip with little RAM (ATmega32U4) sets a shorter
 * one; a longer serial is cut. */
#ifndef USB_STRING_MAX
#define USB_STRING_MAX 126u
#endif
static uint8_t str_desc[2u + 2u * USB_STRING_MAX];
static const usb_identity_t *ident;

#if USB_DESC_FROM_IMAGE
/* As the loader wrote them (usb/usb.h): in program memory, tagged for the driver. */
static const uint8_t *dev_desc;
#define cfg_desc (dev_desc + USB_DESC_DEVICE_LEN)

void usb_desc_build(const usb_identity_t *id)
{
    ident = id;
    dev_desc = DESC_PTR(id->desc[2]);
}
#else
/* The descriptors as a constant template (usb/usb_desc_tmpl.h), copied and patched with the
 * identity's few values at start-up: far less code than writing them byte by byte. The device
 * descriptor and the configuration descriptor after it, as in their template: one copy builds
 * both. */
static uint8_t descs[USB_DESC_DEVICE_LEN + CFG_DESC_LEN];
#define dev_desc descs
#define cfg_desc (descs + USB_DESC_DEVICE_LEN)
#define LO USB_TMPL_LO
#define HI USB_TMPL_HI
static const uint8_t tmpl[sizeof descs] DESC_ROM = {
    USB_TMPL_BYTES,
#if USB_MSC
    /* mass storage, SCSI transparent command set, bulk-only transport */
    9, USB_DESC_INTERFACE, USB_IF_MSC, 0, 2, 0x08, 0x06, 0x50, 0,
    7, USB_DESC_ENDPOINT, USB_EP_MSC_IN, 0x02, LO(USB_MSC_EP_SIZE), HI(USB_MSC_EP_SIZE), 0,
    7, USB_DESC_ENDPOINT, USB_EP_MSC_OUT, 0x02, LO(USB_MSC_EP_SIZE), HI(USB_MSC_EP_SIZE), 0,
#endif
};

#if defined(__AVR__)
#define DESC_COPY memcpy_P
#else
#define DESC_COPY memcpy
#endif

void usb_desc_build(const usb_identity_t *id)
{
    ident = id;
    DESC_COPY(descs, tmpl, sizeof descs);
    memcpy(dev_desc + USB_TMPL_IDS, id->ids, sizeof id->ids);
#if USB_MSC
    /* Without the drive the MSC interface at the end is simply left off. */
    bool msc = id->msc && usb_msc_enabled();
    if_count = (uint8_t)(USB_IF_COUNT + (msc ? 1u : 0u));
    cfg_len = (uint16_t)(CONFIG_LEN + (msc ? MSC_IF_LEN : 0u));
    le_wr16(cfg_desc + 2, cfg_len);
    cfg_desc[4] = if_count;
#endif
    descs[USB_TMPL_MAX_POWER] = id->max_power_2ma;
    descs[USB_TMPL_POLL(USB_IF_KBD)] = id->poll_ms;
    descs[USB_TMPL_POLL(USB_IF_EXTRA)] = id->poll_ms;
}
#endif

#if USB_MSC
uint8_t usb_if_count(void)
{
    return if_count;
}
#endif

/* The serial number (ASCII text in RAM) as a string descriptor; NULL: an empty one. The names
 * come as descriptors already: the loader converted them from UTF-8 (core/cfg.h USB_STRINGS). */
static uint16_t serial_desc(const char *s)
{
    uint8_t *o = str_desc + 2;
    for (; s && *s && o < str_desc + sizeof str_desc; s++, o += 2) {
        o[0] = (uint8_t)*s;
        o[1] = 0;
    }
    str_desc[0] = (uint8_t)(o - str_desc);
    str_desc[1] = USB_DESC_STRING;
    return str_desc[0];
}

enum usb_ctrl_result usb_desc_answer(uint8_t type, uint8_t index, uint16_t wIndex)
{
    switch (type) {
    case USB_DESC_DEVICE:
        if (index || wIndex) break;
        return usb_ctrl_answer(dev_desc, USB_DESC_DEVICE_LEN);
    case USB_DESC_CONFIGURATION:
        if (index || wIndex) break;
        return usb_ctrl_answer(cfg_desc, cfg_len);
    case USB_DESC_STRING:
        if (index == 0) {
            static const uint8_t langs[4] DESC_ROM = {4, USB_DESC_STRING, 0x09, 0x04}; /* en-US */
            return usb_ctrl_answer(DESC_PTR(langs), sizeof langs);
        }
        if (wIndex != 0x0409u || index > 3) break;
        {
            const uint8_t *d = index < 3 ? ident->desc[index - 1] : NULL;
            if (d) return usb_ctrl_answer(DESC_PTR(d), CFG_RD8(d));
            return usb_ctrl_answer(str_desc, serial_desc(index == 3 ? ident->serial : NULL));
        }
    default:
        break;
    }
    return USB_CTRL_STALL;
}

enum usb_ctrl_result usb_desc_hid_answer(uint8_t iface, uint8_t type)
{
    if (iface >= USB_IF_COUNT) return USB_CTRL_STALL; /* HID interfaces only */
    if (type == USB_DESC_HID) return usb_ctrl_answer(cfg_desc + 9u + iface * USB_HID_IF_LEN + 9u, 9);
    if (type != USB_DESC_HID_REPORT) return USB_CTRL_STALL;
    if (iface == USB_IF_KBD) return usb_ctrl_answer(DESC_PTR(report_kbd), sizeof report_kbd);
    return usb_ctrl_answer(DESC_PTR(report_extra), sizeof report_extra);
}
