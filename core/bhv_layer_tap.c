/* Layer-tap LT(layer, kc): tapped -> the tap keycode; held -> the layer while held. */
#include "core/engine_int.h"

static void lt_press(engine_t *e, engine_held_t *k)
{
    if (k->count & ENGINE_REC_COUNT) eng_register_code(e, QK_LAYER_TAP_GET_TAP(k->kc));
    else eng_layer_on(e, QK_LAYER_TAP_GET_LAYER(k->kc));
}

static void lt_release(engine_t *e, engine_held_t *k)
{
    if (k->count & ENGINE_REC_COUNT) eng_release_tap(e, QK_LAYER_TAP_GET_TAP(k->kc));
    else eng_layer_off(e, QK_LAYER_TAP_GET_LAYER(k->kc));
}

const engine_bhv_t eng_bhv_layer_tap = {lt_press, lt_release, ENG_BHV_TAP_HOLD};
