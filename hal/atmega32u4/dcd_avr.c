/* USB device-controller driver (usb/dcd.h) for the ATmega32U4: EP0 control transfers through its
 * one-bank FIFO, interrupt/bulk endpoints 1..DCD_AVR_MAX_EP, suspend/resume/remote wakeup.
 *
 * Assumptions about the dcd.h contract (written down so the usb/ stack and this driver agree):
 * - Polled, with no USB interrupt: callbacks (usbd_on_*) run only from dcd_poll(), in thread
 *   mode, as usb/ expects. EP0 runs whole control transfers (DCD_CTRL_PIPE, dcd_ctrl). The firmware's 250 us timer tick wakes the CPU anyway (hal_avr.c), so
 *   an interrupt would only bring USB work forward by less than a tick: far inside what the host
 *   allows for control transfers, and reports are handed to the controller by the main loop as
 *   they are made. dcd_ep_xfer() never calls back itself, so the stack may arm a transfer and
 *   update its own state afterwards.
 * - The stack answers SET_ADDRESS by calling dcd_set_address() and then dcd_ctrl(DCD_CTRL_STATUS);
 *   the new address is enabled (ADDEN) once that status ZLP is acked.
 * - Each endpoint number is one direction on this chip: EP1 IN and EP1 OUT cannot both exist.
 *   Numbers above DCD_AVR_MAX_EP (2: the stack uses 1 and 2) are refused; the chip has 0..6.
 * - max_packet is at most 64 (one bank of DPRAM each: 64 for EP0 + 2 x 64 of the 832 bytes).
 * - dcd_init() runs once, at start (usb_init): the driver's state is .bss, zero until then.
 * - Data endpoints are IN only: OUT ones serve only the keyboard's drive (usb/msc.h), which this
 *   chip does not build, and their code would be dead weight in its flash.
 * - Data endpoint transfers are one packet (len <= max_packet; the HID reports are), copied into
 *   the bank by dcd_ep_xfer() itself (DCD_XFER_COPIES_IN), so no transfer record is kept for
 *   them; their completion reports len 0 (the stack reads the length of OUT transfers only).
 * - Data endpoints are opened after dcd_ep_close_all(), lowest number first (usbd.c does). */
#include <avr/io.h>
#include <avr/pgmspace.h>
#include <stddef.h>

#include "core/regbase.h"
#include "hal/atmega32u4/dcd_avr.h"
#include "usb/dcd.h"

/* EP0 runs a whole control transfer here (DCD_CTRL_PIPE): the stack hands over its answer to a
 * SETUP once (dcd_ctrl), and the stages follow from this one record: IN data (with the ZLP a
 * short answer of whole packets needs) then the host's status ZLP; OUT data, the stack's verdict
 * (usbd_on_ctrl_out), then our status ZLP; or our status ZLP alone. */
/* The first three are where dcd_ctrl() starts, by its kind (DCD_CTRL_*). */
enum {
    E0_IDLE = DCD_CTRL_STALL, E0_IN = DCD_CTRL_IN, E0_OUT = DCD_CTRL_OUT, E0_STATUS_IN = DCD_CTRL_STATUS,
    E0_STATUS_OUT, E0_STATUS_SENT
};
static struct {
    uint8_t *buf;   /* the next byte to send or receive */
    /* What is left to send or receive. 8 bits: every answer of this device is shorter than 256
     * bytes (descriptors have an 8-bit length, the configuration descriptor is 59 bytes) and OUT
     * data stages are one packet (usbd.c takes at most 64 bytes). */
    uint8_t len;
    uint8_t state;
    bool zlp;       /* the answer is shorter than wLength: a last full packet is followed by a ZLP */
} ep0_;
/* through a pointer register (core/regbase.h): 2 bytes less per field than lds/sts */
#define ep0 (*REG_BASE(&ep0_))
/* The data endpoints (IN, interrupt) carry one-packet transfers that are copied into the bank at
 * once (dcd_ep_xfer), so all a driver keeps of them is whether they are open and whether the
 * bank is still waiting for the host. */
enum { EP_CLOSED = 0, EP_OPEN, EP_BUSY };
static uint8_t ep_state[DCD_AVR_MAX_EP + 1];
static uint8_t ep_size[DCD_AVR_MAX_EP + 1];
static uint8_t pending_addr;                 /* address to enable after the status stage, +0x80 */
static bool bus_asleep;                      /* suspended: WAKEUPI is looked at, not SUSPI */

