/* Mod-tap MT(mods, kc): tapped -> the tap keycode; held -> the mods (the tap-hold stage decides). */
#include "core/engine_int.h"

/* Press and release in one body (one copy on the ATmega32U4). */
ENG_SHARED void mt(engine_t *e, engine_held_t *k, bool down)
{
    uint8_t tap = QK_MOD_TAP_GET_TAP(k->kc), mods = kc_mods5_to_bits(QK_MOD_TAP_GET_MODS(k->kc));
    if (k->count & ENGINE_REC_COUNT) {
        if (down) eng_register_code(e, tap);
        else eng_release_tap(e, tap);
    } else if (down) {
        eng_register_mods(e, mods);
    } else {
        eng_unregister_mods(e, mods);
    }
}

static void mt_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    mt(e, k, true);
}

static void mt_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    mt(e, k, false);
}

const engine_bhv_t eng_bhv_mod_tap = {mt_press, mt_release, ENG_BHV_TAP_HOLD};
