/* Layer state: 32 layers (16 on the ATmega32U4, core/ktime.h) and a default layer; a key resolves on the highest active layer whose
 * entry is not KC_TRNS (KC_NO stops the fall-through like any other keycode). */
#include "core/engine_int.h"

#ifdef __AVR__
__attribute__((noinline)) layer_state_t eng_layer_bit(uint8_t l)
{
    return eng_layer_bit_inline(l);
}
#endif

void eng_layer_state_set(engine_t *e, layer_state_t state)
{
#ifdef ENGINE_NO_TRACE
    e->layer_state = state;
#else
    layer_state_t changed = state ^ e->layer_state;
    e->layer_state = state;
    if (!changed || !ENG_SINK(e)->trace) return;
    for (uint8_t l = 0; l < ENGINE_LAYER_BITS; l++)
        if (changed >> l & 1u)
            eng_trace(e, (state >> l & 1u) ? ENGINE_TRACE_LAYER_ON : ENGINE_TRACE_LAYER_OFF,
                      CFG_POS_NONE, KC_NO, l, CFG_POS_NONE);
#endif
}

/* On, off and invert in one body (one copy on the ATmega32U4): the layer's bit set (how & 1), then
 * flipped (how & 2); off is both. */
ENG_SHARED void layer_change(engine_t *e, uint8_t layer, uint8_t how)
{
    layer_state_t bit = eng_layer_bit(layer), s = e->layer_state;
    if (how & 1u) s |= bit;
    if (how & 2u) s ^= bit;
    eng_layer_state_set(e, s);
}

void eng_layer_on(engine_t *e, uint8_t layer)
{
    layer_change(e, layer, 1u);
}

void eng_layer_off(engine_t *e, uint8_t layer)
{
    layer_change(e, layer, 3u);
}

void eng_layer_invert(engine_t *e, uint8_t layer)
{
    layer_change(e, layer, 2u);
}

void eng_default_layer_set(engine_t *e, uint8_t layer)
{
    e->default_layer_state = eng_layer_bit(layer);
    eng_trace(e, ENGINE_TRACE_DEFAULT_LAYER, CFG_POS_NONE, KC_NO, layer & (ENGINE_LAYER_BITS - 1u), CFG_POS_NONE);
}

#if ENGINE_HAS_COMBO
/* Positions past the matrix are the combos' virtual keys: their result on every layer. Apart, so
 * the lookup of ordinary keys stays as short as it was. */
__attribute__((noinline)) static kc_t combo_result(const cfg_t *c, uint8_t pos)
{
    uint8_t i = (uint8_t)(pos - c->npos);
    return i < c->count[CFG_SEC_COMBOS] ? cfg_rd16(cfg_combo(c, i) + CFG_CB_RESULT) : KC_NO;
}
#endif

ENG_SHARED kc_t lookup(const engine_t *e, uint8_t pos, uint8_t *layer)
{
    const cfg_t *c = ENG_CFG(e);
    *layer = 0;
#if ENGINE_HAS_COMBO
    if (pos >= c->npos) return combo_result(c, pos);
#endif
    layer_state_t layers = e->layer_state | e->default_layer_state;
    /* From the top layer down; the default layer is normally the only one set. */
    for (uint8_t l = c->layers; l-- > 0;) {
        if (!(layers >> l & 1u)) continue;
        kc_t kc = cfg_keycode(c, l, pos);
        if (kc != KC_TRNS) {
            *layer = l;
            return kc;
        }
    }
    return KC_NO;
}

kc_t eng_keymap_lookup_at(const engine_t *e, uint8_t pos, uint8_t *layer)
{
    return lookup(e, pos, layer);
}

kc_t eng_keymap_lookup(const engine_t *e, uint8_t pos)
{
    uint8_t layer;
    return lookup(e, pos, &layer);
}
