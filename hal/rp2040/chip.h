/* RP2040 addresses and bit positions that differ from the RP2350; everything the two chips share
 * is in hal/rp2/regs.h, which includes this through hal/rp2/chip.h. Facts: shared/hw/rp2.md. */
#ifndef KESTREL_HAL_RP2040_CHIP_H
#define KESTREL_HAL_RP2040_CHIP_H

#define RP2_CHIP_RP2040 1

#define RP2_CLOCKS_BASE     0x40008000u
#define RP2_RESETS_BASE     0x4000C000u
#define RP2_PSM_BASE        0x40010000u
#define RP2_IO_BANK0_BASE   0x40014000u
#define RP2_PADS_BANK0_BASE 0x4001C000u
#define RP2_XOSC_BASE       0x40024000u
#define RP2_PLL_SYS_BASE    0x40028000u
#define RP2_PLL_USB_BASE    0x4002C000u
#define RP2_TIMER_BASE      0x40054000u
#define RP2_WATCHDOG_BASE   0x40058000u
#define RP2_SIO_BASE        0xD0000000u

/* RESETS bits */
#define RP2_RESET_IO_BANK0   (1u << 5)
#define RP2_RESET_PADS_BANK0 (1u << 8)
#define RP2_RESET_PLL_SYS    (1u << 12)
#define RP2_RESET_PLL_USB    (1u << 13)
#define RP2_RESET_TIMER      (1u << 21)
#define RP2_RESET_USBCTRL    (1u << 24)

/* SIO GPIO register offsets (the layout changed on the RP2350) */
#define RP2_SIO_GPIO_IN      0x004u
#define RP2_SIO_GPIO_OUT_SET 0x014u
#define RP2_SIO_GPIO_OUT_CLR 0x018u
#define RP2_SIO_GPIO_OE_SET  0x024u
#define RP2_SIO_GPIO_OE_CLR  0x028u

/* TIMER interrupt registers */
#define RP2_TIMER_INTR 0x34u
#define RP2_TIMER_INTE 0x38u

/* CLOCKS */
#define RP2_CLK_USB_CTRL 0x54u
#define RP2_CLK_USB_DIV  0x58u
#define RP2_CLK_DIV_ONE  0x100u

/* IO_BANK0 processor-0 interrupt registers: 4 bits per GPIO, 8 GPIOs per register */
#define RP2_IO_INTR0        0x0F0u
#define RP2_IO_PROC0_INTE0  0x100u

/* IRQ numbers */
#define RP2_IRQ_TIMER0   0
#define RP2_IRQ_USBCTRL  5
#define RP2_IRQ_IO_BANK0 13

#define RP2_NUM_GPIO 30u
#define RP2_PAD_ISO  0u /* no pad isolation on the RP2040 */

#endif
