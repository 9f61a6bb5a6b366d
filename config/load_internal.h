/* Shared by the loader's files, not a public interface: config/load.c (session, source store,
 * field walker, settings), load_keyboard.c (chips, pins, matrix, layouts), load_keymap.c (layers,
 * encoders, macros), load_fs.c (files, QMK folder chains, builtins). */
#ifndef KESTREL_CONFIG_LOAD_INTERNAL_H
#define KESTREL_CONFIG_LOAD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "config/diag.h"
#include "config/json.h"
#include "config/model.h"

/* Session bounds (documented in docs/keymap-format.md). */
#ifndef CFG_LS_SOURCES
#define CFG_LS_SOURCES   256          /* files + overrides in one session */
#endif
#ifndef CFG_LS_TEXT
#define CFG_LS_TEXT      (4u << 20)   /* bytes of source text kept by one session */
#endif
#ifndef CFG_LS_TOKENS
#define CFG_LS_TOKENS    262144       /* JSON tokens kept by one session */
#endif
/* The firmware's drive builds configs on the chip, in 264 KB of RAM: its build sets smaller
 * pools (mk/drive.mk); the host keeps these. */
#ifndef CFG_LS_NAMES
#define CFG_LS_NAMES     65536        /* interned file names (messages of old sessions recycle) */
#endif
#ifndef CFG_LS_IMAGE
#define CFG_LS_IMAGE     CFG_MAX_IMAGE /* the image cfg_finish builds (cfg_finish_image) */
#endif

#define LS_LAYOUTS     64   /* layout names in one keyboard */
#define LS_LAYOUT_REFS 8    /* definitions of one layout name across a QMK tree */
#define LS_ALIASES     32
#define LS_FEATURES    64
#define LS_NAME        64
#define LS_PATH        256

typedef struct ref {
    int src, tok; /* src < 0: not set */
} ref_t;

typedef struct layout_def {
    char name[LS_NAME];
    ref_t refs[LS_LAYOUT_REFS];
    int nrefs;
} layout_def_t;

struct cfg_ls_session {
    cfg_model_t *m;
    int nsrc;
    struct {
        const char *name;
        json_doc_t doc;
        bool ok;
    } src[CFG_LS_SOURCES];
    size_t text_used;
    int tok_used;

    /* keyboard structure: the most recent definition of each field */
    ref_t processor, bootloader, dev_board, rows, cols, direct, rotary, layout_sel;
    ref_t right_rows, right_cols, right_direct;
    int8_t split;        /* split.enabled: -1 not given */
    bool split_implied;  /* a split block with settings */
    layout_def_t layouts[LS_LAYOUTS];
    int nlayouts;
    struct {
        char name[LS_NAME], target[LS_NAME];
        ref_t at;
    } aliases[LS_ALIASES];
    int naliases;
    struct {
        char name[40];
        bool on;
    } features[LS_FEATURES];
    int nfeatures;
    char ignored[400];
    int kb_last_src;   /* the most specific keyboard file, for messages without a position */
    bool started, dirty, built, keyboard_ok, layers_from_json;
    bool kb_broken; /* a keyboard file did not parse: nothing to build from */

    int unicode_map_src, unicode_map_tok; /* where unicode_map was given (for messages) */
    /* where each setting and per-key setting was last given, source + 1 (0: not from a file),
     * for limits that depend on the keyboard's chip (checked by cfg_finish) */
    int setting_src[CFG_SETTING_COUNT], setting_tok[CFG_SETTING_COUNT];
    int perkey_src[CFG_MAX_PERKEY], perkey_tok[CFG_MAX_PERKEY];
    char layout_name[LS_NAME], proc_name[24], boot_name[24], board_name[24];
    char features_str[512];
};


typedef struct actx {
    cfg_model_t *m;
    diag_t *d;
    int src;
    const json_doc_t *doc;
    bool strict; /* unknown names are errors (a scenario's explicit override) */
} actx_t;

#define ERR(a, t, ...) json_diag((a)->doc, (a)->d, DIAG_ERROR, (t), __VA_ARGS__)
#define WARN(a, t, ...) json_diag((a)->doc, (a)->d, DIAG_WARNING, (t), __VA_ARGS__)

