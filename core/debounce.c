/* QMK's debounce algorithms over a position bitmap, with per-key (or per-row) countdowns in ms that
 * each scan decreases by the time since the previous scan, as QMK's do. */
#include "core/debounce.h"

#include <string.h>

static inline bool bit(const uint8_t *m, unsigned p) { return (m[p >> 3] >> (p & 7u)) & 1u; }
static inline void put(uint8_t *m, unsigned p, bool v)
{
    if (v) m[p >> 3] |= (uint8_t)(1u << (p & 7u));
    else m[p >> 3] &= (uint8_t)~(1u << (p & 7u));
}

void debounce_init(debounce_t *d, uint8_t type, uint8_t ms, uint8_t rows, uint8_t cols)
{
    memset(d, 0, sizeof *d);
    d->type = type <= CFG_DEBOUNCE_SYM_EAGER_PK ? type : CFG_DEBOUNCE_ASYM_EAGER_DEFER_PK;
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
}

bool debounce_is_pressed(const debounce_t *d, uint8_t pos)
{
    return pos < d->npos && bit(d->cooked, pos);
}

static bool per_row(const debounce_t *d)
{
    return d->type == CFG_DEBOUNCE_SYM_DEFER_PR || d->type == CFG_DEBOUNCE_SYM_EAGER_PR;
}

/* How many timers there are: one per row or one per key. */
static unsigned units(const debounce_t *d) { return per_row(d) ? d->rows : d->npos; }

/* Copy the raw state of one unit into cooked. */
static void commit_unit(debounce_t *d, const uint8_t *raw, unsigned u)
{
    if (!per_row(d)) {
        put(d->cooked, u, bit(raw, u));
        return;
    }
    for (unsigned p = u * d->cols; p < (u + 1u) * d->cols; p++) put(d->cooked, p, bit(raw, p));
}

static bool unit_differs(const debounce_t *d, const uint8_t *raw, unsigned u)
{
    if (!per_row(d)) return bit(raw, u) != bit(d->cooked, u);
    for (unsigned p = u * d->cols; p < (u + 1u) * d->cols; p++)
        if (bit(raw, p) != bit(d->cooked, p)) return true;
    return false;
}

/* Count the timers down by `elapsed`; returns true if an eager lock ran out. Deferred timers that
 * run out commit their unit. */
static bool count_down(debounce_t *d, const uint8_t *raw, uint32_t elapsed)
{
    bool unlocked = false, busy = false;
    bool eager = d->type == CFG_DEBOUNCE_SYM_EAGER_PK || d->type == CFG_DEBOUNCE_SYM_EAGER_PR;
    for (unsigned u = 0; u < units(d); u++) {
        if (!d->left[u]) continue;
        if (d->left[u] <= elapsed) {
            d->left[u] = 0;
            if (eager || (d->type == CFG_DEBOUNCE_ASYM_EAGER_DEFER_PK && bit(d->press, u))) unlocked = true;
            else commit_unit(d, raw, u);
        } else {
            d->left[u] = (uint8_t)(d->left[u] - elapsed);
            busy = true;
        }
    }
    d->busy = busy;
    return unlocked;
}

static void algorithm(debounce_t *d, const uint8_t *raw, bool changed, uint32_t now, uint32_t elapsed)
{
    if (d->ms == 0) {
        memcpy(d->cooked, raw, DEBOUNCE_BITMAP_BYTES);
        return;
    }
    switch (d->type) {
    case CFG_DEBOUNCE_SYM_DEFER_G:
        if (changed) {
            d->global = 1;
            d->g_start = now;
        } else if (d->global && now - d->g_start >= d->ms) {
            memcpy(d->cooked, raw, DEBOUNCE_BITMAP_BYTES);
            d->global = 0;
        }
        return;
    case CFG_DEBOUNCE_SYM_DEFER_PK:
    case CFG_DEBOUNCE_SYM_DEFER_PR:
        count_down(d, raw, elapsed);
        if (!changed) return;
        for (unsigned u = 0; u < units(d); u++) {
            if (unit_differs(d, raw, u)) {
                if (!d->left[u]) d->left[u] = d->ms;
                d->busy = 1;
            } else {
                d->left[u] = 0; /* bounced back before the time ran out */
            }
        }
        return;
    case CFG_DEBOUNCE_SYM_EAGER_PK:
    case CFG_DEBOUNCE_SYM_EAGER_PR: {
        bool unlocked = count_down(d, raw, elapsed);
        if (!changed && !unlocked) return;
        for (unsigned u = 0; u < units(d); u++) {
            if (!d->left[u] && unit_differs(d, raw, u)) {
                commit_unit(d, raw, u);
                d->left[u] = d->ms;
                d->busy = 1;
            }
        }
        return;
    }
    default: { /* asym_eager_defer_pk */
        bool unlocked = count_down(d, raw, elapsed);
        if (!changed && !unlocked) return;
        for (unsigned p = 0; p < d->npos; p++) {
            if (bit(raw, p) != bit(d->cooked, p)) {
                if (!d->left[p]) {
                    bool down = bit(raw, p);
                    put(d->press, p, down);
                    d->left[p] = d->ms;
                    d->busy = 1;
                    if (down) put(d->cooked, p, true); /* press: at once */
                }
            } else if (d->left[p] && !bit(d->press, p)) {
                d->left[p] = 0; /* a release that bounced back is no release */
            }
        }
        return;
    }
    }
}

unsigned debounce_scan(debounce_t *d, const uint8_t *raw_in, uint32_t now, debounce_emit_fn emit, void *ctx)
{
    uint8_t raw[DEBOUNCE_BITMAP_BYTES], before[DEBOUNCE_BITMAP_BYTES];
    memset(raw, 0, sizeof raw);
    memcpy(raw, raw_in, (d->npos + 7u) / 8u);
    if (d->npos & 7u) raw[d->npos >> 3] &= (uint8_t)((1u << (d->npos & 7u)) - 1u);

    uint32_t elapsed = d->scanned ? now - d->last_scan : 0;
    if (elapsed > 255u) elapsed = 255u;
    d->last_scan = now;
    d->scanned = 1;
    bool changed = memcmp(raw, d->raw, sizeof raw) != 0;
    memcpy(d->raw, raw, sizeof raw);
    memcpy(before, d->cooked, sizeof before);

    algorithm(d, raw, changed, now, elapsed);

    unsigned n = 0;
    for (unsigned i = 0; i < (d->npos + 7u) / 8u; i++) {
        uint8_t diff = (uint8_t)(before[i] ^ d->cooked[i]);
        for (unsigned b = 0; diff; b++, diff >>= 1) {
            if (!(diff & 1u)) continue;
            unsigned p = i * 8u + b;
            n++;
            if (emit) emit(ctx, (uint8_t)p, bit(d->cooked, p), now);
        }
    }
    return n;
}

uint32_t debounce_next_deadline(const debounce_t *d)
{
    if (d->ms == 0 || !d->scanned) return DEBOUNCE_NO_DEADLINE;
    if (d->type == CFG_DEBOUNCE_SYM_DEFER_G)
        return d->global ? d->g_start + d->ms : DEBOUNCE_NO_DEADLINE;
    if (!d->busy) return DEBOUNCE_NO_DEADLINE;
    uint8_t least = 0;
    for (unsigned u = 0; u < units(d); u++)
        if (d->left[u] && (!least || d->left[u] < least)) least = d->left[u];
    return least ? d->last_scan + least : DEBOUNCE_NO_DEADLINE;
}
