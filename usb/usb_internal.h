/* Shared between the files of usb/: descriptors (usb_desc.c), the device core (usbd.c) and the
 * HID class (usb_hid.c). Not for use outside usb/. */
#ifndef KESTREL_USB_USB_INTERNAL_H
#define KESTREL_USB_USB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "usb/msc.h"
#include "usb/usb.h"

typedef struct usb_setup {
    uint8_t bmRequestType, bRequest;
    uint16_t wValue, wIndex, wLength;
} usb_setup_t;

#define USB_DIR_IN 0x80u
#define USB_TYPE_MASK 0x60u
#define USB_TYPE_STANDARD 0x00u
#define USB_TYPE_CLASS 0x20u
#define USB_RECIP_MASK 0x1Fu
#define USB_RECIP_DEVICE 0u
#define USB_RECIP_INTERFACE 1u
#define USB_RECIP_ENDPOINT 2u

#define USB_DESC_DEVICE 1u
#define USB_DESC_CONFIGURATION 2u
#define USB_DESC_STRING 3u
#define USB_DESC_INTERFACE 4u
#define USB_DESC_ENDPOINT 5u
#define USB_DESC_HID 0x21u
#define USB_DESC_HID_REPORT 0x22u

/* What a request handler decided. */
enum usb_ctrl_result {
    USB_CTRL_STALL = 0,
    USB_CTRL_IN,      /* send usb_ctrl.in_data/in_len (clipped to wLength) */
    USB_CTRL_OUT,     /* receive wLength bytes into usb_ctrl_buf, then call the class again */
    USB_CTRL_STATUS   /* no data stage: acknowledge */
};

/* Answers with `len` bytes from p / with v (and a 0 after it when len is 2). */
enum usb_ctrl_result usb_ctrl_answer(const uint8_t *p, uint16_t len);
enum usb_ctrl_result usb_ctrl_answer_byte(uint8_t v, uint8_t len);

/* The shape of a request (usbd.c checks it before the handler runs: std_rules, usb_hid_rules), one byte per bRequest
 * 0..USB_RQ_COUNT-1 in a table in ROM (core/rom.h): whether it exists, its direction, its wLength
 * (exactly 0..2, or any but 0) and the largest wValue it takes. */
#define USB_RQ_COUNT 12u
#define USB_RQ_IN 0x80u          /* = USB_DIR_IN */
#define USB_RQ_OK 0x40u
#define USB_RQ_LEN_ANY 3u        /* wLength anything but 0; else wLength = the value (0..2) */
#define USB_RQ_VAL0 (0u << 2)    /* wValue 0 */
#define USB_RQ_VAL1 (1u << 2)    /* wValue 0..1 */
#define USB_RQ_VAL127 (2u << 2)  /* wValue 0..127 */
#define USB_RQ_VALANY (3u << 2)  /* any wValue */
#define USB_RQ_GET(len, val) (USB_RQ_OK | USB_RQ_IN | (len) | (val))
#define USB_RQ_SET(len, val) (USB_RQ_OK | (len) | (val)) /* host to device */

extern uint8_t usb_ctrl_buf[64];  /* EP0 scratch for small IN answers and OUT data stages */
extern const uint8_t *usb_ctrl_in_data;
extern uint16_t usb_ctrl_in_len;

/* Descriptors (usb_desc.c) */
void usb_desc_build(const usb_identity_t *id);
/* Answers GET_DESCRIPTOR (type, index) to the device (usb_ctrl_answer), or STALL when there is
 * no such descriptor; wIndex: a string's language, else 0. */
enum usb_ctrl_result usb_desc_answer(uint8_t type, uint8_t index, uint16_t wIndex);
/* Answers GET_DESCRIPTOR(type HID or HID report) to interface iface, or STALL (no such
 * descriptor, not a HID interface). */
enum usb_ctrl_result usb_desc_hid_answer(uint8_t iface, uint8_t type);

/* HID class (usb_hid.c) */
void usb_hid_reset(void);           /* bus reset / deconfigure */
void usb_hid_configured(void);      /* SET_CONFIGURATION 1: endpoints open */
extern const uint8_t usb_hid_rules[USB_RQ_COUNT]; /* the class requests' shapes */
enum usb_ctrl_result usb_hid_request(const usb_setup_t *s); /* once its shape is checked */
enum usb_ctrl_result usb_hid_out_done(const usb_setup_t *s, uint16_t len);
void usb_hid_feed(void);

/* Endpoint halt state kept by the device core (usbd.c), set by classes that stall. */
bool usb_ep_halted(uint8_t ep);
void usb_ep_set_halted(uint8_t ep, bool halted);
#if USB_MSC
uint8_t usb_if_count(void);         /* interfaces of the current configuration descriptor */
#else
#define usb_if_count() ((uint8_t)USB_IF_COUNT)
#endif

/* Mass storage (msc.c; only built with USB_MSC) */
bool usb_msc_enabled(void);         /* storage given (usb_msc_init) */
void usb_msc_reset(void);           /* bus reset / deconfigure */
void usb_msc_configured(void);      /* opens the bulk endpoints, waits for a command */
enum usb_ctrl_result usb_msc_request(const usb_setup_t *s);
void usb_msc_xfer_done(uint8_t ep, uint16_t len);
void usb_msc_halt_cleared(uint8_t ep);

#endif
