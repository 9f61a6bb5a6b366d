/* USB device-controller driver (usb/dcd.h) for the ATmega32U4: EP0 control transfers through its
 * one-bank FIFO, interrupt/bulk endpoints 1..DCD_AVR_MAX_EP, suspend/resume/remote wakeup.
 *
 * Assumptions about the dcd.h contract (written down so the usb/ stack and this driver agree):
 * - Polled, with no USB interrupt: callbacks (usbd_on_*) run only from dcd_poll(), in thread
 *   mode, as usb/ expects. The firmware's 250 us timer tick wakes the CPU anyway (hal_avr.c), so
 *   an interrupt would only bring USB work forward by less than a tick: far inside what the host
 *   allows for control transfers, and reports are handed to the controller by the main loop as
 *   they are made. dcd_ep_xfer() never calls back itself, so the stack may arm a transfer and
 *   update its own state afterwards.
 * - The stack answers SET_ADDRESS by calling dcd_set_address() and then arming the status stage
 *   with dcd_ep_xfer(0x80, NULL, 0); the new address is enabled (ADDEN) once that ZLP is acked.
 * - Each endpoint number is one direction on this chip: EP1 IN and EP1 OUT cannot both exist.
 *   Numbers above DCD_AVR_MAX_EP (2: the stack uses 1 and 2) are refused; the chip has 0..6.
 * - max_packet is at most 64 (one bank of DPRAM each: 64 for EP0 + 2 x 64 of the 832 bytes).
 * - dcd_init() runs once, at start (usb_init): the driver's state is .bss, zero until then.
 * - Data endpoints are IN only: OUT ones serve only the keyboard's drive (usb/msc.h), which this
 *   chip does not build, and their code would be dead weight in its flash. */
#include <avr/io.h>
#include <avr/pgmspace.h>
#include <stddef.h>

#include "hal/atmega32u4/dcd_avr.h"
#include "usb/dcd.h"

/* Transfer states: idle, armed but waiting for the bank (IN) or data (OUT), packet in flight. */
enum { XS_IDLE = 0, XS_ARMED, XS_FLIGHT };

typedef struct xfer {
    uint8_t *buf;
    uint16_t len, done;
    uint8_t state;
} xfer_t;

/* One transfer per endpoint number (a number has one direction), plus EP0's OUT side. */
static xfer_t xf[DCD_AVR_MAX_EP + 1];
static xfer_t ep0_out;
static uint8_t ep_cfg0[DCD_AVR_MAX_EP + 1]; /* UECFG0X per endpoint, valid when ep_cfg1 != 0 */
static uint8_t ep_cfg1[DCD_AVR_MAX_EP + 1]; /* UECFG1X per endpoint, 0 = not open */
static uint8_t ep_size[DCD_AVR_MAX_EP + 1];
static uint8_t pending_addr;                 /* address to enable after the status stage, +0x80 */
static bool bus_asleep;                      /* suspended: WAKEUPI is looked at, not SUSPI */

static uint8_t size_code(uint16_t n)
{
    if (n <= 8) return 0x00;
    if (n <= 16) return 0x10;
    if (n <= 32) return 0x20;
    return 0x30;
}

static void ep0_setup_hw(void)
{
    UENUM = 0;
    UECONX = 1 << EPEN;
    UECFG0X = 0;
    UECFG1X = size_code(DCD_AVR_EP0_SIZE) | (1 << ALLOC);
    ep_size[0] = DCD_AVR_EP0_SIZE;
}

/* The DPRAM is allocated in endpoint-number order, so endpoints are always (re)configured all
 * together, top down to free and bottom up to allocate; a lower endpoint added later cannot then
 * slide a higher one's memory. */
static void ep_hw_reconfigure(void)
{
    for (uint8_t n = DCD_AVR_MAX_EP; n >= 1; n--) {
        UENUM = n;
        UECONX = 0;
        UECFG1X = 0;
    }
    for (uint8_t n = 1; n <= DCD_AVR_MAX_EP; n++) {
        if (!ep_cfg1[n]) continue;
        UENUM = n;
        UECONX = (1 << EPEN) | (1 << RSTDT);
        UECFG0X = ep_cfg0[n];
        UECFG1X = ep_cfg1[n];
    }
    UERST = 0x1E;
    UERST = 0;
}

void dcd_init(void)
{
    UHWCON = 1 << UVREGE;
    USBCON = (1 << USBE) | (1 << FRZCLK);
#if F_CPU == 16000000UL
    PLLCSR = (1 << PINDIV) | (1 << PLLE); /* the PLL wants 8 MHz in: halve the 16 MHz crystal */
#else
    PLLCSR = 1 << PLLE;
#endif
    while (!(PLLCSR & (1 << PLOCK))) {
    }
    USBCON = (1 << USBE) | (1 << OTGPADE);
    UDCON = 1 << DETACH;
    UDINT = 0;
    /* The driver's own state starts zeroed (.bss: nothing open, no transfer, awake): usb_init()
     * calls this once, at start. */
}