static uint8_t size_code(uint8_t n)
{
    if (n <= 8) return 0x00;
    if (n <= 16) return 0x10;
    if (n <= 32) return 0x20;
    return 0x30;
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
     * address 0, and ADDEN is set once the ZLP has gone (see ep0_service). */
    UDADDR = addr & 0x7F;
    pending_addr = (uint8_t)(0x80 | addr);
}

/* The DPRAM is allocated in endpoint-number order: an endpoint allocated below one that already
 * has memory would slide it. The stack opens the data endpoints only after dcd_ep_close_all(),
 * lowest number first (usbd.c set_configuration), which is the order the datasheet asks for, so
 * each is configured as it is opened. */
bool dcd_ep_open(uint8_t ep_addr, enum dcd_ep_type type, uint16_t max_packet)
{
    uint8_t n = ep_addr & 0x7F;
    if (n == 0 || n > DCD_AVR_MAX_EP || !(ep_addr & 0x80) || max_packet == 0 || max_packet > 64)
        return false;
    UENUM = n;
    UECONX = (1 << EPEN) | (1 << RSTDT);
    UECFG0X = (uint8_t)((uint8_t)type << 6 | 1); /* EPDIR: IN */
    UECFG1X = size_code((uint8_t)max_packet) | (1 << ALLOC);
    ep_size[n] = (uint8_t)max_packet;
    ep_state[n] = EP_OPEN;
    return (UESTA0X & (1 << CFGOK)) != 0;
}

/* Top down, so no freed bank slides another. */
void dcd_ep_close_all(void)
{
    for (uint8_t n = DCD_AVR_MAX_EP; n >= 1; n--) {
        UENUM = n;
        UECONX = 0;
        UECFG1X = 0;
        ep_state[n] = EP_CLOSED;
    }
    UERST = 0x1E;
    UERST = 0;
}

/* Copies k bytes into the selected endpoint's bank, from RAM or (DCD_PGM_TAG) program memory. */
static void fifo_write(const uint8_t *p, uint8_t k)
{
    bool pgm = ((uintptr_t)p & DCD_PGM_TAG) != 0; /* a constant descriptor in program memory */
    p = (const uint8_t *)((uintptr_t)p & ~DCD_PGM_TAG);
    for (; k; k--, p++) UEDATX = pgm ? pgm_read_byte(p) : *p;
}

void dcd_ctrl(uint8_t kind, uint8_t *buf, uint16_t len, bool zlp)
{
    ep0.buf = buf;
    ep0.len = (uint8_t)len;
    ep0.zlp = zlp;
    ep0.state = kind;
    if (kind == DCD_CTRL_STALL) dcd_ep_stall(0x00);
    /* The packets go in from dcd_poll(), which looks at EP0 again right after the SETUP. */
}

