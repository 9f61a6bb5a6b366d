/* Tri-layer keys TL_LOWR / TL_UPPR: each holds its layer (tri_layer.lower, default 1;
 * tri_layer.upper, default 2), and tri_layer.adjust (default 3) is on exactly while both are. */
#include "core/engine_int.h"

#if ENGINE_HAS_TRI_LAYER
__attribute__((noinline)) static uint8_t own_layer(const engine_t *e, kc_t kc)
{
    return (uint8_t)(eng_cfg(e, kc == QK_TRI_LAYER_LOWER ? CFG_TRI_LAYER_LOWER : CFG_TRI_LAYER_UPPER) & 31u);
}

static void update(engine_t *e)
{
    layer_state_t s = e->layer_state;
    uint8_t lo = (uint8_t)(eng_cfg(e, CFG_TRI_LAYER_LOWER) & 31u);
    uint8_t up = (uint8_t)(eng_cfg(e, CFG_TRI_LAYER_UPPER) & 31u);
    layer_state_t adj = eng_layer_bit((uint8_t)eng_cfg(e, CFG_TRI_LAYER_ADJUST));
    if ((s >> lo & 1u) && (s >> up & 1u)) s |= adj;
    else s &= (layer_state_t)~adj;
    eng_layer_state_set(e, s);
}

static void tl_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    eng_layer_on(e, own_layer(e, k->kc));
    update(e);
}

static void tl_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    eng_layer_off(e, own_layer(e, k->kc));
    update(e);
}

ENG_BHV_DEFINE(tri_layer, tl_press, tl_release)
#endif
