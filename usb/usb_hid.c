/* The HID class: the boot keyboard (interface 0) and the report-ID interface (1), their class
 * requests (HID 1.11 §7.2), and the report queues that carry every report the engine produced,
 * in order, one per endpoint poll. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/rom.h"
#include "usb/dcd.h"
#include "usb/usb_desc_tmpl.h"
#include "usb/usb_internal.h"

/* Reports queued per endpoint. A chip with little RAM (ATmega32U4: 2.5 KB) sets a smaller depth. */
#ifndef USB_QUEUE_LEN
#define USB_QUEUE_LEN 32u
#endif
#define QUEUE_LEN USB_QUEUE_LEN
#define EXTRA_REPORT_MAX (2u + USB_NKRO_BITMAP_LEN) /* id + mods + bitmap */

typedef struct report_slot {
    uint8_t len;
    uint8_t data[EXTRA_REPORT_MAX];
} report_slot_t;

typedef struct report_queue {
    report_slot_t slot[QUEUE_LEN];
    uint8_t head, count;
#if !DCD_XFER_COPIES_IN
    uint8_t in_flight[EXTRA_REPORT_MAX]; /* the buffer the controller is sending from */
#endif
} report_queue_t;

static report_queue_t queues[2]; /* [0] = USB_EP_KBD_IN, [1] = USB_EP_EXTRA_IN */

typedef struct hid_state {
    uint8_t protocol;     /* 0 boot, 1 report (the default after reset, HID 1.11 §7.2.6) */
    uint8_t idle[2];      /* SET_IDLE duration per interface, 4 ms units; 0 = only on change */
    ktime_t now_ms;       /* from usb_tick() */
    ktime_t kbd_sent_ms;  /* when interface 0 last sent a report (for its idle rate) */
    uint8_t leds;
    bool leds_changed;
    bool nkro;
    /* The last report of every kind, for GET_REPORT. */
    uint8_t boot[USB_BOOT_REPORT_LEN];
    uint8_t nkro_report[EXTRA_REPORT_MAX];
    uint8_t system[3], consumer[3], mouse[6];
} hid_state_t;
static hid_state_t hid; /* zero until usb_init()'s bus reset sets it up (usb_hid_reset): in .bss, no copy in flash */

bool usb_ep_halted(uint8_t ep);


bool usb_identity_from_cfg(usb_identity_t *id, const cfg_t *cfg, const char *serial)
{
#if !USB_DESC_FROM_IMAGE
    _Static_assert(CFG_INFO_PID == CFG_INFO_VID + 2 && CFG_INFO_BCD == CFG_INFO_VID + 4, "INFO ids");
    for (uint8_t i = 0; i < sizeof id->ids; i++) id->ids[i] = cfg_info8(cfg, CFG_INFO_VID + i);
    uint8_t poll = cfg_info8(cfg, CFG_INFO_POLL_MS);
    id->poll_ms = poll ? poll : 1;
    uint8_t power = cfg_info8(cfg, CFG_INFO_MAX_POWER);
    id->max_power_2ma = power ? power : 250;
#endif
    id->desc[0] = id->desc[1] = NULL;
    id->serial = serial;
    /* The loader's descriptors (core/cfg.h USB_STRINGS; it wrote the defaults for names the
     * keyboard has none of); one that would reach past the section ends the walk. */
    uint16_t n, len, at = 0;
    const uint8_t *s = cfg_section(cfg, CFG_SEC_USB_STRINGS, &n, &len);
    for (uint8_t k = 0; k < 2 && at + 2u <= len; k++) {
        uint8_t l = CFG_RD8(s + at);
        if (l < 2u || at + l > len) break;
        id->desc[k] = s + at;
        at = (uint16_t)(at + l);
    }
#if USB_DESC_FROM_IMAGE
    /* After the strings: the device descriptor (type 1), then the configuration descriptor
     * (type 2) with its interfaces. */
    id->desc[2] = s + at;
    return at + USB_DESC_DEVICE_LEN + USB_CONFIG_LEN <= len; /* an older writer's image: no */
#else
    return true;
#endif
}

void usb_set_nkro(bool on)
{
    hid.nkro = on;
}

uint8_t usb_host_leds(void)
{
    return hid.leds;
}

bool usb_leds_changed(void)
{
    bool c = hid.leds_changed;
    hid.leds_changed = false;
    return c;
}

void usb_hid_reset(void)
{
    for (unsigned q = 0; q < 2; q++) queues[q].head = queues[q].count = 0;
    hid.protocol = 1;
    hid.idle[0] = hid.idle[1] = 0;
}

void usb_hid_configured(void)
{
}

/* head + i for i < QUEUE_LEN, wrapped: no division (a call on an 8-bit CPU when the length is
 * not a power of two, as on the ATmega32U4). */
static uint8_t slot_at(const report_queue_t *rq, uint8_t i)
{
    i = (uint8_t)(rq->head + i);
    return i >= QUEUE_LEN ? (uint8_t)(i - QUEUE_LEN) : i;
}