void dcd_connect(bool on)
{
    if (on)
        UDCON &= (uint8_t)~(1 << DETACH);
    else
        UDCON |= 1 << DETACH;
}

void dcd_set_address(uint8_t addr)
{
    /* The datasheet's order: the address goes in now without ADDEN, the status stage is sent at
     * address 0, and ADDEN is set once the ZLP has gone (see ep_in_service). */
    UDADDR = addr & 0x7F;
    pending_addr = (uint8_t)(0x80 | addr);
}

bool dcd_ep_open(uint8_t ep_addr, enum dcd_ep_type type, uint16_t max_packet)
{
    uint8_t n = ep_addr & 0x7F;
    if (n == 0 || n > DCD_AVR_MAX_EP || !(ep_addr & 0x80) || max_packet == 0 || max_packet > 64)
        return false;
    ep_cfg0[n] = (uint8_t)((uint8_t)type << 6 | 1); /* EPDIR: IN */
    ep_cfg1[n] = size_code(max_packet) | (1 << ALLOC);
    ep_size[n] = (uint8_t)max_packet;
    xf[n].state = XS_IDLE;
    ep_hw_reconfigure();
    UENUM = n;
    return (UESTA0X & (1 << CFGOK)) != 0;
}

void dcd_ep_close_all(void)
{
    for (uint8_t n = 1; n <= DCD_AVR_MAX_EP; n++) {
        ep_cfg1[n] = 0;
        xf[n].state = XS_IDLE;
    }
    ep_hw_reconfigure();
}

/* Writes the next packet of the IN transfer on the selected endpoint and hands the bank over. */
static void ep_in_packet(uint8_t n)
{
    xfer_t *x = &xf[n];
    uint16_t left = x->len - x->done;
    uint8_t k = left > ep_size[n] ? ep_size[n] : (uint8_t)left;
    const uint8_t *p = x->buf + x->done;
    bool pgm = ((uintptr_t)p & DCD_PGM_TAG) != 0; /* a constant descriptor in program memory */
    p = (const uint8_t *)((uintptr_t)p & ~DCD_PGM_TAG);
    for (uint8_t i = 0; i < k; i++, p++) UEDATX = pgm ? pgm_read_byte(p) : *p;
    x->done += k;
    x->state = XS_FLIGHT;
    /* FIFOCON hands a bank over on data endpoints; on EP0 only TXINI may be cleared. */
    UEINTX = n ? (uint8_t)~((1 << TXINI) | (1 << FIFOCON)) : (uint8_t)~(1 << TXINI);
}

/* TXINI on the selected endpoint: the bank is free (first packet) or the last one was taken. */
static void ep_in_service(uint8_t n)
{
    xfer_t *x = &xf[n];
    if (x->state == XS_FLIGHT && x->done >= x->len) {
        x->state = XS_IDLE;
        if (n == 0 && x->len == 0 && pending_addr) {
            UDADDR = pending_addr; /* bit 7 = ADDEN */
            pending_addr = 0;
        }
        usbd_on_xfer_done((uint8_t)(0x80 | n), x->done);
        return;
    }
    ep_in_packet(n);
}

/* RXOUTI on EP0 with an OUT transfer armed: take the packet. */
static void ep0_out_service(void)
{
    xfer_t *x = &ep0_out;
    uint8_t k = UEBCLX;
    /* The host sends its next SETUP as soon as the status ZLP is taken, and it may land between
     * our reading the flags and here: it then fills the bank, and it is the next thing to handle
     * (ep0_service), not data of this transfer. Draining it would lose the request. */
    if (UEINTX & (1 << RXSTPI)) return;
    for (uint8_t i = 0; i < k; i++) {
        uint8_t b = UEDATX;
        if (x->done < x->len) x->buf[x->done++] = b;
    }
    UEINTX = (uint8_t)~(1 << RXOUTI);
    if (x->done >= x->len || k < DCD_AVR_EP0_SIZE) {
        x->state = XS_IDLE;
        usbd_on_xfer_done(0, x->done);
    }
}

/* EP0's pending work, one piece of it; false when there was none. */
static bool ep0_service(void)
{
    uint8_t f = UEINTX;
    if (f & (1 << RXSTPI)) {
        uint8_t setup[8];
        for (uint8_t i = 0; i < 8; i++) setup[i] = UEDATX;
        /* A new SETUP ends whatever EP0 was doing; the stack starts over from this request. */
        xf[0].state = XS_IDLE;
        ep0_out.state = XS_IDLE;
        pending_addr = 0;
        /* An RXOUTI still set is the last transfer's status-stage ZLP, taken by the hardware but
         * not yet by us when the host moved on; left set it would read as this transfer's
         * status stage and cut its data stage short. No OUT of this transfer can be in yet:
         * the controller NAKs them until RXSTPI is cleared. */
        UEINTX = (uint8_t)~((1 << RXSTPI) | (f & (1 << RXOUTI)));
        usbd_on_setup(setup);
        return true;
    }
    if ((f & (1 << TXINI)) && xf[0].state != XS_IDLE) {
        ep_in_service(0);
        return true;
    }
    if ((f & (1 << RXOUTI)) && xf[0].state == XS_FLIGHT) {
        /* The host moved to the status stage before taking all the data it asked for. */
        xf[0].state = XS_IDLE;
        usbd_on_xfer_done(0x80, xf[0].done);
        return true;
    }
    if ((f & (1 << RXOUTI)) && ep0_out.state != XS_IDLE) {
        ep0_out_service();
        return true;
    }
    return false;
}

