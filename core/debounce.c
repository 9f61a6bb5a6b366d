/* QMK's debounce algorithms over a position bitmap, with per-key (or per-row) countdowns in ms that
 * each scan decreases by the time since the previous scan, as QMK's do. Positions, counters and
 * loops are 8-bit (npos <= 255): the ATmega32U4 runs this on every scan. */
#include "core/debounce.h"
#include "core/regbase.h"

#include <string.h>

/* 1 << (p & 7). The AVR has no barrel shifter: there an 8-bit loop is smaller than the 16-bit
 * shift loop the compiler writes at every use; on Arm and the host one shift is cheaper than the
 * loop (the loop made an RP2040 key press 70 us later in make rp2040-bench). */
static uint8_t mask(uint8_t p)
{
#if defined(__AVR__)
    uint8_t m = 1;
    for (p &= 7u; p; p--) m = (uint8_t)(m << 1);
    return m;
#else
    return (uint8_t)(1u << (p & 7u));
#endif
}
static bool bit(const uint8_t *m, uint8_t p) { return (m[p >> 3] & mask(p)) != 0; }
static void put(uint8_t *m, uint8_t p, bool v)
{
    uint8_t k = mask(p);
    m[p >> 3] = (uint8_t)(v ? m[p >> 3] | k : m[p >> 3] & ~k);
}

void debounce_init(debounce_t *d, uint8_t type, uint8_t ms, uint8_t rows, uint8_t cols)
{
    d = REG_BASE(d); /* core/regbase.h: measured smaller on the ATmega32U4 */
    memset(d, 0, sizeof *d);
    d->type = type <= CFG_DEBOUNCE_SYM_EAGER_PK ? type : CFG_DEBOUNCE_ASYM_EAGER_DEFER_PK;
    /* No debounce is the eager machine with no lock over one unit, the whole matrix (below): each
     * change is committed on its scan, in one walk (per key, the walk of every key made the
     * ATmega32U4 a scan later on a roll). */
    if (!ms) d->type = CFG_DEBOUNCE_SYM_EAGER_PK;
    d->ms = ms > 254 ? 254 : ms;
    unsigned n = (unsigned)rows * cols;
    if (n > DEBOUNCE_MAX_POS) {
        n = DEBOUNCE_MAX_POS;
        if (cols > n) cols = (uint8_t)n;
        rows = (uint8_t)(n / (cols ? cols : 1));
        n = (unsigned)rows * cols;
    }
    d->rows = rows;
    d->cols = cols;
    d->npos = (uint8_t)n;
    /* sym_defer_g is the per-row machine with one row: the whole matrix (see per_unit) */
    bool global = d->type == CFG_DEBOUNCE_SYM_DEFER_G || !d->ms;
    bool per_row = d->type == CFG_DEBOUNCE_SYM_DEFER_PR || d->type == CFG_DEBOUNCE_SYM_EAGER_PR;
    d->nunits = global ? 1 : per_row ? rows : d->npos;
    d->width = global ? d->npos : per_row ? cols : 1;
}

bool debounce_is_pressed(const debounce_t *d, uint8_t pos)
{
    return pos < d->npos && bit(d->cooked, pos);
}

/* Where a scan's committed changes go. Units are walked in position order, and so are the keys of
 * a unit: each change is reported as it is committed, already in position order. */
typedef struct scan_out {
    debounce_emit_fn emit;
    void *ctx;
    ktime_t now;
    unsigned n;
} scan_out_t;

/* Commit the raw state of one unit (a key or a row) to cooked, reporting each change; or (check)
 * only say whether it differs. */
static bool unit_sync(debounce_t *d, const uint8_t *raw, uint8_t u, scan_out_t *out)
{
    uint8_t p = (uint8_t)(u * d->width);
    for (uint8_t n = d->width; n; n--, p++) {
        bool v = bit(raw, p);
        if (v == bit(d->cooked, p)) continue;
        if (!out) return true;
        put(d->cooked, p, v);
        out->n++;
        if (out->emit) out->emit(out->ctx, p, v, out->now);
    }
    return false;
}

