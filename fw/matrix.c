/* Matrix scanning. A COL2ROW matrix (diodes from column to row) is scanned by pulling one row low
 * at a time and reading the columns; ROW2COL the other way round. Unselected lines are inputs
 * with pull-ups, which the diodes keep from ghosting. io_delay is QMK's settling wait after a
 * line is released, before the next one is selected. */
#include <string.h>

#include "fw/hal.h"
#include "fw/matrix.h"

void matrix_init(matrix_t *m, const cfg_t *cfg)
{
    memset(m, 0, sizeof *m);
    m->kind = cfg_info8(cfg, CFG_INFO_MATRIX_KIND);
    m->diode = cfg_info8(cfg, CFG_INFO_DIODE);
    m->rows = cfg->rows;
    m->cols = cfg->cols;
    m->io_delay_us = cfg_info16(cfg, CFG_INFO_IO_DELAY);
    if (m->kind == CFG_MATRIX_DIRECT) {
        m->cfg = cfg;
        for (uint_fast8_t i = 0; i < cfg->npos; i++) hal_pin_input_pullup(cfg_pin(cfg, i));
        return;
    }
    bool col2row = m->diode == CFG_COL2ROW;
    m->nsel = col2row ? m->rows : m->cols;
    m->nread = col2row ? m->cols : m->rows;
    /* The image lists the row pins, then the column pins; every line starts as an input. */
    uint8_t *row = col2row ? m->sel : m->read, *col = col2row ? m->read : m->sel;
    for (uint8_t i = 0; i < m->rows + m->cols; i++) {
        uint8_t pin = cfg_pin(cfg, i);
        hal_pin_input_pullup(pin);
        if (i < m->rows) row[i] = pin;
        else col[i - m->rows] = pin;
    }
    hal_pins_prepare(m->read, m->nread);
    m->word = HAL_PINS_WORD && hal_pins_word();
    if (m->word) {
        /* Read lines as bit numbers of the pin word; a missing pin reads bit 31, kept high. */
        m->contig = m->nread > 0;
        for (unsigned i = 0; i < m->nread; i++) {
            if (!hal_pin_valid(m->read[i]) || m->read[i] > 30u) m->read[i] = 31;
            if (m->read[i] != m->read[0] + i || m->read[i] == 31) m->contig = false;
        }
    }
}

__attribute__((weak)) void hal_pins_prepare(const uint8_t *pins, uint8_t n)
{
    (void)pins;
    (void)n;
}

/* Without a pin word: nothing is available (a hal may define both). */
__attribute__((weak)) bool hal_pins_word(void)
{
    return false;
}

__attribute__((weak)) uint32_t hal_pins_read_word(void)
{
    return 0;
}

/* Without a faster way from the hal: one pin at a time. The bit is a running mask, not `1 << r`:
 * a variable 32-bit shift is a loop on an 8-bit CPU. */
__attribute__((weak)) uint32_t hal_pins_read_low(const uint8_t *pins, uint8_t n)
{
    uint32_t bits = 0, bit = 1;
    for (uint8_t r = 0; r < n; r++, bit <<= 1)
        if (!hal_pin_read(pins[r])) bits |= bit;
    return bits;
}

/* One bit per read line (1 = key down) while a select line is driven. This and the loop around
 * it are most of a scan's cycles. */
static inline uint32_t read_lines(const matrix_t *m)
{
    uint32_t bits = 0;
    if (HAL_PINS_WORD && m->word) {
        uint32_t low = ~(hal_pins_read_word() | 0x80000000u);
        if (m->contig) {
            uint32_t mask = m->nread >= 32u ? ~0u : ((uint32_t)1u << m->nread) - 1u;
            return (low >> m->read[0]) & mask;
        }
        for (unsigned r = 0; r < m->nread; r++) bits |= ((low >> m->read[r]) & 1u) << r;
        return bits;
    }
    return hal_pins_read_low(m->read, m->nread);
}

#if HAL_PINS_WORD
static inline void set_bit(uint32_t *w, unsigned pos)
{
    w[pos >> 5] |= (uint32_t)1u << (pos & 31u);
}
#else
/* A chip without a pin word is an 8-bit one here (the ATmega32U4): the bitmap by bytes (the words
 * are little-endian), as a variable 32-bit shift is a loop of 32-bit shifts there; one copy, as
 * it runs only for a key that is down. */
static __attribute__((noinline)) void set_bit(uint32_t *w, uint8_t pos)
{
    ((uint8_t *)w)[pos >> 3] |= (uint8_t)(1u << (pos & 7u));
}
#endif

