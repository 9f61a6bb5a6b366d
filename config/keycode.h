/* The keycode language: QMK's textual keycodes (canonical names, aliases, legacy names, function
 * forms with nesting, MOD_* expressions, integers, ANY()) to QMK's 16-bit values, and back. */
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
 * Returns true and sets *out, or false and fills *err. */
bool kc_parse(const char *s, size_t n, kc_t *out, kc_parse_error_t *err);

/* Canonical text of a keycode, as QMK writes it (e.g. "KC_A", "LT(1,KC_SPACE)", "LSFT(KC_1)"
 * printed as "KC_EXCLAIM"? no: QMK's canonical name of the value). Returns the length written. */
size_t kc_format(kc_t kc, char *buf, size_t cap);

/* Name of a basic keycode (0x00..0xFF) without the "KC_" prefix, as report lines print it
 * ("A", "ENTER", "LEFT_BRACKET", "AUDIO_VOL_UP"); NULL if the code has no name. */
const char *kc_basic_name(uint8_t code);

/* True when the engine implements this keycode (others parse, with a warning). */
bool kc_implemented(kc_t kc);

#endif
