/* The USB device core: control transfers on EP0, the standard requests of USB 2.0 chapter 9, and
 * the dispatch of class requests to HID and mass storage. Anything malformed, unknown or asked in the wrong state
 * is answered with STALL and changes nothing. */
#include <stddef.h>
#include <stdint.h>

#include "core/rom.h"
#include "usb/dcd.h"
#include "usb/msc.h"
#include "usb/usb_internal.h"

uint8_t usb_ctrl_buf[64];
const uint8_t *usb_ctrl_in_data;
uint16_t usb_ctrl_in_len;

static struct {
    usb_setup_t setup;
    uint8_t address;
    uint8_t config;        /* 0 = not configured */
    bool remote_wakeup;    /* the host allowed it (SET_FEATURE DEVICE_REMOTE_WAKEUP) */
    bool suspended;
    bool halted[USB_MSC ? 4 : 2]; /* USB_EP_KBD_IN, USB_EP_EXTRA_IN, USB_EP_MSC_IN, USB_EP_MSC_OUT */
} dev;

#if !DCD_CTRL_PIPE
/* For drivers that only move transfers: the control transfer's stages over EP0 transfers. */
enum ctrl_stage { STAGE_IDLE, STAGE_DATA_IN, STAGE_DATA_OUT, STAGE_STATUS };
static struct {
    enum ctrl_stage stage;
    bool zlp_after;        /* the IN data stage is a multiple of 64 and shorter than wLength */
} ctrl;
#endif

#if USB_MSC
static bool msc_on(void)
{
    return usb_if_count() > USB_IF_MSC;
}
#endif

#define EP_NONE 0xFFu
static uint8_t ep_index(uint16_t ep) /* into dev.halted, EP_NONE for no such endpoint */
{
    if (ep == USB_EP_KBD_IN) return 0;
    if (ep == USB_EP_EXTRA_IN) return 1;
#if USB_MSC
    if (msc_on() && ep == USB_EP_MSC_IN) return 2;
    if (msc_on() && ep == USB_EP_MSC_OUT) return 3;
#endif
    return EP_NONE;
}

bool usb_configured(void)
{
    return dev.config != 0;
}

bool usb_suspended(void)
{
    return dev.suspended;
}

bool usb_ep_halted(uint8_t ep)
{
    uint8_t i = ep_index(ep);
    return i != EP_NONE && dev.halted[i];
}

void usb_ep_set_halted(uint8_t ep, bool halted)
{
    uint8_t i = ep_index(ep);
    if (i != EP_NONE) dev.halted[i] = halted;
}

/* After a halt is cleared (or the interface reselected): the class carries on. HID needs no
 * word: usb_task() feeds its endpoints after every dcd_poll(), which is where the drivers call
 * usbd_on_* (usb/dcd.h), so a report goes out as soon as an endpoint is free again. */
static void halt_cleared(uint8_t ep)
{
#if USB_MSC
    if (ep == USB_EP_MSC_IN || ep == USB_EP_MSC_OUT) usb_msc_halt_cleared(ep);
#endif
    (void)ep;
}

bool usb_wakeup(void)
{
    if (!dev.suspended || !dev.remote_wakeup) return false;
    dcd_remote_wakeup();
    return true;
}

static void set_configuration(uint8_t value)
{
    dcd_ep_close_all();
    usb_hid_reset();
#if USB_MSC
    usb_msc_reset();
#endif
    for (unsigned i = 0; i < sizeof dev.halted; i++) dev.halted[i] = false;
    dev.config = value;
    if (value) {
        dcd_ep_open(USB_EP_KBD_IN, DCD_EP_INTERRUPT, USB_BOOT_REPORT_LEN);
        dcd_ep_open(USB_EP_EXTRA_IN, DCD_EP_INTERRUPT, USB_EXTRA_EP_SIZE);
        usb_hid_configured();
#if USB_MSC
        if (msc_on()) usb_msc_configured();
#endif
    }
}

void usbd_on_bus_reset(void)
{
#if !DCD_CTRL_PIPE
    ctrl.stage = STAGE_IDLE;
#endif
    dev.address = 0;
    dev.remote_wakeup = false;
    dev.suspended = false;
    set_configuration(0);
}

void usbd_on_suspend(void)
{
    dev.suspended = true;
}

void usbd_on_resume(void)
{
    dev.suspended = false;
}

void usbd_on_sof(uint16_t frame)
{
    (void)frame;
}

/* Out of line: inlined into each handler it costs more than the call. */
__attribute__((noinline)) enum usb_ctrl_result usb_ctrl_answer(const uint8_t *p, uint16_t len)
{
    usb_ctrl_in_data = p;
    usb_ctrl_in_len = len;
    return USB_CTRL_IN;
}

