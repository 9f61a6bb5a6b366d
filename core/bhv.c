/* Behaviour dispatch: keycode range -> behaviour, one table, and the direct calls to each
 * behaviour's press/release (one file per behaviour; adding one is a file, a row and a case here). */
#include "core/engine_int.h"
#include "core/rom.h"

/* Keycodes the engine does not implement (macros, lighting...) are held and ignored (ENG_BHV_NONE).
 * Those core/engine_mods.c takes before any behaviour (CW_TOGG, AS_*, KO_*, QK_REP, QK_AREP,
 * QK_LLCK, SC_*) never reach this table. */
typedef struct bhv_range {
    kc_t lo, hi;
    uint8_t bhv; /* ENG_BHV_* */
} bhv_range_t;

static const bhv_range_t ranges[] ROM_DATA = {
    {0x0000u, 0x00CCu, ENG_BHV_KEY},             /* keyboard, system, consumer */
    {0x00CDu, 0x00DFu, ENG_BHV_MOUSE},           /* mouse keys */
    {0x00E0u, QK_MODS_MAX, ENG_BHV_KEY},         /* modifiers; modded keycodes, KC_HYPR/MEH */
    {QK_MOD_TAP, QK_MOD_TAP_MAX, ENG_BHV_MOD_TAP},
    {QK_LAYER_TAP, QK_LAYER_TAP_MAX, ENG_BHV_LAYER_TAP},
    {QK_LAYER_MOD, QK_TOGGLE_LAYER_MAX, ENG_BHV_LAYER}, /* LM TO MO DF TG */
    {QK_ONE_SHOT_LAYER, QK_ONE_SHOT_LAYER_MAX, ENG_BHV_OSL},
    {QK_ONE_SHOT_MOD, QK_ONE_SHOT_MOD_MAX, ENG_BHV_OSM},
    {QK_LAYER_TAP_TOGGLE, QK_LAYER_TAP_TOGGLE_MAX, ENG_BHV_TAP_TOGGLE},
    {QK_PERSISTENT_DEF_LAYER, QK_PERSISTENT_DEF_LAYER_MAX, ENG_BHV_LAYER},
#if ENGINE_HAS_TAP_DANCE
    {QK_TAP_DANCE, QK_TAP_DANCE_MAX, ENG_BHV_TAP_DANCE},
#endif
    {NK_ON, NK_TOGG, ENG_BHV_SYSTEM},
#if ENGINE_HAS_MACRO
    {QK_MACRO, QK_MACRO_MAX, ENG_BHV_MACRO},
#endif
    {QK_BOOT, QK_REBOOT, ENG_BHV_SYSTEM},
    {QK_CLEAR_EEPROM, QK_CLEAR_EEPROM, ENG_BHV_SYSTEM},
#if ENGINE_HAS_GRAVE_ESC
    {QK_GRAVE_ESCAPE, QK_GRAVE_ESCAPE, ENG_BHV_GRAVE_ESC},
#endif
#if ENGINE_HAS_UNICODE
    {QK_UNICODE_MODE_NEXT, QK_UNICODE_MODE_EMACS, ENG_BHV_UC_MODE},
#endif
#if ENGINE_HAS_COMBO
    {QK_COMBO_ON, QK_COMBO_TOGGLE, ENG_BHV_COMBO_CTL},
#endif
#if ENGINE_HAS_DYNMACRO
    {QK_DYNAMIC_MACRO_RECORD_START_1, QK_DYNAMIC_MACRO_PLAY_2, ENG_BHV_DYNMACRO},
#endif
#if ENGINE_HAS_LEADER
    {QK_LEADER, QK_LEADER, ENG_BHV_LEADER},
#endif
    {QK_ONE_SHOT_ON, QK_ONE_SHOT_TOGGLE, ENG_BHV_OS_CTL},
#if ENGINE_HAS_TRI_LAYER
    {QK_TRI_LAYER_LOWER, QK_TRI_LAYER_UPPER, ENG_BHV_TRI_LAYER},
#endif
#if ENGINE_HAS_DRIVE_KEY
    {KS_DRIVE_TOGGLE, KS_DRIVE_TOGGLE, ENG_BHV_SYSTEM},
#endif
#if ENGINE_HAS_UNICODE
    {QK_UNICODE, QK_UNICODE_MAX, ENG_BHV_UNICODE},
#endif
};

uint8_t eng_bhv_for(kc_t kc)
{
    /* most keys are plain keys: answer them without the scan */
    if (kc < 0x00CDu) return ENG_BHV_KEY;
    for (uint8_t i = 1; i < sizeof ranges / sizeof ranges[0]; i++) {
        if (kc < ROM_RD16(&ranges[i].lo)) break; /* the table is sorted */
        if (kc <= ROM_RD16(&ranges[i].hi)) return ROM_RD8(&ranges[i].bhv);
    }
    return ENG_BHV_NONE;
}

/* Direct calls, one per behaviour: each has this one caller, where the compiler inlines it. The
 * ATmega32U4 image is built without jump tables (mk/avr.mk); this switch is the exception, where
 * one table is smaller than the compare tree (-52 B). */
#define ACT(name) eng_bhv_##name(e, k, down); break

#ifdef __AVR__
__attribute__((optimize("jump-tables")))
#endif
void eng_bhv_act(engine_t *e, engine_held_t *k, bool down)
{
    switch (eng_bhv_for(k->kc)) {
    case ENG_BHV_KEY: ACT(key);
    case ENG_BHV_MOUSE: ACT(mouse);
    case ENG_BHV_MOD_TAP: ACT(mod_tap);
    case ENG_BHV_LAYER_TAP: ACT(layer_tap);
    case ENG_BHV_OSM: ACT(osm);
    case ENG_BHV_TAP_TOGGLE: ACT(tap_toggle);
    case ENG_BHV_OSL: ACT(osl);
    case ENG_BHV_LAYER: ACT(layer);
#if ENGINE_HAS_TRI_LAYER
    case ENG_BHV_TRI_LAYER: ACT(tri_layer);
#endif
    case ENG_BHV_OS_CTL: ACT(os_ctl);
    case ENG_BHV_SYSTEM: ACT(system);
#if ENGINE_HAS_MACRO
    case ENG_BHV_MACRO: ACT(macro);
#endif
#if ENGINE_HAS_UNICODE
    case ENG_BHV_UNICODE: ACT(unicode);
    case ENG_BHV_UC_MODE: ACT(uc_mode);
#endif
#if ENGINE_HAS_LEADER
    case ENG_BHV_LEADER: ACT(leader);
#endif
#if ENGINE_HAS_DYNMACRO
    case ENG_BHV_DYNMACRO: ACT(dynmacro);
#endif
#if ENGINE_HAS_TAP_DANCE
    case ENG_BHV_TAP_DANCE: ACT(tap_dance);
#endif
#if ENGINE_HAS_COMBO
    case ENG_BHV_COMBO_CTL: ACT(combo_ctl);
#endif
#if ENGINE_HAS_GRAVE_ESC
    case ENG_BHV_GRAVE_ESC: ACT(grave_esc);
#endif
    default: break; /* ENG_BHV_NONE */
    }
}
