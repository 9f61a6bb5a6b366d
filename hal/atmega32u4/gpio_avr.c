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

void hal_pin_input(uint8_t pin)
{
    if (!hal_pin_valid(pin)) return;
    volatile uint8_t *r = reg_pin(pin);
    uint8_t b = (uint8_t)(1u << (pin & 7));
    r[1] &= (uint8_t)~b;
    r[2] &= (uint8_t)~b;
}

void hal_pin_write(uint8_t pin, bool high)
{
    if (!hal_pin_valid(pin)) return;
    volatile uint8_t *r = reg_pin(pin);
    uint8_t b = (uint8_t)(1u << (pin & 7));
    if (high)
        r[2] |= b;
    else
        r[2] &= (uint8_t)~b;
}

void hal_pin_output(uint8_t pin, bool high)
{
    if (!hal_pin_valid(pin)) return;
    hal_pin_write(pin, high);
    reg_pin(pin)[1] |= (uint8_t)(1u << (pin & 7));
}

bool hal_pin_read(uint8_t pin)
{
    if (!hal_pin_valid(pin)) return true;
    return (*reg_pin(pin) >> (pin & 7)) & 1;
}
