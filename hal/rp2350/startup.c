/* RP2350 start-up: the vector table and the IMAGE_DEF block the bootrom needs to launch us
 * (rp2.md §2.1–§2.2), and the reset handler (RAM init, VTOR, stack limit) that runs the portable
 * main loop, fw_run(). */
#include <stdint.h>

#include "fw/fw.h"
#include "hal/rp2/hal_rp2.h"
#include "hal/rp2350/hal_rp2350.h"
#include "hal/rp2350/memmap.h"
#include "hal/rp2350/rp2350.h"
#include "hal/rp2/mmio.h"

extern uint32_t __data_lma[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];

void rp2350_reset_handler(void) __attribute__((noreturn));
void rp2350_default_handler(void);

/* The smallest valid block loop: one IMAGE_DEF block linking to itself. It declares an Arm
 * Secure RP2350 executable (the ROM refuses Non-secure images); without a VECTOR_TABLE or
 * ENTRY_POINT item the ROM takes SP and PC from words 0 and 1 of the image, where the vector
 * table below is linked. */
__attribute__((section(".image_def"), used))
const uint32_t rp2350_image_def[5] = {
    PICOBIN_BLOCK_START,
    PICOBIN_ITEM_IMAGE_TYPE | 1u << 8 | PICOBIN_IMAGE_TYPE_ARM_S_RP2350 << 16,
    PICOBIN_ITEM_LAST | 1u << 8,   /* LAST item: 1 word of items precedes it */
    0,                             /* link to the next block: 0 = this block again */
    PICOBIN_BLOCK_END,
};

/* Exceptions the firmware does not use; the interrupts it does use are hal/rp2/'s handlers. */
#define WEAK_DEFAULT __attribute__((weak, alias("rp2350_default_handler")))
void isr_nmi(void) WEAK_DEFAULT;
void isr_hardfault(void) WEAK_DEFAULT;
void isr_memmanage(void) WEAK_DEFAULT;
void isr_busfault(void) WEAK_DEFAULT;
void isr_usagefault(void) WEAK_DEFAULT;
void isr_securefault(void) WEAK_DEFAULT;
void isr_svcall(void) WEAK_DEFAULT;
void isr_pendsv(void) WEAK_DEFAULT;
void isr_systick(void) WEAK_DEFAULT;

typedef void (*vector_t)(void);

/* 16 system entries + 52 interrupts; the table sits at the image start, which satisfies the
 * M33's 128-byte VTOR alignment. */
__attribute__((section(".vectors"), used))
const vector_t rp2350_vectors[16 + RP2350_NUM_IRQ] = {
    [0] = (vector_t)(uintptr_t)__stack_top,
    [1] = rp2350_reset_handler,
    [2] = isr_nmi,
    [3] = isr_hardfault,
    [4] = isr_memmanage,
    [5] = isr_busfault,
    [6] = isr_usagefault,
    [7] = isr_securefault,
    [11] = isr_svcall,
    [14] = isr_pendsv,
    [15] = isr_systick,
    [16 + RP2_IRQ_TIMER0] = rp2_isr_timer0,
    [16 + RP2_IRQ_USBCTRL] = rp2_usb_isr,
    [16 + RP2_IRQ_IO_BANK0] = rp2_isr_io,
};

void rp2350_default_handler(void)
{
    /* A fault or an interrupt nobody enabled means a firmware bug: a full reset keeps the
     * keyboard usable instead of hanging it (and is no double tap: WATCHDOG_REASON is set). */
    rp2350_reset();
}

void rp2350_reset_handler(void)
{
    /* The ROM already set MSP and VTOR; set VTOR again for entries that bypass the ROM (a
     * debugger's reset), and put the stack limit at the bottom of the stack banks. */
    mmio_wr(M33_VTOR, (uint32_t)(uintptr_t)rp2350_vectors);
    __asm__ volatile("msr msplim, %0" ::"r"(RP2350_STACK_BOTTOM));

    uint32_t *src = __data_lma, *dst = __data_start;
    while (dst < __data_end) *dst++ = *src++;
    for (dst = __bss_start; dst < __bss_end;) *dst++ = 0;
    __asm__ volatile("dsb\n\tisb" ::: "memory");

    fw_run();
}
