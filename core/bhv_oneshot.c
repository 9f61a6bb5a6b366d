/* One-shot mods (OSM) and layers (OSL), and OS_ON/OS_OFF/OS_TOGG. Both keys are dual-role: a tap
 * arms them for the next key; held through the tapping term (or decided hold by the tap-hold
 * options) they act as a plain mod / MO. oneshot.tap_toggle taps lock them; oneshot.timeout
 * expires an unused one. */
#include "core/engine_int.h"

/* ---- OSM --------------------------------------------------------------------------------- */
/* Press and release in one body: they read the same mods, tap count and setting. */
void eng_bhv_osm(engine_t *e, engine_held_t *k, bool down)
{
    ENG_BHV_ENTRY(e);
    uint8_t mods = kc_mods5_to_bits(QK_ONE_SHOT_MOD_GET_MODS(k->kc));
    uint8_t n = k->count & ENGINE_REC_COUNT;
    uint16_t toggle = eng_setting(e, CFG_ONESHOT_TAP_TOGGLE, k->kc);
    if (down) {
        if (e->os_disabled) {
            k->count |= ENG_HELD_PLAIN; /* released as plain even if OS_ON comes meanwhile */
        } else if (n == 0) {
            /* Held: a plain modifier. Pending one-shot mods join it and end with it. */
            k->aux = (uint8_t)(e->os_mods & ~mods);
            e->os_mods = 0;
            mods |= k->aux;
        } else if (n == 1) {
            eng_add_oneshot_mods(e, mods);
            return;
        } else if (toggle > 1 && n == toggle) {
            e->os_locked_mods |= mods;
            eng_del_oneshot_mods(e, mods);
            eng_trace(e, ENGINE_TRACE_ONESHOT_LOCKED, k->pos, k->kc, e->os_locked_mods, CFG_POS_NONE);
        } else {
            return;
        }
        eng_register_mods(e, mods);
        return;
    }
    if (k->count & ENG_HELD_PLAIN) {
        /* nothing else to undo */
    } else if (n == 0 || (n == 1 && toggle > 1 && (mods & e->os_locked_mods & e->real_mods))) {
        /* held; or a single tap on a locked one-shot, which unlocks it */
        e->os_locked_mods &= (uint8_t)~mods;
        eng_del_oneshot_mods(e, mods);
        if (n == 0) mods |= k->aux;
    } else {
        return;
    }
    eng_unregister_mods(e, mods);
}


/* ---- OSL --------------------------------------------------------------------------------- */
static void osl_set(engine_t *e, uint8_t layer, uint8_t state)
{
    e->os_layer = (uint8_t)(layer << 3 | state);
    e->os_layer_time = e->now;
    eng_layer_on(e, layer);
    eng_trace(e, ENGINE_TRACE_ONESHOT_LAYER_ON, CFG_POS_NONE, KC_NO, layer, CFG_POS_NONE);
}

void eng_osl_clear_state(engine_t *e, uint8_t bits)
{
    uint8_t before = e->os_layer;
    e->os_layer &= (uint8_t)~bits;
    if (!(e->os_layer & 7u) && before != e->os_layer) {
        uint8_t layer = eng_osl_layer(e);
        e->os_layer = 0;
        eng_layer_off(e, layer);
        eng_trace(e, ENGINE_TRACE_ONESHOT_LAYER_OFF, CFG_POS_NONE, KC_NO, layer, CFG_POS_NONE);
    }
}

bool eng_osl_expired(const engine_t *e, ktime_t now)
{
    uint8_t st = eng_osl_state(e);
    if (!(st & ENG_OSL_OTHER_PRESSED) || (st & ENG_OSL_TOGGLED)) return false;
    return eng_oneshot_timed_out(e, &e->os_layer_time, now);
}

/* Press and release in one body, as for OSM. */
void eng_bhv_osl(engine_t *e, engine_held_t *k, bool down)
{
    ENG_BHV_ENTRY(e);
    uint8_t layer = QK_LAYER_GET(k->kc);
    uint8_t n = k->count & ENGINE_REC_COUNT;
    uint16_t toggle = eng_setting(e, CFG_ONESHOT_TAP_TOGGLE, k->kc);
    if (down) {
        if (e->os_disabled) {
            k->count |= ENG_HELD_PLAIN;
            eng_layer_on(e, layer);
        } else if (toggle > 1 && eng_osl_state(e) == ENG_OSL_TOGGLED) {
            e->os_layer = 0;
            eng_layer_off(e, layer);
            eng_trace(e, ENGINE_TRACE_ONESHOT_LAYER_OFF, k->pos, k->kc, layer, CFG_POS_NONE);
            k->aux = 1; /* this press unlocked; its release does nothing */
        } else if (toggle <= 1 || n < toggle) {
            osl_set(e, layer, ENG_OSL_START);
        }
        return;
    }
    if (k->count & ENG_HELD_PLAIN) {
        eng_layer_off(e, layer);
    } else if (toggle > 1) {
        if (k->aux) return;
        if (n >= toggle) {
            osl_set(e, layer, ENG_OSL_TOGGLED);
            eng_trace(e, ENGINE_TRACE_ONESHOT_LOCKED, k->pos, k->kc, layer, CFG_POS_NONE);
        } else {
            eng_osl_clear_state(e, ENG_OSL_PRESSED);
        }
    } else {
        eng_osl_clear_state(e, ENG_OSL_PRESSED);
        if (n > 1) eng_osl_clear_state(e, ENG_OSL_OTHER_PRESSED);
    }
}


/* ---- OS_ON / OS_OFF / OS_TOGG ---------------------------------------------------------------- */
static void os_ctl_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    uint8_t off = e->os_disabled;
    if (k->kc == QK_ONE_SHOT_ON) off = 0;
    else if (k->kc == QK_ONE_SHOT_OFF) off = 1;
    else off = !off;
    if (off != e->os_disabled) {
        e->os_disabled = off;
        eng_osl_clear_state(e, ENG_OSL_OTHER_PRESSED);
        eng_trace(e, ENGINE_TRACE_ONESHOT_ENABLED, k->pos, k->kc, !off, CFG_POS_NONE);
    }
}

static void os_ctl_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    (void)e;
    (void)k;
}

ENG_BHV_DEFINE(os_ctl, os_ctl_press, os_ctl_release)
