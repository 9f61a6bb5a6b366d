/* The combo stage, first in the pipeline (QMK's order): presses of keys that can start or continue a
 * combo are held back until the combo completes (its result is pressed as a virtual key, npos + i,
 * which then goes through the tap-hold stage like any key) or cannot (the presses are replayed in
 * order, with their own times). Rules in docs/behaviours.md, "Combos". */
#include <string.h>

#include "core/engine_int.h"

#if ENGINE_HAS_COMBO

#define NONE 0xFFu

typedef __typeof__(((engine_t *)0)->cb_act[0]) combo_act_t; /* an active combo's slot */

/* The keycode a trace line names; not looked up where traces are compiled out (AVR). */
#ifdef ENGINE_NO_TRACE
#define TRACE_KC(e, pos) KC_NO
#else
#define TRACE_KC(e, pos) eng_keymap_lookup(e, pos)
#endif

/* The slot of `pos` among the keys of entry c, NONE when it is not one of them. */
static uint8_t key_slot(const uint8_t *c, uint8_t pos)
{
    uint8_t n = CFG_RD8(c + CFG_CB_NKEYS);
    for (uint8_t k = 0; k < n && k < CFG_COMBO_KEYS_MAX; k++)
        if (CFG_RD8(c + CFG_CB_KEYS + k) == pos) return k;
    return NONE;
}

/* Combo c's term; dflt is combo.term. */
static uint16_t term_of(const uint8_t *c, uint16_t dflt)
{
    uint16_t t = cfg_rd16(c + CFG_CB_TERM);
    return t ? t : dflt;
}

/* Combo c (of term `term`) against the held-back presses, `elapsed` ms after the first of them,
 * `idle` ms after the last key press before it: 0 it cannot complete, 1 it still can (it has keys
 * not pressed yet), 2 complete. Its layer filter is checked against the highest layer active at the first press.
 * No state is kept per combo, so the stage costs the same for 1 combo as for 32 (and little
 * flash). */
static uint8_t state_of(const engine_t *e, const uint8_t *c, uint16_t elapsed, uint16_t idle,
                        uint16_t term)
{
    uint8_t n = CFG_RD8(c + CFG_CB_NKEYS), top = e->cb_top;
    if (n < e->cb_n || !(CFG_RD8(c + CFG_CB_LAYERS + (top >> 3)) >> (top & 7u) & 1u)) return 0;
    for (uint8_t k = 0; k < e->cb_n; k++)
        if (key_slot(c, e->cb_pos[k]) == NONE) return 0;
    if (cfg_rd16(c + CFG_CB_IDLE) > idle || elapsed >= term) return 0;
    return n == e->cb_n ? 2 : 1;
}

static uint16_t clamp16(ktime_t ms)
{
#if ENGINE_TIME_BITS > 16
    return ms > 0xFFFFu ? 0xFFFFu : (uint16_t)ms;
#else
    return ms;
#endif
}

/* The attempt ends: the complete combo (if any) fires, then every other held-back press is replayed
 * as an ordinary key, in order and with its own time. */
static void resolve(engine_t *e)
{
    /* cb_pos and cb_dt stay as they are while they are replayed: only this stage writes them */
    uint8_t n = e->cb_n, done = e->cb_done, *pos = e->cb_pos, skip = 0;
    e->cb_n = 0;
    e->cb_done = NONE;
    if (done != NONE) {
        for (combo_act_t *a = e->cb_act; a < e->cb_act + ENGINE_COMBO_ACTIVE_MAX; a++) {
            if (a->idx != NONE) continue;
            /* A complete combo's keys are the first nkeys presses held back. */
            skip = CFG_RD8(cfg_combo(ENG_CFG(e), done) + CFG_CB_NKEYS);
            a->idx = done;
            a->keys = (uint8_t)((1u << skip) - 1u);
            uint8_t v = (uint8_t)(ENG_CFG(e)->npos + done);
            eng_trace(e, ENGINE_TRACE_COMBO_PRESS, pos[0], TRACE_KC(e, v), done, CFG_POS_NONE);
            eng_exec(e, v, true, e->cb_first);
            break;
        }
    }
    for (uint8_t k = skip; k < n; k++) {
        eng_trace(e, ENGINE_TRACE_COMBO_REPLAY, pos[k], TRACE_KC(e, pos[k]), 0, CFG_POS_NONE);
        eng_exec(e, pos[k], true, e->cb_first + e->cb_dt[k]);
    }
}

/* After the held-back presses or the time changed. A complete combo is remembered (the longest so
 * far, as each press adds a key); it fires once no longer combo can complete. False when no combo
 * holds every held-back press (then nothing changed). */
