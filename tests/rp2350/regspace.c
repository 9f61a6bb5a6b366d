/* The recorded RP2350 register space (see regspace.h). Register facts: shared/hw/rp2.md. */
#include "tests/rp2350/regspace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hal/rp2350/rp2350.h"

uint32_t rp2_mmio_host_rd(uint32_t addr);
void rp2_mmio_host_wr(uint32_t addr, uint32_t val);
uint8_t rp2_mmio_host_rd8(uint32_t addr);
void rp2_mmio_host_wr8(uint32_t addr, uint8_t val);

#define LOG_MAX  200000u
#define MAP_SIZE 8192u   /* open addressing, power of two */
#define VIOL_MAX 64u

static rs_access_t log_[LOG_MAX];
static size_t nlog;
static struct { uint32_t addr, val; int used; } map[MAP_SIZE];
static char viol[VIOL_MAX][160];
static size_t nviol;

/* ---- the model's state beyond plain register values ---- */
static uint32_t done_pending;   /* released reset bits whose RESET_DONE has not read 1 yet */
static uint32_t ready;          /* blocks whose RESET_DONE the code has seen as 1 */
static int xosc_countdown, xosc_stable_seen;
static struct pll { uint32_t base, reset_bit; int countdown, lock_seen; } plls[2] = {
    {RP2350_PLL_SYS_BASE, RESET_PLL_SYS, 0, 0},
    {RP2350_PLL_USB_BASE, RESET_PLL_USB, 0, 0},
};

static uint32_t (*gpio_in_fn)(uint32_t out, uint32_t oe);
void rs_set_gpio_in(uint32_t (*fn)(uint32_t out, uint32_t oe)) { gpio_in_fn = fn; }

static void violation(const char *fmt, ...)
{
    if (nviol >= VIOL_MAX) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(viol[nviol++], sizeof viol[0], fmt, ap);
    va_end(ap);
}

static uint32_t *slot(uint32_t addr)
{
    uint32_t h = (addr >> 2) * 2654435761u & (MAP_SIZE - 1);
    while (map[h].used && map[h].addr != addr) h = (h + 1) & (MAP_SIZE - 1);
    if (!map[h].used) {
        map[h].used = 1;
        map[h].addr = addr;
        map[h].val = 0;
    }
    return &map[h].val;
}

uint32_t rs_peek(uint32_t reg) { return *slot(reg); }
void rs_poke(uint32_t reg, uint32_t v) { *slot(reg) = v; }

/* ---- the blocks: address ranges, reset bits, power-on values ---- */
struct block {
    const char *name;
    uint32_t base, size;  /* size of the register window, aliases excluded */
    int aliased;          /* has the XOR/SET/CLR aliases */
    uint32_t reset_bit;   /* RESETS bit, 0 = not resettable there */
};
static const struct block blocks[] = {
    {"SYSINFO", 0x40000000u, 0x1000u, 1, 0},
    {"CLOCKS", RP2350_CLOCKS_BASE, 0x1000u, 1, 0},
    {"PSM", RP2350_PSM_BASE, 0x1000u, 1, 0},
    {"RESETS", RP2350_RESETS_BASE, 0x1000u, 1, 0},
    {"IO_BANK0", RP2350_IO_BANK0_BASE, 0x1000u, 1, RESET_IO_BANK0},
    {"PADS_BANK0", RP2350_PADS_BANK0_BASE, 0x1000u, 1, RESET_PADS_BANK0},
    {"XOSC", RP2350_XOSC_BASE, 0x1000u, 1, 0},
    {"PLL_SYS", RP2350_PLL_SYS_BASE, 0x1000u, 1, RESET_PLL_SYS},
    {"PLL_USB", RP2350_PLL_USB_BASE, 0x1000u, 1, RESET_PLL_USB},
    {"TIMER0", RP2350_TIMER0_BASE, 0x1000u, 1, RESET_TIMER0},
    {"WATCHDOG", RP2350_WATCHDOG_BASE, 0x1000u, 1, 0},
    {"BOOTRAM", RP2350_BOOTRAM_BASE, 0x400u, 0, 0},
    {"TICKS", RP2350_TICKS_BASE, 0x1000u, 1, 0},
    {"USBCTRL_DPRAM", RP2350_USBCTRL_DPRAM, 0x1000u, 0, RESET_USBCTRL},
    {"USBCTRL_REGS", RP2350_USBCTRL_REGS, 0x1000u, 1, RESET_USBCTRL},
    {"PPB", 0xE000E000u, 0x1000u, 0, 0},
};

