/* RP2350 init sequences, compiled for the host against a recorded register space
 * (tests/rp2350/regspace.c): the RP2350 HAL (hal/rp2350/) and the code it shares with the RP2040
 * (hal/rp2/: pins, timer, the USB device-controller driver; fw/matrix.c), built for the RP2350 with
 * RP2_MMIO_HOST. Asserted: resets released and confirmed before use, XOSC stable before the PLLs,
 * PLL settings giving 150 and 48 MHz, glitch-free clock switching, pad isolation cleared, input
 * enabled and pull-ups only on every pin of a config in both diode directions (and the matrix scan
 * through the RP2350 SIO), USB PHY isolation cleared before the controller is enabled, and only
 * RP2350 addresses touched. Negative tests prove the model catches each kind of mistake. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config/model.h"
#include "core/cfg.h"
#include "fw/hal.h"
#include "fw/matrix.h"
#include "hal/rp2/mmio.h"
#include "usb/dcd.h"
#include "hal/rp2350/hal_rp2350.h"
#include "hal/rp2350/rp2350.h"
#include "tests/rp2350/regspace.h"

uint32_t rp2_mmio_host_rd(uint32_t addr);
void rp2_mmio_host_wr(uint32_t addr, uint32_t val);

/* dcd_rp2.c reports to the USB stack and the bench probe; nothing to do here. */
void usbd_on_bus_reset(void) {}
void usbd_on_setup(const uint8_t setup[8]) { (void)setup; }
void usbd_on_xfer_done(uint8_t ep_addr, uint16_t len) { (void)ep_addr; (void)len; }
void usbd_on_suspend(void) {}
void usbd_on_resume(void) {}
void usbd_on_sof(uint16_t frame) { (void)frame; }
void hal_probe(unsigned which) { (void)which; }

static void assert_no_violations(void)
{
    rs_print_violations();
    assert_int_equal(rs_violations(), 0);
}

static int has_violation(const char *needle)
{
    for (size_t i = 0; i < rs_violations(); i++)
        if (strstr(rs_violation(i), needle)) return 1;
    return 0;
}

static void boot(void)
{
    rs_reset();
    rp2350_periph_init();
    rp2350_clocks_init();
}

/* ---- resets ---- */

static void blocks_used_only_after_reset_done(void **state)
{
    (void)state;
    boot();
    assert_no_violations();
    static const struct { uint32_t base, bit; } used[] = {
        {RP2350_PLL_SYS_BASE, RESET_PLL_SYS}, {RP2350_PLL_USB_BASE, RESET_PLL_USB},
    };
    for (size_t i = 0; i < sizeof used / sizeof used[0]; i++) {
        long first = rs_first_access_in(used[i].base, 0x4000u);
        assert_true(first >= 0);
        /* the release (CLR alias write of the bit) and a RESET_DONE read showing it precede it */
        long rel = rs_find(0, RS_WR, RESETS_RESET, used[i].bit, 0);
        long done = rel < 0 ? -1 : rs_find((size_t)rel, RS_RD, RESETS_RESET_DONE, used[i].bit, used[i].bit);
        assert_true(rel >= 0 && done > rel && done < first);
    }
    /* every block the init code needs ends up out of reset */
    uint32_t need = RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_PLL_SYS | RESET_PLL_USB | RESET_TIMER0;
    assert_int_equal(rs_peek(RESETS_RESET) & need, 0);
}

static void model_flags_use_before_reset_done(void **state)
{
    (void)state;
    rs_reset();
    hal_pin_input_pullup(3); /* pads still held in reset */
    assert_true(has_violation("PADS_BANK0 used before its reset was released"));
    rs_reset();
    mmio_clr(RESETS_RESET, RESET_PADS_BANK0); /* released, but RESET_DONE never polled */
    mmio_wr(PADS_GPIO(3), PAD_IE);
    assert_true(has_violation("RESET_DONE"));
}

/* ---- XOSC and PLLs ---- */

