/* GPIO by config pin byte (port << 3 | bit, B = 1 .. F = 5), i.e. QMK's pin names B0..F7. The
 * matrix scan calls these ~50 times per scan, so they avoid AVR's slow variable shifts. */
#include <avr/io.h>
#include <stdint.h>

#include "hal/atmega32u4/hal_avr.h"

/* Which bits exist per port B..F on the 32U4, and bit masks by bit number. */
static const uint8_t port_mask[5] = {0xFF, 0xC0, 0xFF, 0x44, 0xF3};
static const uint8_t bit_mask[8] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80};

/* The pin's bit mask, 0 for a pin the chip does not have. Inlined, with no address-taken locals:
 * -mcall-prologues would give every caller a costly frame. */
static inline __attribute__((always_inline)) uint8_t pin_mask(uint8_t pin)
{
    uint8_t port = (uint8_t)((pin >> 3) - 1u);
    if (port > 4) return 0;
    return port_mask[port] & bit_mask[pin & 7];
}

/* PINx of port B is data address 0x23; each port's PINx/DDRx/PORTx follow, 3 apart. */
static inline __attribute__((always_inline)) volatile uint8_t *pin_regs(uint8_t pin)
{
    return (volatile uint8_t *)(uintptr_t)(0x23u + (uint8_t)(((pin >> 3) - 1u) * 3u));
}

bool hal_pin_valid(uint8_t pin)
{
    return pin_mask(pin) != 0;
}

void hal_pin_input_pullup(uint8_t pin)
{
    uint8_t m = pin_mask(pin);
    if (!m) return;
    volatile uint8_t *r = pin_regs(pin);
    r[1] &= (uint8_t)~m;
    r[2] |= m;
}

void hal_pin_drive_low(uint8_t pin)
{
    uint8_t m = pin_mask(pin);
    if (!m) return;
    volatile uint8_t *r = pin_regs(pin);
    r[2] &= (uint8_t)~m; /* PORT 0 first: the line never drives high on its way to low */
    r[1] |= m;
}

void hal_pin_release(uint8_t pin)
{
    hal_pin_input_pullup(pin);
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
    uint8_t m = pin_mask(pin);
    return !m || (*pin_regs(pin) & m);
}

/* The matrix scan's read (fw/hal.h): every port read once, then each line looked up in that
 * snapshot with a running bit. The lines' ports and masks are worked out once per pin list (the
 * matrix passes the same one every time): a line then costs about 12 cycles, not a call. An
 * invalid pin, or a bit its port does not have, reads high (port slot 0). */
#define RD_MAX 32u
static const uint8_t *rd_pins;
static uint8_t rd_n, rd_port[RD_MAX], rd_mask[RD_MAX];

uint32_t hal_pins_read_low(const uint8_t *pins, uint8_t n)
{
    if (n > RD_MAX) n = RD_MAX;
    if (pins != rd_pins || n != rd_n) {
        for (uint8_t r = 0; r < n; r++) {
            uint8_t m = pin_mask(pins[r]);
            rd_port[r] = m ? (uint8_t)(pins[r] >> 3) : 0;
            rd_mask[r] = m ? m : 1;
        }
        rd_pins = pins;
        rd_n = n;
    }
    uint8_t snap[6];
    snap[0] = 0xFF;
    snap[1] = PINB;
    snap[2] = PINC;
    snap[3] = PIND;
    snap[4] = PINE;
    snap[5] = PINF;
    /* Eight lines to a byte: 8-bit work is what this CPU does in one cycle. */
    union {
        uint32_t w;
        uint8_t b[4];
    } low = {0};
    for (uint8_t r = 0, k = 0; r < n; k++) {
        uint8_t b = 0, bit = 1;
        for (uint8_t end = n - r > 8 ? (uint8_t)(r + 8) : n; r < end; r++, bit <<= 1)
            if (!(snap[rd_port[r]] & rd_mask[r])) b |= bit;
        low.b[k] = b;
    }
    return low.w;
}