/* SIO is not a normal block: only these registers exist at these RP2350 offsets. */
static const uint32_t sio_regs[] = {0x000, 0x004, 0x008, 0x010, 0x014, 0x018, 0x01C, 0x020, 0x024,
                                    0x028, 0x02C, 0x030, 0x034, 0x038, 0x03C, 0x040, 0x044, 0x048,
                                    0x04C};

static const struct block *block_of(uint32_t addr, uint32_t *reg, unsigned *alias)
{
    *alias = 0;
    *reg = addr;
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        const struct block *b = &blocks[i];
        uint32_t span = b->aliased ? 0x4000u : b->size;
        if (addr < b->base || addr - b->base >= span) continue;
        uint32_t off = addr - b->base;
        if (b->aliased) {
            *alias = off >> 12;
            off &= 0xFFFu;
        }
        if (off >= b->size) return NULL;
        *reg = b->base + off;
        return b;
    }
    return NULL;
}

static int is_sio(uint32_t addr)
{
    if (addr < RP2350_SIO_BASE || addr >= RP2350_SIO_BASE + 0x1000u) return 0;
    for (size_t i = 0; i < sizeof sio_regs / sizeof sio_regs[0]; i++)
        if (addr - RP2350_SIO_BASE == sio_regs[i]) return 1;
    return 0;
}

static void block_defaults(uint32_t reset_bit)
{
    /* Registers of a block return to their reset values while it is held in reset. */
    for (size_t i = 0; i < MAP_SIZE; i++) {
        if (!map[i].used) continue;
        uint32_t reg;
        unsigned alias;
        const struct block *b = block_of(map[i].addr, &reg, &alias);
        if (b && b->reset_bit == reset_bit) map[i].val = 0;
    }
    if (reset_bit == RESET_PADS_BANK0)
        for (unsigned n = 0; n < RP2350_NUM_GPIO; n++) rs_poke(PADS_GPIO(n), PAD_RESET_VALUE);
    if (reset_bit == RESET_IO_BANK0)
        for (unsigned n = 0; n < RP2350_NUM_GPIO; n++) rs_poke(IO_GPIO_CTRL(n), IO_FUNC_NULL);
    if (reset_bit == RESET_USBCTRL) rs_poke(USB_MAIN_CTRL, USB_MAIN_CTRL_PHY_ISO);
    for (int p = 0; p < 2; p++)
        if (reset_bit == plls[p].reset_bit) {
            rs_poke(PLL_CS(plls[p].base), 1);
            rs_poke(PLL_PWR(plls[p].base), 0x2Du);
            rs_poke(PLL_FBDIV_INT(plls[p].base), 0);
            rs_poke(PLL_PRIM(plls[p].base), 0x00077000u);
            plls[p].lock_seen = 0;
        }
}

