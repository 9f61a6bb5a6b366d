/* Mod-tap MT(mods, kc): tapped -> the tap keycode; held -> the mods (the tap-hold stage decides). */
#include "core/engine_int.h"

static void mt_press(engine_t *e, engine_held_t *k)
{
    if (k->count & ENGINE_REC_COUNT) eng_register_code(e, QK_MOD_TAP_GET_TAP(k->kc));
    else eng_register_mods(e, kc_mods5_to_bits(QK_MOD_TAP_GET_MODS(k->kc)));
}

static void mt_release(engine_t *e, engine_held_t *k)
{
    if (k->count & ENGINE_REC_COUNT) eng_release_tap(e, QK_MOD_TAP_GET_TAP(k->kc));
    else eng_unregister_mods(e, kc_mods5_to_bits(QK_MOD_TAP_GET_MODS(k->kc)));
}

const engine_bhv_t eng_bhv_mod_tap = {mt_press, mt_release, ENG_BHV_TAP_HOLD};
