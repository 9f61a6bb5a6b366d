/* GPIO by config pin byte (port << 3 | bit, B = 1 .. F = 5), i.e. QMK's pin names B0..F7. The
 * matrix scan calls these ~50 times per scan, so they avoid AVR's slow variable shifts. */
#include <avr/io.h>
#include <stdint.h>

#include "hal/atmega32u4/hal_avr.h"

/* Which bits exist per port B..F on the 32U4, and bit masks by bit number. */
static const uint8_t port_mask[5] = {0xFF, 0xC0, 0xFF, 0x44, 0xF3};
static const uint8_t bit_mask[8] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80};

/* A pin byte decoded once, by one out-of-line routine that every pin call shares: the low byte
 * is the pin's bit mask (0 for a pin the chip does not have), the high byte the data address of
 * its port's PINx, with DDRx and PORTx after it (port B's PINx is 0x23; each port 3 further).
 * Returned in registers, not through a pointer: with -mcall-prologues an address-taken local
 * gives the caller a frame. */
static __attribute__((noinline)) uint16_t pin_decode(uint8_t pin)
{
    uint8_t port = (uint8_t)((pin >> 3) - 1u);
    if (port > 4) return 0;
    uint8_t m = port_mask[port] & bit_mask[pin & 7];
    return (uint16_t)((0x23u + port * 3u) << 8 | m);
}

#define PIN_REGS(d) ((volatile uint8_t *)(uintptr_t)((d) >> 8))

bool hal_pin_valid(uint8_t pin)
{
    return (uint8_t)pin_decode(pin) != 0;
}

/* Input with pull-up (released), or driven low. PORT goes to 0 before DDR to 1, so a line being
 * driven never drives high on its way to low. */
static void pin_set(uint8_t pin, bool low)
{
    uint16_t d = pin_decode(pin);
    uint8_t m = (uint8_t)d;
    if (!m) return;
    volatile uint8_t *r = PIN_REGS(d);
    if (low) {
        r[2] &= (uint8_t)~m;
        r[1] |= m;
    } else {
        r[1] &= (uint8_t)~m;
        r[2] |= m;
    }
}

void hal_pin_input_pullup(uint8_t pin)
{
    pin_set(pin, false);
}

void hal_pin_drive_low(uint8_t pin)
{
    pin_set(pin, true);
}

void hal_pin_release(uint8_t pin)
{
    pin_set(pin, false);
}

/* No pin wakes this chip (HAL_PIN_WAKE is 0 in fw/hal.h), so fw/matrix.c never arms one. */
void hal_pin_wake_low(uint8_t pin, bool on)
{
    (void)pin;
    (void)on;
}

void hal_pin_settle(void)
{
    /* PINx passes through a two-stage synchroniser; 1 us also lets the line's capacitance
     * discharge through the key and diode. */
    __builtin_avr_delay_cycles(F_CPU / 1000000UL);
}

bool hal_pin_read(uint8_t pin)
{
    uint16_t d = pin_decode(pin);
    uint8_t m = (uint8_t)d;
    return !m || (*PIN_REGS(d) & m);
}

/* The matrix scan's read (fw/hal.h): each line's PINx address and mask are worked out once, when
 * the matrix names its read lines (hal_pins_prepare); a line then costs a few cycles, not a call.
 * An invalid pin has mask 0, which reads as high (a released key). */
#define RD_MAX 32u
static uint8_t rd_reg[RD_MAX], rd_mask[RD_MAX];

void hal_pins_prepare(const uint8_t *pins, uint8_t n)
{
    if (n > RD_MAX) n = RD_MAX;
    for (uint8_t r = 0; r < n; r++) {
        uint16_t d = pin_decode(pins[r]);
        rd_reg[r] = (uint8_t)(d >> 8);
        rd_mask[r] = (uint8_t)d;
    }
}

uint32_t hal_pins_read_low(const uint8_t *pins, uint8_t n)
{
    (void)pins;
    if (n > RD_MAX) n = RD_MAX;
    uint32_t low = 0, bit = 1;
    for (uint8_t r = 0; r < n; r++, bit <<= 1) {
        uint8_t m = rd_mask[r];
        if ((*(volatile uint8_t *)(uintptr_t)rd_reg[r] & m) != m) low |= bit;
    }
    return low;
}