static void xosc_stable_before_plls(void **state)
{
    (void)state;
    boot();
    long en = rs_find(0, RS_WR, XOSC_CTRL, XOSC_CTRL_ENABLE_MASK, XOSC_CTRL_ENABLE);
    long stable = rs_find(0, RS_RD, XOSC_STATUS, XOSC_STATUS_STABLE, XOSC_STATUS_STABLE);
    long startup = rs_find_write_to(0, XOSC_STARTUP);
    assert_true(startup >= 0 && en > startup && stable > en);
    assert_int_equal(rs_peek(XOSC_STARTUP), XOSC_STARTUP_DELAY);
    assert_int_equal(rs_peek(XOSC_CTRL) & 0xFFFu, 0xAA0u); /* 1-15 MHz range */
    assert_true(stable < rs_first_access_in(RP2350_PLL_SYS_BASE, 0x4000u));
    assert_true(stable < rs_first_access_in(RP2350_PLL_USB_BASE, 0x4000u));
}

static uint32_t pll_out_hz(uint32_t base, uint32_t *vco)
{
    uint32_t refdiv = rs_peek(PLL_CS(base)) & PLL_CS_REFDIV_MASK;
    uint32_t fbdiv = rs_peek(PLL_FBDIV_INT(base)) & 0xFFFu;
    uint32_t prim = rs_peek(PLL_PRIM(base));
    uint32_t pd1 = prim >> PLL_PRIM_POSTDIV1_LSB & 7u, pd2 = prim >> PLL_PRIM_POSTDIV2_LSB & 7u;
    assert_true(refdiv >= 1 && fbdiv >= 16 && fbdiv <= 320);
    assert_true(pd1 >= 1 && pd1 <= 7 && pd2 >= 1 && pd2 <= 7 && pd1 >= pd2);
    uint64_t ref = RP2350_XOSC_HZ / refdiv;
    *vco = (uint32_t)(ref * fbdiv);
    assert_true(ref <= *vco / 16u);
    return *vco / (pd1 * pd2);
}

static void pll_settings(void **state)
{
    (void)state;
    boot();
    uint32_t vco;
    assert_int_equal(pll_out_hz(RP2350_PLL_SYS_BASE, &vco), 150000000u);
    assert_true(vco >= PLL_VCO_MIN_HZ && vco <= PLL_VCO_MAX_HZ);
    assert_int_equal(pll_out_hz(RP2350_PLL_USB_BASE, &vco), 48000000u);
    assert_true(vco >= PLL_VCO_MIN_HZ && vco <= PLL_VCO_MAX_HZ);
    for (uint32_t base = RP2350_PLL_SYS_BASE; base <= RP2350_PLL_USB_BASE; base += 0x8000u) {
        /* VCO on, LOCK seen, then post-dividers set and powered */
        long vco_on = rs_find(0, RS_WR, PLL_PWR(base), PLL_PWR_PD | PLL_PWR_VCOPD, 0);
        long lock = rs_find((size_t)vco_on, RS_RD, PLL_CS(base), PLL_CS_LOCK, PLL_CS_LOCK);
        long prim = rs_find_write_to((size_t)lock, PLL_PRIM(base));
        long post = rs_find((size_t)prim, RS_WR, PLL_PWR(base), PLL_PWR_POSTDIVPD, 0);
        assert_true(vco_on >= 0 && lock > vco_on && prim > lock && post > prim);
        assert_int_equal(rs_peek(PLL_PWR(base)) & (PLL_PWR_PD | PLL_PWR_VCOPD | PLL_PWR_POSTDIVPD), 0);
    }
    assert_no_violations();
}

static void model_flags_pll_before_xosc(void **state)
{
    (void)state;
    rs_reset();
    rp2350_resets_cycle(RESET_PLL_SYS);
    mmio_wr(PLL_FBDIV_INT(RP2350_PLL_SYS_BASE), 125);
    mmio_clr(PLL_PWR(RP2350_PLL_SYS_BASE), PLL_PWR_PD | PLL_PWR_VCOPD);
    mmio_clr(PLL_PWR(RP2350_PLL_SYS_BASE), PLL_PWR_POSTDIVPD); /* no LOCK poll */
    assert_true(has_violation("PLL_SYS powered before XOSC was stable"));
    assert_true(has_violation("post-dividers powered before CS.LOCK"));
}