enum usb_ctrl_result usb_ctrl_answer_byte(uint8_t v, uint8_t len)
{
    usb_ctrl_buf[0] = v;
    usb_ctrl_buf[1] = 0;
    return usb_ctrl_answer(usb_ctrl_buf, len);
}

/* The shape of each standard request this device answers (USB 2.0 §9.4), per recipient and
 * bRequest (usb_internal.h, USB_RQ_*). One table and one check instead of a test per request: a
 * request that does not fit is stalled before its handler runs. */
#define RQ_COUNT USB_RQ_COUNT
#define RQ_LEN_ANY USB_RQ_LEN_ANY
#define RQ_VAL0 USB_RQ_VAL0
#define RQ_VAL1 USB_RQ_VAL1
#define RQ_VAL127 USB_RQ_VAL127
#define RQ_VALANY USB_RQ_VALANY
#define RQ_GET USB_RQ_GET
#define RQ_SET USB_RQ_SET
static const uint8_t std_rules[3][RQ_COUNT] ROM_DATA = {
    [USB_RECIP_DEVICE] = {
        [0] = RQ_GET(2, RQ_VAL0),            /* GET_STATUS */
        [1] = RQ_SET(0, RQ_VAL1),               /* CLEAR_FEATURE(DEVICE_REMOTE_WAKEUP = 1) */
        [3] = RQ_SET(0, RQ_VAL1),               /* SET_FEATURE; TEST_MODE is for high speed */
        [5] = RQ_SET(0, RQ_VAL127),             /* SET_ADDRESS */
        [6] = RQ_GET(RQ_LEN_ANY, RQ_VALANY), /* GET_DESCRIPTOR */
        [8] = RQ_GET(1, RQ_VAL0),            /* GET_CONFIGURATION */
        [9] = RQ_SET(0, RQ_VAL1),               /* SET_CONFIGURATION */
    },
    [USB_RECIP_INTERFACE] = {
        [0] = RQ_GET(2, RQ_VAL0),            /* GET_STATUS */
        [6] = RQ_GET(RQ_LEN_ANY, RQ_VALANY), /* GET_DESCRIPTOR: HID class descriptors */
        [10] = RQ_GET(1, RQ_VAL0),           /* GET_INTERFACE */
        [11] = RQ_SET(0, RQ_VAL0),              /* SET_INTERFACE */
    },
    [USB_RECIP_ENDPOINT] = {
        [0] = RQ_GET(2, RQ_VAL0),            /* GET_STATUS */
        [1] = RQ_SET(0, RQ_VAL0),               /* CLEAR_FEATURE(ENDPOINT_HALT = 0) */
        [3] = RQ_SET(0, RQ_VAL0),               /* SET_FEATURE(ENDPOINT_HALT) */
    },
};

static bool shape_ok(const usb_setup_t *s, const uint8_t rules[USB_RQ_COUNT])
{
    if (s->bRequest >= RQ_COUNT) return false;
    uint8_t rule = ROM_RD8(&rules[s->bRequest]);
    uint8_t len = rule & 3u, val = rule & RQ_VALANY;
    if (!(rule & USB_RQ_OK) || ((s->bmRequestType ^ rule) & USB_DIR_IN)) return false;
    if (len == RQ_LEN_ANY ? !s->wLength : s->wLength != len) return false;
    static const uint8_t val_max[3] ROM_DATA = {0, 1, 127};
    return val == RQ_VALANY || s->wValue <= ROM_RD8(&val_max[val >> 2]);
}

static enum usb_ctrl_result std_device(const usb_setup_t *s)
{
    if (s->bRequest == 6) { /* GET_DESCRIPTOR; wIndex is the language of a string */
        return usb_desc_answer((uint8_t)(s->wValue >> 8), (uint8_t)s->wValue, s->wIndex);
    }
    if (s->wIndex) return USB_CTRL_STALL;
    switch (s->bRequest) {
    case 0: /* GET_STATUS */
        return usb_ctrl_answer_byte(dev.remote_wakeup ? 2u : 0u, 2);
    case 1: /* CLEAR_FEATURE */
    case 3: /* SET_FEATURE */
        if (s->wValue != 1) return USB_CTRL_STALL;
        dev.remote_wakeup = s->bRequest == 3;
        return USB_CTRL_STATUS;
    case 5: /* SET_ADDRESS */
        if (dev.config) return USB_CTRL_STALL;
        dev.address = (uint8_t)s->wValue;
        dcd_set_address(dev.address);
        return USB_CTRL_STATUS;
    case 8: /* GET_CONFIGURATION */
        return usb_ctrl_answer_byte(dev.config, 1);
    default: /* 9: SET_CONFIGURATION */
        if (!dev.address) return USB_CTRL_STALL;
        set_configuration((uint8_t)s->wValue);
        return USB_CTRL_STATUS;
    }
}