void rs_reset(void)
{
    memset(map, 0, sizeof map);
    nlog = nviol = 0;
    gpio_in_fn = NULL;
    done_pending = 0;
    xosc_countdown = xosc_stable_seen = 0;
    /* The ROM leaves only the QSPI blocks (flash) running; everything we use starts in reset. */
    uint32_t held = 0x1FFFFFFFu & ~(RESET_IO_QSPI | RESET_PADS_QSPI);
    rs_poke(RESETS_RESET, held);
    ready = ~held;
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (blocks[i].reset_bit) block_defaults(blocks[i].reset_bit);
    rs_poke(CLK_SYS_CTRL, 0x41u);   /* clk_sys on the aux mux, aux = ROSC */
    rs_poke(CLK_REF_CTRL, CLK_REF_SRC_ROSC);
    rs_poke(XOSC_CTRL, 0);
    /* The worst case a soft reset (debugger, ROM) can leave: clk_usb and clk_peri running, from
     * ROSC, so the code must stop them before changing their source. */
    rs_poke(CLK_USB_CTRL, CLK_CTRL_ENABLE | 2u << CLK_AUXSRC_LSB);
    rs_poke(CLK_PERI_CTRL, CLK_CTRL_ENABLE | 3u << CLK_AUXSRC_LSB);
}

/* ---- derived reads ---- */
static int pll_running(const struct pll *p)
{
    uint32_t pwr = rs_peek(PLL_PWR(p->base));
    return p->lock_seen && !(pwr & (PLL_PWR_PD | PLL_PWR_VCOPD | PLL_PWR_POSTDIVPD));
}

static uint32_t read_reg(uint32_t reg)
{
    uint32_t v = rs_peek(reg);
    if (reg == TIMER0_TIMERAWL) {
        rs_poke(reg, v + 1); /* time moves on: one microsecond per read */
    } else if (reg == SIO_GPIO_IN && gpio_in_fn) {
        v = gpio_in_fn(rs_peek(SIO_GPIO_OUT), rs_peek(SIO_GPIO_OE));
    } else if (reg == RESETS_RESET_DONE) {
        /* Released blocks report done one read later, so the code must really poll. */
        v = ~rs_peek(RESETS_RESET) & ~done_pending;
        ready |= v;
        done_pending = 0;
    } else if (reg == XOSC_STATUS) {
        int on = (rs_peek(XOSC_CTRL) & XOSC_CTRL_ENABLE_MASK) == XOSC_CTRL_ENABLE;
        if (on && xosc_countdown > 0) xosc_countdown--;
        v = on && xosc_countdown == 0 ? XOSC_STATUS_STABLE : 0;
        if (v) xosc_stable_seen = 1;
    } else if (reg == CLK_REF_SELECTED) {
        v = 1u << (rs_peek(CLK_REF_CTRL) & CLK_REF_SRC_MASK);
    } else if (reg == CLK_SYS_SELECTED) {
        v = 1u << (rs_peek(CLK_SYS_CTRL) & 1u);
    } else {
        for (int p = 0; p < 2; p++)
            if (reg == PLL_CS(plls[p].base)) {
                uint32_t pwr = rs_peek(PLL_PWR(plls[p].base));
                int on = !(pwr & (PLL_PWR_PD | PLL_PWR_VCOPD));
                if (on && plls[p].countdown > 0) plls[p].countdown--;
                v &= ~PLL_CS_LOCK;
                if (on && plls[p].countdown == 0) {
                    v |= PLL_CS_LOCK;
                    plls[p].lock_seen = 1;
                }
            }
    }
    return v;
}

