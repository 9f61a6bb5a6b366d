/* Layer-tap LT(layer, kc): tapped -> the tap keycode; held -> the layer while held. */
#include "core/engine_int.h"

/* Press (down) and release in one body. */
void eng_bhv_layer_tap(engine_t *e, engine_held_t *k, bool down)
{
    ENG_BHV_ENTRY(e);
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
