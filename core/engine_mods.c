/* Where the modifier features (caps word, auto shift, key overrides, repeat key, layer lock, space
 * cadet) see each processed key event, and in which order: QMK's where the order shows. Each
 * feature lives in its own core/bhv_*.c; this file only sequences them and merges their timers. */
#include "core/engine_int.h"

#if ENGINE_HAS_MODS
#include <string.h>


/* Each feature is only called when it can matter: its keycode, its state, or its setting. Most
 * keys on most keyboards use none of them, and this runs for every key event (docs/performance.md:
 * the cost per event of the hook with nothing configured). */
#define KC_IS_AS(kc) KC_IN(kc, 0x7C10u, 0x7C15u) /* AS_DOWN ... AS_TOGG */
#define KC_IS_KO(kc) KC_IN(kc, 0x7C5Du, 0x7C5Fu) /* KO_TOGG KO_ON KO_OFF */
#define KC_IS_SC(kc) KC_IN(kc, 0x7C18u, 0x7C1Eu) /* SC_LCPO ... SC_SENT */
/* Each feature returns at once, changing nothing, when its gate below is false: on the ATmega32U4,
 * where all of them are inlined into the hook, the gates are left out (ENG_MODS_GATES). */
#define GATE(c) (!ENG_MODS_GATES || (c))

static bool both_shifts_gate(const engine_t *e)
{
    const engine_t *E = ENG_SELF(e);
    return !(E->mods.cw & ENG_CW_ON) && (E->real_mods | E->os_mods) == MOD_MASK_SHIFT;
}

/* Press and release in one body: the Shift gate, layer lock and key overrides are asked the same
 * way for both (one copy of each test). A press stops at the first feature that takes it. */
static inline __attribute__((always_inline)) bool mods_event(engine_t *e, engine_held_t *k, const engine_rec_t *r, bool pressed)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    bool taken = false;
    if (both_shifts_gate(e)) eng_cw_before(e);
    if (pressed) {
        /* A key waiting for auto shift, or a retro-shift hold, is settled before any other press. */
        if (GATE(m->as_pos | m->as_retro_pos)) eng_as_interrupt(e);
        /* Repeat key turns into the key it repeats: every later feature sees that key. */
        if (eng_rep_press(e, k)) return true;
    } else {
        taken = GATE((m->cw & ENG_CW_ON) || (k->count & ENG_HELD_HOOKED)) && eng_cw_release(e, k);
    }
    kc_t kc = k->kc;
    if (GATE(m->ll_layers || kc == QK_LAYER_LOCK)) taken |= eng_ll_event(e, k, pressed);
    if (pressed && taken) return true;
    if (GATE(ENG_CFG(e)->count[CFG_SEC_KEY_OVERRIDES] || KC_IS_KO(kc))) taken |= eng_ko_event(e, k, pressed);
    if (pressed) {
        if (taken) return true;
        bool as = GATE((m->as_state & ENG_AS_ON) || KC_IS_AS(kc));
        if (as && eng_as_retro_hold(e, k, r)) return true;
        if (GATE((m->cw & ENG_CW_ON) || kc == QK_CAPS_WORD_TOGGLE || (m->cfg_bits & ENG_MC_CW_DTAP)) &&
            eng_cw_press(e, k, r))
            return true;
        if (as && eng_as_press(e, k, r)) return true;
    } else if (GATE(m->as_pos | m->as_retro_pos || (k->count & ENG_HELD_AS_DOWN)) && eng_as_release(e, k)) {
        return true; /* auto shift may also give the key back to its behaviour */
    }
    /* space cadet last, for both edges (one copy of it) */
    if (GATE(KC_IS_SC(kc) || (pressed && m->sc_kc))) taken |= eng_sc_event(e, k, pressed);
    /* a key whose press was taken never reaches its behaviour */
    return taken || (!pressed && (k->count & ENG_HELD_HOOKED));
}

bool eng_mods_event(engine_t *e, engine_held_t *k, const engine_rec_t *r, bool pressed)
{
#ifdef __AVR__
    return mods_event(e, k, r, pressed);
#else /* a copy for each direction where speed counts more than size (make bench-engine) */
    return pressed ? mods_event(e, k, r, true) : mods_event(e, k, r, false);
#endif
}

void eng_mods_after(engine_t *e, const engine_held_t *k, bool pressed)
{
    if (!pressed && k->kc <= QK_MODS_MAX && k->aux) {
        /* the mods a repeated key was pressed with go after it */
        e->weak_mods &= (uint8_t)~k->aux;
        eng_send_kbd(e);
    }
    if (!pressed && (k->count & ENG_HELD_SHIFTED)) {
        /* caps word's Shift goes after the key it shifted, unless another such key still holds it */
        for (uint8_t i = 0; i < e->nheld; i++)
            if (e->held[i].pos != k->pos && (e->held[i].count & ENG_HELD_SHIFTED)) return;
        e->weak_mods &= (uint8_t)~MOD_BIT_LSHIFT;
        eng_send_kbd(e);
    }
}

ktime_t eng_mods_deadline_slow(const engine_t *e)
{
    const engine_t *E = ENG_SELF(e);
    const engine_mods_t *m = &E->mods;
    ktime_t d = eng_as_deadline(e);
    if (ENGINE_HAS_CAPS_WORD) d = eng_earliest(d, eng_cw_deadline(e));
    if (m->ll_layers) {
        uint16_t t = eng_cfg(e, CFG_LAYER_LOCK_TIMEOUT);
        if (t) d = eng_due_at(d, (ktime_t)(m->ll_time + t + 1u)); /* QMK: strictly more than the timeout */
    }
    if (m->ko_deferred) d = eng_due_at(d, m->ko_defer_at);
    return d;
}

void eng_mods_task(engine_t *e)
{
    if (!GATE(eng_mods_timing(e))) return;
    eng_cw_task(e);
    eng_as_task(e);
    eng_ll_task(e);
    eng_ko_task(e);
}

/* What the features keep from the config (set again whenever the state is cleared). */
void eng_mods_init(engine_t *e)
{
    engine_mods_t *m = &e->mods;
    /* auto shift starts as auto_shift.enabled says; AS_ON/AS_OFF/AS_TOGG change it from there */
    m->as_state = eng_cfg(e, CFG_AUTO_SHIFT_ENABLED) ? ENG_AS_ON : 0;
#if ENGINE_HAS_AUTO_SHIFT
    m->as_timeout = eng_cfg(e, CFG_AUTO_SHIFT_TIMEOUT);
#endif
    if (ENG_MODS_GATES) /* (only caps word's gate reads it) */
        m->cfg_bits = eng_cfg(e, CFG_CAPS_WORD_DOUBLE_TAP_SHIFT) ? ENG_MC_CW_DTAP : 0;
}

void eng_mods_reset(engine_t *e)
{
    engine_t *E = ENG_SELF(e);
    memset(&E->mods, 0, sizeof E->mods);
    eng_mods_init(e);
}
#endif