/* ---- rules checked on every write (new = the register's value after the write) ---- */
static void check_write(uint32_t reg, uint32_t old, uint32_t new)
{
    if (reg == RESETS_RESET) {
        uint32_t released = old & ~new, entered = ~old & new;
        done_pending |= released;
        ready &= ~entered;
        for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
            if (blocks[i].reset_bit & entered) block_defaults(blocks[i].reset_bit);
        return;
    }
    if (reg == CLK_REF_CTRL && (new & CLK_REF_SRC_MASK) == CLK_REF_SRC_XOSC && !xosc_stable_seen)
        violation("clk_ref switched to XOSC before XOSC_STATUS.STABLE was seen");
    if (reg == CLK_SYS_CTRL) {
        if ((old & CLK_SYS_SRC_AUX) && ((old ^ new) & CLK_AUXSRC_MASK))
            violation("clk_sys AUXSRC changed while clk_sys runs from the aux mux (glitch)");
        if ((new & CLK_SYS_SRC_AUX) && !(old & CLK_SYS_SRC_AUX) &&
            (new & CLK_AUXSRC_MASK) == CLK_SYS_AUX_PLL_SYS && !pll_running(&plls[0]))
            violation("clk_sys switched to PLL_SYS before it locked and its post-dividers ran");
    }
    if (reg == CLK_USB_CTRL || reg == CLK_PERI_CTRL) {
        const char *n = reg == CLK_USB_CTRL ? "clk_usb" : "clk_peri";
        if ((old & CLK_CTRL_ENABLE) && ((old ^ new) & CLK_AUXSRC_MASK))
            violation("%s AUXSRC changed while the clock was enabled", n);
        if (reg == CLK_USB_CTRL && (new & CLK_CTRL_ENABLE) && !(old & CLK_CTRL_ENABLE) &&
            (new & CLK_AUXSRC_MASK) == CLK_USB_AUX_PLL_USB && !pll_running(&plls[1]))
            violation("clk_usb enabled from PLL_USB before it locked and its post-dividers ran");
    }
    for (int p = 0; p < 2; p++) {
        struct pll *pl = &plls[p];
        const char *n = p ? "PLL_USB" : "PLL_SYS";
        uint32_t pwr = rs_peek(PLL_PWR(pl->base));
        if ((reg == PLL_CS(pl->base) || reg == PLL_FBDIV_INT(pl->base)) && old != new &&
            !(pwr & PLL_PWR_PD))
            violation("%s dividers changed while the VCO is powered", n);
        if (reg == PLL_PWR(pl->base)) {
            if ((old & (PLL_PWR_PD | PLL_PWR_VCOPD)) && !(new & (PLL_PWR_PD | PLL_PWR_VCOPD))) {
                pl->countdown = 2;
                pl->lock_seen = 0;
                if (!xosc_stable_seen) violation("%s powered before XOSC was stable", n);
            }
            if ((old & PLL_PWR_POSTDIVPD) && !(new & PLL_PWR_POSTDIVPD) && !pl->lock_seen)
                violation("%s post-dividers powered before CS.LOCK was seen", n);
        }
    }
    if (reg == XOSC_CTRL && (new & XOSC_CTRL_ENABLE_MASK) == XOSC_CTRL_ENABLE &&
        (old & XOSC_CTRL_ENABLE_MASK) != XOSC_CTRL_ENABLE)
        xosc_countdown = 3;
    if (reg == USB_MAIN_CTRL && (new & USB_MAIN_CTRL_CONTROLLER_EN) &&
        !(old & USB_MAIN_CTRL_CONTROLLER_EN) && (old & USB_MAIN_CTRL_PHY_ISO))
        violation("USB controller enabled while PHY_ISO was still set (not cleared before)");
}

static void record(enum rs_op op, uint32_t addr, uint32_t reg, uint32_t val, uint32_t after)
{
    if (nlog < LOG_MAX) log_[nlog++] = (rs_access_t){op, addr, reg, val, after};
}

static const struct block *check_access(uint32_t addr, uint32_t *reg, unsigned *alias, const char *what)
{
    const struct block *b = block_of(addr, reg, alias);
    if (!b && !is_sio(addr)) {
        violation("%s of 0x%08X: not an RP2350 register the HAL may use", what, (unsigned)addr);
        return NULL;
    }
    if (b && b->reset_bit && !(ready & b->reset_bit))
        violation("%s of 0x%08X: %s used before its reset was released and RESET_DONE seen", what,
                  (unsigned)addr, b->name);
    return b;
}

