/* Loading keyboard.json / info.json chains and keymap.json into a cfg_model, with diagnostics.
 * Every function returns true on success; errors and warnings go to the diag.
 *
 * A load is a session: cfg_load_keyboard (or _text) starts it and resets the model; then come a
 * keymap (cfg_load_keymap) or layers set directly in the model, any number of cfg_apply_setting
 * overrides, and cfg_finish. The session keeps the source texts (for messages and so that a
 * keymap's `config` can override structural keyboard fields, which rebuilds the keyboard part).
 * One session at a time per process; bounds in docs/keymap-format.md. */
#ifndef KESTREL_CONFIG_LOAD_H
#define KESTREL_CONFIG_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "config/diag.h"
#include "config/model.h"

/* `path` is a keyboard.json / info.json file, a folder of a QMK-style tree (the chain of
 * info.json/keyboard.json files from the top folder down is merged, the more specific winning),
 * or "builtin:NAME" for a keyboard compiled into the tool (builtin:test4x10, builtin:test4x10_avr).
 * Starts a new session (the model is reset). The layout is LAYOUT, else the only one, else the
 * first; a keymap's "layout" (or cfg_apply_setting(m, "layout", ...)) selects another. */
bool cfg_load_keyboard(cfg_model_t *m, const char *path, diag_t *d);
/* The same for a keyboard definition already in memory (copied; `name` is used in messages). */
bool cfg_load_keyboard_text(cfg_model_t *m, const char *name, const char *text, size_t len,
                            diag_t *d);

/* A keymap.json (qmk.keymap.v1 + Kestrel's top-level extensions), applied after the keyboard. */
bool cfg_load_keymap(cfg_model_t *m, const char *path, diag_t *d);
bool cfg_load_keymap_text(cfg_model_t *m, const char *name, const char *text, size_t len,
                          diag_t *d);

/* The same for texts from elsewhere (the keyboard's drive reads them from its FAT volume): `read`
 * puts the text into buf (at most cap bytes) and returns its length, more than cap when it does
 * not fit, or -1 after reporting an error to d. */
typedef long (*cfg_reader_fn)(void *ctx, char *buf, size_t cap, diag_t *d);
bool cfg_load_keyboard_reader(cfg_model_t *m, const char *name, cfg_reader_fn read, void *ctx,
                              diag_t *d);
bool cfg_load_keymap_reader(cfg_model_t *m, const char *name, cfg_reader_fn read, void *ctx,
                            diag_t *d);

/* One `config` override: dotted keyboard.json/keymap.json name and a JSON value text, e.g.
 * ("tapping.term", "180") or ("tapping.per_key", "{\"LSFT_T(KC_A)\": {\"term\": 250}}").
 * `file`/`line`/`col` locate the value for messages (file may be NULL). Names and validation are
 * those of a keymap.json `config` block, except that an unknown name is an error here. The
 * extra name "layout" selects the keyboard's layout. */
bool cfg_apply_setting(cfg_model_t *m, const char *dotted, const char *json, size_t jsonlen,
                       const char *file, int line, int col, diag_t *d);

/* Final cross-checks once everything is loaded: at least one layer, layer numbers inside the
 * keymap, macros that exist, and an image that fits CFG_MAX_IMAGE. */
bool cfg_finish(cfg_model_t *m, diag_t *d);
/* The config image the last successful cfg_finish built (NULL after a failed one); valid until
 * the next cfg_finish. */
const uint8_t *cfg_finish_image(size_t *len);

/* What the session saw, for `kestrel check`'s summary. */
typedef struct cfg_load_info {
    const char *layout;          /* the selected layout's name ("" when none) */
    const char *processor;       /* as written ("RP2040", ...) */
    const char *bootloader;
    const char *dev_board;       /* "" when none */
    const char *features;        /* enabled `features`, comma separated */
    const char *ignored;         /* known QMK blocks Kestrel does not use, comma separated */
    int nlayouts;
    bool split;
} cfg_load_info_t;
void cfg_load_get_info(cfg_load_info_t *info);

/* Names as keyboard.json / keymap.json write them, for writers of those files (the drive writes
 * the current config as JSON): NULL when the value has no name. */
const char *cfg_processor_name(uint8_t proc);     /* enum cfg_processor */
const char *cfg_bootloader_name(uint8_t boot);    /* enum cfg_bootloader */
const char *cfg_dev_board_name(uint8_t board);    /* the INFO section's development_board byte */
const char *cfg_perkey_name(uint8_t id);          /* "term" for CFG_TAPPING_TERM in tapping.per_key */
/* A setting's value as JSON text ("true", "180", "\"balanced\""); false when it has none. */
bool cfg_setting_json(unsigned id, uint16_t v, char *out, size_t cap);

/* Text of one of the builtin keyboards (NULL when unknown); the list ends with a NULL name. */
typedef struct cfg_builtin {
    const char *name;
    const char *text;
    size_t len;
} cfg_builtin_t;
extern const cfg_builtin_t cfg_builtins[];

#endif
