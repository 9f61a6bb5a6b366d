/* The key matrix of a config image: COL2ROW / ROW2COL diode matrices and direct pins, scanned
 * into one bit per matrix position (position = row * cols + col). */
#ifndef KESTREL_FW_MATRIX_H
#define KESTREL_FW_MATRIX_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cfg.h"

#define MATRIX_WORDS ((CFG_MAX_POSITIONS + 32u) / 32u)

typedef struct matrix {
    uint8_t kind, diode, rows, cols;
    uint8_t nsel, nread;          /* select lines (driven) and read lines, by diode direction */
    uint8_t sel[CFG_MAX_ROWS > CFG_MAX_COLS ? CFG_MAX_ROWS : CFG_MAX_COLS];
    uint8_t read[CFG_MAX_ROWS > CFG_MAX_COLS ? CFG_MAX_ROWS : CFG_MAX_COLS];
    const cfg_t *cfg;             /* direct pins are read from the image, not copied: up to 255
                                     bytes a chip with 2.5 KB of RAM cannot spare */
    uint16_t io_delay_us;
    bool word;                    /* the hal reads all pins at once (hal_pins_word) */
    bool contig;                  /* ...and the read lines are consecutive pins from read[0] */
    uint32_t state[MATRIX_WORDS]; /* debounced-or-raw state as last scanned */
} matrix_t;

void matrix_init(matrix_t *m, const cfg_t *cfg);
/* Scans every line; `now` is the raw state. Returns true if anything differs from m->state. */
bool matrix_scan(matrix_t *m, uint32_t now[MATRIX_WORDS]);
bool matrix_any_down(const matrix_t *m);
/* Idle: drive every select line and arm every read line to wake the CPU on a press. */
void matrix_arm_wake(matrix_t *m);
void matrix_disarm_wake(matrix_t *m);

#endif
