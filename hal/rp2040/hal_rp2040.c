/* The RP2040 side of fw/hal.h: clocks (125 MHz system, 48 MHz USB), GPIO through SIO, the µs
 * timer and its alarm, sleep, the config region, BOOTSEL and double-tap-reset entry. */
#include <stdint.h>

#include "core/fwinfo.h"
#include "fw/fallback.h"
#include "fw/hal.h"
#include "hal/rp2/hal_rp2.h"
#include "hal/rp2/regs.h"
#include "hal/rp2040/isr.h"
#include "hal/rp2040/rom.h"

#ifndef KESTREL_BUILD_ID
#define KESTREL_BUILD_ID "unknown"
#endif
#define KESTREL_FW_VERSION 0x000100u /* 0.1.0 */

extern const uint8_t __config_region[], __config_region_size[], __image_end[];

/* What `kestrel build` looks for (core/fwinfo.h). */
__attribute__((section(".fw_info"), used)) const fw_info_t rp2040_fw_info = {
    .magic0 = FWINFO_MAGIC0,
    .magic1 = FWINFO_MAGIC1,
    .info_version = 1,
    .target = FW_TARGET_RP2040,
    .fw_version = KESTREL_FW_VERSION,
    .flash_base = 0x10000000u,
    .config_addr = (uint32_t)(uintptr_t)__config_region,
    .config_max = (uint32_t)(uintptr_t)__config_region_size,
    .image_end = (uint32_t)(uintptr_t)__image_end,
    .build_id = KESTREL_BUILD_ID,
};

/* Bench probes: the emulator harness finds this block by its magic and watches stores to
 * `rp2040_probe_word` (emu/rp2040/README.md). Costs one store per probe on hardware. */
volatile uint32_t rp2040_probe_word;
__attribute__((section(".fw_info"), used)) const uint32_t rp2040_probe_info[4] = {
    0x4C54534Bu /* "KSTL" */, 0x424F5250u /* "PROB" */, (uint32_t)(uintptr_t)&rp2040_probe_word, 1,
};

void hal_probe(unsigned which)
{
    rp2040_probe_word = which;
}

/* ---- clocks ------------------------------------------------------------------------------ */

static void pll_start(uint32_t base, uint32_t reset_bit, uint32_t fbdiv, uint32_t prim)
{
    rp2_reset(reset_bit);
    rp2_unreset(reset_bit);
    RP2_REG(RP2_PLL_CS(base)) = 1;          /* REFDIV 1: 12 MHz reference */
    RP2_REG(RP2_PLL_FBDIV(base)) = fbdiv;
    RP2_REG(RP2_PLL_PWR(base)) = 0x0Cu;      /* VCO and PLL on, post dividers still off */
    while (!(RP2_REG(RP2_PLL_CS(base)) & 0x80000000u)) {
    }
    RP2_REG(RP2_PLL_PRIM(base)) = prim;
    RP2_REG(RP2_PLL_PWR(base)) = 0x04u;      /* post dividers on */
}

