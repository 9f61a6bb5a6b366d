/* usb/dcd.h for the RP2040/RP2350 USB controller (same IP on both; rp2.md §5). Events are taken
 * in dcd_poll() from the main loop: the interrupt handler only masks itself and wakes the CPU, so
 * the whole USB stack runs in thread mode and needs no locking against the report path. */
#include <stdbool.h>
#include <stdint.h>

#include "fw/hal.h"
#include "hal/rp2/regs.h"
#include "usb/dcd.h"

#define DCD_NUM_EP 16u

typedef struct dcd_ep {
    uint8_t *buf;        /* caller's buffer */
    uint16_t len, done;  /* transfer length, bytes moved so far */
    uint16_t mps;        /* max packet size; 0 = not open */
    uint16_t dpram;      /* buffer offset in DPRAM */
    uint16_t last;       /* size of the packet in flight */
    uint8_t pid;         /* next DATA PID (0/1) */
    bool active;
} dcd_ep_t;

static dcd_ep_t eps[DCD_NUM_EP][2]; /* [number][0 = OUT, 1 = IN] */
static uint16_t dpram_next;
static uint8_t pending_addr;
static bool addr_pending;

#define EP_NUM(a) ((a) & 0x0Fu)
#define EP_IN(a) (((a) & 0x80u) != 0)

static inline dcd_ep_t *ep_of(uint8_t addr)
{
    return &eps[EP_NUM(addr)][EP_IN(addr)];
}

static inline uint32_t buf_ctrl(uint8_t addr)
{
    return RP2_DPRAM_BUF_CTRL(EP_NUM(addr), !EP_IN(addr));
}

/* The controller samples the buffer-control word on clk_usb: everything but AVAILABLE first,
 * then AVAILABLE once the rest has settled (rp2.md §5.6). */
static void buf_ctrl_write(uint8_t addr, uint32_t v)
{
    uint32_t bc = buf_ctrl(addr);
    mmio_wr(bc, v);
    __asm__ volatile("nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop\n nop");
    mmio_wr(bc, v | RP2_BUF_AVAILABLE);
}

/* Starts the next packet of the endpoint's transfer. */
static void ep_next_packet(uint8_t addr)
{
    dcd_ep_t *e = ep_of(addr);
    uint16_t n = (uint16_t)(e->len - e->done);
    if (n > e->mps) n = e->mps;
    e->last = n;
    uint32_t v = n | (e->pid ? RP2_BUF_DATA1 : 0u);
    if (EP_IN(addr)) {
        uint32_t d = RP2_USB_DPRAM_BASE + e->dpram;
        /* Byte copies: DPRAM must not see unaligned word accesses (RP2350 faults on them). */
        for (uint16_t i = 0; i < n; i++) mmio_wr8(d + i, e->buf[e->done + i]);
        v |= RP2_BUF_FULL;
    } else {
        e->last = e->mps; /* receive up to a whole packet */
        v = e->mps | (e->pid ? RP2_BUF_DATA1 : 0u);
    }
    e->pid ^= 1u;
    buf_ctrl_write(addr, v);
}

void dcd_init(void)
{
    rp2_reset(RP2_RESET_USBCTRL);
    rp2_unreset(RP2_RESET_USBCTRL);
    for (unsigned i = 0; i < 4096u; i += 4) mmio_wr(RP2_USB_DPRAM_BASE + i, 0);
    for (unsigned i = 0; i < DCD_NUM_EP; i++) eps[i][0] = eps[i][1] = (dcd_ep_t){0};
    eps[0][0].mps = eps[0][1].mps = 64;
    eps[0][0].dpram = eps[0][1].dpram = 0x100;
    dpram_next = RP2_DPRAM_FREE;
    mmio_wr(RP2_USB_USB_MUXING, 0x9u);  /* TO_PHY | SOFTCON */
    mmio_wr(RP2_USB_USB_PWR, 0xCu);     /* VBUS detect forced: VBUS is not wired on all boards */
    /* RP2350: the PHY comes out of reset isolated (MAIN_CTRL.PHY_ISO); connect it while the
     * controller is still off, then enable the controller. On the RP2040 the first write is a
     * no-op (MAIN_CTRL resets to 0). */
    mmio_wr(RP2_USB_MAIN_CTRL, 0);
    mmio_wr(RP2_USB_MAIN_CTRL, 0x1u);   /* device mode, controller on */
    mmio_wr(RP2_USB_SIE_CTRL, RP2_USB_SIE_CTRL_EP0_INT_1BUF);
    mmio_wr(RP2_USB_INTE, RP2_USB_INT_BUFF_STATUS | RP2_USB_INT_BUS_RESET |
                            RP2_USB_INT_SETUP_REQ | RP2_USB_INT_DEV_SUSPEND |
                            RP2_USB_INT_DEV_RESUME);
    rp2_irq_enable(RP2_IRQ_USBCTRL);
}

