/* The USB device stack's face to the firmware: a composite HID keyboard whose descriptors are
 * built at run time from the config image, and the report path. Runs in thread mode only: the
 * firmware calls usb_task() from its main loop (which calls dcd_poll()). */
#ifndef KESTREL_USB_USB_H
#define KESTREL_USB_USB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cfg.h"
#include "core/engine.h"
#include "usb/msc.h"

/* Interfaces and endpoints, in one table so that later classes (mass storage, raw HID) slot in
 * without renumbering what hosts have already seen. */
enum usb_interface {
    USB_IF_KBD = 0,    /* HID boot keyboard: 6KRO reports, LED output report */
    USB_IF_EXTRA = 1,  /* HID with report IDs: NKRO keyboard, system, consumer, mouse */
    USB_IF_COUNT       /* the HID interfaces, always present; next: 2 mass storage, 3 raw HID */
};
/* The keyboard's drive (usb/msc.h), when usb_identity_t.msc is set: EP 0x83 IN / 0x03 OUT.
 * Reserved after it: 3 raw HID (0x84/0x04). */
#define USB_IF_MSC 2u
#define USB_EP_KBD_IN   0x81u
#define USB_EP_EXTRA_IN 0x82u

enum usb_report_id { USB_RID_NKRO = 1, USB_RID_SYSTEM = 2, USB_RID_CONSUMER = 3, USB_RID_MOUSE = 4 };

#define USB_BOOT_REPORT_LEN 8u
#define USB_NKRO_BITMAP_LEN 28u /* usages 0x00..0xDF; 0xE0..0xE7 are the modifier byte */
#define USB_EXTRA_EP_SIZE 32u

/* The ATmega32U4 serves its device and configuration descriptors as the loader wrote them into
 * the config image (core/cfg.h USB_STRINGS): no template to copy and patch, in flash or in RAM.
 * The other chips build them at start-up (they may add the drive's interface). */
#if defined(__AVR__)
#define USB_DESC_FROM_IMAGE 1
#else
#define USB_DESC_FROM_IMAGE 0
#endif

typedef struct usb_identity {
#if !USB_DESC_FROM_IMAGE
    /* idVendor, idProduct, bcdDevice as the device descriptor has them (little-endian), which is
     * also how the config image's INFO holds them: copied as bytes, with no 16-bit work. */
    uint8_t ids[6];
    uint8_t poll_ms;          /* bInterval of the interrupt endpoints (1..255) */
    uint8_t max_power_2ma;    /* bMaxPower */
#endif
    /* String descriptors 1 (manufacturer) and 2 (product), whole (bLength, 3, UTF-16LE), as the
     * loader made them (the config image's USB_STRINGS); NULL (an image without them): empty.
     * On the ATmega32U4 they are in program memory; elsewhere they may also be in RAM (fw/).
     * USB_DESC_FROM_IMAGE: then the device descriptor, and the configuration descriptor (with
     * its interfaces, USB_CONFIG_LEN bytes) after it, from the same section. */
    const uint8_t *desc[USB_DESC_FROM_IMAGE ? 3 : 2];
    const char *serial;       /* string 3: ASCII, NUL-terminated, in RAM */
#if USB_MSC
    bool msc;                 /* add the mass-storage interface (usb_msc_init() gave it storage) */
#endif
} usb_identity_t;

/* Fills an identity from a config image (defaults where it has none). False: the image lacks
 * descriptors this firmware serves from it (USB_DESC_FROM_IMAGE; an image from a writer of
 * another version), and it must not be used. */
bool usb_identity_from_cfg(usb_identity_t *id, const cfg_t *cfg, const char *serial);

void usb_init(const usb_identity_t *id);
void usb_task(void);           /* handles controller events and feeds queued reports */
/* Gives the stack the time (for the boot keyboard's HID idle rate); returns when it next needs
 * a call (ms), or USB_NO_DEADLINE. */
#define USB_NO_DEADLINE KTIME_NONE
ktime_t usb_tick(ktime_t now_ms);

bool usb_configured(void);
bool usb_suspended(void);
/* Asks the host to wake up (after a key press while suspended); only if the host allowed it.
 * Returns true if a wake-up was signalled. */
bool usb_wakeup(void);
uint8_t usb_host_leds(void);   /* HID LED bits: 1 Num, 2 Caps, 4 Scroll, 8 Compose, 16 Kana */
bool usb_leds_changed(void);   /* true once after each change */
void usb_set_nkro(bool on);    /* report protocol keyboard on USB_IF_EXTRA instead of USB_IF_KBD */

/* Reports, queued in order and sent one per endpoint poll. Each returns the number of the
 * endpoint the report was queued on, or 0 when a full queue merged it into a queued one. */
uint8_t usb_send_kbd(const kbd_report_t *r);
uint8_t usb_send_system(uint16_t usage);
uint8_t usb_send_consumer(uint16_t usage);
uint8_t usb_send_mouse(const mouse_report_t *r);
bool usb_reports_pending(void);

/* Leaves the bus (D+ pull-up off; queued reports are dropped), and comes back with descriptors
 * rebuilt from `id` (e.g. with or without the drive): the host enumerates the device anew. Keep
 * detached for a while (the firmware waits 100 ms) so every host and hub sees it go. */
void usb_detach(void);
void usb_attach(const usb_identity_t *id);

#endif