/* ---- clock muxes ---- */

static void clock_muxes_switch_glitch_free(void **state)
{
    (void)state;
    boot();
    assert_no_violations();
    /* clk_sys leaves the aux mux (glitchless SRC) before anything else moves */
    long park = rs_find(0, RS_WR, CLK_SYS_CTRL, CLK_SYS_SRC_AUX, 0);
    long parked = rs_find((size_t)park, RS_RD, CLK_SYS_SELECTED, 0xFFFFFFFFu, 1);
    assert_true(park >= 0 && parked > park);
    assert_true(parked < rs_first_access_in(RP2350_PLL_SYS_BASE, 0x4000u));
    /* clk_ref: XOSC selected and confirmed */
    long ref = rs_find(0, RS_WR, CLK_REF_CTRL, CLK_REF_SRC_MASK, CLK_REF_SRC_XOSC);
    assert_true(ref >= 0 && rs_find((size_t)ref, RS_RD, CLK_REF_SELECTED, 0xFFFFFFFFu, 4) > ref);
    /* clk_sys: AUXSRC set while SRC = clk_ref, then SRC = aux, then SELECTED confirmed */
    long aux = rs_find((size_t)parked, RS_WR, CLK_SYS_CTRL, CLK_SYS_SRC_AUX | CLK_AUXSRC_MASK,
                       CLK_SYS_AUX_PLL_SYS);
    long sys = rs_find((size_t)aux, RS_WR, CLK_SYS_CTRL, CLK_SYS_SRC_AUX | CLK_AUXSRC_MASK,
                       CLK_SYS_SRC_AUX | CLK_SYS_AUX_PLL_SYS);
    assert_true(aux > parked && sys > aux);
    assert_true(rs_find((size_t)sys, RS_RD, CLK_SYS_SELECTED, 0xFFFFFFFFu, 2) > sys);
    assert_true(sys > rs_find(0, RS_WR, PLL_PWR(RP2350_PLL_SYS_BASE), PLL_PWR_POSTDIVPD, 0));
    /* final state: 150 MHz sys, 48 MHz usb, peri from clk_sys, all dividers 1 */
    assert_int_equal(rs_peek(CLK_SYS_CTRL), CLK_SYS_SRC_AUX | CLK_SYS_AUX_PLL_SYS);
    assert_int_equal(rs_peek(CLK_SYS_DIV), CLK_DIV_1);
    assert_int_equal(rs_peek(CLK_REF_DIV), CLK_DIV_1);
    assert_int_equal(rs_peek(CLK_USB_CTRL), CLK_CTRL_ENABLE | CLK_USB_AUX_PLL_USB);
    assert_int_equal(rs_peek(CLK_USB_DIV), CLK_DIV_1);
    assert_int_equal(rs_peek(CLK_PERI_CTRL), CLK_CTRL_ENABLE | CLK_PERI_AUX_CLK_SYS);
    assert_int_equal(rs_peek(CLK_PERI_DIV), CLK_DIV_1);
    /* 1 µs ticks from the 12 MHz clk_ref */
    assert_int_equal(rs_peek(TICKS_TIMER0_CYCLES), 12);
    assert_int_equal(rs_peek(TICKS_TIMER0_CTRL) & 1u, 1);
    assert_int_equal(rs_peek(TICKS_WATCHDOG_CYCLES), 12);
    assert_int_equal(rs_peek(TICKS_WATCHDOG_CTRL) & 1u, 1);
}

