/* RP2350 init sequences, compiled for the host against a recorded register space
 * (tests/rp2350/regspace.c): resets released and confirmed before use, XOSC stable before the
 * PLLs, PLL settings giving 150 and 48 MHz, glitch-free clock switching, pad isolation cleared and
 * input enabled on every pin of a config, USB PHY isolation cleared before the controller is
 * enabled, and only RP2350 addresses touched. Negative tests prove the model catches mistakes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config/model.h"
#include "core/cfg.h"
#include "hal/rp2/mmio.h"
#include "hal/rp2350/hal_rp2350.h"
#include "hal/rp2350/rp2350.h"
#include "tests/rp2350/regspace.h"

uint32_t rp2_mmio_host_rd(uint32_t addr);
void rp2_mmio_host_wr(uint32_t addr, uint32_t val);

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
    rp2350_pin_init(3); /* pads still held in reset */
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

/* ---- pads: every pin of a config; pull-ups in both diode directions (RP2350-E9) ---- */

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

static void pads_for_config(uint8_t diode)
{
    static uint8_t img[CFG_MAX_IMAGE];
    size_t n = make_config(img, sizeof img, diode);
    cfg_t c;
    assert_int_equal(cfg_open(&c, img, n), CFG_OK);
    boot();
    size_t start = rs_count();
    uint32_t used = 0;
    for (unsigned i = 0; i < (unsigned)c.rows + c.cols; i++) {
        uint8_t pin = cfg_pin(&c, i);
        assert_true(pin < RP2350_NUM_GPIO);
        used |= 1u << pin;
        rp2350_pin_init(pin);
    }
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
}

static void pads_col2row(void **state) { (void)state; pads_for_config(CFG_COL2ROW); }
static void pads_row2col(void **state) { (void)state; pads_for_config(CFG_ROW2COL); }

static void drive_and_release_use_rp2350_sio(void **state)
{
    (void)state;
    boot();
    rp2350_pin_init(7);
    size_t start = rs_count();
    rp2350_pin_drive_low(7);
    rp2350_pin_release(7);
    (void)rp2350_pins_read();
    assert_int_equal(rs_count() - start, 3);
    assert_int_equal(rs_at(start)->addr, 0xD0000038u);     /* GPIO_OE_SET (RP2040: 0x024) */
    assert_int_equal(rs_at(start)->val, 1u << 7);
    assert_int_equal(rs_at(start + 1)->addr, 0xD0000040u); /* GPIO_OE_CLR (RP2040: 0x028) */
    assert_int_equal(rs_at(start + 2)->addr, 0xD0000004u); /* GPIO_IN */
    assert_int_equal(rs_peek(0xD0000010u) & (1u << 7), 0); /* OUT stays 0: only OE toggles */
}

/* ---- USB PHY isolation ---- */

static void usb_phy_iso_cleared_before_enable(void **state)
{
    (void)state;
    boot();
    rp2350_usb_power_up();
    assert_int_equal(rs_peek(USB_MAIN_CTRL) & USB_MAIN_CTRL_PHY_ISO, 0);
    assert_int_equal(rs_peek(USB_MAIN_CTRL) & USB_MAIN_CTRL_CONTROLLER_EN, 0);
    /* what the shared device-controller driver does next */
    mmio_wr(USB_MAIN_CTRL, USB_MAIN_CTRL_CONTROLLER_EN);
    assert_no_violations();
    long iso = rs_find(0, RS_WR, USB_MAIN_CTRL, USB_MAIN_CTRL_PHY_ISO | USB_MAIN_CTRL_CONTROLLER_EN, 0);
    long en = rs_find(0, RS_WR, USB_MAIN_CTRL, USB_MAIN_CTRL_CONTROLLER_EN, USB_MAIN_CTRL_CONTROLLER_EN);
    assert_true(iso >= 0 && en > iso);
    assert_true(rs_find_write_to(0, CLK_USB_CTRL) < iso); /* 48 MHz clock first */
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
    rp2350_pin_init(0);
    rp2350_pin_drive_low(0);
    rp2350_usb_power_up();
    rp2350_watchdog_start(50);
    (void)rp2350_time_us();
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
    rs_poke(TIMER0_TIMERAWH, 2);
    rs_poke(TIMER0_TIMERAWL, 7);
    assert_true(rp2350_time_us() == ((uint64_t)2 << 32 | 7));
    assert_no_violations();
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
