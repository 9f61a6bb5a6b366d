/* Layer-tap LT(layer, kc): tapped -> the tap keycode; held -> the layer while held. */
#include "core/engine_int.h"

/* Press and release in one body (one copy on the ATmega32U4). */
ENG_SHARED void lt(engine_t *e, engine_held_t *k, bool down)
{
    uint8_t tap = QK_LAYER_TAP_GET_TAP(k->kc), layer = QK_LAYER_TAP_GET_LAYER(k->kc);
    if (k->count & ENGINE_REC_COUNT) {
        if (down) eng_register_code(e, tap);
        else eng_release_tap(e, tap);
    } else if (down) {
        eng_layer_on(e, layer);
    } else {
        eng_layer_off(e, layer);
    }
}

static void lt_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    lt(e, k, true);
}

static void lt_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    lt(e, k, false);
}

const engine_bhv_t eng_bhv_layer_tap = {lt_press, lt_release, ENG_BHV_TAP_HOLD};
