/* fw/hal.h on the RP2040 and RP2350: pins, time, sleep — the same code for both chips, the
 * differences (addresses, SIO offsets, pad isolation) coming from hal/rp2/chip.h. Matrix pins are
 * pull-up inputs and "driven" means SIO output-enable with OUT = 0: active-low scanning, never a
 * pull-down (on the RP2350 a pull-down with input enabled can latch high, erratum RP2350-E9). */
#include <stdint.h>

#include "fw/fw_drive.h"
#include "fw/hal.h"
#include "hal/rp2/hal_rp2.h"
#include "hal/rp2/regs.h"

volatile uint8_t rp2_wake_flag;

void rp2_hal_start(void)
{
    mmio_wr(RP2_TIMER_BASE + RP2_TIMER_INTE, 1u); /* alarm 0 wakes the CPU */
    rp2_irq_enable(RP2_IRQ_TIMER0);
    rp2_irq_enable(RP2_IRQ_IO_BANK0);
#ifndef RP2_MMIO_HOST
    __asm__ volatile("cpsie i" ::: "memory");
#endif
}

/* ---- time, sleep --------------------------------------------------------------------------- */

uint32_t hal_micros(void)
{
    return mmio_rd(RP2_TIMER_TIMERAWL);
}

void rp2_isr_timer0(void)
{
    /* No wake flag: alarm 0 only ends a sleep or a delay that armed it, and its pending
     * interrupt already ends the WFI there. */
    mmio_wr(RP2_TIMER_BASE + RP2_TIMER_INTR, 1u);
}

void rp2_isr_io(void)
{
    /* Level interrupts: disarm every pin, the main loop rescans and re-arms when idle again. */
    for (unsigned i = 0; i < (RP2_NUM_GPIO + 7u) / 8u; i++)
        mmio_wr(RP2_IO_BANK0_BASE + RP2_IO_PROC0_INTE0 + 4u * i, 0);
    rp2_wake_flag = 1;
}

/* Arms alarm 0 for `at`; false if that time has already come (the alarm compares for equality
 * only, so a target in the past would not fire until the counter wraps). */
static bool alarm_arm(uint32_t at)
{
    mmio_wr(RP2_TIMER_ALARM(0), at);
    if ((int32_t)(at - hal_micros()) <= 0) {
        mmio_wr(RP2_TIMER_ARMED, 1u); /* disarm */
        return false;
    }
    return true;
}

#ifdef RP2_MMIO_HOST
#define RP2_IRQ_OFF() ((void)0)
#define RP2_IRQ_ON() ((void)0)
#define RP2_WFI() ((void)0)
#else
#define RP2_IRQ_OFF() __asm__ volatile("cpsid i" ::: "memory")
#define RP2_IRQ_ON() __asm__ volatile("cpsie i" ::: "memory")
#define RP2_WFI() __asm__ volatile("wfi" ::: "memory")
#endif

void hal_sleep_until(uint32_t wake_us, bool timed)
{
    RP2_IRQ_OFF();
    if (!timed || alarm_arm(wake_us)) {
        if (!rp2_wake_flag) RP2_WFI();
    }
    rp2_wake_flag = 0;
    RP2_IRQ_ON();
}

void hal_delay_us(uint16_t us)
{
    uint32_t until = hal_micros() + us;
    if (us < 8u) {
        while ((int32_t)(until - hal_micros()) > 0) {
        }
        return;
    }
    /* Longer waits sleep on the alarm (other interrupts may wake us early: loop). */
    for (;;) {
        RP2_IRQ_OFF();
        bool armed = alarm_arm(until);
        if (armed) RP2_WFI();
        RP2_IRQ_ON();
        if (!armed) break;
    }
}

/* ---- GPIO ----------------------------------------------------------------------------------- */

bool hal_pin_valid(uint8_t pin)
{
    return pin < RP2_NUM_GPIO;
}