/* Queues a report for queues[0] (USB_EP_KBD_IN, boot reports) or queues[1] (USB_EP_EXTRA_IN,
 * reports that start with their ID); returns that endpoint's number, 0 when merged. The queue
 * is passed, not its index: an index into 218-byte queues is a 16-bit multiply on an 8-bit CPU. */
static uint8_t enqueue(report_queue_t *rq, const uint8_t *data, uint8_t len)
{
    bool extra = rq != queues;
    report_slot_t *s;
    uint8_t ep = 0, i = rq->count;
    if (i == QUEUE_LEN) {
        /* Full (the host stopped polling): the newest state replaces the newest queued report
         * of the same kind (on the report-ID endpoint the ID says the kind, and the length),
         * so the host still ends in the right state. */
        do {
            if (!i--) return 0;
            s = &rq->slot[slot_at(rq, i)];
        } while (extra && s->data[0] != data[0]);
    } else {
        s = &rq->slot[slot_at(rq, i)];
        rq->count++;
        s->len = len;
        ep = extra ? 2u : 1u; /* USB_EP_EXTRA_IN / USB_EP_KBD_IN numbers */
    }
    memcpy(s->data, data, len);
    return ep;
}

static void feed(report_queue_t *rq, uint8_t ep)
{
    if (!rq->count || usb_ep_halted(ep)) return;
    report_slot_t *s = &rq->slot[rq->head];
#if DCD_XFER_COPIES_IN
    uint8_t *b = s->data; /* the driver has copied it when the call returns (or refused: busy) */
#else
    if (dcd_ep_busy(ep)) return; /* in_flight is still being sent */
    uint8_t *b = rq->in_flight; /* the slot may be overwritten while the controller sends */
    memcpy(b, s->data, s->len);
#endif
    if (!dcd_ep_xfer(ep, b, s->len)) return;
    rq->head = slot_at(rq, 1);
    rq->count--;
    if (ep == USB_EP_KBD_IN) hid.kbd_sent_ms = hid.now_ms;
}

/* HID 1.11 §7.2.4: with a non-zero idle rate the boot keyboard repeats its current report when
 * nothing changed for that long. Only interface 0 repeats; interface 1 keeps the rate it is
 * given for GET_IDLE but sends on change only. */
ktime_t usb_tick(ktime_t now_ms)
{
    hid.now_ms = now_ms;
    if (!hid.idle[0] || !usb_configured()) return USB_NO_DEADLINE;
    ktime_t period = (ktime_t)(4u * hid.idle[0]);
    if (ktime_diff(now_ms, (ktime_t)(hid.kbd_sent_ms + period)) >= 0) {
        if (!queues[0].count && !dcd_ep_busy(USB_EP_KBD_IN)) {
            enqueue(&queues[0], hid.boot, USB_BOOT_REPORT_LEN);
            hid.kbd_sent_ms = now_ms; /* the repeat counts from now even if the host is slow */
        } else {
            /* Still due, from now: a time that stayed in the past would age beyond what the
             * clock compares (32 s with 16-bit time) while the host took nothing. */
            hid.kbd_sent_ms = (ktime_t)(now_ms - period);
        }
    }
    return ktime_deadline((ktime_t)(hid.kbd_sent_ms + period));
}

void usb_hid_feed(void)
{
    feed(&queues[0], USB_EP_KBD_IN);
    feed(&queues[1], USB_EP_EXTRA_IN);
}

bool usb_reports_pending(void)
{
    return queues[0].count || queues[1].count || dcd_ep_busy(USB_EP_KBD_IN) ||
           dcd_ep_busy(USB_EP_EXTRA_IN);
}

uint8_t usb_send_kbd(const kbd_report_t *r)
{
    if (hid.nkro && hid.protocol == 1) {
        uint8_t *b = hid.nkro_report;
        b[0] = USB_RID_NKRO;
        b[1] = r->mods;
        memcpy(b + 2, r->keys, USB_NKRO_BITMAP_LEN);
        return enqueue(&queues[1], b, EXTRA_REPORT_MAX);
    }
    /* Boot format: the first six usages in ascending order (the engine keeps at most six). */
    uint8_t *b = hid.boot;
    memset(b, 0, USB_BOOT_REPORT_LEN);
    b[0] = r->mods;
    uint8_t *o = b + 2;
    for (uint8_t byte = 0; byte < 32u; byte++) {
        uint8_t bits = r->keys[byte];
        for (uint8_t u = (uint8_t)(byte * 8u); bits && o < b + USB_BOOT_REPORT_LEN; u++, bits >>= 1)
            if (bits & 1u) *o++ = u;
    }
    return enqueue(&queues[0], b, USB_BOOT_REPORT_LEN);
}

static uint8_t send_usage(uint8_t *b, uint8_t id, uint16_t usage)
{
    b[0] = id;
    b[1] = (uint8_t)usage;
    b[2] = (uint8_t)(usage >> 8);
    return enqueue(&queues[1], b, 3);
}

uint8_t usb_send_system(uint16_t usage)
{
    return send_usage(hid.system, USB_RID_SYSTEM, usage);
}

uint8_t usb_send_consumer(uint16_t usage)
{
    return send_usage(hid.consumer, USB_RID_CONSUMER, usage);
}

