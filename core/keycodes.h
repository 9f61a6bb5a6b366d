/* QMK's 16-bit keycode numbering (keycodes version 0.0.x, QMK >= 0.19), as values and decoders.
 * The numbers are facts of QMK's public keycode tables, so that Vial/VIA clients and QMK keymaps
 * mean the same thing here. Names (text) live in config/; the engine only needs the numbers. */
#ifndef KESTREL_CORE_KEYCODES_H
#define KESTREL_CORE_KEYCODES_H

#include <stdint.h>

typedef uint16_t kc_t;

/* ---- ranges ---------------------------------------------------------------------------- */
#define QK_BASIC                0x0000u
#define QK_BASIC_MAX            0x00FFu
#define QK_MODS                 0x0100u
#define QK_MODS_MAX             0x1FFFu
#define QK_MOD_TAP              0x2000u
#define QK_MOD_TAP_MAX          0x3FFFu
#define QK_LAYER_TAP            0x4000u
#define QK_LAYER_TAP_MAX        0x4FFFu
#define QK_LAYER_MOD            0x5000u
#define QK_LAYER_MOD_MAX        0x51FFu
#define QK_TO                   0x5200u
#define QK_TO_MAX               0x521Fu
#define QK_MOMENTARY            0x5220u
#define QK_MOMENTARY_MAX        0x523Fu
#define QK_DEF_LAYER            0x5240u
#define QK_DEF_LAYER_MAX        0x525Fu
#define QK_TOGGLE_LAYER         0x5260u
#define QK_TOGGLE_LAYER_MAX     0x527Fu
#define QK_ONE_SHOT_LAYER       0x5280u
#define QK_ONE_SHOT_LAYER_MAX   0x529Fu
#define QK_ONE_SHOT_MOD         0x52A0u
#define QK_ONE_SHOT_MOD_MAX     0x52BFu
#define QK_LAYER_TAP_TOGGLE     0x52C0u
#define QK_LAYER_TAP_TOGGLE_MAX 0x52DFu
#define QK_PERSISTENT_DEF_LAYER     0x52E0u
#define QK_PERSISTENT_DEF_LAYER_MAX 0x52FFu
#define QK_SWAP_HANDS           0x5600u
#define QK_SWAP_HANDS_MAX       0x56FFu
#define QK_TAP_DANCE            0x5700u
#define QK_TAP_DANCE_MAX        0x57FFu
#define QK_MAGIC                0x7000u
#define QK_MAGIC_MAX            0x70FFu
#define QK_MIDI                 0x7100u
#define QK_MIDI_MAX             0x71FFu
#define QK_SEQUENCER            0x7200u
#define QK_SEQUENCER_MAX        0x73FFu
#define QK_JOYSTICK             0x7400u
#define QK_JOYSTICK_MAX         0x743Fu
#define QK_PROGRAMMABLE_BUTTON      0x7440u
#define QK_PROGRAMMABLE_BUTTON_MAX  0x747Fu
#define QK_AUDIO                0x7480u
#define QK_AUDIO_MAX            0x74BFu
#define QK_STENO                0x74C0u
#define QK_STENO_MAX            0x74FFu
#define QK_MACRO                0x7700u
#define QK_MACRO_MAX            0x777Fu
#define QK_CONNECTION           0x7780u
#define QK_CONNECTION_MAX       0x77BFu
#define QK_COMMUNITY_MODULE     0x77C0u
#define QK_COMMUNITY_MODULE_MAX 0x77FFu
#define QK_LIGHTING             0x7800u
#define QK_LIGHTING_MAX         0x78FFu
#define QK_QUANTUM              0x7C00u
#define QK_QUANTUM_MAX          0x7DFFu
#define QK_KB                   0x7E00u
#define QK_KB_MAX               0x7E3Fu
#define QK_USER                 0x7E40u
#define QK_USER_MAX             0x7FFFu
#define QK_UNICODE              0x8000u
#define QK_UNICODE_MAX          0xFFFFu
#define QK_UNICODEMAP           0x8000u
#define QK_UNICODEMAP_MAX       0xBFFFu
#define QK_UNICODEMAP_PAIR      0xC000u
#define QK_UNICODEMAP_PAIR_MAX  0xFFFFu