static enum usb_ctrl_result std_interface(const usb_setup_t *s)
{
    if (!dev.config || s->wIndex >= usb_if_count()) return USB_CTRL_STALL;
    uint8_t iface = (uint8_t)s->wIndex;
    switch (s->bRequest) {
    case 0: /* GET_STATUS */
        return usb_ctrl_answer_byte(0, 2);
    case 6: /* GET_DESCRIPTOR: HID class descriptors (HID 1.11 §7.1) */
        if (s->wValue & 0xFFu) return USB_CTRL_STALL;
        return usb_desc_hid_answer(iface, (uint8_t)(s->wValue >> 8));
    case 10: /* GET_INTERFACE */
        return usb_ctrl_answer_byte(0, 1);
    default: /* 11: SET_INTERFACE: only alternate setting 0 exists; selecting it again resets
              * the interface's endpoint to DATA0 and clears a halt (USB 2.0 §9.4.10) */
#if USB_MSC
        if (iface == USB_IF_MSC) {
            static const uint8_t msc_eps[2] = {USB_EP_MSC_IN, USB_EP_MSC_OUT};
            for (unsigned k = 0; k < 2; k++) {
                dev.halted[ep_index(msc_eps[k])] = false;
                dcd_ep_clear_stall(msc_eps[k]);
            }
            usb_msc_reset();
            usb_msc_configured();
        } else
#endif
        {
            /* HID interface n has endpoint 0x81 + n, halt index n */
            _Static_assert(USB_EP_EXTRA_IN == USB_EP_KBD_IN + USB_IF_EXTRA, "HID endpoints");
            dev.halted[iface] = false;
            dcd_ep_clear_stall((uint8_t)(USB_EP_KBD_IN + iface));
        }
        return USB_CTRL_STATUS;
    }
}

static enum usb_ctrl_result std_endpoint(const usb_setup_t *s)
{
    if (s->wIndex == 0x00 || s->wIndex == 0x80) /* EP0 itself: never halted */
        return s->bRequest == 0 ? usb_ctrl_answer_byte(0, 2) : USB_CTRL_STALL;
    uint8_t i = ep_index(s->wIndex);
    if (!dev.config || i == EP_NONE) return USB_CTRL_STALL;
    if (s->bRequest == 0) return usb_ctrl_answer_byte(dev.halted[i], 2); /* GET_STATUS */
    /* CLEAR_FEATURE(ENDPOINT_HALT), which also resets the data toggle, or SET_FEATURE */
    dev.halted[i] = s->bRequest == 3;
    if (dev.halted[i]) {
        dcd_ep_stall((uint8_t)s->wIndex);
    } else {
        dcd_ep_clear_stall((uint8_t)s->wIndex);
        halt_cleared((uint8_t)s->wIndex);
    }
    return USB_CTRL_STATUS;
}

static enum usb_ctrl_result dispatch(const usb_setup_t *s)
{
    uint8_t type = s->bmRequestType & USB_TYPE_MASK;
    uint8_t recip = s->bmRequestType & USB_RECIP_MASK;
    const uint8_t *rules; /* the shapes: the recipient's standard requests, or HID's */
    if (type == USB_TYPE_STANDARD && recip <= USB_RECIP_ENDPOINT) {
        rules = std_rules[recip];
    } else if (type == USB_TYPE_CLASS && recip == USB_RECIP_INTERFACE && dev.config &&
               s->wIndex < USB_IF_COUNT) {
        rules = usb_hid_rules;
    } else {
#if USB_MSC
        if (type == USB_TYPE_CLASS && recip == USB_RECIP_INTERFACE && dev.config && msc_on() &&
            s->wIndex == USB_IF_MSC)
            return usb_msc_request(s);
#endif
        return USB_CTRL_STALL;
    }
    if (!shape_ok(s, rules)) return USB_CTRL_STALL;
    if (type) return usb_hid_request(s);
    if (recip == USB_RECIP_DEVICE) return std_device(s);
    if (recip == USB_RECIP_INTERFACE) return std_interface(s);
    return std_endpoint(s);
}

_Static_assert((int)DCD_CTRL_STALL == (int)USB_CTRL_STALL && (int)DCD_CTRL_IN == (int)USB_CTRL_IN &&
               (int)DCD_CTRL_OUT == (int)USB_CTRL_OUT && (int)DCD_CTRL_STATUS == (int)USB_CTRL_STATUS,
               "dcd_ctrl kinds");