static void model_flags_glitchy_switches(void **state)
{
    (void)state;
    rs_reset(); /* clk_sys on aux (ROSC) */
    mmio_wr(CLK_SYS_CTRL, CLK_SYS_SRC_AUX | CLK_SYS_AUX_PLL_SYS);
    assert_true(has_violation("clk_sys AUXSRC changed while clk_sys runs from the aux mux"));
    rs_reset();
    mmio_wr(CLK_USB_CTRL, CLK_CTRL_ENABLE | (2u << CLK_AUXSRC_LSB));
    mmio_wr(CLK_USB_CTRL, CLK_CTRL_ENABLE | CLK_USB_AUX_PLL_USB);
    assert_true(has_violation("clk_usb AUXSRC changed while the clock was enabled"));
    rs_reset();
    mmio_wr(CLK_REF_CTRL, CLK_REF_SRC_XOSC);
    assert_true(has_violation("clk_ref switched to XOSC before"));
}

/* ---- pads: every pin of a config, through the firmware's own matrix code ---- */

static const uint8_t rows5[5] = {2, 3, 4, 5, 6};
static const uint8_t cols12[12] = {7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};

static size_t make_config(uint8_t *img, size_t cap, uint8_t diode)
{
    static cfg_model_t m;
    cfg_model_init(&m);
    m.processor = CFG_PROC_RP2350;
    m.rows = 5;
    m.cols = 12;
    m.diode = diode;
    m.layers = 1;
    m.nkeys = 60;
    for (unsigned i = 0; i < 60; i++) m.layout[i] = (uint8_t)i;
    memcpy(m.row_pins, rows5, sizeof rows5);
    memcpy(m.col_pins, cols12, sizeof cols12);
    strcpy(m.name, "pico2_5x12");
    size_t n = cfg_image_write(&m, img, cap);
    assert_true(n > CFG_HEADER_SIZE);
    return n;
}

/* The wiring of the test matrix for the model's GPIO_IN: one key down at (key_row, key_col); a
 * line reads low when it is driven low, or when the pressed key (through its diode, in the board's
 * direction) connects it to a driven-low line. Everything else floats high on its pull-up. */
static int key_row = -1, key_col = -1;
static uint8_t wiring_diode;

static uint32_t wiring(uint32_t out, uint32_t oe)
{
    uint32_t low = oe & ~out, in = ~low;
    if (key_row >= 0) {
        uint32_t rbit = 1u << rows5[key_row], cbit = 1u << cols12[key_col];
        /* COL2ROW: current flows column -> row, so a driven row pulls its column down. */
        if (wiring_diode == CFG_COL2ROW && (low & rbit)) in &= ~cbit;
        if (wiring_diode == CFG_ROW2COL && (low & cbit)) in &= ~rbit;
    }
    return in;
}

