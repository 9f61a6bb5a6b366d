/* The keycode language: QMK's textual keycodes (canonical names, aliases, legacy names, function
 * forms with nesting, MOD_* expressions, integers, ANY()) to QMK's 16-bit values, and back.
 * No allocation, no I/O: the same code runs in the host tool and on the RP2040's drive loader. */
#ifndef KESTREL_CONFIG_KEYCODE_H
#define KESTREL_CONFIG_KEYCODE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/keycodes.h"

typedef struct kc_parse_error {
    size_t offset;      /* byte offset of the problem inside the parsed text */
    char msg[200];      /* e.g. "unknown keycode 'KC_ENTR' (did you mean KC_ENTER?)" */
} kc_parse_error_t;

/* Parses one keycode expression (`s` need not be NUL-terminated; surrounding spaces allowed).
 * Returns true and sets *out, or false and fills *err (either pointer may be NULL). */
bool kc_parse(const char *s, size_t n, kc_t *out, kc_parse_error_t *err);

/* Canonical text of a keycode; kc_parse() reads it back to the same value. Rule: the name QMK's
 * keycode table gives the value ("KC_SPACE", "QK_BOOTLOADER", "KC_EXLM"); otherwise the function
 * form, using QMK's shortest wrapper ("LCTL(KC_A)", "LCS_T(KC_ESCAPE)", "LT(1,KC_SPACE)",
 * "OSM(MOD_LSFT)", "UC(0x00E9)"); otherwise hex ("0x5300"). snprintf-like: writes at most cap-1
 * characters plus a NUL and returns the length of the whole text. */
size_t kc_format(kc_t kc, char *buf, size_t cap);
#define KC_FORMAT_MAX 64 /* a buffer this size holds the text of every value, NUL included */

/* Name of a basic keycode (0x00..0xFF) without its "KC_"/"QK_" prefix, as report lines print it
 * ("A", "ENTER", "LEFT_BRACKET", "AUDIO_VOL_UP", "MOUSE_BUTTON_1"); NULL if the code has no name. */
const char *kc_basic_name(uint8_t code);

/* Reads a basic keycode name as report lines and scenario files write it: any name or alias, with
 * or without its "KC_"/"QK_" prefix ("ENT", "KC_ENTER", "LSFT", "MOUSE_BUTTON_1"). */
bool kc_basic_from_name(const char *s, size_t n, uint8_t *out);

/* Exact lookup of one name (canonical, alias or legacy), no function forms. */
bool kc_lookup_name(const char *s, size_t n, kc_t *out);

/* The canonical name of a value, or NULL when it has none (function forms, unassigned). */
const char *kc_canonical_name(kc_t kc);

/* True when the engine implements this keycode (others parse, and the loaders warn). The one
 * place that says so: later issues extend it as they add behaviours. */
bool kc_implemented(kc_t kc);

/* The name table, for tests and for tools that list keycodes. */
enum kc_name_kind {
    KC_NAME_CANONICAL = 0, /* the name QMK's keycode table gives the value */
    KC_NAME_ALIAS = 1,     /* a current alias (KC_ENT, MS_BTN1, OS_LSFT...) */
    KC_NAME_LEGACY = 2,    /* a name older QMK releases used (RESET, KC_LCTRL, RGB_TOG...) */
};
size_t kc_name_count(void);
const char *kc_name_at(size_t i, kc_t *value, int *kind); /* NULL past the end */
size_t kc_function_count(void);
const char *kc_function_at(size_t i);

#endif
