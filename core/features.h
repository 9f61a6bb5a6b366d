/* Which of the optional behaviours (issue 9) this build of the engine has. Every target has all of
 * them but the ATmega32U4, whose flash holds only some next to the rest of the firmware: the
 * ENGINE_AVR_* values below say which the main image has, and the ENGINE_AVR_IMAGE_* lines the
 * further images (sizes and the reasons in docs/boards/atmega32u4.md). A build may override any
 * switch with -DENGINE_HAS_...=0/1. config/avr_images.c reads both to pick an ATmega32U4 keymap's
 * image and to warn about what none of them holds together. */
#ifndef KESTREL_CORE_FEATURES_H
#define KESTREL_CORE_FEATURES_H

/* The main ATmega32U4 image: 1 = built in. Every behaviour but the three biggest (unicode input,
 * auto shift, the mouse key modes), which the further images below add to the same set; all
 * of them keep at least the 1,536 bytes of config region the link insists on (make avr-bench prints
 * what is left; docs/boards/atmega32u4.md, "The images"). */
#define ENGINE_AVR_MACRO        1
#define ENGINE_AVR_UNICODE      0
#define ENGINE_AVR_LEADER       1
#define ENGINE_AVR_DYNMACRO     1
#define ENGINE_AVR_COMBO        1
#define ENGINE_AVR_TAP_DANCE    1
#define ENGINE_AVR_CAPS_WORD    1
#define ENGINE_AVR_AUTO_SHIFT   0
#define ENGINE_AVR_KEY_OVERRIDE 1
#define ENGINE_AVR_REPEAT_KEY   1
#define ENGINE_AVR_LAYER_LOCK   1
#define ENGINE_AVR_SPACE_CADET  1
#define ENGINE_AVR_KEY_CANCEL   1
#define ENGINE_AVR_GRAVE_ESC    1
#define ENGINE_AVR_TRI_LAYER    1
#define ENGINE_AVR_MOUSE_MODES  0
#define ENGINE_AVR_DRIVE_KEY    0 /* no drive on the ATmega32U4 */

/* Further ATmega32U4 images, for keymaps that use a behaviour the main image above leaves out:
 * `kestrel build` (config/avr_images.c) picks the first image that has every behaviour a keymap
 * uses, and mk/avr.mk builds each as kestrel-atmega32u4-<name> with exactly these ENGINE_HAS_*
 * switches on (names as in ENGINE_HAS_*; one line each, the build reads them with sed and makes
 * <name> lower case with '-' for '_', and config/avr_images.c lists each by name for the tool: a
 * new line goes there too). Each holds the main image's behaviours and one, two or all three of
 * the three it leaves out; the images with fewer come first, as they leave the most config region.
 * The last, -all, has every behaviour (the `make avr-bench` line "with every issue-9 behaviour"). */
#define ENGINE_AVR_IMAGE_SEQ        "UNICODE LEADER DYNMACRO MACRO COMBO TAP_DANCE CAPS_WORD KEY_OVERRIDE REPEAT_KEY LAYER_LOCK SPACE_CADET KEY_CANCEL GRAVE_ESC TRI_LAYER"
#define ENGINE_AVR_IMAGE_MODS       "AUTO_SHIFT LEADER DYNMACRO MACRO COMBO TAP_DANCE CAPS_WORD KEY_OVERRIDE REPEAT_KEY LAYER_LOCK SPACE_CADET KEY_CANCEL GRAVE_ESC TRI_LAYER"
#define ENGINE_AVR_IMAGE_MOUSE      "MOUSE_MODES LEADER DYNMACRO MACRO COMBO TAP_DANCE CAPS_WORD KEY_OVERRIDE REPEAT_KEY LAYER_LOCK SPACE_CADET KEY_CANCEL GRAVE_ESC TRI_LAYER"
#define ENGINE_AVR_IMAGE_SEQ_MOUSE  "UNICODE MOUSE_MODES LEADER DYNMACRO MACRO COMBO TAP_DANCE CAPS_WORD KEY_OVERRIDE REPEAT_KEY LAYER_LOCK SPACE_CADET KEY_CANCEL GRAVE_ESC TRI_LAYER"
#define ENGINE_AVR_IMAGE_SEQ_MODS   "UNICODE AUTO_SHIFT LEADER DYNMACRO MACRO COMBO TAP_DANCE CAPS_WORD KEY_OVERRIDE REPEAT_KEY LAYER_LOCK SPACE_CADET KEY_CANCEL GRAVE_ESC TRI_LAYER"
#define ENGINE_AVR_IMAGE_MODS_MOUSE "AUTO_SHIFT MOUSE_MODES LEADER DYNMACRO MACRO COMBO TAP_DANCE CAPS_WORD KEY_OVERRIDE REPEAT_KEY LAYER_LOCK SPACE_CADET KEY_CANCEL GRAVE_ESC TRI_LAYER"
#define ENGINE_AVR_IMAGE_ALL        "UNICODE AUTO_SHIFT MOUSE_MODES LEADER DYNMACRO MACRO COMBO TAP_DANCE CAPS_WORD KEY_OVERRIDE REPEAT_KEY LAYER_LOCK SPACE_CADET KEY_CANCEL GRAVE_ESC TRI_LAYER"