void dcd_connect(bool on)
{
    if (on)
        mmio_set(RP2_USB_SIE_CTRL, RP2_USB_SIE_CTRL_PULLUP_EN);
    else
        mmio_clr(RP2_USB_SIE_CTRL, RP2_USB_SIE_CTRL_PULLUP_EN);
}

void dcd_set_address(uint8_t addr)
{
    pending_addr = addr & 0x7Fu;
    addr_pending = true;
}

bool dcd_ep_open(uint8_t ep_addr, enum dcd_ep_type type, uint16_t max_packet)
{
    uint8_t n = EP_NUM(ep_addr);
    if (n == 0 || max_packet == 0 || max_packet > 64 || dpram_next + 64u > 4096u) return false;
    dcd_ep_t *e = ep_of(ep_addr);
    *e = (dcd_ep_t){0};
    e->mps = max_packet;
    e->dpram = dpram_next;
    dpram_next = (uint16_t)(dpram_next + 64u);
    mmio_wr(buf_ctrl(ep_addr), 0);
    mmio_wr(RP2_DPRAM_EP_CTRL(n, !EP_IN(ep_addr)),
            RP2_EPCTRL_ENABLE | RP2_EPCTRL_INT_PER_BUF | (uint32_t)type << RP2_EPCTRL_TYPE_SHIFT |
            e->dpram);
    return true;
}

void dcd_ep_close_all(void)
{
    for (unsigned n = 1; n < DCD_NUM_EP; n++) {
        for (unsigned d = 0; d < 2; d++) {
            eps[n][d] = (dcd_ep_t){0};
            mmio_wr(RP2_DPRAM_EP_CTRL(n, d == 0), 0);
            mmio_wr(RP2_DPRAM_BUF_CTRL(n, d == 0), 0);
        }
    }
    dpram_next = RP2_DPRAM_FREE;
}

bool dcd_ep_xfer(uint8_t ep_addr, uint8_t *buf, uint16_t len)
{
    dcd_ep_t *e = ep_of(ep_addr);
    if (!e->mps || e->active) return false;
    e->buf = buf;
    e->len = len;
    e->done = 0;
    e->active = true;
    ep_next_packet(ep_addr);
    if (EP_NUM(ep_addr) != 0 && EP_IN(ep_addr)) hal_probe(2); /* report handed to the controller */
    return true;
}

bool dcd_ep_busy(uint8_t ep_addr)
{
    return ep_of(ep_addr)->active;
}

void dcd_ep_stall(uint8_t ep_addr)
{
    if (EP_NUM(ep_addr) == 0) {
        eps[0][0].active = eps[0][1].active = false;
        mmio_wr(RP2_USB_EP_STALL_ARM, 0x3u);
        buf_ctrl_write(0x00, RP2_BUF_STALL);
        buf_ctrl_write(0x80, RP2_BUF_STALL);
        return;
    }
    dcd_ep_t *e = ep_of(ep_addr);
    e->active = false;
    buf_ctrl_write(ep_addr, RP2_BUF_STALL);
}

void dcd_ep_clear_stall(uint8_t ep_addr)
{
    dcd_ep_t *e = ep_of(ep_addr);
    e->pid = 0;
    e->active = false;
    mmio_wr(buf_ctrl(ep_addr), 0);
}

void dcd_remote_wakeup(void)
{
    mmio_set(RP2_USB_SIE_CTRL, RP2_USB_SIE_CTRL_RESUME);
}

static void ep_done_packet(uint8_t addr)
{
    dcd_ep_t *e = ep_of(addr);
    if (!e->active) return;
    uint16_t got = e->last;
    if (!EP_IN(addr)) {
        got = (uint16_t)(mmio_rd(buf_ctrl(addr)) & RP2_BUF_LEN_MASK);
        uint16_t room = (uint16_t)(e->len - e->done);
        if (got > room) got = room;
        uint32_t s = RP2_USB_DPRAM_BASE + e->dpram;
        for (uint16_t i = 0; i < got; i++) e->buf[e->done + i] = mmio_rd8(s + i);
    }
    e->done = (uint16_t)(e->done + got);
    bool more = e->done < e->len && got == e->mps;
    if (more) {
        ep_next_packet(addr);
        return;
    }
    e->active = false;
    if (addr == 0x80 && addr_pending) {
        addr_pending = false;
        mmio_wr(RP2_USB_ADDR_ENDP, pending_addr);
    }
    usbd_on_xfer_done(addr, e->done);
}

#if defined(RP2_CHIP_RP2040)
/* RP2040-E5 (B0/B1 silicon, CHIP_ID revision 1): the device may not leave bus reset behind some
 * hubs. Workaround (rp2.md §5.6): once the reset is over, drive the D+ pull-up through the PHY
 * override with the pads routed digitally and GPIO15's input forced high, until the controller
 * sees itself connected, then give the PHY back and restore GPIO15. Every wait is bounded. */