#define KC_IN(kc, lo, hi) ((kc_t)(kc) >= (lo) && (kc_t)(kc) <= (hi))

/* ---- 5-bit packed mods (QK_MODS, MT, LM, OSM) ------------------------------------------- */
#define MOD_LCTL 0x01u
#define MOD_LSFT 0x02u
#define MOD_LALT 0x04u
#define MOD_LGUI 0x08u
#define MOD_RCTL 0x11u
#define MOD_RSFT 0x12u
#define MOD_RALT 0x14u
#define MOD_RGUI 0x18u
#define MOD_MEH  0x07u
#define MOD_HYPR 0x0Fu

/* 8-bit HID modifier byte */
#define MOD_BIT_LCTRL  0x01u
#define MOD_BIT_LSHIFT 0x02u
#define MOD_BIT_LALT   0x04u
#define MOD_BIT_LGUI   0x08u
#define MOD_BIT_RCTRL  0x10u
#define MOD_BIT_RSHIFT 0x20u
#define MOD_BIT_RALT   0x40u
#define MOD_BIT_RGUI   0x80u
#define MOD_MASK_CTRL  (MOD_BIT_LCTRL | MOD_BIT_RCTRL)
#define MOD_MASK_SHIFT (MOD_BIT_LSHIFT | MOD_BIT_RSHIFT)
#define MOD_MASK_ALT   (MOD_BIT_LALT | MOD_BIT_RALT)
#define MOD_MASK_GUI   (MOD_BIT_LGUI | MOD_BIT_RGUI)

/* 5-bit packed mods -> 8-bit HID mod byte: bit 4 makes every set bit a right-hand mod. */
#if defined(__AVR__)
uint8_t kc_mods5_to_bits(uint8_t m5); /* one copy in hid_usage.c: LTO kept the inline one per file */
#else
static inline uint8_t kc_mods5_to_bits(uint8_t m5)
{
    return (m5 & 0x10u) ? (uint8_t)((m5 & 0x0Fu) << 4) : (uint8_t)(m5 & 0x0Fu);
}
#endif

/* ---- constructors and decoders --------------------------------------------------------- */
#define QK_MODS_GET_MODS(kc)          ((uint8_t)(((kc) >> 8) & 0x1Fu))
#define QK_MODS_GET_BASIC(kc)         ((uint8_t)((kc) & 0xFFu))
#define QK_MOD_TAP_GET_MODS(kc)       ((uint8_t)(((kc) >> 8) & 0x1Fu))
#define QK_MOD_TAP_GET_TAP(kc)        ((uint8_t)((kc) & 0xFFu))
#define QK_LAYER_TAP_GET_LAYER(kc)    ((uint8_t)(((kc) >> 8) & 0x0Fu))
#define QK_LAYER_TAP_GET_TAP(kc)      ((uint8_t)((kc) & 0xFFu))
#define QK_LAYER_MOD_GET_LAYER(kc)    ((uint8_t)(((kc) >> 5) & 0x0Fu))
#define QK_LAYER_MOD_GET_MODS(kc)     ((uint8_t)((kc) & 0x1Fu))
#define QK_LAYER_GET(kc)              ((uint8_t)((kc) & 0x1Fu))
#define QK_ONE_SHOT_MOD_GET_MODS(kc)  ((uint8_t)((kc) & 0x1Fu))

