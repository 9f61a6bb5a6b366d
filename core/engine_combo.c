/* The combo stage, first in the pipeline (QMK's order): presses of keys that can start or continue a
 * combo are held back until the combo completes (its result is pressed as a virtual key, npos + i,
 * which then goes through the tap-hold stage like any key) or cannot (the presses are replayed in
 * order, with their own times). Rules in docs/behaviours.md, "Combos". */
#include "core/engine_int.h"

#if ENGINE_HAS_COMBO

#define NONE 0xFFu

static uint8_t ncombos(const engine_t *e)
{
    return (uint8_t)e->cfg->count[CFG_SEC_COMBOS];
}

static uint8_t nkeys_of(const engine_t *e, uint8_t i)
{
    return CFG_RD8(cfg_combo(e->cfg, i) + CFG_CB_NKEYS);
}

/* The slot of `pos` among combo i's keys, NONE when it is not one of them. */
static uint8_t key_slot(const engine_t *e, uint8_t i, uint8_t pos)
{
    const uint8_t *c = cfg_combo(e->cfg, i);
    uint8_t n = CFG_RD8(c + CFG_CB_NKEYS);
    for (uint8_t k = 0; k < n; k++)
        if (CFG_RD8(c + CFG_CB_KEYS + k) == pos) return k;
    return NONE;
}

static uint32_t expiry(const engine_t *e, uint8_t i)
{
    uint16_t t = cfg_rd16(cfg_combo(e->cfg, i) + CFG_CB_TERM);
    return e->cb_first + (t ? t : cfg_setting(e->cfg, CFG_COMBO_TERM));
}

static bool reached(uint32_t now, uint32_t at)
{
    return (int32_t)(now - at) >= 0;
}

/* Combos that a first press of `pos` at time t can start: enabled on the highest active layer, and
 * with no non-modifier key pressed within their require-prior-idle time. */
static uint32_t startable(const engine_t *e, uint8_t pos, uint32_t t)
{
    uint32_t layers = e->layer_state | e->default_layer_state, m = 0;
    uint8_t top = 31;
    while (top && !(layers >> top & 1u)) top--;
    for (uint8_t i = 0; i < ncombos(e); i++) {
        const uint8_t *c = cfg_combo(e->cfg, i);
        if (key_slot(e, i, pos) == NONE || !(cfg_rd32(c + CFG_CB_LAYERS) >> top & 1u)) continue;
        uint16_t idle = cfg_rd16(c + CFG_CB_IDLE);
        if (idle && e->idle_valid && t - e->idle_prev_time < idle) continue;
        m |= (uint32_t)1 << i;
    }
    return m;
}

/* The attempt ends: the complete combo (if any) fires, then every other held-back press is replayed
 * as an ordinary key, in order and with its own time. */
static void resolve(engine_t *e)
{
    uint8_t n = e->cb_n, done = e->cb_done, pos[CFG_COMBO_KEYS_MAX], skip = 0;
    uint32_t first = e->cb_first;
    uint16_t dt[CFG_COMBO_KEYS_MAX];
    for (uint8_t k = 0; k < n; k++) {
        pos[k] = e->cb_pos[k];
        dt[k] = e->cb_dt[k];
    }
    e->cb_n = 0;
    e->cb_cand = 0;
    e->cb_done = NONE;
    if (done != NONE) {
        for (uint8_t s = 0; s < ENGINE_COMBO_ACTIVE_MAX; s++) {
            if (e->cb_act[s].idx != NONE) continue;
            /* A complete combo's keys are the first nkeys presses held back. */
            skip = nkeys_of(e, done);
            e->cb_act[s].idx = done;
            e->cb_act[s].keys = (uint8_t)((1u << skip) - 1u);
            uint8_t v = (uint8_t)(e->cfg->npos + done);
            eng_trace(e, ENGINE_TRACE_COMBO_PRESS, pos[0], eng_keymap_lookup(e, v), done, CFG_POS_NONE);
            eng_exec(e, v, true, first);
            break;
        }
    }
    for (uint8_t k = skip; k < n; k++) {
        eng_trace(e, ENGINE_TRACE_COMBO_REPLAY, pos[k], eng_keymap_lookup(e, pos[k]), 0, CFG_POS_NONE);
        eng_exec(e, pos[k], true, first + dt[k]);
    }
}

/* After the candidates changed: a candidate whose keys are all down is complete (the longest one
 * so far, as each press adds a key); it fires once no longer candidate can complete. */
static void update(engine_t *e)
{
    uint32_t m = e->cb_cand, dl = 0;
    bool any = false;
    for (uint8_t i = 0; i < ncombos(e); i++) {
        if (!(m >> i & 1u)) continue;
        if (nkeys_of(e, i) == e->cb_n) {
            e->cb_done = i;
            m &= ~((uint32_t)1 << i);
            continue;
        }
        uint32_t x = expiry(e, i);
        if (!any || (int32_t)(x - dl) < 0) dl = x;
        any = true;
    }
    e->cb_cand = m;
    e->cb_deadline = dl;
    if (!m) resolve(e);
}

