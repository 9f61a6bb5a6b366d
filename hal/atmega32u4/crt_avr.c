/* Start-up code for the ATmega32U4 in place of avr-libc's: a vector table that ends at the last
 * interrupt the firmware uses (TIMER1_COMPA, vector 17; USB is polled), 100 bytes shorter than the
 * chip's 43 entries, then the usual reset path. */
#include <avr/io.h>

void __vector_17(void);
int main(void);

__attribute__((section(".vectors"), naked, used)) static void crt_vectors(void)
{
    __asm__ volatile("jmp crt_reset\n\t"
                     ".rept 16\n\t"
                     "jmp crt_unexpected\n\t"
                     ".endr\n\t"
                     "jmp __vector_17\n\t"
                     "crt_unexpected:\n\t"
                     "jmp 0\n\t");
}

/* .init2: the zero register, the status register and the stack (libgcc's .init4 then copies .data
 * and clears .bss); .init9: main, which never returns. */
__attribute__((section(".init2"), naked, used)) static void crt_reset(void)
{
    __asm__ volatile(".global crt_reset\n\t"
                     "crt_reset:\n\t"
                     "clr __zero_reg__\n\t"
                     "out __SREG__, __zero_reg__\n\t"
                     "ldi r28, lo8(%0)\n\t"
                     "ldi r29, hi8(%0)\n\t"
                     "out __SP_H__, r29\n\t"
                     "out __SP_L__, r28\n\t" ::"i"(RAMEND));
}

__attribute__((section(".init9"), naked, used)) static void crt_main(void)
{
    __asm__ volatile("call main\n\t"
                     "1: rjmp 1b\n\t");
}
