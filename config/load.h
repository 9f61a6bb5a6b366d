/* Loading keyboard.json / info.json chains and keymap.json into a cfg_model, with diagnostics.
 * Every function returns true on success; errors and warnings go to the diag. */
#ifndef KESTREL_CONFIG_LOAD_H
#define KESTREL_CONFIG_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "config/diag.h"
#include "config/model.h"

/* `path` is a keyboard.json / info.json file, a folder of a QMK-style tree (the chain of
 * info.json/keyboard.json files from the top folder down is merged, the more specific winning),
 * or "builtin:NAME" for a keyboard compiled into the tool (builtin:test4x10). Picks the layout
 * named by `layout` (NULL = the keymap's, else LAYOUT / the only one). */
bool cfg_load_keyboard(cfg_model_t *m, const char *path, diag_t *d);

/* A keymap.json (qmk.keymap.v1 + Kestrel's top-level extensions), applied after the keyboard. */
bool cfg_load_keymap(cfg_model_t *m, const char *path, diag_t *d);

/* One `config` override: dotted keyboard.json/keymap.json name and a JSON value text, e.g.
 * ("tapping.term", "180") or ("tapping.per_key", "{\"LSFT_T(KC_A)\": {\"term\": 250}}").
 * `file`/`line` locate it for messages. */
bool cfg_apply_setting(cfg_model_t *m, const char *dotted, const char *json, size_t jsonlen,
                       const char *file, int line, int col, diag_t *d);

/* Final cross-checks once everything is loaded (e.g. keycodes referring to missing layers). */
bool cfg_finish(cfg_model_t *m, diag_t *d);

#endif
