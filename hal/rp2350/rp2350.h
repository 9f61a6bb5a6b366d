/* RP2350 register map: the addresses, bit positions and values the Kestrel HAL uses, from the
 * RP2350 datasheet (see shared hw fact sheet rp2.md §0, §2.6, §3–§7). Only what we use. */
#ifndef KESTREL_HAL_RP2350_H
#define KESTREL_HAL_RP2350_H

#include "hal/rp2350/chip.h"  /* the block addresses, shared with hal/rp2/ */

#define RP2350_XOSC_HZ    12000000u
#define RP2350_SYS_HZ     150000000u
#define RP2350_USB_HZ     48000000u
#define RP2350_NUM_GPIO   RP2_NUM_GPIO

/* ---- memory map ---- */
#define RP2350_ROM_BASE       0x00000000u
#define RP2350_FLASH_BASE     0x10000000u
#define RP2350_SRAM_BASE      0x20000000u
#define RP2350_SRAM_END       0x20082000u  /* 512 KB striped + 2 x 4 KB scratch */
#define RP2350_BOOTRAM_BASE   0x400E0000u

/* ---- peripheral blocks ---- */
#define RP2350_SYSINFO_BASE   0x40000000u
#define RP2350_CLOCKS_BASE    RP2_CLOCKS_BASE
#define RP2350_PSM_BASE       RP2_PSM_BASE
#define RP2350_RESETS_BASE    RP2_RESETS_BASE
#define RP2350_IO_BANK0_BASE  RP2_IO_BANK0_BASE
#define RP2350_PADS_BANK0_BASE RP2_PADS_BANK0_BASE
#define RP2350_XOSC_BASE      RP2_XOSC_BASE
#define RP2350_PLL_SYS_BASE   RP2_PLL_SYS_BASE
#define RP2350_PLL_USB_BASE   RP2_PLL_USB_BASE
#define RP2350_TIMER0_BASE    RP2_TIMER_BASE
#define RP2350_TIMER1_BASE    0x400B8000u
#define RP2350_WATCHDOG_BASE  RP2_WATCHDOG_BASE
#define RP2350_TICKS_BASE     0x40108000u
#define RP2350_USBCTRL_DPRAM  0x50100000u
#define RP2350_USBCTRL_REGS   0x50110000u
#define RP2350_SIO_BASE       RP2_SIO_BASE
#define RP2350_PPB_BASE       0xE0000000u

/* ---- RESETS: RESET +0, WDSEL +4, RESET_DONE +8; bit 1 = held in reset ---- */
#define RESETS_RESET          (RP2350_RESETS_BASE + 0x00u)
#define RESETS_RESET_DONE     (RP2350_RESETS_BASE + 0x08u)
#define RESET_IO_BANK0        RP2_RESET_IO_BANK0
#define RESET_IO_QSPI         (1u << 7)
#define RESET_PADS_BANK0      RP2_RESET_PADS_BANK0
#define RESET_PADS_QSPI       (1u << 10)
#define RESET_PLL_SYS         RP2_RESET_PLL_SYS
#define RESET_PLL_USB         RP2_RESET_PLL_USB
#define RESET_TIMER0          RP2_RESET_TIMER
#define RESET_USBCTRL         RP2_RESET_USBCTRL

/* ---- XOSC ---- */
#define XOSC_CTRL             (RP2350_XOSC_BASE + 0x00u)
#define XOSC_STATUS           (RP2350_XOSC_BASE + 0x04u)
#define XOSC_STARTUP          (RP2350_XOSC_BASE + 0x0Cu)
#define XOSC_CTRL_RANGE_1_15MHZ 0x00000AA0u
#define XOSC_CTRL_ENABLE      (0xFABu << 12)
#define XOSC_CTRL_ENABLE_MASK (0xFFFu << 12)
#define XOSC_STATUS_STABLE    (1u << 31)
/* ~6 ms start-up at 12 MHz, in units of 256 XOSC cycles: ((12000 + 128) / 256) * 6. */
#define XOSC_STARTUP_DELAY    282u

/* ---- PLL_SYS / PLL_USB (same layout) ---- */
#define PLL_CS(base)          ((base) + 0x00u)
#define PLL_PWR(base)         ((base) + 0x04u)
#define PLL_FBDIV_INT(base)   ((base) + 0x08u)
#define PLL_PRIM(base)        ((base) + 0x0Cu)
#define PLL_CS_REFDIV_MASK    0x3Fu
#define PLL_CS_BYPASS         (1u << 8)
#define PLL_CS_LOCK           (1u << 31)
#define PLL_PWR_PD            (1u << 0)
#define PLL_PWR_DSMPD         (1u << 2)
#define PLL_PWR_POSTDIVPD     (1u << 3)
#define PLL_PWR_VCOPD         (1u << 5)
#define PLL_PRIM_POSTDIV1_LSB 16
#define PLL_PRIM_POSTDIV2_LSB 12
#define PLL_VCO_MIN_HZ        750000000u
#define PLL_VCO_MAX_HZ        1600000000u