/* The one session (see config/load.h); S is its short name inside config/load*.c. */
extern struct cfg_ls_session cfg_ls_s;
#define S cfg_ls_s
#define DOC(s) (&S.src[(s)].doc)
#define ERR(a, t, ...) json_diag((a)->doc, (a)->d, DIAG_ERROR, (t), __VA_ARGS__)
#define WARN(a, t, ...) json_diag((a)->doc, (a)->d, DIAG_WARNING, (t), __VA_ARGS__)

void cfg_ls_copy(char *dst, size_t cap, const char *s);          /* cut to cap - 1 bytes */
int cfg_ls_edit_distance(const char *a, const char *b);           /* for "did you mean" */
bool cfg_ls_apply_root(actx_t *a, int obj);                       /* the field walker */
bool cfg_ls_set_ref(actx_t *a, ref_t *r, int t, enum json_type ty, const char *path);
layout_def_t *cfg_ls_layout_find(const char *name);
/* Keycode text in a JSON string; errors point into the string. */
bool cfg_ls_parse_kc(const json_doc_t *doc, diag_t *d, int t, kc_t *out, bool warn_unimpl);
int cfg_ls_kc_layer(kc_t kc);                                     /* -1: no layer argument */
/* Rebuilds the keyboard part of the model from the session's references. */
bool cfg_ls_build_keyboard(cfg_model_t *m, diag_t *d);

/* The modifier behaviours' shapes (config/load_modifiers.c): the keymap's "key_overrides" and
 * "key_cancellation" arrays (also accepted as `config` names), grave_esc.override's value, and the
 * checks that need the whole keymap (run by cfg_finish). */
bool cfg_ls_key_overrides(actx_t *a, const char *path, int t);
bool cfg_ls_key_cancellation(actx_t *a, const char *path, int t);
bool cfg_ls_gesc_override(actx_t *a, int t, const char *what, uint16_t *out);
void cfg_ls_check_modifiers(const cfg_model_t *m, const char *file, diag_t *d);

/* Starts a session: resets the model and the store. */
void cfg_ls_begin(cfg_model_t *m);
/* Copies `text` into the store under `name` (interned) and parses it; returns the source index
 * or -1 (errors reported). */
int cfg_ls_add(const char *name, const char *text, size_t len, int base_line, int base_col,
               diag_t *d);
/* Room for reading a file straight into the store: returns a buffer of `cap` bytes or NULL. */
char *cfg_ls_reserve(size_t *cap);
/* Adds a source whose text was read into the buffer given by cfg_ls_reserve. */
int cfg_ls_add_reserved(const char *name, size_t len, diag_t *d);
/* A stable copy of a file name for messages. */
const char *cfg_ls_intern(const char *s);

/* Applies keyboard-definition sources (least specific first) and builds the keyboard part. */
bool cfg_ls_keyboard(cfg_model_t *m, const int *srcs, int n, diag_t *d);
/* False (with an error) when no keyboard was loaded into `m` in this session. */
bool cfg_ls_in_session(cfg_model_t *m, const char *file, diag_t *d);
/* The keymap's sequence behaviours; also reached from a scenario's `config macros [...]` lines. */
bool cfg_ls_macros(actx_t *a, int t);
bool cfg_ls_leader(actx_t *a, int t);
bool cfg_ls_unicode_map(actx_t *a, int t);
static inline bool cfg_ls_kc_dual_role(kc_t kc)
{
    return kc >= QK_MOD_TAP && kc <= QK_LAYER_TAP_MAX;
}

/* Applies a keymap source. */
bool cfg_ls_keymap(cfg_model_t *m, int src, diag_t *d);

/* Kestrel's top-level keymap.json extensions (docs/keymap-format.md), applied after the layers;
 * a scenario's `config NAME VALUE` reaches them too. Returns false when `name` is not one;
 * otherwise applies value token t and sets *ok. */
bool cfg_ls_extension(actx_t *a, const char *name, int t, bool *ok);
bool cfg_ls_combos(actx_t *a, int t);      /* load_combos.c: "combos" */
bool cfg_ls_tap_dances(actx_t *a, int t);  /* load_combos.c: "tap_dances" */

#endif
