/* Register access and the register facts the RP2040 and RP2350 share (USB controller, pads,
 * IO_BANK0 layout, XOSC/PLL layout, atomic aliases). Chip differences come from hal/rp2/chip.h. */
#ifndef KESTREL_HAL_RP2_REGS_H
#define KESTREL_HAL_RP2_REGS_H

#include <stdint.h>

#include "hal/rp2/chip.h"
#include "hal/rp2/mmio.h"

#define RP2_REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))
/* Atomic aliases of peripheral blocks (not SIO/PPB): write 1s to set / clear bits. */
#define RP2_XOR(addr) RP2_REG((addr) + 0x1000u)
#define RP2_SET(addr) RP2_REG((addr) + 0x2000u)
#define RP2_CLR(addr) RP2_REG((addr) + 0x3000u)

#define RP2_SIO(off) RP2_REG(RP2_SIO_BASE + (off))

/* RESETS */
#define RP2_RESETS_RESET      (RP2_RESETS_BASE + 0x00u)
#define RP2_RESETS_RESET_DONE (RP2_RESETS_BASE + 0x08u)

/* IO_BANK0 / PADS_BANK0 */
#define RP2_GPIO_CTRL(n)   (RP2_IO_BANK0_BASE + 8u * (n) + 4u)
#define RP2_FUNC_SIO       5u
#define RP2_FUNC_NULL      0x1Fu
#define RP2_PAD(n)         (RP2_PADS_BANK0_BASE + 4u + 4u * (n))
#define RP2_PAD_SLEWFAST   (1u << 0)
#define RP2_PAD_SCHMITT    (1u << 1)
#define RP2_PAD_PDE        (1u << 2)
#define RP2_PAD_PUE        (1u << 3)
#define RP2_PAD_DRIVE_4MA  (1u << 4)
#define RP2_PAD_IE         (1u << 6)
#define RP2_PAD_OD         (1u << 7)

/* XOSC, PLL */
#define RP2_XOSC_CTRL      (RP2_XOSC_BASE + 0x00u)
#define RP2_XOSC_STATUS    (RP2_XOSC_BASE + 0x04u)
#define RP2_XOSC_STARTUP   (RP2_XOSC_BASE + 0x0Cu)
#define RP2_PLL_CS(b)      ((b) + 0x00u)
#define RP2_PLL_PWR(b)     ((b) + 0x04u)
#define RP2_PLL_FBDIV(b)   ((b) + 0x08u)
#define RP2_PLL_PRIM(b)    ((b) + 0x0Cu)

/* CLOCKS (offsets shared by both chips) */
#define RP2_CLK_REF_CTRL     (RP2_CLOCKS_BASE + 0x30u)
#define RP2_CLK_REF_DIV      (RP2_CLOCKS_BASE + 0x34u)
#define RP2_CLK_REF_SELECTED (RP2_CLOCKS_BASE + 0x38u)
#define RP2_CLK_SYS_CTRL     (RP2_CLOCKS_BASE + 0x3Cu)
#define RP2_CLK_SYS_DIV      (RP2_CLOCKS_BASE + 0x40u)
#define RP2_CLK_SYS_SELECTED (RP2_CLOCKS_BASE + 0x44u)
#define RP2_CLK_PERI_CTRL    (RP2_CLOCKS_BASE + 0x48u)

/* TIMER */
#define RP2_TIMER_ALARM(n)  (RP2_TIMER_BASE + 0x10u + 4u * (n))
#define RP2_TIMER_ARMED     (RP2_TIMER_BASE + 0x20u)
#define RP2_TIMER_TIMERAWL  (RP2_TIMER_BASE + 0x28u)

/* WATCHDOG */
#define RP2_WATCHDOG_CTRL       (RP2_WATCHDOG_BASE + 0x00u)
#define RP2_WATCHDOG_LOAD       (RP2_WATCHDOG_BASE + 0x04u)
#define RP2_WATCHDOG_REASON     (RP2_WATCHDOG_BASE + 0x08u)
#define RP2_WATCHDOG_SCRATCH(n) (RP2_WATCHDOG_BASE + 0x0Cu + 4u * (n))