static void clocks_init(void)
{
    RP2_REG(RP2_CLOCKS_BASE + 0x78u) = 0;    /* CLK_SYS_RESUS_CTRL off */
    RP2_REG(RP2_XOSC_CTRL) = 0x00000AA0u;
    RP2_REG(RP2_XOSC_STARTUP) = 0x11Au;      /* ~6 ms at 12 MHz */
    RP2_SET(RP2_XOSC_CTRL) = 0x00FAB000u;
    while (!(RP2_REG(RP2_XOSC_STATUS) & 0x80000000u)) {
    }
    /* Run from clk_ref while the PLLs are (re)started: boot2 may have left clk_sys anywhere. */
    RP2_CLR(RP2_CLK_SYS_CTRL) = 1u;
    while (RP2_REG(RP2_CLK_SYS_SELECTED) != 0x1u) {
    }
    RP2_CLR(RP2_CLK_REF_CTRL) = 3u;
    while (RP2_REG(RP2_CLK_REF_SELECTED) != 0x1u) {
    }
    pll_start(RP2_PLL_SYS_BASE, RP2_RESET_PLL_SYS, 125, 0x00062000u); /* 1500 MHz / 6 / 2 */
    pll_start(RP2_PLL_USB_BASE, RP2_RESET_PLL_USB, 100, 0x00055000u); /* 1200 MHz / 5 / 5 */

    RP2_REG(RP2_CLK_REF_DIV) = RP2_CLK_DIV_ONE;
    RP2_REG(RP2_CLK_REF_CTRL) = 0x2u;        /* XOSC */
    while (RP2_REG(RP2_CLK_REF_SELECTED) != 0x4u) {
    }
    RP2_REG(RP2_CLK_SYS_DIV) = RP2_CLK_DIV_ONE;
    RP2_REG(RP2_CLK_SYS_CTRL) = 0x0u;        /* AUXSRC = PLL_SYS, still on clk_ref */
    RP2_REG(RP2_CLK_SYS_CTRL) = 0x1u;        /* glitchless switch to the aux source */
    while (RP2_REG(RP2_CLK_SYS_SELECTED) != 0x2u) {
    }
    RP2_REG(RP2_CLOCKS_BASE + RP2_CLK_USB_CTRL) = 0;
    RP2_REG(RP2_CLOCKS_BASE + RP2_CLK_USB_DIV) = RP2_CLK_DIV_ONE;
    RP2_REG(RP2_CLOCKS_BASE + RP2_CLK_USB_CTRL) = 0x800u; /* enabled, PLL_USB: 48 MHz */
    RP2_REG(RP2_CLK_PERI_CTRL) = 0x800u;     /* enabled, clk_sys */
    RP2_REG(RP2_WATCHDOG_BASE + 0x2Cu) = 0x20Cu; /* 1 µs tick from 12 MHz clk_ref */
}

/* ---- double-tap reset (hal/rp2/hal_rp2.c) --------------------------------------------------- */

static void enter_bootsel(void)
{
    rom_reset_usb_boot(0, 0);
}

/* ---- init, time, sleep --------------------------------------------------------------------- */

void hal_init(void)
{
    rp2_double_tap_check(RP2_REG(RP2_WATCHDOG_REASON), enter_bootsel);
    clocks_init();
    rp2_unreset(RP2_RESET_IO_BANK0 | RP2_RESET_PADS_BANK0 | RP2_RESET_TIMER);
    rp2_hal_start(); /* pins, time and sleep: hal/rp2/hal_rp2.c, shared with the RP2350 */
}

/* ---- config, serial, reboot ----------------------------------------------------------------- */

const uint8_t *hal_cfg_region(size_t *max)
{
    *max = (size_t)(uintptr_t)__config_region_size;
    return __config_region;
}

/* An image for another processor would name pins this chip does not have (or other ones). */
bool hal_cfg_usable(const cfg_t *c)
{
    if (cfg_info8(c, CFG_INFO_PROCESSOR) != CFG_PROC_RP2040) return false;
    uint16_t n, len;
    const uint8_t *pins = cfg_section(c, CFG_SEC_PINS, &n, &len);
    for (uint16_t i = 0; pins && i < len; i++) {
        uint8_t p = CFG_RD8(pins + i);
        if (p != CFG_PIN_NONE && p >= RP2_NUM_GPIO) return false;
    }
    return true;
}

const char *hal_serial(void)
{
    static char serial[17];
    if (!serial[0]) {
        uint8_t id[8];
        rom_flash_unique_id(id);
        rp2_serial_hex(serial, id);
    }
    return serial;
}

void hal_bootloader_jump(uint8_t bootloader)
{
    (void)bootloader; /* every RP2040 has the same ROM bootloader */
    __asm__ volatile("cpsid i" ::: "memory");
    rom_reset_usb_boot(0, 0);
}

void hal_reset(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
    RP2_REG(RP2_PSM_BASE + 0x08u) = 0x0001FFFCu;   /* WDSEL: everything but the oscillators */
    RP2_SET(RP2_WATCHDOG_CTRL) = 0x80000000u;      /* TRIGGER */
    for (;;) {
    }
}
