/* Grave escape (QK_GESC): Escape, or ` when Shift or GUI is held (real or one-shot), unless
 * grave_esc.override names a held modifier (QMK's GRAVE_ESC_*_OVERRIDE). The key it chose is
 * remembered, so the release releases that one. */
#include "core/engine_int.h"

#if ENGINE_HAS_GRAVE_ESC
static void gesc_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    uint8_t mods = e->real_mods | e->os_mods;
    uint8_t ov = (uint8_t)eng_cfg(e, CFG_GRAVE_ESC_OVERRIDE);
    bool grave = (mods & (MOD_MASK_SHIFT | MOD_MASK_GUI)) != 0;
    if (((ov & CFG_GESC_ALT) && (mods & MOD_MASK_ALT)) || ((ov & CFG_GESC_CTRL) && (mods & MOD_MASK_CTRL)) ||
        ((ov & CFG_GESC_GUI) && (mods & MOD_MASK_GUI)) || ((ov & CFG_GESC_SHIFT) && (mods & MOD_MASK_SHIFT)))
        grave = false;
    k->aux = grave ? KC_GRAVE : KC_ESCAPE;
    eng_register_code(e, k->aux);
}

static void gesc_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    eng_unregister_code(e, k->aux);
}

ENG_BHV_DEFINE(grave_esc, gesc_press, gesc_release)
#endif