void hal_pin_input_pullup(uint8_t pin)
{
    if (!hal_pin_valid(pin)) return;
    uint32_t bit = 1u << pin;
    mmio_wr(RP2_SIO_BASE + RP2_SIO_GPIO_OE_CLR, bit);
    mmio_wr(RP2_SIO_BASE + RP2_SIO_GPIO_OUT_CLR, bit); /* driving only ever means driving low */
    /* The pad is written in full (the RP2350 and the emulator reset IE to 0), still isolated on
     * the RP2350; then the function; isolation goes last, so the pad never reaches the SIO
     * half-configured (the datasheet's order). The RP2040 has no ISO bit (RP2_PAD_ISO = 0). */
    mmio_wr(RP2_PAD(pin), RP2_PAD_IE | RP2_PAD_PUE | RP2_PAD_SCHMITT | RP2_PAD_DRIVE_4MA | RP2_PAD_ISO);
    mmio_wr(RP2_GPIO_CTRL(pin), RP2_FUNC_SIO);
    if (RP2_PAD_ISO) mmio_clr(RP2_PAD(pin), RP2_PAD_ISO);
}

void hal_pin_drive_low(uint8_t pin)
{
    if (hal_pin_valid(pin)) mmio_wr(RP2_SIO_BASE + RP2_SIO_GPIO_OE_SET, 1u << pin);
}

void hal_pin_release(uint8_t pin)
{
    if (hal_pin_valid(pin)) mmio_wr(RP2_SIO_BASE + RP2_SIO_GPIO_OE_CLR, 1u << pin);
}

bool hal_pin_read(uint8_t pin)
{
    if (!hal_pin_valid(pin)) return true;
    return (mmio_rd(RP2_SIO_BASE + RP2_SIO_GPIO_IN) >> pin) & 1u;
}

bool hal_pins_word(void)
{
    return true;
}

uint32_t hal_pins_read_word(void)
{
    return mmio_rd(RP2_SIO_BASE + RP2_SIO_GPIO_IN);
}

void hal_pin_settle(void)
{
    /* 40-50 ns: the input synchroniser needs two cycles after the select line moves. */
    __asm__ volatile("nop\n nop\n nop\n nop\n nop\n nop" ::: "memory");
}

void hal_pin_wake_low(uint8_t pin, bool on)
{
    if (!hal_pin_valid(pin)) return;
    uint32_t reg = RP2_IO_BANK0_BASE + RP2_IO_PROC0_INTE0 + 4u * (pin >> 3);
    uint32_t bit = 1u << (4u * (pin & 7u)); /* LEVEL_LOW */
    if (on)
        mmio_set(reg, bit);
    else
        mmio_clr(reg, bit);
}

/* ---- double-tap reset ---------------------------------------------------------------------- */

#define RP2_DOUBLE_TAP_MAGIC 0x7A9C21D5u
#define RP2_DOUBLE_TAP_WINDOW_MS 500u
__attribute__((section(".noinit"))) static volatile uint32_t rp2_double_tap[2];

/* SRAM survives a RUN-pin reset, so a marker written at boot and cleared once the window has
 * passed tells a second reset inside the window from a first one. The complement word guards
 * against power-up garbage that happens to equal the magic. */
void rp2_double_tap_check(uint32_t watchdog_reason, void (*enter_bootsel)(void))
{
    bool tapped = rp2_double_tap[0] == RP2_DOUBLE_TAP_MAGIC && rp2_double_tap[1] == ~RP2_DOUBLE_TAP_MAGIC &&
                  watchdog_reason == 0;
    if (tapped) {
        rp2_double_tap[0] = 0;
        enter_bootsel();
    }
    rp2_double_tap[0] = RP2_DOUBLE_TAP_MAGIC;
    rp2_double_tap[1] = ~RP2_DOUBLE_TAP_MAGIC;
}

void hal_uptime_mark(uint32_t ms)
{
    if (ms >= RP2_DOUBLE_TAP_WINDOW_MS && rp2_double_tap[0]) rp2_double_tap[0] = 0;
}

void rp2_serial_hex(char out[17], const uint8_t id[8])
{
    static const char hex[] = "0123456789ABCDEF";
    for (unsigned i = 0; i < 8; i++) {
        out[2 * i] = hex[id[i] >> 4];
        out[2 * i + 1] = hex[id[i] & 15u];
    }
    out[16] = 0;
}

#if KESTREL_DRIVE
/* newlib's snprintf (config/'s messages in the drive's loader) links malloc for formats that grow
 * their buffer, which the firmware never uses: there is no heap on either chip, and an allocation
 * fails instead of corrupting RAM. */
void *_sbrk(int incr);
void *_sbrk(int incr)
{
    (void)incr;
    return (void *)-1;
}
#endif