/* 12 MHz / 1 * 125 = 1500 MHz VCO; / 5 / 2 = 150 MHz.  12 MHz * 100 = 1200 MHz; / 5 / 5 = 48 MHz. */
#define PLL_SYS_REFDIV 1u
#define PLL_SYS_FBDIV  125u
#define PLL_SYS_PD1    5u
#define PLL_SYS_PD2    2u
#define PLL_USB_REFDIV 1u
#define PLL_USB_FBDIV  100u
#define PLL_USB_PD1    5u
#define PLL_USB_PD2    5u

/* ---- CLOCKS ---- */
#define CLK_REF_CTRL          (RP2350_CLOCKS_BASE + 0x30u)
#define CLK_REF_DIV           (RP2350_CLOCKS_BASE + 0x34u)
#define CLK_REF_SELECTED      (RP2350_CLOCKS_BASE + 0x38u)
#define CLK_SYS_CTRL          (RP2350_CLOCKS_BASE + 0x3Cu)
#define CLK_SYS_DIV           (RP2350_CLOCKS_BASE + 0x40u)
#define CLK_SYS_SELECTED      (RP2350_CLOCKS_BASE + 0x44u)
#define CLK_PERI_CTRL         (RP2350_CLOCKS_BASE + 0x48u)
#define CLK_PERI_DIV          (RP2350_CLOCKS_BASE + 0x4Cu)
#define CLK_USB_CTRL          (RP2350_CLOCKS_BASE + 0x60u)
#define CLK_USB_DIV           (RP2350_CLOCKS_BASE + 0x64u)
#define CLK_SYS_RESUS_CTRL    (RP2350_CLOCKS_BASE + 0x84u)
#define CLK_DIV_1             0x00010000u  /* integer part at [.. :16] on RP2350 */
#define CLK_REF_SRC_MASK      0x3u
#define CLK_REF_SRC_ROSC      0x0u
#define CLK_REF_SRC_XOSC      0x2u
#define CLK_SYS_SRC_AUX       0x1u
#define CLK_AUXSRC_LSB        5
#define CLK_AUXSRC_MASK       (0x7u << CLK_AUXSRC_LSB)
#define CLK_SYS_AUX_PLL_SYS   (0u << CLK_AUXSRC_LSB)
#define CLK_USB_AUX_PLL_USB   (0u << CLK_AUXSRC_LSB)
#define CLK_PERI_AUX_CLK_SYS  (0u << CLK_AUXSRC_LSB)
#define CLK_CTRL_ENABLE       (1u << 11)
#define CLK_CTRL_KILL         (1u << 10)

/* ---- TICKS: per-consumer tick generators (all start disabled) ---- */
#define TICKS_PROC0_CTRL      (RP2350_TICKS_BASE + 0x00u)
#define TICKS_PROC0_CYCLES    (RP2350_TICKS_BASE + 0x04u)
#define TICKS_TIMER0_CTRL     (RP2350_TICKS_BASE + 0x18u)
#define TICKS_TIMER0_CYCLES   (RP2350_TICKS_BASE + 0x1Cu)
#define TICKS_WATCHDOG_CTRL   (RP2350_TICKS_BASE + 0x30u)
#define TICKS_WATCHDOG_CYCLES (RP2350_TICKS_BASE + 0x34u)
#define TICKS_CTRL_ENABLE     1u

/* ---- TIMER0 ---- */
#define TIMER0_TIMEHR         (RP2350_TIMER0_BASE + 0x08u)
#define TIMER0_TIMELR         (RP2350_TIMER0_BASE + 0x0Cu)
#define TIMER0_ALARM0         (RP2350_TIMER0_BASE + 0x10u)
#define TIMER0_TIMERAWH       (RP2350_TIMER0_BASE + 0x24u)
#define TIMER0_TIMERAWL       (RP2350_TIMER0_BASE + 0x28u)
#define TIMER0_INTR           (RP2350_TIMER0_BASE + 0x3Cu)
#define TIMER0_INTE           (RP2350_TIMER0_BASE + 0x40u)

