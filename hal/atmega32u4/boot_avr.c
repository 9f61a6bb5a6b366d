/* Leaving the application: bootloader entry for Caterina, Atmel/LUFA/QMK DFU and HalfKay, chosen
 * at run time by the config image's bootloader field, and a plain watchdog reset. */
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/pgmspace.h>
#include <avr/wdt.h>
#include <util/delay.h>

#include "core/cfg.h"
#include "hal/atmega32u4/hal_avr.h"

#define CATERINA_KEY_ADDR 0x0800u /* stock Pro Micro Caterina reads its key here */
#define CATERINA_KEY      0x7777u
#define BOOT_4K_START     "0x7000" /* Caterina / Atmel DFU, BOOTSZ=00 */
#define BOOT_HALFKAY      "0x7E00" /* HalfKay, BOOTSZ=11 */

/* Registers cleared before a bootloader starts, in this order (data addresses, all below 0x100):
 * a table and a loop take less flash than a store each. */
#define QUIET(reg) (uint8_t)_SFR_MEM_ADDR(reg)
static const uint8_t quiet_regs[] PROGMEM = {
    QUIET(EIMSK), QUIET(PCICR), QUIET(SPCR), QUIET(ACSR), QUIET(EECR), QUIET(ADCSRA),
    QUIET(TIMSK0), QUIET(TIMSK1), QUIET(TIMSK3), QUIET(TIMSK4), QUIET(TWCR),
    QUIET(DDRB), QUIET(DDRC), QUIET(DDRD), QUIET(DDRE), QUIET(DDRF),
    QUIET(PORTB), QUIET(PORTC), QUIET(PORTD), QUIET(PORTE), QUIET(PORTF),
};

/* The host must see the device leave, and the bootloader must start with quiet peripherals. */
static void usb_detach_and_quiet(void)
{
    UDCON = 1 << DETACH;
    USBCON = 1 << FRZCLK;
    UCSR1B = 0;
    _delay_ms(5);
    for (uint8_t i = 0; i < sizeof quiet_regs; i++)
        *(volatile uint8_t *)(uintptr_t)pgm_read_byte(&quiet_regs[i]) = 0;
}

/* A watchdog reset after `timeout` (WDTO_*); one copy of the timed sequence. */
static __attribute__((noreturn, noinline)) void watchdog_reset(uint8_t timeout)
{
    wdt_enable(timeout);
    for (;;) {
    }
}

void hal_reset(void)
{
    cli();
    /* Let go of the bus first, so the host sees the device leave rather than a stalled one. */
    UDCON = 1 << DETACH;
    USBCON = 1 << FRZCLK;
    watchdog_reset(WDTO_15MS);
}

void hal_bootloader_jump(uint8_t bootloader)
{
    cli();
    usb_detach_and_quiet();
    switch (bootloader) {
    case CFG_BOOT_CATERINA:
        /* Caterina runs on every reset (BOOTRST) and stays only for a watchdog reset with its
         * key in RAM; SRAM survives the watchdog reset. */
        *(volatile uint16_t *)CATERINA_KEY_ADDR = CATERINA_KEY;
        watchdog_reset(WDTO_60MS);
    case CFG_BOOT_HALFKAY:
        __asm__ volatile("jmp " BOOT_HALFKAY);
        break;
    default: /* atmel-dfu, qmk-dfu, lufa-dfu and unknown: the 4 KB boot section's start */
        __asm__ volatile("jmp " BOOT_4K_START);
        break;
    }
    for (;;) {
    }
}