static void hold_back(engine_t *e, uint8_t pos, uint32_t t)
{
    e->cb_pos[e->cb_n] = pos;
    e->cb_dt[e->cb_n] = (uint16_t)(t - e->cb_first);
    e->cb_n++;
}

/* A release of a key that an active combo consumed: it releases the result when it is the first
 * key up (or the last, with slow release), and goes no further. */
static bool release_consumed(engine_t *e, uint8_t pos, uint32_t t)
{
    for (uint8_t s = 0; s < ENGINE_COMBO_ACTIVE_MAX; s++) {
        uint8_t idx = e->cb_act[s].idx;
        if (idx == NONE) continue;
        uint8_t i = idx & (uint8_t)~ENG_COMBO_RELEASED, k = key_slot(e, i, pos);
        if (k == NONE || !(e->cb_act[s].keys >> k & 1u)) continue;
        uint8_t keys = e->cb_act[s].keys &= (uint8_t)~(1u << k);
        bool slow = CFG_RD8(cfg_combo(e->cfg, i) + CFG_CB_FLAGS) & CFG_CB_SLOW_RELEASE;
        bool release = !(idx & ENG_COMBO_RELEASED) && (!keys || !slow);
        e->cb_act[s].idx = keys ? (uint8_t)(idx | (release ? ENG_COMBO_RELEASED : 0)) : NONE;
        if (release) {
            uint8_t v = (uint8_t)(e->cfg->npos + i);
            engine_rec_t r = {t, v, 0};
            if (e->cb_n && eng_release_must_wait(e, &r)) resolve(e);
            eng_trace(e, ENGINE_TRACE_COMBO_RELEASE, pos, eng_keymap_lookup(e, v), i, CFG_POS_NONE);
            eng_exec(e, v, false, t);
        }
        return true;
    }
    return false;
}

void eng_combo_event(engine_t *e, uint8_t pos, bool pressed, uint32_t t)
{
    if (!ncombos(e)) {
        eng_exec(e, pos, pressed, t);
        return;
    }
    if (pressed) {
        if (e->cb_n) {
            uint32_t m = 0;
            for (uint8_t i = 0; i < ncombos(e); i++)
                if ((e->cb_cand >> i & 1u) && key_slot(e, i, pos) != NONE) m |= (uint32_t)1 << i;
            if (m) { /* a candidate is never complete, so it has room for this key */
                hold_back(e, pos, t);
                e->cb_cand = m;
                update(e);
                return;
            }
            resolve(e);
        }
        uint32_t m = e->cb_off ? 0 : startable(e, pos, t);
        if (!m) {
            eng_exec(e, pos, true, t);
            return;
        }
        e->cb_first = t;
        e->cb_done = NONE;
        hold_back(e, pos, t);
        e->cb_cand = m;
        update(e);
        return;
    }
    if (e->cb_n) {
        /* A release keeps its place after the held-back presses when it is one of theirs or must
         * not overtake them (modifiers, layer keys: QMK's rule in the tap-hold stage). */
        bool mine = false;
        for (uint8_t k = 0; k < e->cb_n; k++) mine |= e->cb_pos[k] == pos;
        engine_rec_t r = {t, pos, 0};
        if (mine || eng_release_must_wait(e, &r)) resolve(e);
    }
    if (!release_consumed(e, pos, t)) eng_exec(e, pos, false, t);
}

void eng_combo_tick(engine_t *e, uint32_t t)
{
    if (!e->cb_n || !reached(t, e->cb_deadline)) return;
    for (uint8_t i = 0; i < ncombos(e); i++)
        if ((e->cb_cand >> i & 1u) && reached(t, expiry(e, i))) e->cb_cand &= ~((uint32_t)1 << i);
    update(e);
}

void eng_combo_reset(engine_t *e)
{
    e->cb_n = 0;
    e->cb_cand = 0;
    e->cb_done = NONE;
    for (uint8_t s = 0; s < ENGINE_COMBO_ACTIVE_MAX; s++) e->cb_act[s].idx = NONE;
}

/* ---- CM_ON / CM_OFF / CM_TOGG ------------------------------------------------------------------ */
static void combo_ctl_press(engine_t *e, engine_held_t *k)
{
    uint8_t off = k->kc == QK_COMBO_ON ? 0 : k->kc == QK_COMBO_OFF ? 1 : !e->cb_off;
    if (off != e->cb_off) eng_trace(e, ENGINE_TRACE_COMBO_ENABLED, k->pos, k->kc, !off, CFG_POS_NONE);
    e->cb_off = off;
}

static void combo_ctl_release(engine_t *e, engine_held_t *k)
{
    (void)e;
    (void)k;
}

const engine_bhv_t eng_bhv_combo_ctl = {combo_ctl_press, combo_ctl_release, 0};

#else
typedef int eng_no_combos_t; /* left out of this firmware (core/features.h) */
#endif
