/* RP2040 start-up: the vector table boot2 points VTOR at, and the reset handler that prepares
 * RAM (.data, .bss) before main(). No C library start-up is used. */
#include <stdint.h>
#include <string.h>

#include "hal/rp2/regs.h"
#include "hal/rp2040/isr.h"

extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];
int main(void);

void rp2040_reset(void) __attribute__((noreturn, used));
void rp2040_fault(void) __attribute__((noreturn));
void rp2040_isr_unused(void);

void rp2040_reset(void)
{
    /* Copies by words: the linker script keeps both ends of each section 4-byte aligned. */
    const uint32_t *src = __data_load;
    for (uint32_t *dst = __data_start; dst < __data_end;) *dst++ = *src++;
    for (uint32_t *dst = __bss_start; dst < __bss_end;) *dst++ = 0;
    main();
    for (;;) {
    }
}

/* A fault means a firmware bug; a watchdog-style reboot keeps the keyboard usable instead of
 * hanging it (the double-tap marker is untouched, so this never lands in BOOTSEL). */
void rp2040_fault(void)
{
    RP2_REG(RP2_SCB_AIRCR) = 0x05FA0004u; /* SYSRESETREQ */
    for (;;) {
    }
}

void rp2040_isr_unused(void)
{
}

typedef void (*rp2040_vector_t)(void);

__attribute__((section(".vectors"), used)) static const rp2040_vector_t rp2040_vectors[48] = {
    (rp2040_vector_t)(uintptr_t)__stack_top,
    rp2040_reset,
    rp2040_fault, /* NMI */
    rp2040_fault, /* HardFault */
    0, 0, 0, 0, 0, 0, 0,
    rp2040_isr_unused, /* SVCall */
    0, 0,
    rp2040_isr_unused, /* PendSV */
    rp2040_isr_unused, /* SysTick */
    /* IRQ 0..31 */
    rp2_isr_timer0, rp2040_isr_unused, rp2040_isr_unused, rp2040_isr_unused,
    rp2040_isr_unused, rp2_usb_isr, rp2040_isr_unused, rp2040_isr_unused,
    rp2040_isr_unused, rp2040_isr_unused, rp2040_isr_unused, rp2040_isr_unused,
    rp2040_isr_unused, rp2_isr_io, rp2040_isr_unused, rp2040_isr_unused,
    rp2040_isr_unused, rp2040_isr_unused, rp2040_isr_unused, rp2040_isr_unused,
    rp2040_isr_unused, rp2040_isr_unused, rp2040_isr_unused, rp2040_isr_unused,
    rp2040_isr_unused, rp2040_isr_unused, rp2040_isr_unused, rp2040_isr_unused,
    rp2040_isr_unused, rp2040_isr_unused, rp2040_isr_unused, rp2040_isr_unused,
};