#if DCD_CTRL_PIPE
#define ctrl_start dcd_ctrl
#else
static void ctrl_start(uint8_t kind, uint8_t *buf, uint16_t len, bool zlp)
{
    switch (kind) {
    case DCD_CTRL_IN:
        ctrl.zlp_after = zlp && len % 64u == 0 && len != 0;
        ctrl.stage = STAGE_DATA_IN;
        dcd_ep_xfer(0x80, buf, len);
        return;
    case DCD_CTRL_OUT:
        ctrl.stage = STAGE_DATA_OUT;
        dcd_ep_xfer(0x00, buf, len);
        return;
    case DCD_CTRL_STATUS:
        ctrl.stage = STAGE_STATUS;
        dcd_ep_xfer(0x80, NULL, 0);
        return;
    default:
        ctrl.stage = STAGE_IDLE;
        dcd_ep_stall(0x00);
        return;
    }
}
#endif

/* Checks a handler's answer against the request (a data stage in the request's direction, of at
 * most wLength bytes) and starts the transfer's stages, or stalls. */
static void ctrl_result(enum usb_ctrl_result r)
{
    const usb_setup_t *s = &dev.setup;
    bool in = s->bmRequestType & USB_DIR_IN;
    uint8_t *buf = usb_ctrl_buf;
    uint16_t n = s->wLength;
    if (r == USB_CTRL_IN) {
        if (n > usb_ctrl_in_len) n = usb_ctrl_in_len;
        buf = (uint8_t *)(uintptr_t)usb_ctrl_in_data;
        if (!in) r = USB_CTRL_STALL; /* a handler answered data to a host-to-device request */
    } else if (r == USB_CTRL_OUT) {
        if (in || n == 0 || n > sizeof usb_ctrl_buf) r = USB_CTRL_STALL;
    } else if (in || n) { /* status only ends requests that carry no data */
        r = USB_CTRL_STALL;
    }
    ctrl_start(r, buf, n, n < s->wLength);
}

void usbd_on_setup(const uint8_t setup[8])
{
    usb_setup_t *s = &dev.setup;
    s->bmRequestType = setup[0];
    s->bRequest = setup[1];
    s->wValue = (uint16_t)(setup[2] | setup[3] << 8);
    s->wIndex = (uint16_t)(setup[4] | setup[5] << 8);
    s->wLength = (uint16_t)(setup[6] | setup[7] << 8);
    ctrl_result(dispatch(s));
}

bool usbd_on_ctrl_out(uint16_t len)
{
    return len == dev.setup.wLength && usb_hid_out_done(&dev.setup, len) == USB_CTRL_STATUS;
}

void usbd_on_xfer_done(uint8_t ep_addr, uint16_t len)
{
#if !DCD_CTRL_PIPE
    if (ep_addr == 0x80) {
        if (ctrl.stage == STAGE_DATA_IN) {
            if (ctrl.zlp_after) {
                ctrl.zlp_after = false;
                dcd_ep_xfer(0x80, NULL, 0);
                return;
            }
            ctrl.stage = STAGE_STATUS;
            dcd_ep_xfer(0x00, NULL, 0); /* the host's status-stage ZLP */
        } else {
            ctrl.stage = STAGE_IDLE;
        }
        return;
    }
    if (ep_addr == 0x00) {
        if (ctrl.stage == STAGE_DATA_OUT)
            ctrl_start(usbd_on_ctrl_out(len) ? DCD_CTRL_STATUS : DCD_CTRL_STALL, NULL, 0, false);
        else
            ctrl.stage = STAGE_IDLE;
        return;
    }
#endif
    /* A HID endpoint is free again: usb_task() feeds it once dcd_poll() returns. */
#if USB_MSC
    if (ep_addr == USB_EP_MSC_IN || ep_addr == USB_EP_MSC_OUT) usb_msc_xfer_done(ep_addr, len);
#endif
    (void)ep_addr;
    (void)len;
}

void usb_init(const usb_identity_t *id)
{
    usb_desc_build(id);
    dcd_init();
    usbd_on_bus_reset();
    dcd_connect(true);
}

void usb_detach(void)
{
    dcd_connect(false);
    usbd_on_bus_reset();
}

void usb_attach(const usb_identity_t *id)
{
    usb_desc_build(id);
    usbd_on_bus_reset();
    dcd_connect(true);
}

void usb_task(void)
{
    dcd_poll();
    if (dev.config && !dev.suspended) usb_hid_feed();
}
