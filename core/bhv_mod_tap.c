/* Mod-tap MT(mods, kc): tapped -> the tap keycode; held -> the mods (the tap-hold stage decides). */
#include "core/engine_int.h"

/* Press (down) and release in one body. */
void eng_bhv_mod_tap(engine_t *e, engine_held_t *k, bool down)
{
    ENG_BHV_ENTRY(e);
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