/* The per-key and per-row algorithms are one: a unit whose raw state differs from its cooked state
 * starts a timer, which is either a lock (the change is committed at once and further changes are
 * ignored until it runs out: eager, and asym's press) or a wait (the change is committed when it
 * runs out, unless the unit went back before: defer, and asym's release). d->press says which one
 * runs. Each unit is independent, so one pass counts its timer down and then looks at it; a unit
 * is looked at only when the raw state changed or its timer ran out, as nothing else can make it
 * differ (at the end of every scan each unit without a timer is as its raw state).
 * sym_defer_g is one unit over the whole matrix whose wait starts again at every raw change (QMK:
 * any change restarts the global timer); a change back to the cooked state then starts none,
 * where QMK's timer would run out committing nothing: the same output. */
#if defined(__AVR__)
__attribute__((noinline)) /* LTO's copy into the firmware loop was larger */
#endif
static void per_unit(debounce_t *d, const uint8_t *raw, bool changed, uint8_t elapsed, scan_out_t *out)
{
    uint8_t type = d->type;
    bool eager = type == CFG_DEBOUNCE_SYM_EAGER_PK || type == CFG_DEBOUNCE_SYM_EAGER_PR;
    uint8_t least = 0xFFu; /* the shortest timer left (none: timers are <= 254 ms) */
    for (uint8_t u = 0; u < d->nunits; u++) {
        uint8_t left = d->left[u];
        if (changed && type == CFG_DEBOUNCE_SYM_DEFER_G) left = 0;
        bool lock = bit(d->press, u), look = changed;
        if (left) {
            if (left <= elapsed) {
                left = 0;
                look = true;
                if (!lock) unit_sync(d, raw, u, out);
            } else {
                left = (uint8_t)(left - elapsed);
            }
        }
        if (look) {
#if defined(__AVR__)
            bool differs = unit_sync(d, raw, u, NULL);
#else /* a key unit compared in place: this loop runs for every key on every changed scan */
            bool differs = d->width == 1 ? bit(raw, u) != bit(d->cooked, u) : unit_sync(d, raw, u, NULL);
#endif
            if (!left) {
                if (differs) {
                    lock = eager || (type == CFG_DEBOUNCE_ASYM_EAGER_DEFER_PK && bit(raw, u));
                    put(d->press, u, lock);
                    if (lock) unit_sync(d, raw, u, out);
                    left = d->ms;
                }
            } else if (!lock && !differs) {
                left = 0; /* went back before its time ran out */
            }
        }
        d->left[u] = left;
        if (left && left < least) least = left;
    }
    d->least = least;
    d->busy = least != 0xFFu;
}


unsigned debounce_scan(debounce_t *d, const uint8_t *raw_in, ktime_t now, debounce_emit_fn emit, void *ctx)
{
    d = REG_BASE(d); /* core/regbase.h: measured smaller on the ATmega32U4 */
    uint8_t raw[DEBOUNCE_BITMAP_BYTES];
    uint8_t nbytes = (uint8_t)((d->npos + 7u) / 8u);
    memset(raw, 0, sizeof raw);
    memcpy(raw, raw_in, nbytes);
    if (d->npos & 7u) raw[d->npos >> 3] &= (uint8_t)(mask(d->npos) - 1u);

    ktime_t elapsed = d->scanned ? (ktime_t)(now - d->last_scan) : 0;
    if (elapsed > 255u) elapsed = 255u;
    d->last_scan = now;
    d->scanned = 1;
    bool changed = memcmp(raw, d->raw, sizeof raw) != 0;
    memcpy(d->raw, raw, sizeof raw);

    scan_out_t out = {emit, ctx, now, 0};
    per_unit(d, raw, changed, (uint8_t)elapsed, &out);
    return out.n;
}

ktime_t debounce_next_deadline(const debounce_t *d)
{
    /* (no timer before the first scan) */
    return d->busy ? ktime_deadline((ktime_t)(d->last_scan + d->least)) : DEBOUNCE_NO_DEADLINE;
}
