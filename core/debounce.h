/* Debounce: raw matrix scans in, debounced ("cooked") key changes out, with QMK's six algorithms
 * (SPEC §7; names as in build.debounce_type) and `debounce` 0 = none. Time is a parameter; the
 * module says when it next needs a scan even if nothing changes (debounce_next_deadline).
 *
 *   sym_defer_g          one timer for the whole matrix: every raw change restarts it; once it
 *                        runs out, all differences are committed together
 *   sym_defer_pr         the same per row
 *   sym_defer_pk         per key: a key whose raw state differs from its cooked state for
 *                        `debounce` ms (without going back) is committed
 *   sym_eager_pr         per row: the first change is committed at once, then the row ignores
 *                        changes for `debounce` ms
 *   sym_eager_pk         the same per key
 *   asym_eager_defer_pk  per key: a press is committed at once (then ignored for `debounce` ms);
 *                        a release only after `debounce` ms without bouncing back (the default)
 *
 * Positions are row * cols + col (the config's matrix positions); changes come out in that order.
 * RAM: 3 bitmaps + one byte per position, DEBOUNCE_MAX_POS positions (a firmware may define it
 * smaller for its matrix). `debounce` is at most 254 ms. */
#ifndef KESTREL_CORE_DEBOUNCE_H
#define KESTREL_CORE_DEBOUNCE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cfg.h"
#include "core/ktime.h"

#ifndef DEBOUNCE_MAX_POS
#define DEBOUNCE_MAX_POS CFG_MAX_POSITIONS
#endif
#define DEBOUNCE_BITMAP_BYTES ((DEBOUNCE_MAX_POS + 7u) / 8u)
#define DEBOUNCE_NO_DEADLINE KTIME_NONE

typedef struct debounce {
    uint8_t type;        /* CFG_DEBOUNCE_* */
    uint8_t ms;          /* 0 = none */
    uint8_t rows, cols;
    uint8_t npos;
    uint8_t busy;        /* some timer runs */
    uint8_t least;       /* the shortest one, in ms after last_scan */
    uint8_t scanned;     /* a scan has happened (last_scan is valid) */
    uint8_t nunits;      /* timers: one per row (rows), per key (npos), or one (sym_defer_g) */
    uint8_t width;       /* keys per timer: cols, 1, or npos */
    ktime_t last_scan;   /* time of the previous scan */
    uint8_t raw[DEBOUNCE_BITMAP_BYTES];    /* previous raw scan */
    uint8_t cooked[DEBOUNCE_BITMAP_BYTES];
    uint8_t press[DEBOUNCE_BITMAP_BYTES];  /* asym: the running timer is a press lock */
    uint8_t left[DEBOUNCE_MAX_POS];        /* per key (or per row) ms left, 0 = no timer */
} debounce_t;

/* Called once per committed change, in position order. */
typedef void (*debounce_emit_fn)(void *ctx, uint8_t pos, bool pressed, ktime_t now);

/* type is a CFG_DEBOUNCE_* value; unknown types act as the default. rows*cols <= DEBOUNCE_MAX_POS
 * (larger matrices are clipped). Everything starts released. */
void debounce_init(debounce_t *d, uint8_t type, uint8_t ms, uint8_t rows, uint8_t cols);

/* One scan: `raw` is a bitmap (bit pos&7 of byte pos>>3) of the keys seen closed at time `now`.
 * Commits what the algorithm allows and reports each change. Returns how many changes. */
unsigned debounce_scan(debounce_t *d, const uint8_t *raw, ktime_t now, debounce_emit_fn emit, void *ctx);

/* When a scan is needed even if the raw state stays the same (a timer runs out), or
 * DEBOUNCE_NO_DEADLINE. */
ktime_t debounce_next_deadline(const debounce_t *d);

bool debounce_is_pressed(const debounce_t *d, uint8_t pos); /* the cooked state */

#endif