/* ---- IO_BANK0 / PADS_BANK0 ---- */
#define IO_GPIO_CTRL(n)       (RP2350_IO_BANK0_BASE + 8u * (n) + 4u)
#define IO_FUNC_SIO           5u
#define IO_FUNC_NULL          0x1Fu
#define PADS_GPIO(n)          (RP2350_PADS_BANK0_BASE + 4u + 4u * (n))
#define PAD_SLEWFAST          (1u << 0)
#define PAD_SCHMITT           (1u << 1)
#define PAD_PDE               (1u << 2)
#define PAD_PUE               (1u << 3)
#define PAD_DRIVE_4MA         (1u << 4)
#define PAD_IE                (1u << 6)
#define PAD_OD                (1u << 7)
#define PAD_ISO               RP2_PAD_ISO
#define PAD_RESET_VALUE       0x116u

/* ---- SIO GPIO (layout differs from RP2040) ---- */
#define SIO_GPIO_IN           (RP2350_SIO_BASE + RP2_SIO_GPIO_IN)
#define SIO_GPIO_OUT          (RP2350_SIO_BASE + 0x010u)
#define SIO_GPIO_OUT_SET      (RP2350_SIO_BASE + RP2_SIO_GPIO_OUT_SET)
#define SIO_GPIO_OUT_CLR      (RP2350_SIO_BASE + RP2_SIO_GPIO_OUT_CLR)
#define SIO_GPIO_OE           (RP2350_SIO_BASE + 0x030u)
#define SIO_GPIO_OE_SET       (RP2350_SIO_BASE + RP2_SIO_GPIO_OE_SET)
#define SIO_GPIO_OE_CLR       (RP2350_SIO_BASE + RP2_SIO_GPIO_OE_CLR)

/* ---- WATCHDOG / PSM ---- */
#define WATCHDOG_CTRL         (RP2350_WATCHDOG_BASE + 0x00u)
#define WATCHDOG_LOAD         (RP2350_WATCHDOG_BASE + 0x04u)
#define WATCHDOG_REASON       (RP2350_WATCHDOG_BASE + 0x08u)
#define WATCHDOG_SCRATCH(n)   (RP2350_WATCHDOG_BASE + 0x0Cu + 4u * (n))
#define WATCHDOG_CTRL_TRIGGER (1u << 31)
#define WATCHDOG_CTRL_ENABLE  (1u << 30)
#define WATCHDOG_CTRL_PAUSE_DBG (7u << 24) /* JTAG, DBG0, DBG1: stop while a debugger halts us */
#define PSM_WDSEL             (RP2350_PSM_BASE + 0x08u)
#define PSM_WDSEL_ALL_BUT_OSC 0x01FFFFF3u  /* everything except ROSC/XOSC */

/* ---- USB controller (same IP as RP2040; PHY_ISO is RP2350's) ---- */
#define USB_MAIN_CTRL         (RP2350_USBCTRL_REGS + 0x40u)
#define USB_MAIN_CTRL_CONTROLLER_EN (1u << 0)
#define USB_MAIN_CTRL_HOST_NDEVICE  (1u << 1)
#define USB_MAIN_CTRL_PHY_ISO       (1u << 2)
#define USB_IRQ               RP2_IRQ_USBCTRL

/* ---- Cortex-M33 system control ---- */
#define M33_VTOR              0xE000ED08u
#define M33_AIRCR             0xE000ED0Cu
#define M33_NVIC_ISER0        0xE000E100u
#define M33_NVIC_ICER0        0xE000E180u
#define M33_NVIC_ICPR0        0xE000E280u
#define M33_VTOR_ALIGN        128u          /* VTOR ignores the low 7 bits on the M33 */
#define RP2350_NUM_IRQ        52u

/* ---- bootrom (§6.2) ---- */
#define ROM_TABLE_LOOKUP_PTR  0x16u          /* u16 pointer to rom_table_lookup(code, mask) */
#define ROM_VERSION_ADDR      0x13u
#define ROM_FLAG_ARM_SEC      0x0004u
#define ROM_FLAG_DATA         0x0040u
#define ROM_CODE(a, b)        ((uint32_t)(a) | ((uint32_t)(b) << 8))
#define ROM_REBOOT_BOOTSEL    0x0002u
#define ROM_REBOOT_NO_RETURN  0x0100u
#define ROM_XIP_SETUP_WORDS   64u            /* XIP-setup routine copied by the ROM into BOOTRAM */

/* ---- picobin IMAGE_DEF (§2.2) ---- */
#define PICOBIN_BLOCK_START   0xFFFFDED3u
#define PICOBIN_BLOCK_END     0xAB123579u
#define PICOBIN_ITEM_IMAGE_TYPE 0x42u
#define PICOBIN_ITEM_LAST     0xFFu
/* IMAGE_TYPE flags: EXE (1) | Secure (2 << 4) | Arm (0 << 8) | RP2350 (1 << 12). */
#define PICOBIN_IMAGE_TYPE_ARM_S_RP2350 0x1021u

#endif
