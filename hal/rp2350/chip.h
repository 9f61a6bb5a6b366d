/* RP2350 addresses and bit positions under the names the shared RP2 code (hal/rp2/) uses; the
 * RP2040 build supplies hal/rp2040/chip.h with the same names. Facts: shared/hw/rp2.md §0, §2.6.
 * RP2350-only registers (TICKS, PHY_ISO, ROM, picobin) are in hal/rp2350/rp2350.h. */
#ifndef KESTREL_HAL_RP2350_CHIP_H
#define KESTREL_HAL_RP2350_CHIP_H

#define RP2_CHIP_RP2350 1

#define RP2_CLOCKS_BASE     0x40010000u
#define RP2_PSM_BASE        0x40018000u
#define RP2_RESETS_BASE     0x40020000u
#define RP2_IO_BANK0_BASE   0x40028000u
#define RP2_PADS_BANK0_BASE 0x40038000u
#define RP2_XOSC_BASE       0x40048000u
#define RP2_PLL_SYS_BASE    0x40050000u
#define RP2_PLL_USB_BASE    0x40058000u
#define RP2_TIMER_BASE      0x400B0000u  /* TIMER0 */
#define RP2_WATCHDOG_BASE   0x400D8000u
#define RP2_SIO_BASE        0xD0000000u

/* RESETS bits */
#define RP2_RESET_IO_BANK0   (1u << 6)
#define RP2_RESET_PADS_BANK0 (1u << 9)
#define RP2_RESET_PLL_SYS    (1u << 14)
#define RP2_RESET_PLL_USB    (1u << 15)
#define RP2_RESET_TIMER      (1u << 23)  /* TIMER0 */
#define RP2_RESET_USBCTRL    (1u << 28)

/* SIO GPIO register offsets (the layout changed from the RP2040) */
#define RP2_SIO_GPIO_IN      0x004u
#define RP2_SIO_GPIO_OUT_SET 0x018u
#define RP2_SIO_GPIO_OUT_CLR 0x020u
#define RP2_SIO_GPIO_OE_SET  0x038u
#define RP2_SIO_GPIO_OE_CLR  0x040u

/* TIMER interrupt registers (LOCKED and SOURCE were inserted before them) */
#define RP2_TIMER_INTR 0x3Cu
#define RP2_TIMER_INTE 0x40u

/* CLOCKS */
#define RP2_CLK_USB_CTRL 0x60u
#define RP2_CLK_USB_DIV  0x64u
#define RP2_CLK_DIV_ONE  0x10000u

/* IO_BANK0 processor-0 interrupt registers: 4 bits per GPIO, 8 GPIOs per register */
#define RP2_IO_INTR0        0x230u
#define RP2_IO_PROC0_INTE0  0x248u

/* IRQ numbers */
#define RP2_IRQ_TIMER0   0
#define RP2_IRQ_USBCTRL  14
#define RP2_IRQ_IO_BANK0 21

#define RP2_NUM_GPIO 30u       /* RP2350A (QFN-60, Pico 2); the 48-pin RP2350B is not supported */
#define RP2_PAD_ISO  (1u << 8) /* pad isolation: reset 1, must be cleared on every pin used */

#endif