static void pads_for_config(uint8_t diode)
{
    static uint8_t img[CFG_MAX_IMAGE];
    size_t n = make_config(img, sizeof img, diode);
    cfg_t c;
    assert_int_equal(cfg_open(&c, img, n), CFG_OK);
    boot();
    size_t start = rs_count();
    static matrix_t m;
    matrix_init(&m, &c);
    uint32_t used = 0;
    for (unsigned i = 0; i < (unsigned)c.rows + c.cols; i++) used |= 1u << cfg_pin(&c, i);
    assert_int_equal(__builtin_popcount(used), 17);
    assert_no_violations();
    for (unsigned pin = 0; pin < RP2350_NUM_GPIO; pin++) {
        uint32_t pad = rs_peek(PADS_GPIO(pin));
        if (!(used & (1u << pin))) {
            assert_int_equal(pad, PAD_RESET_VALUE); /* untouched pins stay isolated */
            continue;
        }
        assert_int_equal(pad & PAD_ISO, 0);
        assert_int_equal(pad & PAD_IE, PAD_IE);
        assert_int_equal(pad & PAD_PUE, PAD_PUE);  /* E9: pull-up, never pull-down */
        assert_int_equal(pad & PAD_PDE, 0);
        assert_int_equal(pad & PAD_OD, 0);
        assert_int_equal(rs_peek(IO_GPIO_CTRL(pin)) & 0x1Fu, IO_FUNC_SIO);
        /* the order the datasheet gives: pad (IE) -> FUNCSEL -> ISO cleared */
        long ie = rs_find(start, RS_WR, PADS_GPIO(pin), PAD_IE, PAD_IE);
        long fn = rs_find(start, RS_WR, IO_GPIO_CTRL(pin), 0x1Fu, IO_FUNC_SIO);
        long iso = rs_find(start, RS_WR, PADS_GPIO(pin), PAD_ISO, 0);
        assert_true(ie >= 0 && fn > ie && iso > fn);
    }

    /* Scanning: only SIO OE toggles (OUT stays 0), through the RP2350's SIO registers, and the
     * driven lines are the rows for COL2ROW and the columns for ROW2COL. */
    wiring_diode = diode;
    rs_set_gpio_in(wiring);
    uint32_t now[MATRIX_WORDS];
    key_row = -1;
    start = rs_count();
    assert_false(matrix_scan(&m, now));
    uint32_t driven = 0;
    for (size_t i = start; i < rs_count(); i++) {
        const rs_access_t *a = rs_at(i);
        if (a->reg >= RP2350_TIMER0_BASE && a->reg < RP2350_TIMER0_BASE + 0x1000u)
            continue; /* io_delay between select lines: the µs timer and its alarm */
        if (a->op == RS_WR) {
            assert_true(a->addr == 0xD0000038u || a->addr == 0xD0000040u); /* OE_SET / OE_CLR */
            if (a->addr == 0xD0000038u) driven |= a->val;
        } else {
            assert_int_equal(a->addr, 0xD0000004u); /* GPIO_IN */
        }
    }
    uint32_t rowmask = 0, colmask = 0;
    for (unsigned r = 0; r < 5; r++) rowmask |= 1u << rows5[r];
    for (unsigned k = 0; k < 12; k++) colmask |= 1u << cols12[k];
    assert_int_equal(driven, diode == CFG_COL2ROW ? rowmask : colmask);
    assert_int_equal(rs_peek(SIO_GPIO_OUT), 0);
    assert_int_equal(rs_peek(SIO_GPIO_OE), 0); /* every line released after the scan */
    /* every key of the matrix is seen at its own position, and only it */
    for (key_row = 0; key_row < 5; key_row++)
        for (key_col = 0; key_col < 12; key_col++) {
            assert_true(matrix_scan(&m, now));
            unsigned pos = (unsigned)key_row * 12u + (unsigned)key_col;
            for (unsigned w = 0; w < MATRIX_WORDS; w++)
                assert_int_equal(now[w], w == pos / 32u ? 1u << (pos % 32u) : 0u);
        }
    key_row = -1;
    assert_no_violations();
}

static void pads_col2row(void **state) { (void)state; pads_for_config(CFG_COL2ROW); }
static void pads_row2col(void **state) { (void)state; pads_for_config(CFG_ROW2COL); }

static void drive_and_release_use_rp2350_sio(void **state)
{
    (void)state;
    boot();
    hal_pin_input_pullup(7);
    size_t start = rs_count();
    hal_pin_drive_low(7);
    hal_pin_release(7);
    (void)hal_pin_read(7);
    assert_int_equal(rs_count() - start, 3);
    assert_int_equal(rs_at(start)->addr, 0xD0000038u);     /* GPIO_OE_SET (RP2040: 0x024) */
    assert_int_equal(rs_at(start)->val, 1u << 7);
    assert_int_equal(rs_at(start + 1)->addr, 0xD0000040u); /* GPIO_OE_CLR (RP2040: 0x028) */
    assert_int_equal(rs_at(start + 2)->addr, 0xD0000004u); /* GPIO_IN */
    assert_int_equal(rs_peek(SIO_GPIO_OUT) & (1u << 7), 0); /* OUT stays 0: only OE toggles */
    /* pins the RP2350A does not have are refused without touching anything */
    start = rs_count();
    hal_pin_input_pullup(30);
    hal_pin_drive_low(30);
    assert_true(hal_pin_read(30));
    assert_int_equal(rs_count(), start);
}

/* ---- USB PHY isolation: the shared device-controller driver's dcd_init() ---- */

