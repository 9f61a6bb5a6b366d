/* GPIO by config pin byte (port << 3 | bit, B = 1 .. F = 5), i.e. QMK's pin names B0..F7. */
#include <avr/io.h>
#include <stdint.h>

#include "hal/atmega32u4/hal_avr.h"

/* Which bits exist per port B..F on the 32U4. */
static const uint8_t port_mask[5] = {0xFF, 0xC0, 0xFF, 0x44, 0xF3};

bool hal_pin_valid(uint8_t pin)
{
    uint8_t port = pin >> 3;
    return port >= 1 && port <= 5 && (port_mask[port - 1] & (1u << (pin & 7)));
}

/* PINx of port B is data address 0x23, and each port's PINx/DDRx/PORTx follow 3 apart. */
static volatile uint8_t *reg_pin(uint8_t pin)
{
    return (volatile uint8_t *)(uintptr_t)(0x23 + 3 * ((pin >> 3) - 1));
}

void hal_pin_input_pullup(uint8_t pin)
{
    if (!hal_pin_valid(pin)) return;
    volatile uint8_t *r = reg_pin(pin);
    uint8_t b = (uint8_t)(1u << (pin & 7));
    r[1] &= (uint8_t)~b;
    r[2] |= b;
}

void hal_pin_drive_low(uint8_t pin)
{
    if (!hal_pin_valid(pin)) return;
    volatile uint8_t *r = reg_pin(pin);
    uint8_t b = (uint8_t)(1u << (pin & 7));
    r[2] &= (uint8_t)~b; /* PORT 0 first: the line never drives high on its way to low */
    r[1] |= b;
}

void hal_pin_release(uint8_t pin)
{
    hal_pin_input_pullup(pin);
}

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
    if (!hal_pin_valid(pin)) return true;
    return (*reg_pin(pin) >> (pin & 7)) & 1;
}
