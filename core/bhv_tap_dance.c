/* Tap dance TD(i), Vial's model: taps are counted while each comes within the dance's term of the
 * previous press; the dance ends when the term runs out (hold if the key is still down), when
 * another key is pressed (that key is processed after), or at once when no entry exists for more
 * taps. The keycode it ends on is pressed as the key itself: held while the key is, else tapped.
 * Rules and the table of endings in docs/behaviours.md, "Tap dance". */
#include "core/engine_int.h"

#if ENGINE_HAS_TAP_DANCE || ENGINE_HAS_LEADER
void eng_tap_kc(engine_t *e, kc_t kc, uint8_t pos)
{
    engine_held_t k = {kc, pos, 1, 0};
    eng_bhv_act(e, &k, true);
    eng_bhv_act(e, &k, false);
}
#endif

#if ENGINE_HAS_TAP_DANCE

#define NONE 0xFFu

static kc_t field(const engine_t *e, uint8_t off)
{
    const engine_t *E = ENG_NEAR_AT(e, td_idx);
    return cfg_rd16(cfg_tap_dance(ENG_CFG(e), E->td_idx) + off);
}

/* The most taps the dance can count: 2 when it has a double-tap or tap-hold entry. */
static uint8_t max_taps(const engine_t *e)
{
    return (field(e, CFG_TD_ON_DOUBLE_TAP) || field(e, CFG_TD_ON_TAP_HOLD)) ? 2 : 1;
}


/* Ends the dance. `cur` is the dance key's entry while its own press is being processed (the
 * caller stores it back), else NULL. Vial's table: one tap gives on_tap (held: on_hold, or on_tap
 * held); two give on_double_tap (or on_tap twice), held on_tap_hold, and two interrupted on_tap
 * twice. A keycode from a hold entry is pressed as a hold (count 0: MT gives its mods, LT its
 * layer), the others as taps. */
static void finish(engine_t *e, uint8_t how, engine_held_t *cur)
{
    kc_t tap = field(e, CFG_TD_ON_TAP), pre = KC_NO, kc = tap;
    uint8_t n = e->td_count, hold = 0;
    if (how == ENGINE_TD_HOLD) {
        /* (two taps are only still undecided at the term when there is an on_tap_hold) */
        kc_t h = field(e, n == 1 ? CFG_TD_ON_HOLD : CFG_TD_ON_TAP_HOLD);
        if (h) {
            kc = h;
            hold = 1;
        }
    } else if (n == 2) {
        kc_t d = how == ENGINE_TD_TAP ? field(e, CFG_TD_ON_DOUBLE_TAP) : KC_NO;
        if (d) kc = d;
        else pre = tap;
    }
    uint8_t pos = e->td_pos, down = e->td_down;
    e->td_idx = NONE; /* before pressing anything: what follows is no longer part of the dance */
    eng_trace(e, ENGINE_TRACE_TAP_DANCE, pos, kc, (uint16_t)(n | how << 8), CFG_POS_NONE);
    if (pre) eng_tap_kc(e, pre, pos);
    engine_held_t k = {kc, pos, (uint8_t)(hold ? 0 : 1), 0}, *h = cur;
    if (!h && down) {
        h = eng_held_find(e, pos);
        if (h && !KC_IN(h->kc, QK_TAP_DANCE, QK_TAP_DANCE_MAX)) h = NULL;
    }
    if (!h) {
        eng_tap_kc(e, kc, pos);
        return;
    }
    /* Still down: the key becomes the keycode, so its release releases exactly that. */
    eng_bhv_act(e, &k, true);
    if (!cur) cur = eng_held_find(e, pos);
    if (cur) *cur = k;
}

static void td_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    engine_t *E = ENG_NEAR_AT(e, td_idx);
    uint8_t i = (uint8_t)k->kc;
    if (i >= ENG_CFG(e)->count[CFG_SEC_TAP_DANCES]) return; /* undefined: does nothing (a warning) */
    if (E->td_idx != i) {
        if (E->td_idx != NONE) finish(e, ENGINE_TD_INTERRUPTED, NULL);
        E->td_idx = i;
        E->td_count = 0;
        uint16_t term = field(e, CFG_TD_TERM);
        E->td_term = term ? term : eng_setting(e, CFG_TAPPING_TERM, k->kc);
    }
    E->td_count++;
    E->td_pos = k->pos;
    E->td_down = 1;
    E->td_deadline = e->rec_time + E->td_term;
    uint8_t max = max_taps(e);
    if (E->td_count >= max && !field(e, max == 1 ? CFG_TD_ON_HOLD : CFG_TD_ON_TAP_HOLD))
        finish(e, ENGINE_TD_TAP, k); /* nothing more to wait for */
}

static void td_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    if (!KC_IN(k->kc, QK_TAP_DANCE, QK_TAP_DANCE_MAX)) {
        /* ended during its own press (and released at once, e.g. on a one-shot layer) */
        eng_bhv_act(e, k, false);
        return;
    }
    if (e->td_idx != (uint8_t)k->kc || e->td_pos != k->pos) return;
    e->td_down = 0;
    if (e->td_count >= max_taps(e)) finish(e, ENGINE_TD_TAP, NULL);
}

void eng_td_interrupt(engine_t *e)
{
    finish(e, ENGINE_TD_INTERRUPTED, NULL);
}

void eng_td_tick(engine_t *e, ktime_t t)
{
    if (e->td_idx != NONE && !ktime_before(t, e->td_deadline))
        finish(e, e->td_down ? ENGINE_TD_HOLD : ENGINE_TD_TAP, NULL);
}

ENG_BHV_DEFINE(tap_dance, td_press, td_release)

#else
typedef int eng_no_combos_t; /* left out of this firmware (core/features.h) */
#endif