bool matrix_scan(matrix_t *m, uint32_t now[MATRIX_WORDS])
{
    memset(now, 0, MATRIX_WORDS * sizeof now[0]);
    if (m->kind == CFG_MATRIX_DIRECT) {
        for (uint_fast8_t p = 0; p < m->cfg->npos; p++)
            if (!hal_pin_read(cfg_pin(m->cfg, p))) set_bit(now, p);
    } else {
        bool col2row = m->diode == CFG_COL2ROW;
        /* positions are below 256 (CFG_MAX_POSITIONS) */
        uint_fast8_t base = 0; /* COL2ROW: position of this select line's first key */
        for (uint_fast8_t s = 0; s < m->nsel; s++, base += m->cols) {
            uint8_t pin = m->sel[s];
            if (!hal_pin_valid(pin)) continue;
            hal_pin_drive_low(pin);
            hal_pin_settle();
            uint32_t bits = read_lines(m);
            hal_pin_release(pin);
            if (!bits) continue;
#if HAL_PINS_WORD
            if (col2row) { /* this line's keys are consecutive positions */
                unsigned w = base >> 5, sh = base & 31u;
                now[w] |= bits << sh;
                if (sh && sh + m->nread > 32u) now[w + 1] |= bits >> (32u - sh);
            } else {
                for (uint32_t b = bits; b; b &= b - 1u)
                    set_bit(now, (unsigned)__builtin_ctz(b) * m->cols + s);
            }
#else
            /* read line r is position base + r (COL2ROW) or r * cols + s (ROW2COL) */
            uint_fast8_t step = col2row ? 1u : m->cols;
            for (uint_fast8_t p = col2row ? base : s; bits; bits >>= 1, p += step)
                if (bits & 1u) set_bit(now, p);
#endif
            /* Only a line that a closed key pulled low needs time to come back up through its
             * pull-up; with no key down on this select line nothing moved. */
            if (m->io_delay_us && s + 1u < m->nsel) {
                hal_probe(5);
                hal_delay_us(m->io_delay_us);
                hal_probe(6);
            }
        }
    }
#if HAL_PINS_WORD
    for (uint_fast8_t i = 0; i < MATRIX_WORDS; i++)
        if (now[i] != m->state[i]) return true;
    return false;
#else
    /* An 8-bit CPU: by bytes (one call), no 32-bit tests. A 32-bit one keeps its word loop, a
     * quarter of the steps on every scan. */
    return memcmp(now, m->state, sizeof m->state) != 0;
#endif
}

bool matrix_any_down(const matrix_t *m)
{
#if HAL_PINS_WORD
    for (uint_fast8_t i = 0; i < MATRIX_WORDS; i++)
        if (m->state[i]) return true;
#else
    /* By bytes: the same answer, and no 32-bit test on an 8-bit CPU. */
    const uint8_t *b = (const uint8_t *)m->state;
    for (uint_fast8_t i = 0; i < sizeof m->state; i++)
        if (b[i]) return true;
#endif
    return false;
}

void matrix_arm_wake(matrix_t *m)
{
    if (!HAL_PIN_WAKE) return;
    if (m->kind == CFG_MATRIX_DIRECT) {
        for (unsigned p = 0; p < (unsigned)m->rows * m->cols; p++) hal_pin_wake_low(cfg_pin(m->cfg, p), true);
        return;
    }
    for (unsigned s = 0; s < m->nsel; s++)
        if (hal_pin_valid(m->sel[s])) hal_pin_drive_low(m->sel[s]);
    for (unsigned r = 0; r < m->nread; r++) hal_pin_wake_low(m->read[r], true);
}

void matrix_disarm_wake(matrix_t *m)
{
    if (!HAL_PIN_WAKE) return;
    if (m->kind == CFG_MATRIX_DIRECT) {
        for (unsigned p = 0; p < (unsigned)m->rows * m->cols; p++) hal_pin_wake_low(cfg_pin(m->cfg, p), false);
        return;
    }
    bool any = false;
    for (unsigned r = 0; r < m->nread; r++) {
        hal_pin_wake_low(m->read[r], false);
        if (hal_pin_valid(m->read[r]) && !hal_pin_read(m->read[r])) any = true;
    }
    for (unsigned s = 0; s < m->nsel; s++)
        if (hal_pin_valid(m->sel[s])) hal_pin_release(m->sel[s]);
    /* A read line held low by a key needs the same settling time as after any select line. */
    if (any && m->io_delay_us) hal_delay_us(m->io_delay_us);
}
