/* Behaviour dispatch: keycode range -> behaviour, one table (ZMK's shape: each behaviour is a small
 * object with press/release; adding one is a new file and a row here). */
#include "core/engine_int.h"
#include "core/rom.h"

static void none_press(engine_t *e, engine_held_t *k) { (void)e; (void)k; }

/* Keycodes the engine does not implement (macros, lighting...) are held and ignored.
 * Those core/engine_mods.c takes before any behaviour (CW_TOGG, AS_*, KO_*, QK_REP, QK_AREP,
 * QK_LLCK, SC_*) never reach this table. */
static const engine_bhv_t bhv_none ROM_DATA = {none_press, none_press, 0};

typedef struct bhv_range {
    kc_t lo, hi;
    const engine_bhv_t *bhv;
} bhv_range_t;

static const bhv_range_t ranges[] ROM_DATA = {
    {0x0000u, 0x00CCu, &eng_bhv_key},             /* keyboard, system, consumer */
    {0x00CDu, 0x00DFu, &eng_bhv_mouse},           /* mouse keys */
    {0x00E0u, QK_MODS_MAX, &eng_bhv_key},         /* modifiers; modded keycodes, KC_HYPR/MEH */
    {QK_MOD_TAP, QK_MOD_TAP_MAX, &eng_bhv_mod_tap},
    {QK_LAYER_TAP, QK_LAYER_TAP_MAX, &eng_bhv_layer_tap},
    {QK_LAYER_MOD, QK_TOGGLE_LAYER_MAX, &eng_bhv_layer}, /* LM TO MO DF TG */
    {QK_ONE_SHOT_LAYER, QK_ONE_SHOT_LAYER_MAX, &eng_bhv_osl},
    {QK_ONE_SHOT_MOD, QK_ONE_SHOT_MOD_MAX, &eng_bhv_osm},
    {QK_LAYER_TAP_TOGGLE, QK_LAYER_TAP_TOGGLE_MAX, &eng_bhv_tap_toggle},
    {QK_PERSISTENT_DEF_LAYER, QK_PERSISTENT_DEF_LAYER_MAX, &eng_bhv_layer},
#if ENGINE_HAS_TAP_DANCE
    {QK_TAP_DANCE, QK_TAP_DANCE_MAX, &eng_bhv_tap_dance},
#endif
    {NK_ON, NK_TOGG, &eng_bhv_system},
#if ENGINE_HAS_MACRO
    {QK_MACRO, QK_MACRO_MAX, &eng_bhv_macro},
#endif
    {QK_BOOT, QK_REBOOT, &eng_bhv_system},
    {QK_CLEAR_EEPROM, QK_CLEAR_EEPROM, &eng_bhv_system},
#if ENGINE_HAS_GRAVE_ESC
    {QK_GRAVE_ESCAPE, QK_GRAVE_ESCAPE, &eng_bhv_grave_esc},
#endif
#if ENGINE_HAS_UNICODE
    {QK_UNICODE_MODE_NEXT, QK_UNICODE_MODE_EMACS, &eng_bhv_uc_mode},
#endif
#if ENGINE_HAS_COMBO
    {QK_COMBO_ON, QK_COMBO_TOGGLE, &eng_bhv_combo_ctl},
#endif
#if ENGINE_HAS_DYNMACRO
    {QK_DYNAMIC_MACRO_RECORD_START_1, QK_DYNAMIC_MACRO_PLAY_2, &eng_bhv_dynmacro},
#endif
#if ENGINE_HAS_LEADER
    {QK_LEADER, QK_LEADER, &eng_bhv_leader},
#endif
    {QK_ONE_SHOT_ON, QK_ONE_SHOT_TOGGLE, &eng_bhv_os_ctl},
#if ENGINE_HAS_TRI_LAYER
    {QK_TRI_LAYER_LOWER, QK_TRI_LAYER_UPPER, &eng_bhv_tri_layer},
#endif
#if ENGINE_HAS_DRIVE_KEY
    {KS_DRIVE_TOGGLE, KS_DRIVE_TOGGLE, &eng_bhv_system},
#endif
#if ENGINE_HAS_UNICODE
    {QK_UNICODE, QK_UNICODE_MAX, &eng_bhv_unicode},
#endif
};

const engine_bhv_t *eng_bhv_for(kc_t kc)
{
    /* most keys are plain keys: answer them without the scan */
    if (kc < 0x00CDu) return &eng_bhv_key;
    for (uint8_t i = 1; i < sizeof ranges / sizeof ranges[0]; i++) {
        if (kc < ROM_RD16(&ranges[i].lo)) break; /* the table is sorted */
        if (kc <= ROM_RD16(&ranges[i].hi)) return (const engine_bhv_t *)ROM_RDPTR(&ranges[i].bhv);
    }
    return &bhv_none;
}

void eng_bhv_act(engine_t *e, engine_held_t *k, bool down)
{
    const engine_bhv_t *b = eng_bhv_for(k->kc);
#ifdef __AVR__
    void (*fn)(engine_t *, engine_held_t *) =
        (void (*)(engine_t *, engine_held_t *))pgm_read_word(down ? (const void *)&b->press : (const void *)&b->release);
#else
    void (*fn)(engine_t *, engine_held_t *) = down ? b->press : b->release;
#endif
    fn(e, k);
}

uint8_t eng_bhv_flags(kc_t kc)
{
    return ROM_RD8(&eng_bhv_for(kc)->flags);
}