/* no QK_MODS term: its 0x0100 is the Ctrl bit itself (KC_MODS(MOD_LSFT, KC_1) = 0x021E) */
#define KC_MODS(m5, kc)  ((kc_t)((((m5) & 0x1Fu) << 8) | ((kc) & 0xFFu)))
#define KC_MT(m5, kc)    ((kc_t)(QK_MOD_TAP | (((m5) & 0x1Fu) << 8) | ((kc) & 0xFFu)))
#define KC_LT(l, kc)     ((kc_t)(QK_LAYER_TAP | (((l) & 0x0Fu) << 8) | ((kc) & 0xFFu)))
#define KC_LM(l, m5)     ((kc_t)(QK_LAYER_MOD | (((l) & 0x0Fu) << 5) | ((m5) & 0x1Fu)))
#define KC_TO(l)         ((kc_t)(QK_TO | ((l) & 0x1Fu)))
#define KC_MO(l)         ((kc_t)(QK_MOMENTARY | ((l) & 0x1Fu)))
#define KC_DF(l)         ((kc_t)(QK_DEF_LAYER | ((l) & 0x1Fu)))
#define KC_TG(l)         ((kc_t)(QK_TOGGLE_LAYER | ((l) & 0x1Fu)))
#define KC_OSL(l)        ((kc_t)(QK_ONE_SHOT_LAYER | ((l) & 0x1Fu)))
#define KC_OSM(m5)       ((kc_t)(QK_ONE_SHOT_MOD | ((m5) & 0x1Fu)))
#define KC_TT(l)         ((kc_t)(QK_LAYER_TAP_TOGGLE | ((l) & 0x1Fu)))
#define KC_PDF(l)        ((kc_t)(QK_PERSISTENT_DEF_LAYER | ((l) & 0x1Fu)))
#define KC_TD(i)         ((kc_t)(QK_TAP_DANCE | ((i) & 0xFFu)))
#define KC_MC(i)         ((kc_t)(QK_MACRO | ((i) & 0x7Fu)))

/* ---- basic keycodes the engine treats specially ------------------------------------------ */
#define KC_NO            0x0000u
#define KC_TRANSPARENT   0x0001u
#define KC_TRNS          KC_TRANSPARENT
#define KC_A             0x0004u
#define KC_Z             0x001Du
#define KC_1             0x001Eu
#define KC_0             0x0027u
#define KC_ENTER         0x0028u
#define KC_ESCAPE        0x0029u
#define KC_BACKSPACE     0x002Au
#define KC_TAB           0x002Bu
#define KC_SPACE         0x002Cu
#define KC_MINUS         0x002Du
#define KC_EQUAL         0x002Eu
#define KC_LEFT_BRACKET  0x002Fu
#define KC_RIGHT_BRACKET 0x0030u
#define KC_BACKSLASH     0x0031u
#define KC_SEMICOLON     0x0033u
#define KC_QUOTE         0x0034u
#define KC_GRAVE         0x0035u
#define KC_COMMA         0x0036u
#define KC_DOT           0x0037u
#define KC_SLASH         0x0038u
#define KC_CAPS_LOCK     0x0039u
#define KC_F1            0x003Au
#define KC_DELETE        0x004Cu
#define KC_NUM_LOCK      0x0053u
#define KC_KP_PLUS       0x0057u
#define KC_KP_1          0x0059u
#define KC_KP_0          0x0062u
#define KC_RIGHT         0x004Fu
#define KC_LEFT          0x0050u
#define KC_DOWN          0x0051u
#define KC_UP            0x0052u
#define KC_EXSEL         0x00A4u  /* last HID keyboard usage QMK maps 1:1 */

