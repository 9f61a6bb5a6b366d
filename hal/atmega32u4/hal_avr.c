/* ATmega32U4 startup, clock, time (timer 1), sleep, EEPROM and the firmware info block that tells
 * `kestrel build` where the config region is. */
#include <avr/boot.h>
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

/* Linker symbols: the end of code + .data initialisers in flash, where the config region starts,
 * and the room from there to the boot section (mk/avr.mk defines it with --defsym). */
extern const char __data_load_end[];
extern const char __kestrel_cfg_max[];

/* fw_info_t with each address split in two: a flash address is a 16-bit pointer here, and only a
 * same-width integer of a symbol's address is a link-time constant for avr-gcc. */
typedef struct fwinfo_avr {
    uint32_t magic0, magic1, info_version, target, fw_version, flash_base;
    uint16_t config_addr_lo, config_addr_hi, config_max_lo, config_max_hi;
    uint16_t image_end_lo, image_end_hi;
    char build_id[24];
} fwinfo_avr_t;
_Static_assert(sizeof(fwinfo_avr_t) == sizeof(fw_info_t), "fw_info_t layout");
_Static_assert(offsetof(fwinfo_avr_t, config_addr_lo) == offsetof(fw_info_t, config_addr), "config_addr");
_Static_assert(offsetof(fwinfo_avr_t, config_max_lo) == offsetof(fw_info_t, config_max), "config_max");
_Static_assert(offsetof(fwinfo_avr_t, image_end_lo) == offsetof(fw_info_t, image_end), "image_end");

/* The config region follows the firmware: whatever flash the code leaves below the boot section
 * is the config's (docs/boards/atmega32u4.md, flash map), and the link keeps at least
 * AVR_CFG_MIN bytes of it. */
const fwinfo_avr_t hal_avr_fwinfo PROGMEM __attribute__((used)) = {
    FWINFO_MAGIC0, FWINFO_MAGIC1, 1, FW_TARGET_ATMEGA32U4, KESTREL_VERSION, 0,
    (uint16_t)(uintptr_t)__data_load_end, 0, (uint16_t)(uintptr_t)__kestrel_cfg_max, 0,
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

/* Time: timer 1 in CTC mode at clk/8 (2 MHz at 16 MHz, 1 MHz at 8 MHz) interrupts every 250 us;
 * the tick both counts the milliseconds (fw/hal.h HAL_MS_CLOCK) and bounds every sleep. No pin
 * wakes this CPU, so the tick is also how soon an idle keyboard sees a press (250 us at most,
 * plus one scan) and, the USB driver being polled, how soon USB work is looked at. */
#define TICK_US      250u
#define TICKS_PER_MS (1000u / TICK_US)
#define T1_PER_US    (F_CPU / 8000000UL)
static volatile ktime_t ms_count;  /* engine time (core/ktime.h): 16 bits here */
/* Ticks into the current millisecond, kept in GPIOR2 (used by nothing else; zeroed when time
 * starts): an I/O register takes 2-byte IN/OUT where a RAM byte takes 4-byte LDS/STS, and the
 * tick and every clock read touch it. */
#define ms_ticks GPIOR2
static uint8_t ticks_read;        /* ms_ticks when the loop last read the clock */

ISR(TIMER1_COMPA_vect)
{
    if (++ms_ticks == TICKS_PER_MS) {
        ms_ticks = 0;
        ms_count++;
    }
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
    TCCR1A = 0;
    TCCR1B = (1 << WGM12) | (1 << CS11);
    OCR1A = (uint16_t)(TICK_US * T1_PER_US - 1);
    TIMSK1 = 1 << OCIE1A;
    sei();
}

void hal_millis_start(void)
{
    /* ms boundaries fall on timer ticks from here, and GPIOR1 = 0xA5 tells the harness which
     * cycle is time 0, so it can put key events at a known phase of the firmware's millisecond. */
    cli();
    TCNT1 = 0;
    TIFR1 = 1 << OCF1A;
    ms_count = 0;
    ms_ticks = 0;
    GPIOR1 = 0xA5;
    sei();
}

ktime_t hal_millis(void)
{
    uint8_t s = SREG;
    cli();
    ktime_t m = ms_count;
    ticks_read = ms_ticks;
    /* A compare that happened after cli() has not been counted yet: the millisecond's last. */
    if ((TIFR1 & (1 << OCF1A)) && TCNT1 < TICK_US * T1_PER_US / 2 && ms_ticks == TICKS_PER_MS - 1) m++;
    SREG = s;
    return m;
}

void hal_delay_us(uint16_t us)
{
    while (us--) __builtin_avr_delay_cycles(F_CPU / 1000000UL - 4);
}

void hal_sleep_until_ms(ktime_t wake_ms, bool timed)
{
    if (timed && ktime_diff(wake_ms, hal_millis()) <= 0) return;
    /* The timer tick ends the sleep within 250 us; USB is polled then (dcd_avr.c). A tick that
     * came since the loop last read the clock (while it scanned) ends it at once: the keys are
     * looked at again after every tick, not one tick later. The sleep mode is idle: SMCR's
     * mode bits are 0 from reset, and nothing sets them. */
    cli();
    if (ms_ticks == ticks_read) {
        sleep_enable();
        sei(); /* the instruction after SEI runs before any interrupt: no tick is slept through */
        sleep_cpu();
        sleep_disable();
    }
    sei();
}

void hal_eeprom_read(uint16_t addr, void *dst, uint16_t n)
{
    eeprom_read_block(dst, (const void *)(uintptr_t)addr, n);
}

void hal_eeprom_write(uint16_t addr, const void *src, uint16_t n)
{
    eeprom_update_block(src, (void *)(uintptr_t)addr, n);
}

const uint8_t *hal_cfg_region(size_t *max)
{
    /* Read the address from the info block, so the block is referenced (kept by --gc-sections)
     * and the firmware uses the very address `kestrel build` patched against. */
    if (max) *max = (size_t)pgm_read_word(&hal_avr_fwinfo.config_max_lo);
    return (const uint8_t *)(uintptr_t)pgm_read_word(&hal_avr_fwinfo.config_addr_lo);
}

/* The USB parts of the AVR family carry a 10-byte serial number in the signature row at 0x0E. */
const char *hal_serial(void)
{
    static char serial[21]; /* called once, at start */
    for (uint8_t i = 0; i < 20; i++) {
        uint8_t b = boot_signature_byte_get(0x0E + i / 2);
        uint8_t d = i & 1 ? b & 15 : b >> 4;
        serial[i] = (char)(d < 10 ? '0' + d : 'A' - 10 + d);
    }
    return serial;
}

void hal_uptime_mark(uint32_t ms)
{
    (void)ms; /* no double-tap detection: every 32U4 bootloader has its own way in */
}

void hal_probe(unsigned which)
{
    GPIOR0 = (uint8_t)which;
}
