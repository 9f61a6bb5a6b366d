/* Basic keys (keyboard, modifier, system and consumer usages) and modded keycodes (LCTL(KC_C),
 * KC_PLUS, KC_HYPR): the keycode's own mods are weak mods sent in a report of their own before the
 * key, and removed after it (SPEC §6); mods on a modifier or on KC_NO are real mods. */
#include "core/engine_int.h"

static uint8_t own_mods(kc_t kc)
{
    return kc > 0xFFu ? kc_mods5_to_bits(QK_MODS_GET_MODS(kc)) : 0;
}

static bool mods_are_real(uint8_t code)
{
    return code == KC_NO || IS_MODIFIER_KC(code);
}

/* Press and release in one body: the mods go before the key and after it. */
void eng_bhv_key(engine_t *e, engine_held_t *k, bool down)
{
    ENG_BHV_ENTRY(e);
    uint8_t code = (uint8_t)k->kc, mods = own_mods(k->kc);
    if (!down) eng_unregister_code(e, code);
    eng_mods_set(e, mods_are_real(code) ? &e->real_mods : &e->weak_mods, mods, down);
    if (down) eng_register_code(e, code);
}