/* Does one piece of endpoint work; returns false when nothing was pending. */
static bool ep_service_one(void)
{
    UENUM = 0;
    if (ep0_service()) return true;
    for (uint8_t n = 1; n <= DCD_AVR_MAX_EP; n++) {
        if (!ep_cfg1[n] || xf[n].state == XS_IDLE) continue;
        UENUM = n;
        if (UEINTX & (1 << TXINI)) { /* data endpoints are IN (dcd_ep_open) */
            ep_in_service(n);
            return true;
        }
    }
    return false;
}

static void ep_service_all(void)
{
    /* Bounded: each pass retires a flag. */
    for (uint8_t i = 0; i < 16 && ep_service_one(); i++) {
    }
}

/* The calls below select their endpoint without putting UENUM back: no interrupt uses it, and the
 * thread code never relies on a selection across a call (each function selects before it touches
 * an endpoint). */
bool dcd_ep_xfer(uint8_t ep_addr, uint8_t *buf, uint16_t len)
{
    uint8_t n = ep_addr & 0x7F;
    bool in = (ep_addr & 0x80) != 0;
    if (n > DCD_AVR_MAX_EP || (n && (!ep_cfg1[n] || !in))) return false;
    xfer_t *x = (n == 0 && !in) ? &ep0_out : &xf[n];
    if (x->state != XS_IDLE) return false;
    x->buf = buf;
    x->len = len;
    x->done = 0;
    x->state = XS_ARMED;
    UENUM = n;
    /* A free bank takes the first packet now; the rest, and OUT data, go in dcd_poll(). */
    if (in && (UEINTX & (1 << (n ? RWAL : TXINI)))) ep_in_packet(n);
    return true;
}

bool dcd_ep_busy(uint8_t ep_addr)
{
    uint8_t n = ep_addr & 0x7F;
    if (n > DCD_AVR_MAX_EP) return false;
    const xfer_t *x = (n == 0 && !(ep_addr & 0x80)) ? &ep0_out : &xf[n];
    return x->state != XS_IDLE;
}

void dcd_ep_stall(uint8_t ep_addr)
{
    uint8_t n = ep_addr & 0x7F;
    if (n > DCD_AVR_MAX_EP) return;
    UENUM = n;
    UECONX |= (1 << STALLRQ) | (1 << EPEN);
    if (n == 0) {
        xf[0].state = XS_IDLE;
        ep0_out.state = XS_IDLE;
    }
}

void dcd_ep_clear_stall(uint8_t ep_addr)
{
    uint8_t n = ep_addr & 0x7F;
    if (n > DCD_AVR_MAX_EP) return;
    UENUM = n;
    UECONX = (uint8_t)((UECONX & ~(1 << STALLRQ)) | (1 << STALLRQC) | (1 << RSTDT));
}

void dcd_remote_wakeup(void)
{
    USBCON &= (uint8_t)~(1 << FRZCLK); /* RMWKUP needs a running USB clock */
    UDCON |= 1 << RMWKUP;
}

/* Bus events: reset, suspend, resume. */
static void gen_service(void)
{
    uint8_t f = UDINT;
    /* UDINT is cleared with &= ~bit: simavr keeps it as plain memory, where writing 1s sets bits. */
    if (f & (1 << EORSTI)) {
        UDINT &= (uint8_t)~(1 << EORSTI);
        dcd_ep_close_all(); /* the data endpoints (and their transfers), before EP0 */
        ep0_setup_hw();
        xf[0].state = XS_IDLE;
        ep0_out.state = XS_IDLE;
        pending_addr = 0;
        usbd_on_bus_reset();
    }
    if ((f & (1 << SUSPI)) && !bus_asleep) {
        UDINT &= (uint8_t)~((1 << SUSPI) | (1 << WAKEUPI));
        bus_asleep = true;
        USBCON |= 1 << FRZCLK; /* the clock is stopped while the bus sleeps; WAKEUPI still works */
        usbd_on_suspend();
    }
    if ((f & (1 << WAKEUPI)) && bus_asleep) {
        USBCON &= (uint8_t)~(1 << FRZCLK);
        UDINT &= (uint8_t)~(1 << WAKEUPI);
        bus_asleep = false;
        usbd_on_resume();
    }
}

void dcd_poll(void)
{
    gen_service();
    ep_service_all();
}