static bool update(engine_t *e, ktime_t now)
{
    uint8_t done = NONE;
    uint16_t wait = 0xFFFFu; /* the earliest term of a combo that can still complete */
    uint16_t elapsed = clamp16((ktime_t)(now - e->cb_first));
    uint16_t idle = e->idle_valid ? clamp16((ktime_t)(e->cb_first - e->idle_prev_time)) : 0xFFFFu;
    uint16_t dflt = eng_cfg(e, CFG_COMBO_TERM);
    const uint8_t *c = cfg_combo(ENG_CFG(e), 0);
    for (uint8_t i = 0; i < ENG_CFG(e)->count[CFG_SEC_COMBOS]; i++, c += CFG_CB_SIZE) {
        uint16_t term = term_of(c, dflt);
        uint8_t s = state_of(e, c, elapsed, idle, term);
        if (s == 2) done = i;
        if (s == 1 && term < wait) wait = term;
    }
    if (done == NONE && wait == 0xFFFFu) return false;
    if (done != NONE) e->cb_done = done;
    e->cb_deadline = e->cb_first + wait;
    if (wait == 0xFFFFu) resolve(e);
    return true;
}

/* Holds the press back when some combo still holds every held-back press with it. */
__attribute__((noinline)) /* one copy for its two callers */
static bool hold_back(engine_t *e, uint8_t pos, ktime_t t)
{
    if (e->cb_n >= CFG_COMBO_KEYS_MAX) return false;
    e->cb_pos[e->cb_n] = pos;
    e->cb_dt[e->cb_n] = (uint16_t)(t - e->cb_first);
    e->cb_n++;
    if (update(e, t)) return true;
    e->cb_n--;
    return false;
}

/* A release of a key that an active combo consumed: it releases the result when it is the first
 * key up (or the last, with slow release), and goes no further. */
static bool release_consumed(engine_t *e, uint8_t pos, ktime_t t)
{
    for (combo_act_t *a = e->cb_act; a < e->cb_act + ENGINE_COMBO_ACTIVE_MAX; a++) {
        uint8_t idx = a->idx;
        if (idx == NONE) continue;
        uint8_t i = idx & (uint8_t)~ENG_COMBO_RELEASED;
        const uint8_t *c = cfg_combo(ENG_CFG(e), i);
        uint8_t k = key_slot(c, pos);
        uint8_t kb = (uint8_t)(1u << (k & 7u)); /* (k < CFG_COMBO_KEYS_MAX unless NONE) */
        if (k == NONE || !(a->keys & kb)) continue;
        uint8_t keys = a->keys &= (uint8_t)~kb;
        if (!keys) a->idx = NONE; /* the last key up: the slot is free */
        if (idx & ENG_COMBO_RELEASED) return true;
        if (keys) { /* not the last key up: the result is released now unless slow */
            if (CFG_RD8(c + CFG_CB_FLAGS) & CFG_CB_SLOW_RELEASE) return true;
            a->idx = (uint8_t)(idx | ENG_COMBO_RELEASED);
        }
        uint8_t v = (uint8_t)(ENG_CFG(e)->npos + i);
        eng_trace(e, ENGINE_TRACE_COMBO_RELEASE, pos, TRACE_KC(e, v), i, CFG_POS_NONE);
        eng_exec(e, v, false, t);
        return true;
    }
    return false;
}

void eng_combo_stage(engine_t *e, uint8_t pos, bool pressed, ktime_t t)
{
    if (pressed) {
        if (e->cb_n) {
            if (hold_back(e, pos, t)) return;
            resolve(e);
        }
        if (!e->cb_off) {
            layer_state_t layers = e->layer_state | e->default_layer_state;
            uint8_t top = 0; /* the highest layer on (0 when none is) */
            for (uint8_t l = 0; layers; layers >>= 1, l++)
                if (layers & 1u) top = l;
            e->cb_top = top;
            e->cb_first = t;
            if (hold_back(e, pos, t)) return;
        }
    } else {
        /* Any release ends the attempt first (as ZMK does): the release keeps its place after
         * the presses held back, so a tap-hold key among them sees the order it happened in. */
        if (e->cb_n) resolve(e);
        if (release_consumed(e, pos, t)) return;
    }
    eng_exec(e, pos, pressed, t);
}

void eng_combo_tick(engine_t *e, ktime_t t)
{
    if (e->cb_n && !ktime_before(t, e->cb_deadline) && !update(e, t)) resolve(e);
}

void eng_combo_reset(engine_t *e)
{
    e->cb_n = 0;
    e->cb_done = NONE;
    memset(e->cb_act, NONE, sizeof e->cb_act);
}

/* ---- CM_ON / CM_OFF / CM_TOGG ------------------------------------------------------------------ */
static void combo_ctl_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    uint8_t op = (uint8_t)(k->kc - QK_COMBO_ON), off = op < 2 ? op : !e->cb_off; /* ON OFF TOGG */
    if (off != e->cb_off) eng_trace(e, ENGINE_TRACE_COMBO_ENABLED, k->pos, k->kc, !off, CFG_POS_NONE);
    e->cb_off = off;
}

static void combo_ctl_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    (void)e;
    (void)k;
}

ENG_BHV_DEFINE(combo_ctl, combo_ctl_press, combo_ctl_release)

#else
typedef int eng_no_combos_t; /* left out of this firmware (core/features.h) */
#endif