#define RP2040_SYSINFO_CHIP_ID 0x40000000u
#define RP2_USB_USBPHY_DIRECT          (RP2_USB_REGS_BASE + 0x7Cu)
#define RP2_USB_USBPHY_DIRECT_OVERRIDE (RP2_USB_REGS_BASE + 0x80u)
#define RP2_USB_SIE_CONNECTED (1u << 16)

static void wait_until(uint32_t mask, bool set, uint32_t max_us)
{
    uint32_t t0 = hal_micros();
    while (((mmio_rd(RP2_USB_SIE_STATUS) & mask) != 0) != set && hal_micros() - t0 < max_us) {
    }
}

static void rp2040_e5_fix(void)
{
    if ((mmio_rd(RP2040_SYSINFO_CHIP_ID) >> 28) >= 2u) return; /* B2 and later: not needed */
    wait_until(3u << 2, true, 10000u); /* LINE_STATE leaves SE0: the reset is over */
    uint32_t ctrl = mmio_rd(RP2_GPIO_CTRL(15)), pad = mmio_rd(RP2_PAD(15));
    mmio_wr(RP2_PAD(15), (pad | RP2_PAD_IE) & ~RP2_PAD_OD);
    mmio_wr(RP2_GPIO_CTRL(15), 8u | 3u << 16);        /* FUNCSEL 8 (USB), INOVER high */
    mmio_set(RP2_USB_USBPHY_DIRECT, 0x2u);             /* DP pull-up enabled... */
    mmio_set(RP2_USB_USBPHY_DIRECT_OVERRIDE, 0x4u);    /* ...by the override */
    mmio_wr(RP2_USB_USB_MUXING, 0xCu);                /* TO_DIGITAL_PAD | SOFTCON */
    wait_until(RP2_USB_SIE_CONNECTED, true, 10000u);
    hal_delay_us(1000);
    mmio_wr(RP2_USB_USB_MUXING, 0x9u);                /* TO_PHY | SOFTCON */
    mmio_clr(RP2_USB_USBPHY_DIRECT_OVERRIDE, 0x4u);
    mmio_wr(RP2_GPIO_CTRL(15), ctrl);
    mmio_wr(RP2_PAD(15), pad);
}
#endif

void dcd_poll(void)
{
    uint32_t ints = mmio_rd(RP2_USB_INTS);
    if (ints & RP2_USB_INT_BUS_RESET) {
        mmio_wr(RP2_USB_SIE_STATUS, RP2_USB_SIE_BUS_RESET);
        mmio_wr(RP2_USB_ADDR_ENDP, 0);
#if defined(RP2_CHIP_RP2040)
        rp2040_e5_fix();
#endif
        addr_pending = false;
        dcd_ep_close_all();
        eps[0][0].active = eps[0][1].active = false;
        usbd_on_bus_reset();
    }
    if (ints & RP2_USB_INT_BUFF_STATUS) {
        uint32_t bs = mmio_rd(RP2_USB_BUFF_STATUS);
        for (unsigned bit = 0; bs; bit++, bs >>= 1) {
            if (!(bs & 1u)) continue;
            mmio_wr(RP2_USB_BUFF_STATUS, 1u << bit);
            uint8_t addr = (uint8_t)((bit >> 1) | ((bit & 1u) ? 0x00u : 0x80u));
            ep_done_packet(addr);
        }
    }
    if (ints & RP2_USB_INT_SETUP_REQ) {
        mmio_wr(RP2_USB_SIE_STATUS, RP2_USB_SIE_SETUP_REC);
        uint8_t setup[8];
        for (unsigned i = 0; i < 8; i++) setup[i] = mmio_rd8(RP2_USB_DPRAM_BASE + i);
        /* A SETUP ends whatever EP0 was doing; the data stage starts with DATA1. */
        eps[0][0].active = eps[0][1].active = false;
        eps[0][0].pid = eps[0][1].pid = 1;
        usbd_on_setup(setup);
    }
    if (ints & RP2_USB_INT_DEV_SUSPEND) {
        mmio_wr(RP2_USB_SIE_STATUS, RP2_USB_SIE_SUSPENDED);
        usbd_on_suspend();
    }
    if (ints & RP2_USB_INT_DEV_RESUME) {
        mmio_wr(RP2_USB_SIE_STATUS, RP2_USB_SIE_RESUME);
        mmio_clr(RP2_USB_SIE_CTRL, RP2_USB_SIE_CTRL_RESUME);
        usbd_on_resume();
    }
    /* Unmask without clearing the pending bit: an event that came in meanwhile must not be lost. */
    rp2_irq_unmask(RP2_IRQ_USBCTRL);
}

/* Keeps the NVIC line masked until dcd_poll() has run: the main loop wakes up and does the work. */
void rp2_usb_isr(void);
void rp2_usb_isr(void)
{
    mmio_wr(RP2_NVIC_ICER + 4u * (RP2_IRQ_USBCTRL >> 5), 1u << (RP2_IRQ_USBCTRL & 31u));
    rp2_wake_flag = 1;
}
