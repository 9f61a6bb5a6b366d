/* Layer lock (QK_LLCK), QMK's rules: it locks the highest active layer on (or unlocks it); a locked
 * layer stays on when the MO/LT/TT/LM/OSL key that reached it is released; pressing that layer's
 * MO, TT or LM again unlocks it (and does nothing else); a layer turned off by other means (TO, TG)
 * is unlocked; layer_lock.timeout (ms, 0 = never) unlocks everything after that long without a key
 * event. */
#include "core/engine_int.h"

#if ENGINE_HAS_LAYER_LOCK
static void invert(engine_t *e, uint8_t layer)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    layer_state_t bit = (layer_state_t)((layer_state_t)1 << layer);
    if (!(m->ll_layers & bit)) {
        /* a one-shot layer being locked stays on as a plain layer */
        if (eng_osl_state(e) && eng_osl_layer(e) == layer) E->os_layer = 0;
        eng_layer_on(e, layer);
    } else {
        eng_layer_off(e, layer);
    }
    m->ll_layers ^= bit;
    eng_trace(e, ENGINE_TRACE_LAYER_LOCK, CFG_POS_NONE, KC_NO,
              (uint16_t)(layer | ((m->ll_layers & bit) ? 0x100u : 0u)), CFG_POS_NONE);
}

bool eng_ll_event(engine_t *e, engine_held_t *k, bool pressed)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    kc_t kc = k->kc;
    m->ll_time = E->now;
    m->ll_layers &= E->layer_state; /* turned off by something else: no longer locked */
    if (kc == QK_LAYER_LOCK) {
        if (pressed) {
            uint8_t top = 0, l = 0; /* the highest layer on (0 when none is) */
            for (layer_state_t st = E->layer_state; st; st >>= 1, l++)
                if (st & 1u) top = l;
            invert(e, top);
        }
        return true;
    }
    if (!m->ll_layers) return false;
    uint8_t layer;
    if (KC_IN(kc, QK_MOMENTARY, QK_MOMENTARY_MAX) || KC_IN(kc, QK_LAYER_TAP_TOGGLE, QK_LAYER_TAP_TOGGLE_MAX))
        layer = QK_LAYER_GET(kc);
    else if (KC_IN(kc, QK_LAYER_MOD, QK_LAYER_MOD_MAX))
        layer = QK_LAYER_MOD_GET_LAYER(kc);
    else if (KC_IN(kc, QK_LAYER_TAP, QK_LAYER_TAP_MAX) && !pressed && !(k->count & ENGINE_REC_COUNT))
        layer = QK_LAYER_TAP_GET_LAYER(kc);
    else
        return false;
    if (!(m->ll_layers >> layer & 1u)) return false;
    /* on a locked layer: the press unlocks it, and neither edge does anything else */
    if (pressed) invert(e, layer);
    return true;
}

void eng_ll_task(engine_t *e)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    if (!m->ll_layers) return; /* (every tick: before the setting) */
    uint16_t t = eng_cfg(e, CFG_LAYER_LOCK_TIMEOUT);
    if (!t || (ktime_t)(E->now - m->ll_time) <= t) return;
    eng_trace(e, ENGINE_TRACE_LAYER_LOCK, CFG_POS_NONE, KC_NO, 0, CFG_POS_NONE);
    eng_layer_state_set(e, E->layer_state & ~m->ll_layers);
    m->ll_layers = 0;
}
#endif
