/* Scenario files (SPEC §5) and the event scripts of `kestrel sim`: the parser turns the text into
 * a keymap description, a time-ordered list of key events and the expected output. It checks
 * syntax only; keycodes and settings are checked when the config is built (tools/sim.h). */
#ifndef KESTREL_TOOLS_SCENARIO_H
#define KESTREL_TOOLS_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/report_fmt.h"

#define SCN_MAX_TIME_MS 3600000u   /* an hour of scenario time is far more than any test needs */
#define SCN_MAX_LAYER 31u

enum scn_mode {
    SCN_SCENARIO, /* a .scn file: every statement */
    SCN_EVENTS    /* a `kestrel sim` event script: press, release, tap, wait and config only */
};

typedef struct scn_text {    /* a piece of the file, with where it starts */
    const char *s;           /* points into scn_t.text (not NUL-terminated) */
    size_t n;
    int line, col;
} scn_text_t;

typedef struct scn_layer {
    unsigned layer;
    int line;
    size_t nkc;
    scn_text_t *kc;          /* the keycode texts, in layout order */
} scn_layer_t;

typedef struct scn_config {
    scn_text_t key, value;   /* `config KEY VALUE`: dotted name and JSON text */
} scn_config_t;

typedef struct scn_event {
    uint32_t time_ms;
    unsigned row, col;
    bool pressed;
    int line, colno;         /* where R,C is written, for range errors */
} scn_event_t;

typedef struct scn_expect {
    report_expect_t e;
    scn_text_t text;
} scn_expect_t;

typedef struct scn {
    const char *path;        /* as given (not owned) */
    char *text;              /* the whole file, NUL-terminated (owned) */
    size_t len;

    bool has_keyboard;
    scn_text_t keyboard;     /* default builtin:test4x10 */
    bool has_keymap;
    scn_text_t keymap;
    size_t nlayers;
    scn_layer_t *layers;
    size_t nconfigs;
    scn_config_t *configs;

    size_t nevents;
    scn_event_t *events;     /* in time order; several may share a time (file order then) */
    uint32_t end_ms;         /* the time after the last statement */

    bool has_expect;
    int expect_line;
    size_t nexpect;
    scn_expect_t *expect;
    bool has_expect_error;
    int expect_error_line;
    size_t nexpect_error;
    scn_text_t *expect_error; /* substrings that must appear in the error output */
} scn_t;

typedef struct scn_error {
    int line, col;
    char msg[240];
} scn_error_t;

/* Parses `text` (copied; `len` bytes). On failure returns false with the first error in *err;
 * *s then still holds the text (to quote the line). Always scn_free() it afterwards. `path` names
 * the file in messages and is the base of relative paths. */
bool scn_parse(scn_t *s, const char *path, const char *text, size_t len, enum scn_mode mode,
               scn_error_t *err);
/* Reads the file (or stdin for "-") and parses it; I/O failures are reported as line 0. */
bool scn_parse_file(scn_t *s, const char *path, enum scn_mode mode, scn_error_t *err);
void scn_free(scn_t *s);

/* "path:line:col: error: message" (line/col left out when 0), and the offending line with a
 * caret when the text is known. */
void scn_print_error(FILE *f, const scn_t *s, const scn_error_t *err);

/* A path named in the scenario, made relative to the scenario's folder (absolute paths and
 * "builtin:" names are kept). Returns a malloc'd string. */
char *scn_resolve_path(const scn_t *s, const scn_text_t *t);

#endif