/* QMK-internal basic codes: system, consumer, mouse */
#define KC_SYSTEM_POWER      0x00A5u
#define KC_SYSTEM_WAKE       0x00A7u
#define KC_AUDIO_MUTE        0x00A8u
#define KC_LAUNCHPAD         0x00C2u
#define QK_MOUSE_CURSOR_UP   0x00CDu
#define QK_MOUSE_CURSOR_DOWN 0x00CEu
#define QK_MOUSE_CURSOR_LEFT 0x00CFu
#define QK_MOUSE_CURSOR_RIGHT 0x00D0u
#define QK_MOUSE_BUTTON_1    0x00D1u
#define QK_MOUSE_BUTTON_8    0x00D8u
#define QK_MOUSE_WHEEL_UP    0x00D9u
#define QK_MOUSE_WHEEL_DOWN  0x00DAu
#define QK_MOUSE_WHEEL_LEFT  0x00DBu
#define QK_MOUSE_WHEEL_RIGHT 0x00DCu
#define QK_MOUSE_ACCELERATION_0 0x00DDu
#define QK_MOUSE_ACCELERATION_2 0x00DFu

#define KC_LEFT_CTRL     0x00E0u
#define KC_LEFT_SHIFT    0x00E1u
#define KC_LEFT_ALT      0x00E2u
#define KC_LEFT_GUI      0x00E3u
#define KC_RIGHT_CTRL    0x00E4u
#define KC_RIGHT_SHIFT   0x00E5u
#define KC_RIGHT_ALT     0x00E6u
#define KC_RIGHT_GUI     0x00E7u

#define IS_BASIC_KEYBOARD(kc) ((kc) >= 0x04u && (kc) <= KC_EXSEL)
#define IS_SYSTEM_KC(kc)      ((kc) >= 0xA5u && (kc) <= 0xA7u)
#define IS_CONSUMER_KC(kc)    ((kc) >= 0xA8u && (kc) <= 0xC2u)
#define IS_MOUSE_KC(kc)       ((kc) >= 0xCDu && (kc) <= 0xDFu)
#define IS_MODIFIER_KC(kc)    ((kc) >= 0xE0u && (kc) <= 0xE7u)

/* ---- quantum keycodes the engine implements (values from QMK's tables) ------------------ */
#define QK_BOOT          0x7C00u
#define QK_REBOOT        0x7C01u
#define QK_DEBUG_TOGGLE  0x7C02u
#define QK_CLEAR_EEPROM  0x7C03u
#define QK_GRAVE_ESCAPE  0x7C16u
#define QK_COMBO_ON        0x7C50u
#define QK_COMBO_OFF       0x7C51u
#define QK_COMBO_TOGGLE    0x7C52u
#define QK_ONE_SHOT_ON     0x7C5Au
#define QK_ONE_SHOT_OFF    0x7C5Bu
#define QK_ONE_SHOT_TOGGLE 0x7C5Cu
#define QK_UNICODE_MODE_NEXT       0x7C30u
#define QK_UNICODE_MODE_PREVIOUS   0x7C31u
#define QK_UNICODE_MODE_MACOS      0x7C32u /* .. 0x7C37: MACOS LINUX WINDOWS BSD WINCOMPOSE EMACS */
#define QK_UNICODE_MODE_EMACS      0x7C37u
#define QK_DYNAMIC_MACRO_RECORD_START_1 0x7C53u
#define QK_DYNAMIC_MACRO_RECORD_START_2 0x7C54u
#define QK_DYNAMIC_MACRO_RECORD_STOP    0x7C55u
#define QK_DYNAMIC_MACRO_PLAY_1         0x7C56u
#define QK_DYNAMIC_MACRO_PLAY_2         0x7C57u
#define QK_LEADER          0x7C58u
#define QK_CAPS_WORD_TOGGLE 0x7C73u
#define QK_TRI_LAYER_LOWER 0x7C77u
#define QK_TRI_LAYER_UPPER 0x7C78u
#define QK_REPEAT_KEY      0x7C79u
#define QK_ALT_REPEAT_KEY  0x7C7Au
#define QK_LAYER_LOCK      0x7C7Bu
/* Kestrel's own (top of QMK's keyboard-level range, which names nothing there) */
#define KS_DRIVE_TOGGLE    0x7E3Fu /* show/hide the keyboard's drive until the next reset */
#define NK_ON              0x7011u
#define NK_OFF             0x7012u
#define NK_TOGG            0x7013u

#endif
