/* ATmega32U4 startup, clock, 1 ms timer, sleep, EEPROM and the firmware info block that tells
 * `kestrel build` where the config region is. */
#include <avr/eeprom.h>
#include <avr/interrupt.h>
#include <avr/io.h>
#include <avr/pgmspace.h>
#include <avr/power.h>
#include <avr/sleep.h>
#include <avr/wdt.h>
#include <stddef.h>

#include "core/fwinfo.h"
#include "hal/atmega32u4/hal_avr.h"

#ifndef KESTREL_VERSION
#define KESTREL_VERSION 0x000100u
#endif
#ifndef KESTREL_BUILD_ID
#define KESTREL_BUILD_ID "dev"
#endif

extern const char __data_load_end[]; /* linker: end of code + .data initialisers in flash */

/* fw_info_t with image_end split in two: a flash address is a 16-bit pointer here, and only a
 * same-width integer of a symbol's address is a link-time constant for avr-gcc. */
typedef struct fwinfo_avr {
    uint32_t magic0, magic1, info_version, target, fw_version, flash_base, config_addr, config_max;
    uint16_t image_end_lo, image_end_hi;
    char build_id[24];
} fwinfo_avr_t;
_Static_assert(sizeof(fwinfo_avr_t) == sizeof(fw_info_t), "fw_info_t layout");
_Static_assert(offsetof(fwinfo_avr_t, image_end_lo) == offsetof(fw_info_t, image_end), "image_end");

const fwinfo_avr_t hal_avr_fwinfo PROGMEM __attribute__((used)) = {
    FWINFO_MAGIC0, FWINFO_MAGIC1, 1, FW_TARGET_ATMEGA32U4, KESTREL_VERSION, 0,
    HAL_AVR_CFG_ADDR, HAL_AVR_CFG_MAX,
    (uint16_t)(uintptr_t)__data_load_end, 0,
    KESTREL_BUILD_ID,
};

/* After a watchdog reset WDRF keeps the watchdog on, which would reset-loop before main() runs;
 * this runs before .data/.bss are set up. */
void hal_avr_early(void) __attribute__((naked, used, section(".init3")));
void hal_avr_early(void)
{
    MCUSR &= (uint8_t)~(1 << WDRF);
    wdt_disable();
}

static volatile uint32_t ms_now;

ISR(TIMER0_COMPA_vect)
{
    ms_now++;
}

void hal_init(void)
{
    cli();
    /* Parts shipped with CKDIV8 start at crystal/8; timing below assumes the full crystal. */
    clock_prescale_set(clock_div_1);
    /* JTAG owns PF4-PF7 while the fuse allows it; JTD must be written twice within 4 cycles. */
    uint8_t m = MCUCR | (1 << JTD);
    MCUCR = m;
    MCUCR = m;
    /* Timer 0, CTC, clk/64: 250 kHz at 16 MHz, 125 kHz at 8 MHz -> one compare per ms. */
    TCCR0A = 1 << WGM01;
    TCCR0B = (1 << CS01) | (1 << CS00);
    OCR0A = (uint8_t)(F_CPU / 64 / 1000 - 1);
    TIMSK0 = 1 << OCIE0A;
    sei();
}

uint32_t hal_millis(void)
{
    uint8_t s = SREG;
    cli();
    uint32_t t = ms_now;
    SREG = s;
    return t;
}

void hal_delay_us(uint16_t us)
{
    while (us--) __builtin_avr_delay_cycles(F_CPU / 1000000UL - 4);
}

void hal_sleep(void)
{
    set_sleep_mode(SLEEP_MODE_IDLE);
    cli();
    sleep_enable();
    sei(); /* the instruction after SEI runs before any interrupt: no wakeup is lost */
    sleep_cpu();
    sleep_disable();
}

void hal_eeprom_read(uint16_t addr, void *dst, uint16_t n)
{
    eeprom_read_block(dst, (const void *)(uintptr_t)addr, n);
}

void hal_eeprom_write(uint16_t addr, const void *src, uint16_t n)
{
    eeprom_update_block(src, (void *)(uintptr_t)addr, n);
}

const uint8_t *hal_config_region(uint16_t *max)
{
    /* Read the address from the info block, so the block is referenced (kept by --gc-sections)
     * and the firmware uses the very address `kestrel build` patched against. */
    if (max) *max = (uint16_t)pgm_read_dword(&hal_avr_fwinfo.config_max);
    return (const uint8_t *)(uintptr_t)pgm_read_word(&hal_avr_fwinfo.config_addr);
}
