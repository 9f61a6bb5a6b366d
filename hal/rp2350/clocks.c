/* RP2350 reset and clock bring-up: XOSC 12 MHz -> PLL_SYS 150 MHz (clk_sys, clk_peri) and
 * PLL_USB 48 MHz (clk_usb); 1 µs ticks for TIMER0 and the watchdog. Order per rp2.md §3. */
#include "hal/rp2350/hal_rp2350.h"
#include "hal/rp2350/rp2350.h"
#include "hal/rp2/mmio.h"

void rp2350_resets_release(uint32_t mask)
{
    mmio_clr(RESETS_RESET, mask);
    /* A block's registers are unusable until RESET_DONE shows it out of reset. */
    while ((mmio_rd(RESETS_RESET_DONE) & mask) != mask) {
    }
}

void rp2350_resets_cycle(uint32_t mask)
{
    mmio_set(RESETS_RESET, mask);
    rp2350_resets_release(mask);
}

static void xosc_start(void)
{
    mmio_wr(XOSC_CTRL, XOSC_CTRL_RANGE_1_15MHZ);
    mmio_wr(XOSC_STARTUP, XOSC_STARTUP_DELAY);
    mmio_wr(XOSC_CTRL, XOSC_CTRL_RANGE_1_15MHZ | XOSC_CTRL_ENABLE);
    while (!(mmio_rd(XOSC_STATUS) & XOSC_STATUS_STABLE)) {
    }
}

/* VCO = 12 MHz / refdiv * fbdiv; out = VCO / pd1 / pd2. The post-dividers are powered only once
 * the VCO has locked, so nothing downstream ever sees an unlocked output. */
static void pll_start(uint32_t base, uint32_t reset_bit, uint32_t refdiv, uint32_t fbdiv,
                      uint32_t pd1, uint32_t pd2)
{
    rp2350_resets_cycle(reset_bit);
    mmio_wr(PLL_CS(base), refdiv);
    mmio_wr(PLL_FBDIV_INT(base), fbdiv);
    mmio_clr(PLL_PWR(base), PLL_PWR_PD | PLL_PWR_VCOPD);
    while (!(mmio_rd(PLL_CS(base)) & PLL_CS_LOCK)) {
    }
    mmio_wr(PLL_PRIM(base), pd1 << PLL_PRIM_POSTDIV1_LSB | pd2 << PLL_PRIM_POSTDIV2_LSB);
    mmio_clr(PLL_PWR(base), PLL_PWR_POSTDIVPD);
}

/* clk_usb and clk_peri have no glitchless mux: stop the clock, give the old source time to
 * drain (the generator needs a couple of its own cycles; the old source may be as slow as
 * ROSC, so wait generously in clk_sys cycles), change the source, then restart. */
static void aux_clock_switch(uint32_t ctrl, uint32_t div, uint32_t auxsrc)
{
    mmio_clr(ctrl, CLK_CTRL_ENABLE);
    rp2350_spin(64);
    mmio_wr(ctrl, auxsrc);
    mmio_wr(div, CLK_DIV_1);
    mmio_set(ctrl, CLK_CTRL_ENABLE);
}

void rp2350_clocks_init(void)
{
    mmio_wr(CLK_SYS_RESUS_CTRL, 0);
    xosc_start();

    /* Park clk_sys on clk_ref and clk_ref on ROSC (both glitchless) before the PLLs move. */
    mmio_clr(CLK_SYS_CTRL, CLK_SYS_SRC_AUX);
    while (mmio_rd(CLK_SYS_SELECTED) != 1u) {
    }
    mmio_clr(CLK_REF_CTRL, CLK_REF_SRC_MASK);
    while (mmio_rd(CLK_REF_SELECTED) != 1u) {
    }

    pll_start(RP2350_PLL_SYS_BASE, RESET_PLL_SYS, PLL_SYS_REFDIV, PLL_SYS_FBDIV, PLL_SYS_PD1,
              PLL_SYS_PD2);
    pll_start(RP2350_PLL_USB_BASE, RESET_PLL_USB, PLL_USB_REFDIV, PLL_USB_FBDIV, PLL_USB_PD1,
              PLL_USB_PD2);

    /* clk_ref = XOSC: switch first (the new source is slower), then drop the divider to 1. */
    mmio_wr(CLK_REF_CTRL, CLK_REF_SRC_XOSC);
    while (mmio_rd(CLK_REF_SELECTED) != (1u << CLK_REF_SRC_XOSC)) {
    }
    mmio_wr(CLK_REF_DIV, CLK_DIV_1);

    /* clk_sys = PLL_SYS: the aux mux may only change while clk_sys runs from clk_ref. */
    mmio_wr(CLK_SYS_DIV, CLK_DIV_1);
    mmio_wr(CLK_SYS_CTRL, CLK_SYS_AUX_PLL_SYS);
    mmio_wr(CLK_SYS_CTRL, CLK_SYS_AUX_PLL_SYS | CLK_SYS_SRC_AUX);
    while (mmio_rd(CLK_SYS_SELECTED) != 2u) {
    }

    aux_clock_switch(CLK_USB_CTRL, CLK_USB_DIV, CLK_USB_AUX_PLL_USB);
    aux_clock_switch(CLK_PERI_CTRL, CLK_PERI_DIV, CLK_PERI_AUX_CLK_SYS);

    /* 1 µs ticks from the 12 MHz clk_ref: TIMER0 time base, watchdog, SysTick reference. */
    mmio_wr(TICKS_TIMER0_CYCLES, RP2350_XOSC_HZ / 1000000u);
    mmio_wr(TICKS_TIMER0_CTRL, TICKS_CTRL_ENABLE);
    mmio_wr(TICKS_WATCHDOG_CYCLES, RP2350_XOSC_HZ / 1000000u);
    mmio_wr(TICKS_WATCHDOG_CTRL, TICKS_CTRL_ENABLE);
    mmio_wr(TICKS_PROC0_CYCLES, RP2350_XOSC_HZ / 1000000u);
    mmio_wr(TICKS_PROC0_CTRL, TICKS_CTRL_ENABLE);
}

void rp2350_periph_init(void)
{
    /* IO/pads/timer start from their reset values even after a watchdog reboot. The QSPI blocks
     * are left alone: we are executing from flash through them. */
    rp2350_resets_cycle(RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_TIMER0);
}