static void usb_phy_iso_cleared_before_enable(void **state)
{
    (void)state;
    boot();
    dcd_init();
    assert_no_violations();
    long iso = rs_find(0, RS_WR, USB_MAIN_CTRL, USB_MAIN_CTRL_PHY_ISO | USB_MAIN_CTRL_CONTROLLER_EN, 0);
    long en = rs_find(0, RS_WR, USB_MAIN_CTRL, USB_MAIN_CTRL_CONTROLLER_EN, USB_MAIN_CTRL_CONTROLLER_EN);
    assert_true(iso >= 0 && en > iso);
    assert_int_equal(rs_peek(USB_MAIN_CTRL), USB_MAIN_CTRL_CONTROLLER_EN); /* device mode, PHY on */
    /* USBCTRL out of reset (RESET_DONE seen) before the DPRAM is cleared, 48 MHz clock first */
    long rel = rs_find(0, RS_WR, RESETS_RESET, RESET_USBCTRL, 0);
    long done = rs_find((size_t)rel, RS_RD, RESETS_RESET_DONE, RESET_USBCTRL, RESET_USBCTRL);
    long first = rs_first_access_in(RP2350_USBCTRL_DPRAM, 0x1000u);
    assert_true(rel >= 0 && done > rel && first > done);
    assert_true(rs_find_write_to(0, CLK_USB_CTRL) < rel);
    /* the USB interrupt is RP2350's 14 */
    assert_true(rs_find(0, RS_WR, M33_NVIC_ISER0, 1u << 14, 1u << 14) > en);
}

static void model_flags_enable_with_phy_isolated(void **state)
{
    (void)state;
    boot();
    rp2350_resets_cycle(RESET_USBCTRL);
    mmio_wr(USB_MAIN_CTRL, USB_MAIN_CTRL_CONTROLLER_EN);
    assert_true(has_violation("PHY_ISO was still set"));
}

/* ---- addresses: RP2350's only ---- */

static void only_rp2350_addresses(void **state)
{
    (void)state;
    boot();
    hal_pin_input_pullup(0);
    hal_pin_drive_low(0);
    dcd_init();
    dcd_connect(true);
    rp2350_watchdog_start(50);
    (void)hal_micros();
    hal_pin_wake_low(0, true);
    assert_no_violations(); /* the model rejects any address outside the RP2350 map */
    for (size_t i = 0; i < rs_count(); i++) {
        uint32_t a = rs_at(i)->reg;
        /* RP2040-only block addresses never appear */
        assert_false(a >= 0x40008000u && a < 0x4000D000u);  /* RP2040 CLOCKS/RESETS */
        assert_false(a >= 0x40054000u && a < 0x40058000u);  /* RP2040 TIMER (its WATCHDOG
                                                               address is RP2350's PLL_USB) */
    }
    assert_true(rs_find(0, RS_RD, 0x400B0028u, 0, 0) >= 0); /* TIMER0 TIMERAWL */
    rs_reset();
    rp2_mmio_host_rd(0x40054028u); /* RP2040 TIMERAWL */
    assert_true(has_violation("not an RP2350 register"));
    rs_reset();
    rp2_mmio_host_wr(0x4000C000u + 0x3000u, 1u << 24); /* RP2040 RESETS (USBCTRL bit) */
    assert_true(has_violation("not an RP2350 register"));
}

static void watchdog_and_timer(void **state)
{
    (void)state;
    boot();
    rp2350_watchdog_start(100);
    assert_int_equal(rs_peek(WATCHDOG_LOAD), 100000u); /* 1 µs ticks; no RP2040-E1 doubling */
    assert_true(rs_peek(WATCHDOG_CTRL) & WATCHDOG_CTRL_ENABLE);
    assert_int_equal(rs_peek(PSM_WDSEL), PSM_WDSEL_ALL_BUT_OSC);
    rs_poke(TIMER0_TIMERAWL, 0x12345u);
    assert_int_equal(hal_micros(), 0x12345u);
    /* the GPIO wake-up uses RP2350's PROC0_INTE0 at +0x248 (RP2040: +0x100) */
    hal_pin_wake_low(9, true);
    assert_int_equal(rs_peek(RP2350_IO_BANK0_BASE + 0x24Cu), 1u << 4); /* GPIO9: LEVEL_LOW */
    assert_no_violations();
}