uint32_t rp2_mmio_host_rd(uint32_t addr)
{
    uint32_t reg;
    unsigned alias;
    check_access(addr, &reg, &alias, "read");
    uint32_t v = read_reg(reg);
    record(RS_RD, addr, reg, v, rs_peek(reg));
    return v;
}

void rp2_mmio_host_wr(uint32_t addr, uint32_t val)
{
    uint32_t reg;
    unsigned alias;
    check_access(addr, &reg, &alias, "write");
    /* SIO has no atomic aliases but its own SET/CLR registers for OUT and OE. */
    static const struct { uint32_t reg, target; int set; } sio_sc[] = {
        {SIO_GPIO_OUT_SET, SIO_GPIO_OUT, 1}, {SIO_GPIO_OUT_CLR, SIO_GPIO_OUT, 0},
        {SIO_GPIO_OE_SET, SIO_GPIO_OE, 1}, {SIO_GPIO_OE_CLR, SIO_GPIO_OE, 0},
    };
    for (size_t i = 0; i < sizeof sio_sc / sizeof sio_sc[0]; i++)
        if (reg == sio_sc[i].reg) {
            uint32_t t = rs_peek(sio_sc[i].target);
            rs_poke(sio_sc[i].target, sio_sc[i].set ? t | val : t & ~val);
        }
    uint32_t old = rs_peek(reg), new = val;
    switch (alias) {
    case 1: new = old ^ val; break;
    case 2: new = old | val; break;
    case 3: new = old & ~val; break;
    default: break;
    }
    rs_poke(reg, new);
    check_write(reg, old, new);
    record(RS_WR, addr, reg, val, rs_peek(reg));
}

/* Byte accesses (the USB DPRAM): logged as an access to the containing word. */
uint8_t rp2_mmio_host_rd8(uint32_t addr)
{
    uint32_t reg;
    unsigned alias;
    check_access(addr, &reg, &alias, "byte read");
    uint32_t word = reg & ~3u, v = rs_peek(word);
    record(RS_RD, addr, word, v, v);
    return (uint8_t)(v >> 8 * (addr & 3u));
}

void rp2_mmio_host_wr8(uint32_t addr, uint8_t val)
{
    uint32_t reg;
    unsigned alias;
    const struct block *b = check_access(addr, &reg, &alias, "byte write");
    if (b && b->aliased) violation("byte write to 0x%08X: only the USB DPRAM takes byte writes", (unsigned)addr);
    uint32_t word = reg & ~3u, shift = 8 * (addr & 3u);
    uint32_t v = (rs_peek(word) & ~(0xFFu << shift)) | (uint32_t)val << shift;
    rs_poke(word, v);
    record(RS_WR, addr, word, val, v);
}

/* ---- queries ---- */
size_t rs_count(void) { return nlog; }
const rs_access_t *rs_at(size_t i) { return i < nlog ? &log_[i] : NULL; }
size_t rs_violations(void) { return nviol; }
const char *rs_violation(size_t i) { return i < nviol ? viol[i] : NULL; }

void rs_print_violations(void)
{
    for (size_t i = 0; i < nviol; i++) fprintf(stderr, "regspace: %s\n", viol[i]);
}

long rs_find(size_t from, enum rs_op op, uint32_t reg, uint32_t mask, uint32_t value)
{
    for (size_t i = from; i < nlog; i++)
        if (log_[i].op == op && log_[i].reg == reg &&
            ((op == RS_RD ? log_[i].val : log_[i].after) & mask) == value)
            return (long)i;
    return -1;
}

long rs_find_write_to(size_t from, uint32_t reg)
{
    for (size_t i = from; i < nlog; i++)
        if (log_[i].op == RS_WR && log_[i].reg == reg) return (long)i;
    return -1;
}

long rs_first_access_in(uint32_t base, uint32_t size)
{
    for (size_t i = 0; i < nlog; i++)
        if (log_[i].reg >= base && log_[i].reg - base < size) return (long)i;
    return -1;
}
