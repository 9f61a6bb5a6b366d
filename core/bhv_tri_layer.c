/* Tri-layer keys TL_LOWR / TL_UPPR: each holds its layer (tri_layer.lower, default 1;
 * tri_layer.upper, default 2), and tri_layer.adjust (default 3) is on exactly while both are. */
#include "core/engine_int.h"

#if ENGINE_HAS_TRI_LAYER
/* Press and release in one body: the key's own layer goes on (off), then adjust follows the two. */
void eng_bhv_tri_layer(engine_t *e, engine_held_t *k, bool down)
{
    ENG_BHV_ENTRY(e);
    layer_state_t lo = eng_layer_bit((uint8_t)eng_cfg(e, CFG_TRI_LAYER_LOWER));
    layer_state_t up = eng_layer_bit((uint8_t)eng_cfg(e, CFG_TRI_LAYER_UPPER));
    layer_state_t own = k->kc == QK_TRI_LAYER_LOWER ? lo : up;
    layer_state_t s = e->layer_state | own;
    if (!down) s ^= own;
    eng_layer_state_set(e, s); /* (its trace first, as for any layer key) */
    layer_state_t adj = eng_layer_bit((uint8_t)eng_cfg(e, CFG_TRI_LAYER_ADJUST));
    eng_layer_state_set(e, (s & lo) && (s & up) ? s | adj : s & (layer_state_t)~adj);
}
#endif