/* ---- flash writes: only the drive's slots, settings and volume, never code, the config region
 * `kestrel build` writes, or the E10 sector ---- */

static void flash_range_check(void **state)
{
    (void)state;
    uint32_t cfg = RP2350_CONFIG_ADDR - RP2350_FW_ORIGIN;
    uint32_t lo = RP2350_WRITABLE_START - RP2350_FW_ORIGIN, end = RP2350_WRITABLE_END - RP2350_FW_ORIGIN;
    uint32_t vol = RP2350_VOLUME_ADDR - RP2350_FW_ORIGIN;
    assert_true(rp2350_flash_range_ok(lo, 4096, 4096));            /* slot A's first sector */
    assert_true(rp2350_flash_range_ok(lo, end - lo, 4096));        /* the whole writable area */
    assert_true(rp2350_flash_range_ok(lo + 256, 256, 256));        /* one page */
    assert_true(rp2350_flash_range_ok(vol, RP2350_VOLUME_SIZE, 4096)); /* the drive's volume */
    assert_true(rp2350_flash_range_ok(end - 256, 256, 256));       /* the volume's last page */
    assert_false(rp2350_flash_range_ok(0, 4096, 4096));            /* the firmware itself */
    assert_false(rp2350_flash_range_ok(cfg, 4096, 4096));          /* the config region */
    assert_false(rp2350_flash_range_ok(lo - 256, 256, 256));       /* its last page */
    assert_false(rp2350_flash_range_ok(lo - 4096, 8192, 4096));    /* straddles it */
    assert_false(rp2350_flash_range_ok(end - 4096, 8192, 4096));   /* runs past the end */
    assert_false(rp2350_flash_range_ok(end, 4096, 4096));          /* 1 MB chip: E10 sector */
    assert_false(rp2350_flash_range_ok(0x3FF000u, 4096, 4096));    /* 4 MB Pico 2: E10 sector */
    assert_false(rp2350_flash_range_ok(lo + 256, 4096, 4096));     /* misaligned */
    assert_false(rp2350_flash_range_ok(lo, 100, 256));
    assert_false(rp2350_flash_range_ok(lo, 0, 256));
    assert_false(rp2350_flash_range_ok(lo, 0xFFFFF000u, 4096));    /* no wrap-around */
    /* the map itself: config region after the 256 KB firmware, slots right after it, and the
     * writable area clear of the last sector of the smallest flash we support (1 MB) */
    assert_true(RP2350_CONFIG_ADDR >= RP2350_FW_ORIGIN + RP2350_FW_MAX);
    assert_true(RP2350_SLOTS_ADDR == RP2350_CONFIG_ADDR + RP2350_CONFIG_MAX);
    assert_true(RP2350_VOLUME_ADDR >= RP2350_SLOTS_ADDR + 2 * RP2350_SLOT_SIZE);
    assert_true(RP2350_WRITABLE_END <= RP2350_FW_ORIGIN + 0x100000 - 4096);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blocks_used_only_after_reset_done),
        cmocka_unit_test(model_flags_use_before_reset_done),
        cmocka_unit_test(xosc_stable_before_plls),
        cmocka_unit_test(pll_settings),
        cmocka_unit_test(model_flags_pll_before_xosc),
        cmocka_unit_test(clock_muxes_switch_glitch_free),
        cmocka_unit_test(model_flags_glitchy_switches),
        cmocka_unit_test(pads_col2row),
        cmocka_unit_test(pads_row2col),
        cmocka_unit_test(drive_and_release_use_rp2350_sio),
        cmocka_unit_test(usb_phy_iso_cleared_before_enable),
        cmocka_unit_test(model_flags_enable_with_phy_isolated),
        cmocka_unit_test(only_rp2350_addresses),
        cmocka_unit_test(watchdog_and_timer),
        cmocka_unit_test(flash_range_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