/* USB controller: same IP on both chips */
#define RP2_USB_DPRAM_BASE 0x50100000u
#define RP2_USB_REGS_BASE  0x50110000u
#define RP2_USB_ADDR_ENDP        (RP2_USB_REGS_BASE + 0x00u)
#define RP2_USB_MAIN_CTRL        (RP2_USB_REGS_BASE + 0x40u)
#define RP2_USB_SOF_RD           (RP2_USB_REGS_BASE + 0x48u)
#define RP2_USB_SIE_CTRL         (RP2_USB_REGS_BASE + 0x4Cu)
#define RP2_USB_SIE_STATUS       (RP2_USB_REGS_BASE + 0x50u)
#define RP2_USB_BUFF_STATUS      (RP2_USB_REGS_BASE + 0x58u)
#define RP2_USB_EP_STALL_ARM     (RP2_USB_REGS_BASE + 0x68u)
#define RP2_USB_USB_MUXING       (RP2_USB_REGS_BASE + 0x74u)
#define RP2_USB_USB_PWR          (RP2_USB_REGS_BASE + 0x78u)
#define RP2_USB_INTE             (RP2_USB_REGS_BASE + 0x90u)
#define RP2_USB_INTS             (RP2_USB_REGS_BASE + 0x98u)

#define RP2_USB_SIE_CTRL_EP0_INT_1BUF (1u << 29)
#define RP2_USB_SIE_CTRL_PULLUP_EN    (1u << 16)
#define RP2_USB_SIE_CTRL_RESUME       (1u << 12)
#define RP2_USB_SIE_SUSPENDED   (1u << 4)
#define RP2_USB_SIE_RESUME      (1u << 11)
#define RP2_USB_SIE_SETUP_REC   (1u << 17)
#define RP2_USB_SIE_BUS_RESET   (1u << 19)
#define RP2_USB_INT_BUFF_STATUS (1u << 4)
#define RP2_USB_INT_BUS_RESET   (1u << 12)
#define RP2_USB_INT_DEV_SUSPEND (1u << 14)
#define RP2_USB_INT_DEV_RESUME  (1u << 15)
#define RP2_USB_INT_SETUP_REQ   (1u << 16)
#define RP2_USB_INT_DEV_SOF     (1u << 17)

/* DPRAM layout */
#define RP2_DPRAM_EP_CTRL(n, out)  (RP2_USB_DPRAM_BASE + 8u * (n) + ((out) ? 4u : 0u)) /* n >= 1 */
#define RP2_DPRAM_BUF_CTRL(n, out) (RP2_USB_DPRAM_BASE + 0x80u + 8u * (n) + ((out) ? 4u : 0u))
#define RP2_DPRAM_EP0_BUF          (RP2_USB_DPRAM_BASE + 0x100u)
#define RP2_DPRAM_FREE             0x180u

#define RP2_EPCTRL_ENABLE        (1u << 31)
#define RP2_EPCTRL_INT_PER_BUF   (1u << 29)
#define RP2_EPCTRL_TYPE_SHIFT    26
#define RP2_BUF_LEN_MASK         0x3FFu
#define RP2_BUF_AVAILABLE        (1u << 10)
#define RP2_BUF_STALL            (1u << 11)
#define RP2_BUF_DATA1            (1u << 13)
#define RP2_BUF_LAST             (1u << 14)
#define RP2_BUF_FULL             (1u << 15)

/* Cortex-M system registers */
#define RP2_NVIC_ISER  0xE000E100u
#define RP2_NVIC_ICER  0xE000E180u
#define RP2_NVIC_ICPR  0xE000E280u
#define RP2_SCB_VTOR   0xE000ED08u
#define RP2_SCB_AIRCR  0xE000ED0Cu
#define RP2_SCB_SCR    0xE000ED10u

/* The helpers below (and the code shared by both chips) access registers through
 * hal/rp2/mmio.h, so that host tests can run them against a recorded register space. */
static inline void rp2_unreset(uint32_t mask)
{
    mmio_clr(RP2_RESETS_RESET, mask);
    while ((mmio_rd(RP2_RESETS_RESET_DONE) & mask) != mask) {
    }
}

static inline void rp2_reset(uint32_t mask)
{
    mmio_set(RP2_RESETS_RESET, mask);
}

static inline void rp2_irq_unmask(unsigned irq)
{
    mmio_wr(RP2_NVIC_ISER + 4u * (irq >> 5), 1u << (irq & 31u));
}

static inline void rp2_irq_enable(unsigned irq)
{
    mmio_wr(RP2_NVIC_ICPR + 4u * (irq >> 5), 1u << (irq & 31u));
    mmio_wr(RP2_NVIC_ISER + 4u * (irq >> 5), 1u << (irq & 31u));
}

/* Set by interrupt handlers that leave work for the main loop; hal_sleep() does not sleep
 * while it is set. */
extern volatile uint8_t rp2_wake_flag;

#endif
