/* Layer keys, acting when QMK acts: MO on press/off on release; TO on press; TG, DF and PDF on
 * release; LM = layer + mods while held; TT = MO when held, toggles after tapping.toggle taps. */
#include "core/engine_int.h"

/* Press and release in one body: they test the same keycode ranges. */
void eng_bhv_layer(engine_t *e, engine_held_t *k, bool down)
{
    ENG_BHV_ENTRY(e);
    kc_t kc = k->kc;
    uint8_t l = QK_LAYER_GET(kc);
    /* Past LM, the kind is bits 5-7 (keycodes.h): 0 TO, 1 MO, 2 DF, 3 TG, 7 PDF; this behaviour
     * gets no other (bhv.c). */
    uint8_t kind = (uint8_t)(kc >> 5) & 7u;
    if (kc <= QK_LAYER_MOD_MAX) {
        uint8_t mods = kc_mods5_to_bits(QK_LAYER_MOD_GET_MODS(kc));
        l = QK_LAYER_MOD_GET_LAYER(kc);
        if (down) {
            eng_layer_on(e, l);
            eng_register_mods(e, mods);
        } else {
            eng_unregister_mods(e, mods);
            eng_layer_off(e, l);
        }
    } else if (kind == (uint8_t)(QK_MOMENTARY >> 5 & 7u)) {
        if (down) eng_layer_on(e, l);
        else eng_layer_off(e, l);
    } else if (down) {
        if (kind == (uint8_t)(QK_TO >> 5 & 7u)) eng_layer_state_set(e, eng_layer_bit(l));
    } else if (kind == (uint8_t)(QK_TOGGLE_LAYER >> 5 & 7u)) {
        eng_layer_invert(e, l);
    } else if (kind != (uint8_t)(QK_TO >> 5 & 7u)) { /* DF and PDF; TO did its work on press */
        eng_default_layer_set(e, l);
        /* PDF: the firmware may store it (QMK writes it to EEPROM) */
        if (kc >= QK_PERSISTENT_DEF_LAYER && ENG_SINK(e)->action) ENG_SINK(e)->action(ENG_CTX(e), kc, e->now);
    }
}

/* TT: each tap below the toggle count flips the layer on press and back on release; the tap that
 * reaches tapping.toggle flips it on release only, so the layer stays. Held = momentary. */
void eng_bhv_tap_toggle(engine_t *e, engine_held_t *k, bool down)
{
    ENG_BHV_ENTRY(e);
    uint8_t n = k->count & ENGINE_REC_COUNT;
    /* a press flips below the toggle count, a release up to it */
    if ((uint16_t)(n + !down) <= eng_setting(e, CFG_TAPPING_TOGGLE, k->kc)) eng_layer_invert(e, QK_LAYER_GET(k->kc));
}