uint8_t usb_send_mouse(const mouse_report_t *r)
{
    uint8_t *b = hid.mouse;
    b[0] = USB_RID_MOUSE;
    b[1] = r->buttons;
    b[2] = (uint8_t)r->x;
    b[3] = (uint8_t)r->y;
    b[4] = (uint8_t)r->v;
    b[5] = (uint8_t)r->h;
    return enqueue(&queues[1], b, 6);
}

/* GET_REPORT answers the current state of an input report. */
static enum usb_ctrl_result get_report(uint8_t iface, uint8_t type, uint8_t id)
{
    /* Where each report is kept and its length: the boot report, then by report ID. */
    static const uint8_t at[1 + USB_RID_MOUSE][2] ROM_DATA = {
        {offsetof(hid_state_t, boot), USB_BOOT_REPORT_LEN},
        {offsetof(hid_state_t, nkro_report), EXTRA_REPORT_MAX},
        {offsetof(hid_state_t, system), 3},
        {offsetof(hid_state_t, consumer), 3},
        {offsetof(hid_state_t, mouse), 6},
    };
    if (type != 1) return USB_CTRL_STALL; /* input reports only: no feature reports exist */
    if (iface == USB_IF_KBD ? id != 0 : (uint8_t)(id - 1u) >= USB_RID_MOUSE) return USB_CTRL_STALL;
    uint8_t *b = (uint8_t *)&hid + ROM_RD8(&at[id][0]);
    if (id) b[0] = id; /* never sent yet: the rest is still zero */
    return usb_ctrl_answer(b, ROM_RD8(&at[id][1]));
}

/* The class requests (HID 1.11 §7.2) and their shapes, checked by usbd.c before
 * usb_hid_request() runs; what the table cannot say is checked there. */
const uint8_t usb_hid_rules[USB_RQ_COUNT] ROM_DATA = {
    [0x01] = USB_RQ_GET(USB_RQ_LEN_ANY, USB_RQ_VALANY), /* GET_REPORT */
    [0x02] = USB_RQ_GET(1, USB_RQ_VAL127),             /* GET_IDLE: report ID in the low byte */
    [0x03] = USB_RQ_GET(1, USB_RQ_VAL0),               /* GET_PROTOCOL */
    [0x09] = USB_RQ_SET(USB_RQ_LEN_ANY, USB_RQ_VALANY), /* SET_REPORT */
    [0x0A] = USB_RQ_SET(0, USB_RQ_VALANY),             /* SET_IDLE */
    [0x0B] = USB_RQ_SET(0, USB_RQ_VAL1),               /* SET_PROTOCOL */
};

enum usb_ctrl_result usb_hid_request(const usb_setup_t *s)
{
    uint8_t iface = (uint8_t)s->wIndex, rq = s->bRequest;
    uint8_t hi = (uint8_t)(s->wValue >> 8), lo = (uint8_t)s->wValue;
    bool kbd = iface == USB_IF_KBD;
    if (rq == 0x01) return get_report(iface, hi, lo); /* GET_REPORT */
    if (rq == 0x09) { /* SET_REPORT: the LED output report, (ID and) LED bits */
        /* interface 0: no report ID, 1 byte; interface 1: ID 1 (NKRO) and the byte */
        _Static_assert(USB_IF_KBD == 0 && (unsigned)USB_IF_EXTRA == (unsigned)USB_RID_NKRO, "LED report IDs");
        if (hi != 2 || lo != iface || s->wLength != iface + 1u) return USB_CTRL_STALL;
        return USB_CTRL_OUT;
    }
    /* GET_IDLE 0x02, SET_IDLE 0x0A: the report ID must name a report of the interface (0: all) */
    if ((rq & 7u) == 2u) {
        if (kbd ? lo != 0 : lo > USB_RID_MOUSE) return USB_CTRL_STALL;
        if (rq == 0x02) return usb_ctrl_answer_byte(hid.idle[iface], 1);
        hid.idle[iface] = hi;
        hid.kbd_sent_ms = hid.now_ms;
        return USB_CTRL_STATUS;
    }
    /* GET_PROTOCOL 0x03, SET_PROTOCOL 0x0B: boot interfaces only */
    if (!kbd) return USB_CTRL_STALL;
    if (rq == 0x03) return usb_ctrl_answer_byte(hid.protocol, 1);
    hid.protocol = lo; /* 0 or 1: the shape allows no more */
    return USB_CTRL_STATUS;
}

enum usb_ctrl_result usb_hid_out_done(const usb_setup_t *s, uint16_t len)
{
    /* len is the wLength that usb_hid_request() accepted: 1 on interface 0, 2 on interface 1
     * (report ID, LEDs). */
    (void)s;
    uint8_t leds = usb_ctrl_buf[len - 1u] & 0x1Fu;
    if (len == 2 && usb_ctrl_buf[0] != USB_RID_NKRO) return USB_CTRL_STALL;
    if (leds != hid.leds) {
        hid.leds = leds;
        hid.leds_changed = true;
    }
    return USB_CTRL_STATUS;
}