/* EP0's pending work, one piece of it; false when there was none. */
static bool ep0_service(void)
{
    uint8_t f = UEINTX;
    bool tx = f & (1 << TXINI), rx = f & (1 << RXOUTI);
    if (f & (1 << RXSTPI)) {
        uint8_t setup[8];
        for (uint8_t i = 0; i < 8; i++) setup[i] = UEDATX;
        /* A new SETUP ends whatever EP0 was doing; the stack starts over from this request. */
        ep0.state = E0_IDLE;
        pending_addr = 0;
        /* An RXOUTI still set is the last transfer's status-stage ZLP, taken by the hardware but
         * not yet by us when the host moved on; left set it would read as this transfer's
         * status stage and cut its data stage short. No OUT of this transfer can be in yet:
         * the controller NAKs them until RXSTPI is cleared. */
        UEINTX = (uint8_t)~((1 << RXSTPI) | (f & (1 << RXOUTI)));
        usbd_on_setup(setup);
        return true;
    }
    /* The host's status ZLP (after IN data, or instead of the rest of it) is left in the bank,
     * RXOUTI set: the next SETUP clears it (above). Clearing it here would race that SETUP,
     * which the host sends as soon as its status stage is over: landing between a test for
     * RXSTPI and the write that clears RXOUTI, its bytes would go with the bank. */
    switch (ep0.state) {
    case E0_IN:
        if (rx) { /* the host moved to the status stage before taking all it asked for */
            ep0.state = E0_IDLE;
            return true;
        }
        if (tx) { /* the bank is free: the next packet */
            uint8_t k = ep0.len > DCD_AVR_EP0_SIZE ? DCD_AVR_EP0_SIZE : ep0.len;
            fifo_write(ep0.buf, k);
            ep0.buf += k;
            ep0.len -= k;
            UEINTX = (uint8_t)~(1 << TXINI);
            if (!ep0.len && (k < DCD_AVR_EP0_SIZE || !ep0.zlp)) ep0.state = E0_STATUS_OUT;
            return true;
        }
        return false;
    case E0_STATUS_OUT:
        if (!rx) return false;
        ep0.state = E0_IDLE;
        return true;
    case E0_OUT:
        if (!rx) return false;
        /* A SETUP that came since the flags were read (the host gave up on this request) is the
         * next thing to handle, not data of this transfer: draining it would lose it. */
        if (UEINTX & (1 << RXSTPI)) return true;
        {
            /* One packet ends the stage (OUT data of at most 64 bytes); bytes beyond what was
             * asked for are dropped with the bank. The host sends nothing more before our status
             * ZLP, so clearing RXOUTI here races no SETUP. */
            uint8_t n = UEBCLX;
            if (n > ep0.len) n = ep0.len;
            for (uint8_t i = 0; i < n; i++) ep0.buf[i] = UEDATX;
            UEINTX = (uint8_t)~(1 << RXOUTI);
            ep0.state = E0_IDLE;
            dcd_ctrl(usbd_on_ctrl_out(n) ? DCD_CTRL_STATUS : DCD_CTRL_STALL, NULL, 0, false);
        }
        return true;
    case E0_STATUS_IN:
    case E0_STATUS_SENT:
        if (!tx) return false;
        if (ep0.state == E0_STATUS_IN) {
            UEINTX = (uint8_t)~(1 << TXINI); /* the ZLP */
            ep0.state = E0_STATUS_SENT;
        } else { /* the host took it */
            if (pending_addr) {
                UDADDR = pending_addr; /* bit 7 = ADDEN */
                pending_addr = 0;
            }
            ep0.state = E0_IDLE;
        }
        return true;
    default:
        return false;
    }
}

/* Does one piece of endpoint work; returns false when nothing was pending. */
static bool ep_service_one(void)
{
    UENUM = 0;
    if (ep0_service()) return true;
    for (uint8_t n = 1; n <= DCD_AVR_MAX_EP; n++) {
        if (ep_state[n] != EP_BUSY) continue;
        UENUM = n;
        if (UEINTX & (1 << TXINI)) { /* the host took the packet */
            ep_state[n] = EP_OPEN;
            usbd_on_xfer_done((uint8_t)(0x80 | n), 0);
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
    /* A data endpoint (EP0 goes through dcd_ctrl): IN, one packet, into the bank now (which an
     * idle endpoint has free: its last packet was taken), so `buf` is free again on return. */
    uint8_t n = ep_addr & 0x7F;
    if (n - 1u >= DCD_AVR_MAX_EP || !(ep_addr & 0x80) || ep_state[n] != EP_OPEN || len > ep_size[n])
        return false;
    UENUM = n;
    fifo_write(buf, (uint8_t)len);
    ep_state[n] = EP_BUSY;
    UEINTX = (uint8_t)~((1 << TXINI) | (1 << FIFOCON)); /* FIFOCON hands the bank over */
    return true;
}

bool dcd_ep_busy(uint8_t ep_addr)
{
    uint8_t n = ep_addr & 0x7F;
    return n - 1u < DCD_AVR_MAX_EP && ep_state[n] == EP_BUSY;
}

void dcd_ep_stall(uint8_t ep_addr)
{
    uint8_t n = ep_addr & 0x7F;
    if (n > DCD_AVR_MAX_EP) return;
    UENUM = n;
    UECONX |= (1 << STALLRQ) | (1 << EPEN);
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
        UENUM = 0;
        UECONX = 1 << EPEN;
        UECFG0X = 0;
        _Static_assert(DCD_AVR_EP0_SIZE == 64, "EP0 size code");
        UECFG1X = 0x30 | (1 << ALLOC); /* 64 bytes */
        ep0.state = E0_IDLE;
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
