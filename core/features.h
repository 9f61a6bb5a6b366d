/* Which of the optional behaviours (issue 9) this build of the engine has. Every target has all of them but
 * the ATmega32U4, whose flash cannot hold them next to the rest of the firmware (sizes in
 * docs/performance.md); a build may override any switch with -DENGINE_HAS_...=0/1. The config
 * loader (cfg_finish in config/load.c) warns about these keys in an ATmega32U4 keymap. */
#ifndef KESTREL_CORE_FEATURES_H
#define KESTREL_CORE_FEATURES_H

#if defined(__AVR__)
#define ENGINE_FEATURE_DEFAULT 0
#else
#define ENGINE_FEATURE_DEFAULT 1
#endif

#ifndef ENGINE_HAS_MACRO       /* MC_n and the sequence player */
#define ENGINE_HAS_MACRO ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_UNICODE     /* UC() UM() UP(), UC_NEXT .. UC_EMAC */
#define ENGINE_HAS_UNICODE ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_LEADER      /* QK_LEAD */
#define ENGINE_HAS_LEADER ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_DYNMACRO    /* DM_REC1 .. DM_PLY2 */
#define ENGINE_HAS_DYNMACRO ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_COMBO       /* the combo stage, CM_ON CM_OFF CM_TOGG */
#define ENGINE_HAS_COMBO ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_TAP_DANCE   /* TD(i): on every target, the ATmega32U4 included (it fits) */
#define ENGINE_HAS_TAP_DANCE 1
#endif
/* The modifier behaviours, one switch each (AVR flash in docs/performance.md); those behind the
 * event hook (core/engine_mods.c) bring the hook with them. */
#ifndef ENGINE_HAS_CAPS_WORD   /* CW_TOGG, caps word by Shift */
#define ENGINE_HAS_CAPS_WORD ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_AUTO_SHIFT  /* auto shift, AS_*, retro shift */
#define ENGINE_HAS_AUTO_SHIFT ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_KEY_OVERRIDE /* key_overrides, KO_* */
#define ENGINE_HAS_KEY_OVERRIDE ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_REPEAT_KEY  /* QK_REP QK_AREP */
#define ENGINE_HAS_REPEAT_KEY ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_LAYER_LOCK  /* QK_LLCK */
#define ENGINE_HAS_LAYER_LOCK ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_SPACE_CADET /* SC_* */
#define ENGINE_HAS_SPACE_CADET ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_KEY_CANCEL  /* key_cancellation (SOCD) */
#define ENGINE_HAS_KEY_CANCEL ENGINE_FEATURE_DEFAULT
#endif
#define ENGINE_HAS_MODS (ENGINE_HAS_CAPS_WORD || ENGINE_HAS_AUTO_SHIFT || ENGINE_HAS_KEY_OVERRIDE || \
                         ENGINE_HAS_REPEAT_KEY || ENGINE_HAS_LAYER_LOCK || ENGINE_HAS_SPACE_CADET || \
                         ENGINE_HAS_KEY_CANCEL)
#ifndef ENGINE_HAS_GRAVE_ESC   /* QK_GESC */
#define ENGINE_HAS_GRAVE_ESC ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_TRI_LAYER   /* TL_LOWR TL_UPPR */
#define ENGINE_HAS_TRI_LAYER ENGINE_FEATURE_DEFAULT
#endif
#ifndef ENGINE_HAS_MOUSE_MODES /* mouse_key.mode other than the default acceleration */
#define ENGINE_HAS_MOUSE_MODES ENGINE_FEATURE_DEFAULT
#endif

#ifndef ENGINE_HAS_DRIVE_KEY    /* KS_DRIVE_TOGGLE reaches the firmware (no drive on the ATmega32U4) */
#define ENGINE_HAS_DRIVE_KEY ENGINE_FEATURE_DEFAULT
#endif

/* Unicode, leader results and dynamic macros are played by the macro player. */
#define ENGINE_HAS_PLAYER (ENGINE_HAS_MACRO || ENGINE_HAS_UNICODE || ENGINE_HAS_LEADER || ENGINE_HAS_DYNMACRO)

#endif