#if defined(__AVR__)
#define ENGINE_FEATURE(avr) (avr)
#define ENGINE_FEATURE_DEFAULT 0
#else
#define ENGINE_FEATURE(avr) 1
#define ENGINE_FEATURE_DEFAULT 1
#endif

#ifndef ENGINE_HAS_MACRO       /* MC_n and the sequence player */
#define ENGINE_HAS_MACRO ENGINE_FEATURE(ENGINE_AVR_MACRO)
#endif
#ifndef ENGINE_HAS_UNICODE     /* UC() UM() UP(), UC_NEXT .. UC_EMAC */
#define ENGINE_HAS_UNICODE ENGINE_FEATURE(ENGINE_AVR_UNICODE)
#endif
#ifndef ENGINE_HAS_LEADER      /* QK_LEAD */
#define ENGINE_HAS_LEADER ENGINE_FEATURE(ENGINE_AVR_LEADER)
#endif
#ifndef ENGINE_HAS_DYNMACRO    /* DM_REC1 .. DM_PLY2 */
#define ENGINE_HAS_DYNMACRO ENGINE_FEATURE(ENGINE_AVR_DYNMACRO)
#endif
#ifndef ENGINE_HAS_COMBO       /* the combo stage, CM_ON CM_OFF CM_TOGG */
#define ENGINE_HAS_COMBO ENGINE_FEATURE(ENGINE_AVR_COMBO)
#endif
#ifndef ENGINE_HAS_TAP_DANCE   /* TD(i) */
#define ENGINE_HAS_TAP_DANCE ENGINE_FEATURE(ENGINE_AVR_TAP_DANCE)
#endif
/* The modifier behaviours, one switch each; those behind the event hook (core/engine_mods.c)
 * bring the hook with them. */
#ifndef ENGINE_HAS_CAPS_WORD   /* CW_TOGG, caps word by Shift */
#define ENGINE_HAS_CAPS_WORD ENGINE_FEATURE(ENGINE_AVR_CAPS_WORD)
#endif
#ifndef ENGINE_HAS_AUTO_SHIFT  /* auto shift, AS_*, retro shift */
#define ENGINE_HAS_AUTO_SHIFT ENGINE_FEATURE(ENGINE_AVR_AUTO_SHIFT)
#endif
#ifndef ENGINE_HAS_KEY_OVERRIDE /* key_overrides, KO_* */
#define ENGINE_HAS_KEY_OVERRIDE ENGINE_FEATURE(ENGINE_AVR_KEY_OVERRIDE)
#endif
#ifndef ENGINE_HAS_REPEAT_KEY  /* QK_REP QK_AREP */
#define ENGINE_HAS_REPEAT_KEY ENGINE_FEATURE(ENGINE_AVR_REPEAT_KEY)
#endif
#ifndef ENGINE_HAS_LAYER_LOCK  /* QK_LLCK */
#define ENGINE_HAS_LAYER_LOCK ENGINE_FEATURE(ENGINE_AVR_LAYER_LOCK)
#endif
#ifndef ENGINE_HAS_SPACE_CADET /* SC_* */
#define ENGINE_HAS_SPACE_CADET ENGINE_FEATURE(ENGINE_AVR_SPACE_CADET)
#endif
#ifndef ENGINE_HAS_KEY_CANCEL  /* key_cancellation (SOCD) */
#define ENGINE_HAS_KEY_CANCEL ENGINE_FEATURE(ENGINE_AVR_KEY_CANCEL)
#endif
#define ENGINE_HAS_MODS (ENGINE_HAS_CAPS_WORD || ENGINE_HAS_AUTO_SHIFT || ENGINE_HAS_KEY_OVERRIDE || \
                         ENGINE_HAS_REPEAT_KEY || ENGINE_HAS_LAYER_LOCK || ENGINE_HAS_SPACE_CADET || \
                         ENGINE_HAS_KEY_CANCEL)
#ifndef ENGINE_HAS_GRAVE_ESC   /* QK_GESC */
#define ENGINE_HAS_GRAVE_ESC ENGINE_FEATURE(ENGINE_AVR_GRAVE_ESC)
#endif
#ifndef ENGINE_HAS_TRI_LAYER   /* TL_LOWR TL_UPPR */
#define ENGINE_HAS_TRI_LAYER ENGINE_FEATURE(ENGINE_AVR_TRI_LAYER)
#endif
#ifndef ENGINE_HAS_MOUSE_MODES /* mouse_key.mode other than the default acceleration */
#define ENGINE_HAS_MOUSE_MODES ENGINE_FEATURE(ENGINE_AVR_MOUSE_MODES)
#endif

#ifndef ENGINE_HAS_DRIVE_KEY    /* KS_DRIVE_TOGGLE reaches the firmware */
#define ENGINE_HAS_DRIVE_KEY ENGINE_FEATURE(ENGINE_AVR_DRIVE_KEY)
#endif

/* Unicode, leader results and dynamic macros are played by the macro player. */
#define ENGINE_HAS_PLAYER (ENGINE_HAS_MACRO || ENGINE_HAS_UNICODE || ENGINE_HAS_LEADER || ENGINE_HAS_DYNMACRO)

#endif
