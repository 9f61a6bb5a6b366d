/* The keymap language: keyboard.json/info.json fields and keymap.json into a validated
 * cfg_model. Every source (a file of a QMK tree, a keymap's `config`, a scenario's override) goes
 * through one field walker, so names and checks are the same everywhere; structural fields are
 * kept as references and the keyboard part of the model is rebuilt from them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/json.h"
#include "config/keycode.h"
#include "config/load.h"
#include "config/load_internal.h"

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

static struct session {
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

    char layout_name[LS_NAME], proc_name[24], boot_name[24], board_name[24];
    char features_str[512];
} S;

/* The pools stay outside the session struct so that starting a session does not clear them. */
static char S_text[CFG_LS_TEXT];
static jsmntok_t S_tok[CFG_LS_TOKENS];

/* ---- the source store ------------------------------------------------------------------------ */

static char names_pool[65536];
static size_t names_used;

const char *cfg_ls_intern(const char *s)
{
    if (!s) s = "<config>";
    for (size_t i = 0; i < names_used;) {
        if (!strcmp(names_pool + i, s)) return names_pool + i;
        i += strlen(names_pool + i) + 1;
    }
    size_t n = strlen(s) + 1;
    if (n > sizeof names_pool / 4) return "<long name>";
    if (names_used + n > sizeof names_pool) names_used = 0; /* messages of old sessions only */
    memcpy(names_pool + names_used, s, n);
    names_used += n;
    return names_pool + names_used - n;
}

void cfg_ls_begin(cfg_model_t *m)
{
    memset(&S, 0, sizeof S);
    S.m = m;
    S.started = true;
    S.processor = S.bootloader = S.dev_board = S.rows = S.cols = S.direct = S.rotary =
        S.layout_sel = S.right_rows = S.right_cols = S.right_direct = (ref_t){-1, -1};
    S.kb_last_src = -1;
    S.split = -1;
    cfg_model_init(m);
}

char *cfg_ls_reserve(size_t *cap)
{
    *cap = CFG_LS_TEXT - S.text_used;
    return S_text + S.text_used;
}

/* Parses text already in the pool (at its end) as the next source. */
static int parse_src(const char *nm, char *text, size_t len, int base_line, int base_col,
                     diag_t *d)
{
    int i = S.nsrc++;
    S.text_used += len;
    S.src[i].name = nm;
    size_t relaxed = json_relax(text, len);
    S.src[i].ok = json_parse(&S.src[i].doc, nm, text, len, base_line, base_col,
                             S_tok + S.tok_used, CFG_LS_TOKENS - S.tok_used, d);
    if (S.src[i].ok) S.tok_used += S.src[i].doc.ntok;
    if (S.src[i].ok && relaxed != (size_t)-1)
        json_diag_at(&S.src[i].doc, d, DIAG_NOTE, relaxed,
                     "comments or trailing commas (accepted, as QMK does; strict JSON has none)");
    return S.src[i].ok ? i : -1;
}

int cfg_ls_add_reserved(const char *name, size_t len, diag_t *d)
{
    const char *nm = cfg_ls_intern(name);
    if (S.nsrc >= CFG_LS_SOURCES) {
        diag_add(d, DIAG_ERROR, nm, NULL, 0, 0, 0, "too many files in one load (limit %d)",
                 CFG_LS_SOURCES);
        return -1;
    }
    if (len > CFG_LS_TEXT - S.text_used) {
        diag_add(d, DIAG_ERROR, nm, NULL, 0, 0, 0,
                 "the files of this load exceed %u bytes together", (unsigned)CFG_LS_TEXT);
        return -1;
    }
    return parse_src(nm, S_text + S.text_used, len, 1, 1, d);
}

static int add_src(const char *name, const char *text, size_t len, int base_line, int base_col,
                   diag_t *d)
{
    size_t cap;
    char *buf = cfg_ls_reserve(&cap);
    const char *nm = cfg_ls_intern(name);
    if (len > cap) {
        diag_add(d, DIAG_ERROR, nm, NULL, 0, 0, 0,
                 "the files of this load exceed %u bytes together", (unsigned)CFG_LS_TEXT);
        return -1;
    }
    if (S.nsrc >= CFG_LS_SOURCES) {
        diag_add(d, DIAG_ERROR, nm, NULL, 0, 0, 0, "too many files in one load (limit %d)",
                 CFG_LS_SOURCES);
        return -1;
    }
    if (len) memcpy(buf, text, len);
    return parse_src(nm, buf, len, base_line, base_col, d);
}

int cfg_ls_add(const char *name, const char *text, size_t len, int base_line, int base_col,
               diag_t *d)
{
    return add_src(name, text, len, base_line, base_col, d);
}

#define DOC(s) (&S.src[(s)].doc)

/* ---- small helpers ------------------------------------------------------------------------- */

typedef struct actx {
    cfg_model_t *m;
    diag_t *d;
    int src;
    const json_doc_t *doc;
    bool strict; /* unknown names are errors (a scenario's explicit override) */
} actx_t;

#define ERR(a, t, ...) json_diag((a)->doc, (a)->d, DIAG_ERROR, (t), __VA_ARGS__)
#define WARN(a, t, ...) json_diag((a)->doc, (a)->d, DIAG_WARNING, (t), __VA_ARGS__)

static void copy_str(char *dst, size_t cap, const char *s)
{
    size_t n = strnlen(s, cap - 1);
    memcpy(dst, s, n);
    dst[n] = 0;
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y) return false;
    }
    return *a == *b;
}

/* Edit distance (bounded strings), for "did you mean" suggestions. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) return 99;
    int row[64];
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int prev = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cur = row[j];
            int best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

/* ---- the settings' value kinds ---------------------------------------------------------------- */

enum { SK_ANY = 0, SK_MS, SK_U8, SK_BOOL, SK_FLAVOR, SK_DEBOUNCE };

static const uint8_t setting_kind[CFG_SETTING_COUNT] = {
    [CFG_TAPPING_TERM] = SK_MS,
    [CFG_QUICK_TAP_TERM] = SK_MS,
    [CFG_PERMISSIVE_HOLD] = SK_BOOL,
    [CFG_HOLD_ON_OTHER_KEY_PRESS] = SK_BOOL,
    [CFG_RETRO_TAPPING] = SK_BOOL,
    [CFG_CHORDAL_HOLD] = SK_BOOL,
    [CFG_FLOW_TAP_TERM] = SK_MS,
    [CFG_TAPPING_FLAVOR] = SK_FLAVOR,
    [CFG_REQUIRE_PRIOR_IDLE] = SK_MS,
    [CFG_TAPPING_TOGGLE] = SK_U8,
    [CFG_ONESHOT_TAP_TOGGLE] = SK_U8,
    [CFG_ONESHOT_TIMEOUT] = SK_MS,
    [CFG_COMBO_TERM] = SK_MS,
    [CFG_LEADER_TIMEOUT] = SK_MS,
    [CFG_CAPS_WORD_IDLE_TIMEOUT] = SK_MS,
    [CFG_CAPS_WORD_BOTH_SHIFTS] = SK_BOOL,
    [CFG_AUTO_SHIFT_ENABLED] = SK_BOOL,
    [CFG_AUTO_SHIFT_TIMEOUT] = SK_MS,
    [CFG_DEBOUNCE] = SK_U8,
    [CFG_DEBOUNCE_TYPE] = SK_DEBOUNCE,
    [CFG_NKRO] = SK_BOOL,
    [CFG_TAP_CODE_DELAY] = SK_MS,
    [CFG_TAP_HOLD_CAPS_DELAY] = SK_MS,
    [CFG_MOUSE_DELAY] = SK_MS,
    [CFG_MOUSE_INTERVAL] = SK_MS,
    [CFG_MOUSE_MOVE_DELTA] = SK_U8,
    [CFG_MOUSE_MAX_SPEED] = SK_U8,
    [CFG_MOUSE_TIME_TO_MAX] = SK_U8,
    [CFG_MOUSE_WHEEL_DELAY] = SK_MS,
    [CFG_MOUSE_WHEEL_INTERVAL] = SK_MS,
    [CFG_MOUSE_WHEEL_MAX_SPEED] = SK_U8,
    [CFG_MOUSE_WHEEL_TIME_TO_MAX] = SK_U8,
};

static const char *const setting_names[CFG_SETTING_COUNT] = {
#define X_NAME(id, name, def) name,
    CFG_SETTINGS(X_NAME)
#undef X_NAME
};

static const char *const flavor_names[] = {"qmk", "hold-preferred", "balanced", "tap-preferred",
                                           "tap-unless-interrupted"};
static const char *const debounce_names[] = {"asym_eager_defer_pk", "sym_defer_g", "sym_defer_pr",
                                             "sym_defer_pk", "sym_eager_pr", "sym_eager_pk"};

static int name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], s)) return i;
    return -1;
}

/* Parses a setting's JSON value; reports at the token. */
static bool setting_value(actx_t *a, int id, int t, const char *what, uint16_t *out)
{
    const json_doc_t *doc = a->doc;
    long v;
    bool b;
    char s[40];
    switch (setting_kind[id]) {
    case SK_MS:
        if (!json_get_int(doc, t, 0, 65534, &v, what, a->d)) return false;
        *out = (uint16_t)v;
        return true;
    case SK_U8:
        if (!json_get_int(doc, t, 0, 255, &v, what, a->d)) return false;
        *out = (uint16_t)v;
        return true;
    case SK_BOOL:
        if (!json_get_bool(doc, t, &b, what, a->d)) return false;
        *out = b;
        return true;
    case SK_FLAVOR:
    case SK_DEBOUNCE: {
        bool fl = setting_kind[id] == SK_FLAVOR;
        const char *const *names = fl ? flavor_names : debounce_names;
        int n = fl ? 5 : 6;
        if (!json_want(doc, t, JSON_STRING, what, a->d)) return false;
        json_str(doc, t, s, sizeof s);
        int k = name_index(names, n, s);
        if (k < 0) {
            char list[200] = "";
            for (int i = 0; i < n; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                         names[i]);
            if (!fl && !strcmp(s, "custom"))
                ERR(a, t, "build.debounce_type \"custom\" needs C code, which Kestrel does not run "
                          "(choose one of %s)", list);
            else
                ERR(a, t, "unknown %s \"%s\" (choose one of %s)", what, s, list);
            return false;
        }
        *out = (uint16_t)k;
        return true;
    }
    default:
        if (json_type(doc, t) == JSON_BOOL) {
            json_get_bool(doc, t, &b, what, a->d);
            *out = b;
            return true;
        }
        if (!json_get_int(doc, t, 0, 65535, &v, what, a->d)) return false;
        *out = (uint16_t)v;
        return true;
    }
}

/* ---- processors, boards, bootloaders, pins ----------------------------------------------------- */

static const struct {
    const char *name;
    uint8_t proc;
} processors[] = {
    {"RP2040", CFG_PROC_RP2040}, {"RP2350", CFG_PROC_RP2350}, {"atmega32u4", CFG_PROC_ATMEGA32U4},
};

/* QMK's development boards for our chips (index + 1 is stored in the image's INFO), then the
 * ones for chips Kestrel does not support, so the message can name the chip. */
static const struct {
    const char *name;
    uint8_t proc, boot;
    const char *chip;
} boards[] = {
    {"promicro", CFG_PROC_ATMEGA32U4, CFG_BOOT_CATERINA, "atmega32u4"},
    {"elite_c", CFG_PROC_ATMEGA32U4, CFG_BOOT_ATMEL_DFU, "atmega32u4"},
    {"promicro_rp2040", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"kb2040", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"elite_pi", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"liatris", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"blok", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"bit_c_pro", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"helios", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"imera", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"svlinky", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"proton_c", 0, 0, "STM32F303"},
    {"michi", 0, 0, "STM32F411"},
    {"stemcell", 0, 0, "STM32F411"},
    {"bluepill", 0, 0, "STM32F103"},
    {"blackpill_f401", 0, 0, "STM32F401"},
    {"blackpill_f411", 0, 0, "STM32F411"},
    {"bonsai_c4", 0, 0, "STM32F411"},
};
#define NBOARDS (int)(sizeof boards / sizeof boards[0])

static const struct {
    const char *name;
    uint8_t boot;
    uint8_t procs; /* bit per cfg_processor it works with */
} bootloaders[] = {
    {"rp2040", CFG_BOOT_RP2040, 1u << CFG_PROC_RP2040 | 1u << CFG_PROC_RP2350},
    {"tinyuf2", CFG_BOOT_TINYUF2, 1u << CFG_PROC_RP2040 | 1u << CFG_PROC_RP2350},
    {"caterina", CFG_BOOT_CATERINA, 1u << CFG_PROC_ATMEGA32U4},
    {"atmel-dfu", CFG_BOOT_ATMEL_DFU, 1u << CFG_PROC_ATMEGA32U4},
    {"halfkay", CFG_BOOT_HALFKAY, 1u << CFG_PROC_ATMEGA32U4},
    {"qmk-dfu", CFG_BOOT_QMK_DFU, 1u << CFG_PROC_ATMEGA32U4},
    {"qmk-hid", CFG_BOOT_QMK_HID, 1u << CFG_PROC_ATMEGA32U4},
    {"lufa-dfu", CFG_BOOT_LUFA_DFU, 1u << CFG_PROC_ATMEGA32U4},
    {"custom", CFG_BOOT_CUSTOM, 0xFF},
};

static const char *proc_name(uint8_t p)
{
    for (size_t i = 0; i < sizeof processors / sizeof processors[0]; i++)
        if (processors[i].proc == p) return processors[i].name;
    return "unknown";
}

/* ATmega32U4 I/O lines by port B..F (bit set = pin exists), datasheet / hw notes §4.1. */
static const uint8_t avr_ports[5] = {0xFF, 0xC0, 0xFF, 0x44, 0xF3};

static int gpio_count(uint8_t proc)
{
    return proc == CFG_PROC_RP2350 ? 48 : 30;
}

static const char *pin_list(uint8_t proc)
{
    switch (proc) {
    case CFG_PROC_RP2040: return "GP0..GP29";
    case CFG_PROC_RP2350: return "GP0..GP47; GP30..GP47 only on the QFN-80 RP2350B";
    default: return "B0-B7, C6, C7, D0-D7, E2, E6, F0, F1, F4-F7";
    }
}

/* Pin text -> image byte (core/cfg.h PINS); CFG_PIN_NONE for null / "NO_PIN" when allowed. */
static bool parse_pin(const json_doc_t *doc, diag_t *d, uint8_t proc, int t, bool allow_none,
                      const char *what, uint8_t *out)
{
    enum json_type ty = json_type(doc, t);
    char s[16];
    if (ty == JSON_NULL || (ty == JSON_STRING && json_str_eq(doc, t, "NO_PIN"))) {
        if (allow_none) {
            *out = CFG_PIN_NONE;
            return true;
        }
        json_diag(doc, d, DIAG_ERROR, t, "%s cannot be empty (NO_PIN/null is only allowed in "
                                         "matrix_pins.direct)", what);
        return false;
    }
    if (ty == JSON_NUMBER && proc != CFG_PROC_ATMEGA32U4) {
        long v;
        if (!json_get_int(doc, t, 0, gpio_count(proc) - 1, &v, what, d)) return false;
        *out = (uint8_t)v;
        return true;
    }
    if (ty != JSON_STRING) {
        json_diag(doc, d, DIAG_ERROR, t, "%s must be a pin name such as \"%s\", not %s", what,
                  proc == CFG_PROC_ATMEGA32U4 ? "D4" : "GP4", json_type_name(ty));
        return false;
    }
    json_str(doc, t, s, sizeof s);
    if (proc == CFG_PROC_ATMEGA32U4) {
        if (strlen(s) == 2 && s[0] >= 'B' && s[0] <= 'F' && s[1] >= '0' && s[1] <= '7' &&
            (avr_ports[s[0] - 'B'] >> (s[1] - '0') & 1)) {
            *out = (uint8_t)((s[0] - 'B' + 1) << 3 | (s[1] - '0'));
            return true;
        }
    } else if (s[0] == 'G' && s[1] == 'P' && s[2] >= '0' && s[2] <= '9' &&
               (s[3] == 0 || (s[3] >= '0' && s[3] <= '9' && s[4] == 0)) && !(s[2] == '0' && s[3])) {
        int n = atoi(s + 2);
        if (n < gpio_count(proc)) {
            *out = (uint8_t)n;
            return true;
        }
    }
    json_diag(doc, d, DIAG_ERROR, t, "pin \"%s\" does not exist on the %s (its pins: %s)", s,
              proc_name(proc), pin_list(proc));
    return false;
}

static void pin_text(uint8_t proc, uint8_t pin, char *buf, size_t cap)
{
    if (proc == CFG_PROC_ATMEGA32U4) snprintf(buf, cap, "%c%u", 'A' + (pin >> 3), pin & 7u);
    else snprintf(buf, cap, "GP%u", pin);
}

/* ---- field table -------------------------------------------------------------------------------- */

enum fkind { F_FN, F_QUIET, F_NOTE };
typedef bool (*field_fn)(actx_t *a, const char *path, int t);

typedef struct field {
    const char *path; /* '*' matches one dotted segment */
    uint8_t kind;
    field_fn fn;
} field_t;

static bool apply_value(actx_t *a, const char *path, int t);

static bool f_string(actx_t *a, const char *path, int t)
{
    char *dst = !strcmp(path, "keyboard_name") ? a->m->name : a->m->manufacturer;
    if (!json_want(a->doc, t, JSON_STRING, path, a->d)) return false;
    if (!json_str(a->doc, t, dst, CFG_NAME_MAX))
        WARN(a, t, "%s is longer than %d bytes and is cut", path, CFG_NAME_MAX - 1);
    return true;
}

static bool set_ref(actx_t *a, ref_t *r, int t, enum json_type ty, const char *path)
{
    if (!json_want(a->doc, t, ty, path, a->d)) return false;
    *r = (ref_t){a->src, t};
    S.dirty = true;
    return true;
}

static bool f_structural(actx_t *a, const char *path, int t)
{
    static const struct {
        const char *path;
        ref_t *r;
        enum json_type ty;
    } map[] = {
        {"processor", &S.processor, JSON_STRING},
        {"bootloader", &S.bootloader, JSON_STRING},
        {"development_board", &S.dev_board, JSON_STRING},
        {"matrix_pins.rows", &S.rows, JSON_ARRAY},
        {"matrix_pins.cols", &S.cols, JSON_ARRAY},
        {"matrix_pins.direct", &S.direct, JSON_ARRAY},
        {"split.matrix_pins.right.rows", &S.right_rows, JSON_ARRAY},
        {"split.matrix_pins.right.cols", &S.right_cols, JSON_ARRAY},
        {"split.matrix_pins.right.direct", &S.right_direct, JSON_ARRAY},
        {"encoder.rotary", &S.rotary, JSON_ARRAY},
        {"layout", &S.layout_sel, JSON_STRING},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(map[i].path, path)) return set_ref(a, map[i].r, t, map[i].ty, path);
    return false;
}

static bool hex4(const json_doc_t *doc, int t, uint16_t *out)
{
    char s[16];
    if (json_type(doc, t) != JSON_STRING || !json_str(doc, t, s, sizeof s)) return false;
    if (strlen(s) != 6 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
    unsigned v = 0;
    for (int i = 2; i < 6; i++) {
        char c = s[i];
        int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (h < 0) return false;
        v = v << 4 | (unsigned)h;
    }
    *out = (uint16_t)v;
    return true;
}

static bool f_usb(actx_t *a, const char *path, int t)
{
    const json_doc_t *doc = a->doc;
    long v;
    if (!strcmp(path, "usb.vid") || !strcmp(path, "usb.pid")) {
        uint16_t x;
        if (!hex4(doc, t, &x)) {
            ERR(a, t, "%s must be a string of 0x and four hex digits, such as \"0xFEED\"", path);
            return false;
        }
        if (path[4] == 'v') a->m->vid = x;
        else a->m->pid = x;
        return true;
    }
    if (!strcmp(path, "usb.device_version")) {
        char s[16];
        unsigned maj = 0, mi, pa;
        size_t n;
        bool ok = json_type(doc, t) == JSON_STRING && json_str(doc, t, s, sizeof s);
        n = ok ? strlen(s) : 0;
        /* QMK's bcd_version: 1-2 digits . digit . digit */
        if (ok && n >= 5 && n <= 6 && s[n - 2] == '.' && s[n - 4] == '.') {
            for (size_t i = 0; i < n - 4; i++) {
                if (s[i] < '0' || s[i] > '9') ok = false;
                maj = maj * 16 + (unsigned)(s[i] - '0');
            }
            mi = (unsigned)(s[n - 3] - '0');
            pa = (unsigned)(s[n - 1] - '0');
            if (mi > 9 || pa > 9) ok = false;
            if (ok) {
                a->m->bcd = (uint16_t)(maj << 8 | mi << 4 | pa);
                return true;
            }
        }
        ERR(a, t, "usb.device_version must be a string \"major.minor.patch\" such as \"1.0.0\" "
                  "(major 0-99, minor and patch 0-9)");
        return false;
    }
    if (!strcmp(path, "usb.device_ver")) {
        uint16_t x;
        if (!hex4(doc, t, &x)) {
            ERR(a, t, "usb.device_ver must be a string such as \"0x0100\"");
            return false;
        }
        a->m->bcd = x;
        WARN(a, t, "usb.device_ver is deprecated; use usb.device_version \"%x.%x.%x\"", x >> 8,
             (x >> 4) & 15u, x & 15u);
        return true;
    }
    if (!strcmp(path, "usb.polling_interval")) {
        if (!json_get_int(doc, t, 1, 255, &v, path, a->d)) return false;
        a->m->poll_ms = (uint8_t)v;
        return true;
    }
    if (!strcmp(path, "usb.max_power")) {
        if (!json_get_int(doc, t, 0, 500, &v, path, a->d)) return false;
        a->m->max_power_half = (uint8_t)(v / 2);
        return true;
    }
    if (!strcmp(path, "usb.force_nkro")) {
        bool b;
        if (!json_get_bool(doc, t, &b, path, a->d)) return false;
        a->m->settings[CFG_NKRO] = b;
        return true;
    }
    return false;
}

static bool f_matrix(actx_t *a, const char *path, int t)
{
    const json_doc_t *doc = a->doc;
    long v;
    bool b;
    if (!strcmp(path, "matrix_pins.io_delay")) {
        if (!json_get_int(doc, t, 0, 1000, &v, path, a->d)) return false;
        a->m->io_delay_us = (uint16_t)v;
        return true;
    }
    if (!strcmp(path, "matrix_pins.custom") || !strcmp(path, "matrix_pins.custom_lite")) {
        if (!json_get_bool(doc, t, &b, path, a->d)) return false;
        if (b) {
            ERR(a, t, "%s: a custom matrix needs the keyboard's C code, which Kestrel does not "
                      "run (describe the matrix with rows/cols or direct pins)", path);
            return false;
        }
        return true;
    }
    if (!strcmp(path, "matrix_pins.ghost")) return json_get_bool(doc, t, &b, path, a->d);
    if (!strcmp(path, "matrix_pins.input_pressed_state")) {
        if (!json_get_int(doc, t, 0, 1, &v, path, a->d)) return false;
        if (v) {
            ERR(a, t, "matrix_pins.input_pressed_state 1 (switches that read high when pressed) "
                      "is not supported by Kestrel");
            return false;
        }
        return true;
    }
    if (!strcmp(path, "diode_direction")) {
        if (json_str_eq(doc, t, "COL2ROW")) a->m->diode = CFG_COL2ROW;
        else if (json_str_eq(doc, t, "ROW2COL")) a->m->diode = CFG_ROW2COL;
        else {
            ERR(a, t, "diode_direction must be \"COL2ROW\" or \"ROW2COL\"");
            return false;
        }
        return true;
    }
    if (!strcmp(path, "split.enabled")) {
        if (!json_get_bool(doc, t, &b, path, a->d)) return false;
        S.split = b;
        S.dirty = true;
        return true;
    }
    return false;
}

static layout_def_t *layout_find(const char *name)
{
    for (int i = 0; i < S.nlayouts; i++)
        if (!strcmp(S.layouts[i].name, name)) return &S.layouts[i];
    return NULL;
}

static bool layout_add(actx_t *a, const char *name, int keytok, int arr)
{
    if (!json_want(a->doc, arr, JSON_ARRAY, "a layout's \"layout\"", a->d)) return false;
    layout_def_t *l = layout_find(name);
    if (!l) {
        if (S.nlayouts >= LS_LAYOUTS) {
            ERR(a, keytok, "too many layouts (Kestrel keeps %d per keyboard)", LS_LAYOUTS);
            return false;
        }
        l = &S.layouts[S.nlayouts++];
        copy_str(l->name, sizeof l->name, name);
    }
    if (l->nrefs >= LS_LAYOUT_REFS) {
        ERR(a, arr, "layout %s is defined more than %d times", name, LS_LAYOUT_REFS);
        return false;
    }
    l->refs[l->nrefs++] = (ref_t){a->src, arr};
    S.dirty = true;
    return true;
}

/* One layout object { "layout": [...], "filename": ..., ... } under layouts.NAME */
static bool layout_obj(actx_t *a, const char *name, int keytok, int obj)
{
    const json_doc_t *doc = a->doc;
    if (!json_want(doc, obj, JSON_OBJECT, "a layout", a->d)) return false;
    bool ok = true;
    for (int k = json_first(doc, obj); k >= 0; k = json_next_member(doc, k)) {
        if (json_str_eq(doc, k, "layout")) ok &= layout_add(a, name, keytok, k + 1);
        else if (!json_str_eq(doc, k, "filename") && !json_str_eq(doc, k, "c_macro") &&
                 !json_str_eq(doc, k, "json_layout"))
            WARN(a, k, "unknown field in layout %s (ignored)", name);
    }
    return ok;
}

static bool f_layouts(actx_t *a, const char *path, int t)
{
    const json_doc_t *doc = a->doc;
    char name[LS_NAME];
    if (!strcmp(path, "layouts")) {
        if (!json_want(doc, t, JSON_OBJECT, "layouts", a->d)) return false;
        bool ok = true;
        for (int k = json_first(doc, t); k >= 0; k = json_next_member(doc, k)) {
            json_str(doc, k, name, sizeof name);
            ok &= layout_obj(a, name, k, k + 1);
        }
        return ok;
    }
    /* layouts.NAME or layouts.NAME.layout (from a dotted override) */
    const char *p = path + 8, *dot = strchr(p, '.');
    size_t n = dot ? (size_t)(dot - p) : strlen(p);
    if (n >= sizeof name) n = sizeof name - 1;
    memcpy(name, p, n);
    name[n] = 0;
    return dot ? layout_add(a, name, t, t) : layout_obj(a, name, t, t);
}

static bool alias_add(actx_t *a, const char *alias, int t)
{
    char target[LS_NAME];
    if (!json_want(a->doc, t, JSON_STRING, "a layout alias", a->d)) return false;
    json_str(a->doc, t, target, sizeof target);
    for (int i = 0; i < S.naliases; i++)
        if (!strcmp(S.aliases[i].name, alias)) {
            copy_str(S.aliases[i].target, LS_NAME, target);
            S.aliases[i].at = (ref_t){a->src, t};
            S.dirty = true;
            return true;
        }
    if (S.naliases >= LS_ALIASES) {
        ERR(a, t, "too many layout aliases (Kestrel keeps %d)", LS_ALIASES);
        return false;
    }
    copy_str(S.aliases[S.naliases].name, LS_NAME, alias);
    copy_str(S.aliases[S.naliases].target, LS_NAME, target);
    S.aliases[S.naliases++].at = (ref_t){a->src, t};
    S.dirty = true;
    return true;
}

static bool f_aliases(actx_t *a, const char *path, int t)
{
    const json_doc_t *doc = a->doc;
    char name[LS_NAME];
    if (!strcmp(path, "layout_aliases")) {
        if (!json_want(doc, t, JSON_OBJECT, "layout_aliases", a->d)) return false;
        bool ok = true;
        for (int k = json_first(doc, t); k >= 0; k = json_next_member(doc, k)) {
            json_str(doc, k, name, sizeof name);
            ok &= alias_add(a, name, k + 1);
        }
        return ok;
    }
    return alias_add(a, path + strlen("layout_aliases."), t);
}

static bool feature_set(actx_t *a, const char *name, int t)
{
    bool on;
    if (!json_get_bool(a->doc, t, &on, "a feature switch", a->d)) return false;
    if (!strcmp(name, "auto_shift")) a->m->settings[CFG_AUTO_SHIFT_ENABLED] = on;
    for (int i = 0; i < S.nfeatures; i++)
        if (!strcmp(S.features[i].name, name)) {
            S.features[i].on = on;
            return true;
        }
    if (S.nfeatures < LS_FEATURES) {
        copy_str(S.features[S.nfeatures].name, sizeof S.features[0].name, name);
        S.features[S.nfeatures++].on = on;
    }
    return true;
}

static bool f_features(actx_t *a, const char *path, int t)
{
    const json_doc_t *doc = a->doc;
    char name[40];
    if (!strcmp(path, "features")) {
        if (!json_want(doc, t, JSON_OBJECT, "features", a->d)) return false;
        bool ok = true;
        for (int k = json_first(doc, t); k >= 0; k = json_next_member(doc, k)) {
            json_str(doc, k, name, sizeof name);
            ok &= feature_set(a, name, k + 1);
        }
        return ok;
    }
    return feature_set(a, path + strlen("features."), t);
}

/* ---- per-key settings (Kestrel's extension: tapping.per_key) ------------------------------------ */

static const struct {
    const char *name;
    uint8_t id;
} perkey_names[] = {
    {"term", CFG_TAPPING_TERM},
    {"quick_tap_term", CFG_QUICK_TAP_TERM},
    {"permissive_hold", CFG_PERMISSIVE_HOLD},
    {"hold_on_other_key_press", CFG_HOLD_ON_OTHER_KEY_PRESS},
    {"retro", CFG_RETRO_TAPPING},
    {"chordal_hold", CFG_CHORDAL_HOLD},
    {"flow_tap_term", CFG_FLOW_TAP_TERM},
    {"flavor", CFG_TAPPING_FLAVOR},
    {"require_prior_idle", CFG_REQUIRE_PRIOR_IDLE},
};
#define NPERKEY_NAMES (int)(sizeof perkey_names / sizeof perkey_names[0])

/* Parses keycode text inside a JSON string token; errors point into the string. */
static bool parse_kc_tok(const json_doc_t *doc, diag_t *d, int t, kc_t *out, bool warn_unimpl)
{
    char buf[256];
    if (json_type(doc, t) != JSON_STRING) {
        json_diag(doc, d, DIAG_ERROR, t, "a keycode must be a string such as \"KC_A\", not %s",
                  json_type_name(json_type(doc, t)));
        return false;
    }
    if (!json_str(doc, t, buf, sizeof buf)) {
        json_diag(doc, d, DIAG_ERROR, t, "keycode text is too long");
        return false;
    }
    kc_parse_error_t e;
    memset(&e, 0, sizeof e);
    if (!kc_parse(buf, strlen(buf), out, &e)) {
        size_t off = (size_t)doc->tok[t].start;
        if (json_str_plain(doc, t) && e.offset <= strlen(buf)) off += e.offset;
        json_diag_at(doc, d, DIAG_ERROR, off, "%s", e.msg[0] ? e.msg : "invalid keycode");
        return false;
    }
    if (warn_unimpl && !kc_implemented(*out))
        json_diag(doc, d, DIAG_WARNING, t,
                  "keycode '%s' is not implemented by Kestrel yet (the key will do nothing)", buf);
    return true;
}

static bool perkey_set(actx_t *a, kc_t kc, int id, uint16_t v, int t)
{
    cfg_model_t *m = a->m;
    for (int i = 0; i < m->nperkey; i++)
        if (m->perkey[i].kc == kc && m->perkey[i].id == id) {
            m->perkey[i].value = v;
            return true;
        }
    if (m->nperkey >= CFG_MAX_PERKEY) {
        ERR(a, t, "too many per-key settings (%d; the limit is %u)", m->nperkey + 1,
            CFG_MAX_PERKEY);
        return false;
    }
    m->perkey[m->nperkey++] = (cfg_perkey_t){kc, (uint8_t)id, v};
    return true;
}

/* One entry: keycode (from key token kt, or `kc` when kt < 0) -> object of settings. */
static bool perkey_entry(actx_t *a, int kt, kc_t kc, int obj)
{
    const json_doc_t *doc = a->doc;
    if (kt >= 0 && !parse_kc_tok(doc, a->d, kt, &kc, false)) return false;
    if (!json_want(doc, obj, JSON_OBJECT, "a per-key entry", a->d)) return false;
    bool ok = true;
    for (int k = json_first(doc, obj); k >= 0; k = json_next_member(doc, k)) {
        char name[40], what[80];
        json_str(doc, k, name, sizeof name);
        int id = -1, best = 99;
        const char *sugg = NULL;
        for (int i = 0; i < NPERKEY_NAMES; i++) {
            if (!strcmp(perkey_names[i].name, name)) id = perkey_names[i].id;
            int dd = edit_distance(name, perkey_names[i].name);
            if (dd < best) best = dd, sugg = perkey_names[i].name;
        }
        if (id < 0) {
            if (best <= 3)
                ERR(a, k, "unknown per-key setting '%s' (did you mean '%s'?)", name, sugg);
            else
                ERR(a, k, "unknown per-key setting '%s' (known: term, quick_tap_term, "
                          "permissive_hold, hold_on_other_key_press, retro, chordal_hold, "
                          "flow_tap_term, flavor, require_prior_idle)", name);
            ok = false;
            continue;
        }
        uint16_t v;
        snprintf(what, sizeof what, "per-key %s", name);
        if (!setting_value(a, id, k + 1, what, &v)) {
            ok = false;
            continue;
        }
        ok &= perkey_set(a, kc, id, v, k);
    }
    return ok;
}

static bool f_perkey(actx_t *a, const char *path, int t)
{
    const json_doc_t *doc = a->doc;
    if (!strcmp(path, "tapping.per_key")) {
        if (!json_want(doc, t, JSON_OBJECT, "tapping.per_key", a->d)) return false;
        bool ok = true;
        for (int k = json_first(doc, t); k >= 0; k = json_next_member(doc, k))
            ok &= perkey_entry(a, k, 0, k + 1);
        return ok;
    }
    /* tapping.per_key.KEYCODE from a dotted override: the keycode is in the name */
    const char *kct = path + strlen("tapping.per_key.");
    kc_t kc;
    kc_parse_error_t e;
    memset(&e, 0, sizeof e);
    if (!kc_parse(kct, strlen(kct), &kc, &e)) {
        ERR(a, t, "%s", e.msg);
        return false;
    }
    return perkey_entry(a, -1, kc, t);
}

static const field_t fields[] = {
    {"keyboard_name", F_FN, f_string},
    {"manufacturer", F_FN, f_string},
    {"processor", F_FN, f_structural},
    {"bootloader", F_FN, f_structural},
    {"development_board", F_FN, f_structural},
    {"layout", F_FN, f_structural},
    {"matrix_pins.rows", F_FN, f_structural},
    {"matrix_pins.cols", F_FN, f_structural},
    {"matrix_pins.direct", F_FN, f_structural},
    {"matrix_pins.io_delay", F_FN, f_matrix},
    {"matrix_pins.custom", F_FN, f_matrix},
    {"matrix_pins.custom_lite", F_FN, f_matrix},
    {"matrix_pins.ghost", F_FN, f_matrix},
    {"matrix_pins.input_pressed_state", F_FN, f_matrix},
    {"diode_direction", F_FN, f_matrix},
    {"usb.vid", F_FN, f_usb},
    {"usb.pid", F_FN, f_usb},
    {"usb.device_version", F_FN, f_usb},
    {"usb.device_ver", F_FN, f_usb},
    {"usb.polling_interval", F_FN, f_usb},
    {"usb.max_power", F_FN, f_usb},
    {"usb.force_nkro", F_FN, f_usb},
    {"layouts", F_FN, f_layouts},
    {"layouts.*", F_FN, f_layouts},
    {"layouts.*.layout", F_FN, f_layouts},
    {"layout_aliases", F_FN, f_aliases},
    {"layout_aliases.*", F_FN, f_aliases},
    {"encoder.rotary", F_FN, f_structural},
    {"features", F_FN, f_features},
    {"features.*", F_FN, f_features},
    {"tapping.per_key", F_FN, f_perkey},
    {"tapping.per_key.*", F_FN, f_perkey},
    {"split.enabled", F_FN, f_matrix},
    {"split.matrix_pins.right.rows", F_FN, f_structural},
    {"split.matrix_pins.right.cols", F_FN, f_structural},
    {"split.matrix_pins.right.direct", F_FN, f_structural},
    /* known QMK fields that need no action: metadata, and behaviour switches that are implied */
    {"maintainer", F_QUIET, NULL},
    {"url", F_QUIET, NULL},
    {"tags", F_QUIET, NULL},
    {"keyboard_folder", F_QUIET, NULL},
    {"board", F_QUIET, NULL},
    {"pin_compatible", F_QUIET, NULL},
    {"bootloader_instructions", F_QUIET, NULL},
    {"community_layouts", F_QUIET, NULL},
    {"usb.no_startup_check", F_QUIET, NULL},
    {"usb.suspend_wakeup_delay", F_QUIET, NULL},
    {"usb.wait_for_enumeration", F_QUIET, NULL},
    {"usb.shared_endpoint", F_QUIET, NULL},
    {"build.firmware_format", F_QUIET, NULL},
    {"build.lto", F_QUIET, NULL},
    {"encoder.enabled", F_QUIET, NULL},
    {"encoder.driver", F_QUIET, NULL},
    {"tapping.term_per_key", F_QUIET, NULL},
    {"tapping.force_hold", F_QUIET, NULL},
    {"tapping.force_hold_per_key", F_QUIET, NULL},
    {"tapping.permissive_hold_per_key", F_QUIET, NULL},
    {"tapping.hold_on_other_key_press_per_key", F_QUIET, NULL},
    {"tapping.retro_per_key", F_QUIET, NULL},
    {"tapping.quick_tap_term_per_key", F_QUIET, NULL},
    {"tapping.chordal_hold_per_key", F_QUIET, NULL},
    {"combo.count", F_QUIET, NULL},
    {"leader_key.timing", F_QUIET, NULL},
    {"leader_key.strict_processing", F_QUIET, NULL},
    {"caps_word.enabled", F_QUIET, NULL},
    {"caps_word.double_tap_shift_turns_on", F_QUIET, NULL},
    {"caps_word.invert_on_shift", F_QUIET, NULL},
    {"mouse_key.enabled", F_QUIET, NULL},
    {"qmk.keys_per_scan", F_QUIET, NULL},
    {"qmk.locking", F_QUIET, NULL},
    {"qmk_lufa_bootloader", F_QUIET, NULL},
    {"split.*", F_NOTE, NULL},
    /* known QMK blocks Kestrel does not use: one note lists them */
    {"rgblight", F_NOTE, NULL},
    {"rgb_matrix", F_NOTE, NULL},
    {"led_matrix", F_NOTE, NULL},
    {"backlight", F_NOTE, NULL},
    {"ws2812", F_NOTE, NULL},
    {"apa102", F_NOTE, NULL},
    {"indicators", F_NOTE, NULL},
    {"bootmagic", F_NOTE, NULL},
    {"dip_switch", F_NOTE, NULL},
    {"audio", F_NOTE, NULL},
    {"haptic", F_NOTE, NULL},
    {"ps2", F_NOTE, NULL},
    {"joystick", F_NOTE, NULL},
    {"secure", F_NOTE, NULL},
    {"eeprom", F_NOTE, NULL},
    {"keycodes", F_NOTE, NULL},
    {"modules", F_NOTE, NULL},
    {"layer_lock", F_NOTE, NULL},
    {"oled", F_NOTE, NULL},
    {"pointing_device", F_NOTE, NULL},
    {"rp2040_bootloader", F_NOTE, NULL},
    {"dynamic_keymap", F_NOTE, NULL},
    {"unicode", F_NOTE, NULL},
    {"tri_layer", F_NOTE, NULL},
    {"os_detection", F_NOTE, NULL},
    {"midi", F_NOTE, NULL},
    {"stenography", F_NOTE, NULL},
    {"bluetooth", F_NOTE, NULL},
    {"battery", F_NOTE, NULL},
    {"encoder.right", F_NOTE, NULL},
};
#define NFIELDS (int)(sizeof fields / sizeof fields[0])

static bool path_match(const char *pat, const char *path)
{
    while (*pat && *path) {
        if (*pat == '*') {
            while (*path && *path != '.') path++;
            pat++;
            continue;
        }
        if (*pat != *path) return false;
        pat++, path++;
    }
    return *pat == 0 && *path == 0;
}

/* A table entry, a setting (-2 - id), or -1. */
static int lookup(const char *path)
{
    for (int i = 0; i < NFIELDS; i++)
        if (!strchr(fields[i].path, '*') && !strcmp(fields[i].path, path)) return i;
    for (int i = 0; i < CFG_SETTING_COUNT; i++)
        if (!strcmp(setting_names[i], path)) return -2 - i;
    for (int i = 0; i < NFIELDS; i++)
        if (strchr(fields[i].path, '*') && path_match(fields[i].path, path)) return i;
    return -1;
}

/* True when `path` is a proper prefix (a parent object) of a known name. */
static bool is_parent(const char *path)
{
    size_t n = strlen(path);
    for (int i = 0; i < NFIELDS; i++)
        if (!strncmp(fields[i].path, path, n) && fields[i].path[n] == '.') return true;
    for (int i = 0; i < CFG_SETTING_COUNT; i++)
        if (!strncmp(setting_names[i], path, n) && setting_names[i][n] == '.') return true;
    return false;
}

static void note_ignored(const char *path)
{
    /* QMK once switched splits on in rules.mk; a `split` block with settings says the same */
    if (!strncmp(path, "split.", 6) && !S.split_implied) {
        S.split_implied = true;
        S.dirty = true;
    }
    char top[LS_NAME];
    size_t n = strcspn(path, ".");
    if (!strncmp(path, "split.", 6)) n = 5;
    if (n >= sizeof top) n = sizeof top - 1;
    memcpy(top, path, n);
    top[n] = 0;
    /* already listed? */
    const char *p = S.ignored;
    size_t tl = strlen(top);
    while ((p = strstr(p, top))) {
        if ((p == S.ignored || p[-1] == ' ') && (p[tl] == ',' || p[tl] == 0)) return;
        p += tl;
    }
    size_t used = strlen(S.ignored);
    snprintf(S.ignored + used, sizeof S.ignored - used, "%s%s", used ? ", " : "", top);
}

static void unknown_name(actx_t *a, const char *path, int t)
{
    const char *best = NULL;
    int bd = 99;
    for (int i = 0; i < NFIELDS + CFG_SETTING_COUNT; i++) {
        const char *c = i < NFIELDS ? fields[i].path : setting_names[i - NFIELDS];
        if (strchr(c, '*')) continue;
        int dd = edit_distance(path, c);
        if (dd < bd) bd = dd, best = c;
    }
    size_t pl = strlen(path);
    int lim = pl < 8 ? 2 : (int)pl / 4 + 1;
    enum diag_level lvl = a->strict ? DIAG_ERROR : DIAG_WARNING;
    if (best && bd <= lim)
        json_diag(a->doc, a->d, lvl, t, "unknown field '%s'%s (did you mean '%s'?)", path,
                  a->strict ? "" : ", ignored", best);
    else
        json_diag(a->doc, a->d, lvl, t, "unknown field '%s'%s", path,
                  a->strict ? "" : ", ignored");
}

/* The walker: `t` is the value at dotted `path` (the key token is t - 1 inside objects). */
static bool apply_value(actx_t *a, const char *path, int t)
{
    char alias[LS_PATH];
    int at = t > 0 && json_type(a->doc, t - 1) == JSON_STRING &&
                     a->doc->tok[t].parent == t - 1 ? t - 1 : t; /* report at the key */
    if (!strncmp(path, "mousekey", 8) && (path[8] == 0 || path[8] == '.')) {
        /* an old spelling some keymaps use */
        snprintf(alias, sizeof alias, "mouse_key%s", path + 8);
        if (path[8] == 0)
            json_diag(a->doc, a->d, DIAG_WARNING, at, "'mousekey' is read as 'mouse_key'");
        path = alias;
    }
    int f = lookup(path);
    if (f <= -2) {
        uint16_t v;
        int id = -2 - f;
        if (!setting_value(a, id, t, path, &v)) return false;
        a->m->settings[id] = v;
        return true;
    }
    if (f >= 0) {
        if (fields[f].kind == F_QUIET) return true;
        if (fields[f].kind == F_NOTE) {
            note_ignored(path);
            return true;
        }
        return fields[f].fn(a, path, t);
    }
    /* a known block's parent object: walk into it */
    if (is_parent(path)) {
        if (!json_want(a->doc, t, JSON_OBJECT, path, a->d)) return false;
        bool ok = true;
        for (int k = json_first(a->doc, t); k >= 0; k = json_next_member(a->doc, k)) {
            char key[LS_PATH], sub[LS_PATH];
            json_str(a->doc, k, key, sizeof key);
            if (snprintf(sub, sizeof sub, "%s.%s", path, key) >= (int)sizeof sub) {
                json_diag(a->doc, a->d, DIAG_WARNING, k, "name too long, ignored");
                continue;
            }
            ok &= apply_value(a, sub, k + 1);
        }
        return ok;
    }
    /* inside a block that is known but unused? */
    char pre[LS_PATH];
    copy_str(pre, sizeof pre, path);
    for (char *dot = strrchr(pre, '.'); dot; dot = strrchr(pre, '.')) {
        *dot = 0;
        int g = lookup(pre);
        if (g >= 0 && fields[g].kind != F_FN) {
            if (fields[g].kind == F_NOTE) note_ignored(pre);
            return true;
        }
    }
    unknown_name(a, path, at);
    return !a->strict;
}

static bool apply_root(actx_t *a, int obj)
{
    bool ok = true;
    for (int k = json_first(a->doc, obj); k >= 0; k = json_next_member(a->doc, k)) {
        char key[LS_PATH];
        json_str(a->doc, k, key, sizeof key);
        ok &= apply_value(a, key, k + 1);
    }
    return ok;
}

/* ---- building the keyboard part of the model ------------------------------------------------- */

typedef struct pin_use {
    uint8_t pin, half;
    ref_t at;
    const char *role;
} pin_use_t;

static pin_use_t uses[2 * CFG_MAX_POSITIONS + 2 * CFG_MAX_ENCODERS + 2 * (CFG_MAX_ROWS + CFG_MAX_COLS)];
static int nuses;

static void use_pin(diag_t *d, uint8_t proc, uint8_t pin, uint8_t half, ref_t at, const char *role)
{
    if (pin == CFG_PIN_NONE) return;
    for (int i = 0; i < nuses; i++)
        if (uses[i].pin == pin && uses[i].half == half) {
            int l, c;
            char pt[8];
            const json_doc_t *od = DOC(uses[i].at.src);
            json_pos(od, (size_t)od->tok[uses[i].at.tok].start, &l, &c);
            pin_text(proc, pin, pt, sizeof pt);
            json_diag(DOC(at.src), d, DIAG_ERROR, at.tok,
                      "pin %s is used twice: as %s here and as %s at %s:%d:%d", pt, role,
                      uses[i].role, od->name, l, c > 1 ? c - 1 : c);
            return;
        }
    if (nuses < (int)(sizeof uses / sizeof uses[0]))
        uses[nuses++] = (pin_use_t){pin, half, at, role};
}

/* A pin array (rows or cols) into out[]; returns the count or -1. */
static int pin_array(diag_t *d, uint8_t proc, ref_t r, unsigned max, const char *what,
                     uint8_t half, const char *role, uint8_t *out)
{
    const json_doc_t *doc = DOC(r.src);
    int n = json_size(doc, r.tok), i = 0;
    bool ok = true;
    if (n == 0) {
        json_diag(doc, d, DIAG_ERROR, r.tok, "%s is empty", what);
        return -1;
    }
    if ((unsigned)n > max) {
        json_diag(doc, d, DIAG_ERROR, r.tok, "%s has %d pins; Kestrel's limit is %u", what, n, max);
        return -1;
    }
    for (int e = json_first(doc, r.tok); e >= 0; e = json_next_elem(doc, e), i++) {
        if (!parse_pin(doc, d, proc, e, false, what, &out[i])) ok = false;
        else use_pin(d, proc, out[i], half, (ref_t){r.src, e}, role);
    }
    return ok ? n : -1;
}

/* Direct pins: rows of pins/null. Fills out[row*cols+col]; returns false on errors. */
static bool direct_pins(diag_t *d, uint8_t proc, ref_t r, uint8_t half, unsigned row0,
                        unsigned *rows, unsigned *cols, uint8_t *out, unsigned out_cols)
{
    const json_doc_t *doc = DOC(r.src);
    unsigned nr = 0, nc = 0;
    bool ok = true;
    for (int e = json_first(doc, r.tok); e >= 0; e = json_next_elem(doc, e), nr++) {
        if (!json_want(doc, e, JSON_ARRAY, "each row of matrix_pins.direct", d)) return false;
        if ((unsigned)json_size(doc, e) > nc) nc = (unsigned)json_size(doc, e);
    }
    *rows = nr;
    *cols = nc;
    if (!out) return true;
    unsigned ri = 0;
    for (int e = json_first(doc, r.tok); e >= 0; e = json_next_elem(doc, e), ri++) {
        unsigned ci = 0;
        for (int p = json_first(doc, e); p >= 0; p = json_next_elem(doc, p), ci++) {
            uint8_t pin;
            if (!parse_pin(doc, d, proc, p, true, "a direct pin", &pin)) {
                ok = false;
                continue;
            }
            if ((row0 + ri) * out_cols + ci < CFG_MAX_POSITIONS)
                out[(row0 + ri) * out_cols + ci] = pin;
            use_pin(d, proc, pin, half, (ref_t){r.src, p}, "a direct pin");
        }
    }
    return ok;
}

typedef struct lkey {
    uint8_t row, col, hand;
    bool has;
    ref_t at; /* the key object */
} lkey_t;

static lkey_t lkeys[CFG_MAX_KEYS];
static diag_t scratch; /* for a second pass whose messages were given by the first */

static const char *resolve_alias(const char *name, ref_t *at)
{
    for (int hop = 0; hop < 8; hop++) {
        int i;
        for (i = 0; i < S.naliases; i++)
            if (!strcmp(S.aliases[i].name, name)) break;
        if (i == S.naliases) return name;
        if (at) *at = S.aliases[i].at;
        name = S.aliases[i].target;
    }
    return name;
}

/* Merges a layout's definitions (QMK: a later one of the same length updates the keys, another
 * length replaces them) and checks every key. Returns the key count or -1. */
static int layout_keys(diag_t *d, const layout_def_t *l, unsigned rows, unsigned cols, bool report)
{
    int n = -1;
    bool ok = true;
    for (int r = 0; r < l->nrefs; r++) {
        const json_doc_t *doc = DOC(l->refs[r].src);
        int arr = l->refs[r].tok, cnt = json_size(doc, arr);
        if (cnt > (int)CFG_MAX_KEYS) {
            if (report)
                json_diag(doc, d, DIAG_ERROR, arr, "layout %s has %d keys; Kestrel's limit is %u",
                          l->name, cnt, CFG_MAX_KEYS);
            return -1;
        }
        if (cnt != n) {
            n = cnt;
            memset(lkeys, 0, sizeof lkeys[0] * (size_t)n);
        }
        int i = 0;
        for (int e = json_first(doc, arr); e >= 0; e = json_next_elem(doc, e), i++) {
            lkeys[i].at = (ref_t){l->refs[r].src, e};
            if (json_type(doc, e) != JSON_OBJECT) {
                if (report)
                    json_diag(doc, d, DIAG_ERROR, e, "key %d of layout %s must be an object "
                              "such as {\"matrix\": [0, 0], \"x\": 0, \"y\": 0}", i, l->name);
                ok = false;
                continue;
            }
            int mt = json_get(doc, e, "matrix");
            if (mt >= 0) {
                long rv, cv;
                if (json_type(doc, mt) != JSON_ARRAY || json_size(doc, mt) != 2) {
                    if (report)
                        json_diag(doc, d, DIAG_ERROR, mt,
                                  "\"matrix\" must be [row, column], two whole numbers");
                    ok = false;
                } else if (!json_get_int(doc, json_elem(doc, mt, 0), 0, 255, &rv, "matrix row",
                                         report ? d : &scratch) ||
                           !json_get_int(doc, json_elem(doc, mt, 1), 0, 255, &cv,
                                         "matrix column", report ? d : &scratch)) {
                    ok = false;
                } else {
                    lkeys[i].row = (uint8_t)rv;
                    lkeys[i].col = (uint8_t)cv;
                    lkeys[i].has = true;
                    lkeys[i].at = (ref_t){l->refs[r].src, mt};
                }
            }
            int ht = json_get(doc, e, "hand");
            if (ht >= 0) {
                if (json_str_eq(doc, ht, "L")) lkeys[i].hand = CFG_HAND_LEFT;
                else if (json_str_eq(doc, ht, "R")) lkeys[i].hand = CFG_HAND_RIGHT;
                else if (json_str_eq(doc, ht, "*")) lkeys[i].hand = CFG_HAND_ANY;
                else {
                    if (report)
                        json_diag(doc, d, DIAG_ERROR, ht, "\"hand\" must be \"L\", \"R\" or \"*\"");
                    ok = false;
                }
            }
        }
    }
    if (n < 0) return -1;
    /* Keys without "matrix": QMK would read the C LAYOUT macro; a layout with none at all that
     * covers the whole matrix is taken in row-major order. */
    int with = 0;
    for (int i = 0; i < n; i++) with += lkeys[i].has;
    if (with == 0 && n > 0 && (unsigned)n == rows * cols) {
        const json_doc_t *doc = DOC(l->refs[l->nrefs - 1].src);
        if (report)
            json_diag(doc, d, DIAG_WARNING, l->refs[l->nrefs - 1].tok,
                      "layout %s gives no \"matrix\" positions; keys are taken in row-major order "
                      "of the %ux%u matrix", l->name, rows, cols);
        for (int i = 0; i < n; i++) {
            lkeys[i].row = (uint8_t)(i / (int)cols);
            lkeys[i].col = (uint8_t)(i % (int)cols);
            lkeys[i].has = true;
        }
    }
    static int16_t seen[CFG_MAX_POSITIONS];
    for (unsigned p = 0; p < CFG_MAX_POSITIONS; p++) seen[p] = -1;
    for (int i = 0; i < n; i++) {
        const json_doc_t *doc = DOC(lkeys[i].at.src);
        if (!lkeys[i].has) {
            if (report)
                json_diag(doc, d, DIAG_ERROR, lkeys[i].at.tok,
                          "key %d of layout %s has no \"matrix\": [row, column]", i, l->name);
            ok = false;
            continue;
        }
        if (lkeys[i].row >= rows || lkeys[i].col >= cols) {
            if (report)
                json_diag(doc, d, DIAG_ERROR, lkeys[i].at.tok,
                          "matrix position [%u, %u] of layout %s is outside the %ux%u matrix "
                          "(rows 0-%u, columns 0-%u)", lkeys[i].row, lkeys[i].col, l->name,
                          rows, cols, rows - 1, cols - 1);
            ok = false;
            continue;
        }
        unsigned p = lkeys[i].row * cols + lkeys[i].col;
        if (seen[p] >= 0) {
            if (report)
                json_diag(doc, d, DIAG_ERROR, lkeys[i].at.tok,
                          "matrix position [%u, %u] is used twice in layout %s (keys %d and %d)",
                          lkeys[i].row, lkeys[i].col, l->name, seen[p], i);
            ok = false;
            continue;
        }
        seen[p] = (int16_t)i;
    }
    return ok ? n : -1;
}

/* A message about the keyboard as a whole: no position, the most specific file. */
static void kb_diag(diag_t *d, enum diag_level lvl, const char *msg)
{
    const char *file = S.kb_last_src >= 0 ? S.src[S.kb_last_src].name : "keyboard";
    diag_add(d, lvl, file, NULL, 0, 0, 0, "%s", msg);
}

static bool build_keyboard(cfg_model_t *m, diag_t *d)
{
    int errors = d->errors;
    uint8_t proc = 0, boot = 0, board = 0;
    char s[LS_NAME];

    S.dirty = false;
    S.built = true;
    nuses = 0;
    if (S.kb_broken) {
        S.keyboard_ok = false;
        return false;
    }

    /* processor, development board, bootloader */
    if (S.dev_board.src >= 0) {
        const json_doc_t *doc = DOC(S.dev_board.src);
        json_str(doc, S.dev_board.tok, s, sizeof s);
        copy_str(S.board_name, sizeof S.board_name, s);
        int i;
        for (i = 0; i < NBOARDS; i++)
            if (!strcmp(boards[i].name, s)) break;
        if (i == NBOARDS) {
            json_diag(doc, d, DIAG_ERROR, S.dev_board.tok,
                      "development_board \"%s\" is not known to Kestrel (known: promicro, elite_c, "
                      "promicro_rp2040, kb2040, elite_pi, liatris, blok, bit_c_pro, helios, imera, "
                      "svlinky)", s);
        } else if (!boards[i].proc) {
            if (S.processor.src < 0)
                json_diag(doc, d, DIAG_ERROR, S.dev_board.tok,
                          "development_board \"%s\" has processor %s, which is not supported by "
                          "Kestrel (RP2040, RP2350, atmega32u4)", s, boards[i].chip);
        } else {
            proc = boards[i].proc;
            boot = boards[i].boot;
            board = (uint8_t)(i + 1);
        }
    }
    if (S.processor.src >= 0) {
        const json_doc_t *doc = DOC(S.processor.src);
        json_str(doc, S.processor.tok, s, sizeof s);
        uint8_t p = 0;
        for (size_t i = 0; i < sizeof processors / sizeof processors[0]; i++)
            if (ieq(processors[i].name, s)) p = processors[i].proc;
        if (!p) {
            json_diag(doc, d, DIAG_ERROR, S.processor.tok,
                      "processor %s is not supported by Kestrel (RP2040, RP2350, atmega32u4)", s);
        } else {
            if (proc && proc != p)
                json_diag(doc, d, DIAG_WARNING, S.processor.tok,
                          "processor %s differs from development_board %s's %s; using %s", s,
                          S.board_name, proc_name(proc), s);
            if (proc != p) boot = 0;
            proc = p;
        }
    } else if (S.dev_board.src < 0) {
        kb_diag(d, DIAG_ERROR, "no processor: give \"processor\" (RP2040, RP2350, atmega32u4) or a "
                          "\"development_board\"");
    }
    copy_str(S.proc_name, sizeof S.proc_name, proc ? proc_name(proc) : "");
    if (S.bootloader.src >= 0 && proc) {
        const json_doc_t *doc = DOC(S.bootloader.src);
        json_str(doc, S.bootloader.tok, s, sizeof s);
        int i, nb = (int)(sizeof bootloaders / sizeof bootloaders[0]);
        for (i = 0; i < nb; i++)
            if (!strcmp(bootloaders[i].name, s)) break;
        if (i == nb || !(bootloaders[i].procs >> proc & 1))
            json_diag(doc, d, DIAG_ERROR, S.bootloader.tok,
                      "bootloader \"%s\" is not supported for %s (use %s)", s, proc_name(proc),
                      proc == CFG_PROC_ATMEGA32U4
                          ? "caterina, atmel-dfu, halfkay, qmk-dfu, qmk-hid, lufa-dfu or custom"
                          : "rp2040, tinyuf2 or custom");
        else
            boot = bootloaders[i].boot;
    }
    if (!boot && proc) boot = proc == CFG_PROC_ATMEGA32U4 ? CFG_BOOT_ATMEL_DFU : CFG_BOOT_RP2040;
    for (size_t i = 0; i < sizeof bootloaders / sizeof bootloaders[0]; i++)
        if (bootloaders[i].boot == boot) copy_str(S.boot_name, sizeof S.boot_name, bootloaders[i].name);

    m->processor = proc;
    m->bootloader = boot;
    m->dev_board = board;
    if (!proc) goto done; /* pins cannot be checked without a chip */

    /* the matrix */
    uint8_t rowp[CFG_MAX_ROWS], colp[CFG_MAX_COLS];
    bool split = S.split >= 0 ? S.split == 1 : S.split_implied;
    unsigned rows = 0, cols = 0, halves = split ? 2 : 1;
    bool grid = S.rows.src >= 0 || S.cols.src >= 0;
    if (grid && S.direct.src >= 0) {
        json_diag(DOC(S.direct.src), d, DIAG_ERROR, S.direct.tok,
                  "matrix_pins.direct cannot be combined with matrix_pins.rows/cols");
        goto done;
    }
    if (grid) {
        if (S.rows.src < 0 || S.cols.src < 0) {
            ref_t r = S.rows.src >= 0 ? S.rows : S.cols;
            json_diag(DOC(r.src), d, DIAG_ERROR, r.tok,
                      "matrix_pins needs both \"rows\" and \"cols\"");
            goto done;
        }
        int nr = pin_array(d, proc, S.rows, CFG_MAX_ROWS / halves, "matrix_pins.rows", 0,
                           "a row pin", rowp);
        int nc = pin_array(d, proc, S.cols, CFG_MAX_COLS, "matrix_pins.cols", 0, "a column pin",
                           colp);
        if (nr < 0 || nc < 0) goto done;
        rows = (unsigned)nr * halves;
        cols = (unsigned)nc;
        if (rows * cols > CFG_MAX_POSITIONS) {
            json_diag(DOC(S.cols.src), d, DIAG_ERROR, S.cols.tok,
                      "a %ux%u matrix has %u positions; Kestrel's limit is %u", rows, cols,
                      rows * cols, CFG_MAX_POSITIONS);
            goto done;
        }
        for (unsigned r = 0; r < (unsigned)nr; r++) m->row_pins[r] = rowp[r];
        for (unsigned c = 0; c < cols; c++) m->col_pins[c] = colp[c];
        if (split) {
            /* the right half's own pins (QMK: split.matrix_pins.right), else the same wiring */
            uint8_t rr[CFG_MAX_ROWS], rc[CFG_MAX_COLS];
            for (unsigned r = 0; r < (unsigned)nr; r++) m->row_pins[nr + r] = rowp[r];
            if (S.right_rows.src >= 0) {
                int n2 = pin_array(d, proc, S.right_rows, CFG_MAX_ROWS / 2,
                                   "split.matrix_pins.right.rows", 1, "a right-half row pin", rr);
                if (n2 >= 0 && n2 != nr)
                    json_diag(DOC(S.right_rows.src), d, DIAG_ERROR, S.right_rows.tok,
                              "the right half has %d row pins, the left %d", n2, nr);
                else if (n2 >= 0)
                    for (unsigned r = 0; r < (unsigned)nr; r++) m->row_pins[nr + r] = rr[r];
            }
            if (S.right_cols.src >= 0) {
                int n2 = pin_array(d, proc, S.right_cols, CFG_MAX_COLS,
                                   "split.matrix_pins.right.cols", 1, "a right-half column pin", rc);
                if (n2 >= 0 && n2 != nc)
                    json_diag(DOC(S.right_cols.src), d, DIAG_ERROR, S.right_cols.tok,
                              "the right half has %d column pins, the left %d", n2, nc);
            }
        }
        m->matrix_kind = CFG_MATRIX_GRID;
    } else if (S.direct.src >= 0) {
        unsigned dr, dc;
        if (!direct_pins(d, proc, S.direct, 0, 0, &dr, &dc, NULL, 0)) goto done;
        if (dr == 0 || dc == 0) {
            json_diag(DOC(S.direct.src), d, DIAG_ERROR, S.direct.tok, "matrix_pins.direct is empty");
            goto done;
        }
        rows = dr * halves;
        cols = dc;
        if (rows > CFG_MAX_ROWS || cols > CFG_MAX_COLS || rows * cols > CFG_MAX_POSITIONS) {
            json_diag(DOC(S.direct.src), d, DIAG_ERROR, S.direct.tok,
                      "a %ux%u direct-pin matrix is beyond Kestrel's limits (%u rows, %u columns, "
                      "%u positions)", rows, cols, CFG_MAX_ROWS, CFG_MAX_COLS, CFG_MAX_POSITIONS);
            goto done;
        }
        memset(m->direct_pins, CFG_PIN_NONE, sizeof m->direct_pins);
        direct_pins(d, proc, S.direct, 0, 0, &dr, &dc, m->direct_pins, cols);
        if (split) {
            ref_t rd = S.right_direct.src >= 0 ? S.right_direct : S.direct;
            unsigned r2, c2;
            if (direct_pins(d, proc, rd, 1, dr, &r2, &c2, NULL, 0) && r2 == dr && c2 <= dc)
                direct_pins(d, proc, rd, 1, dr, &r2, &c2, m->direct_pins, cols);
            else
                json_diag(DOC(rd.src), d, DIAG_ERROR, rd.tok,
                          "the right half's direct pins do not have the left half's shape");
        }
        m->matrix_kind = CFG_MATRIX_DIRECT;
    } else {
        kb_diag(d, DIAG_ERROR, "no matrix: give matrix_pins.rows and matrix_pins.cols, or "
                          "matrix_pins.direct");
        goto done;
    }
    m->rows = (uint8_t)rows;
    m->cols = (uint8_t)cols;

    /* encoders */
    m->nencoders = 0;
    if (S.rotary.src >= 0) {
        const json_doc_t *doc = DOC(S.rotary.src);
        int n = json_size(doc, S.rotary.tok), i = 0;
        if (n > (int)CFG_MAX_ENCODERS) {
            json_diag(doc, d, DIAG_ERROR, S.rotary.tok,
                      "%d encoders; Kestrel's limit is %u", n, CFG_MAX_ENCODERS);
        } else {
            for (int e = json_first(doc, S.rotary.tok); e >= 0; e = json_next_elem(doc, e), i++) {
                cfg_encoder_t enc = {CFG_PIN_NONE, CFG_PIN_NONE, 4};
                if (!json_want(doc, e, JSON_OBJECT, "an encoder", d)) continue;
                int pa = json_get(doc, e, "pin_a"), pb = json_get(doc, e, "pin_b"),
                    rs = json_get(doc, e, "resolution");
                if (pa < 0 || pb < 0) {
                    json_diag(doc, d, DIAG_ERROR, e, "an encoder needs \"pin_a\" and \"pin_b\"");
                    continue;
                }
                if (parse_pin(doc, d, proc, pa, false, "pin_a", &enc.pin_a))
                    use_pin(d, proc, enc.pin_a, 0, (ref_t){S.rotary.src, pa}, "an encoder pin");
                if (parse_pin(doc, d, proc, pb, false, "pin_b", &enc.pin_b))
                    use_pin(d, proc, enc.pin_b, 0, (ref_t){S.rotary.src, pb}, "an encoder pin");
                if (rs >= 0) {
                    long v;
                    if (json_get_int(doc, rs, 1, 255, &v, "resolution", d)) enc.resolution = (uint8_t)v;
                }
                m->enc[i] = enc;
            }
            m->nencoders = (uint8_t)n;
        }
    }

    /* layouts: every one is checked, the selected one goes into the model */
    for (int i = 0; i < S.naliases; i++) {
        ref_t at = S.aliases[i].at;
        const char *target = resolve_alias(S.aliases[i].name, NULL);
        if (!layout_find(target))
            json_diag(DOC(at.src), d, DIAG_ERROR, at.tok,
                      "layout alias %s points to %s, which is not a layout of this keyboard",
                      S.aliases[i].name, S.aliases[i].target);
    }
    if (S.nlayouts == 0) {
        kb_diag(d, DIAG_ERROR, "the keyboard defines no layouts");
        goto done;
    }
    for (int i = 0; i < S.nlayouts; i++) layout_keys(d, &S.layouts[i], rows, cols, true);

    const layout_def_t *sel = NULL;
    if (S.layout_sel.src >= 0) {
        const json_doc_t *doc = DOC(S.layout_sel.src);
        json_str(doc, S.layout_sel.tok, s, sizeof s);
        sel = layout_find(resolve_alias(s, NULL));
        if (!sel) {
            char list[200] = "";
            for (int i = 0; i < S.nlayouts; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                         S.layouts[i].name);
            json_diag(doc, d, DIAG_ERROR, S.layout_sel.tok,
                      "layout %s does not exist in this keyboard (its layouts: %s)", s, list);
            goto done;
        }
    } else {
        sel = layout_find(resolve_alias("LAYOUT", NULL));
        if (!sel) sel = &S.layouts[0];
    }
    copy_str(S.layout_name, sizeof S.layout_name, sel->name);
    int n = layout_keys(d, sel, rows, cols, false);
    if (n < 0) goto done;
    m->nkeys = (uint16_t)n;
    memset(m->hand, CFG_HAND_ANY, sizeof m->hand);
    for (int i = 0; i < n; i++) {
        uint8_t p = (uint8_t)(lkeys[i].row * cols + lkeys[i].col);
        m->layout[i] = p;
        m->hand[p] = lkeys[i].hand;
        if (m->matrix_kind == CFG_MATRIX_DIRECT && m->direct_pins[p] == CFG_PIN_NONE)
            json_diag(DOC(lkeys[i].at.src), d, DIAG_WARNING, lkeys[i].at.tok,
                      "key %d of layout %s is at [%u, %u], which has no pin in matrix_pins.direct",
                      i, sel->name, lkeys[i].row, lkeys[i].col);
    }
    if (split)
        kb_diag(d, DIAG_WARNING, "split keyboard: Kestrel has no split transport yet; the image "
                                 "holds both halves' matrix but only the half with USB will work");
done:
    S.keyboard_ok = d->errors == errors;
    return S.keyboard_ok;
}

/* ---- keyboard and keymap entry points ---------------------------------------------------------- */

bool cfg_ls_keyboard(cfg_model_t *m, const int *srcs, int n, diag_t *d)
{
    int errors = d->errors;
    for (int i = 0; i < n; i++) {
        if (srcs[i] < 0) {
            S.kb_broken = true;
            continue;
        }
        actx_t a = {m, d, srcs[i], DOC(srcs[i]), false};
        S.kb_last_src = srcs[i];
        if (!json_want(a.doc, 0, JSON_OBJECT, "a keyboard definition", d)) {
            S.kb_broken = true;
            continue;
        }
        apply_root(&a, 0);
    }
    build_keyboard(m, d);
    if (S.ignored[0] && S.kb_last_src >= 0)
        diag_add(d, DIAG_NOTE, S.src[S.kb_last_src].name, NULL, 0, 0, 0,
                 "QMK settings Kestrel does not use were skipped: %s", S.ignored);
    return d->errors == errors;
}

static int kc_layer(kc_t kc)
{
    if (KC_IN(kc, QK_LAYER_TAP, QK_LAYER_TAP_MAX)) return QK_LAYER_TAP_GET_LAYER(kc);
    if (KC_IN(kc, QK_LAYER_MOD, QK_LAYER_MOD_MAX)) return QK_LAYER_MOD_GET_LAYER(kc);
    if (KC_IN(kc, QK_ONE_SHOT_MOD, QK_ONE_SHOT_MOD_MAX)) return -1;
    if (KC_IN(kc, QK_TO, QK_PERSISTENT_DEF_LAYER_MAX)) return QK_LAYER_GET(kc);
    return -1;
}

/* ---- macros: JSON -> byte code (docs/keymap-format.md) ----------------------------------------- */

enum { MOP_TAP = 1, MOP_DOWN = 2, MOP_UP = 3, MOP_DELAY = 4, MOP_BEEP = 5 };

static bool mac_put(actx_t *a, int t, const uint8_t *b, size_t n)
{
    cfg_model_t *m = a->m;
    if (m->macro_len + n > CFG_MAX_MACRO_BYTES) {
        ERR(a, t, "macros need more than %u bytes of byte code (Kestrel's limit)",
            CFG_MAX_MACRO_BYTES);
        return false;
    }
    memcpy(m->macro_bytes + m->macro_len, b, n);
    m->macro_len = (uint16_t)(m->macro_len + n);
    return true;
}

static bool macro_kc(actx_t *a, int t, kc_t *kc)
{
    char buf[64], pre[72];
    const json_doc_t *doc = a->doc;
    kc_parse_error_t e;
    if (json_type(doc, t) == JSON_STRING && json_str(doc, t, buf, sizeof buf)) {
        /* QMK's macro keycodes are written without KC_ ("LSFT", "A") */
        snprintf(pre, sizeof pre, "KC_%s", buf);
        if (strncmp(buf, "KC_", 3) && kc_parse(pre, strlen(pre), kc, &e)) goto got;
    }
    if (!parse_kc_tok(doc, a->d, t, kc, false)) return false;
got:
    if (*kc > QK_MODS_MAX) {
        ERR(a, t, "a macro can only press basic keycodes and modified keys (LCTL(KC_C)), not "
                  "0x%04X", *kc);
        return false;
    }
    return true;
}

static bool macro_one(actx_t *a, int mt)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, mt, JSON_ARRAY, "a macro", a->d)) return false;
    bool ok = true;
    for (int e = json_first(doc, mt); e >= 0; e = json_next_elem(doc, e)) {
        if (json_type(doc, e) == JSON_STRING) {
            char text[1024];
            size_t rawn;
            const char *raw = json_raw(doc, e, &rawn);
            if (!json_str(doc, e, text, sizeof text)) {
                ERR(a, e, "macro text longer than %zu bytes", sizeof text - 1);
                ok = false;
                continue;
            }
            for (size_t i = 0; text[i]; i++) {
                unsigned char c = (unsigned char)text[i];
                if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7F)) continue;
                size_t off = (size_t)doc->tok[e].start;
                if (json_str_plain(doc, e)) {
                    const char *hit = memchr(raw, (int)c, rawn);
                    if (hit) off += (size_t)(hit - raw);
                }
                if (c >= 0x80)
                    json_diag_at(doc, a->d, DIAG_ERROR, off,
                                 "macro text must be US ASCII: this character cannot be typed "
                                 "(use a UC() keycode or the OS's input method for it)");
                else
                    json_diag_at(doc, a->d, DIAG_ERROR, off,
                                 "macro text holds control character 0x%02X (only \\n and \\t can "
                                 "be typed)", c);
                ok = false;
                break;
            }
            if (ok) ok &= mac_put(a, e, (const uint8_t *)text, strlen(text));
            continue;
        }
        if (json_type(doc, e) != JSON_OBJECT) {
            ERR(a, e, "a macro step must be text or an object such as {\"action\": \"tap\", "
                      "\"keycodes\": [\"LCTL\", \"C\"]}");
            ok = false;
            continue;
        }
        int act = json_get(doc, e, "action");
        char an[16] = "";
        if (act < 0 || json_type(doc, act) != JSON_STRING) {
            ERR(a, act >= 0 ? act : e, "a macro step needs \"action\": tap, down, up, delay or beep");
            ok = false;
            continue;
        }
        json_str(doc, act, an, sizeof an);
        if (!strcmp(an, "delay")) {
            int du = json_get(doc, e, "duration");
            long v;
            if (du < 0) {
                ERR(a, e, "a delay step needs \"duration\" (milliseconds)");
                ok = false;
            } else if (json_get_int(doc, du, 0, 65535, &v, "duration", a->d)) {
                uint8_t b[3] = {MOP_DELAY, (uint8_t)v, (uint8_t)(v >> 8)};
                ok &= mac_put(a, e, b, 3);
            } else {
                ok = false;
            }
        } else if (!strcmp(an, "beep")) {
            uint8_t b = MOP_BEEP;
            ok &= mac_put(a, e, &b, 1);
        } else if (!strcmp(an, "tap") || !strcmp(an, "down") || !strcmp(an, "up")) {
            uint8_t op = an[0] == 't' ? MOP_TAP : an[0] == 'd' ? MOP_DOWN : MOP_UP;
            int ks = json_get(doc, e, "keycodes");
            if (ks < 0 || !json_want(doc, ks, JSON_ARRAY, "\"keycodes\"", a->d)) {
                if (ks < 0) ERR(a, e, "a %s step needs \"keycodes\": [...]", an);
                ok = false;
                continue;
            }
            for (int k = json_first(doc, ks); k >= 0; k = json_next_elem(doc, k)) {
                kc_t kc;
                if (!macro_kc(a, k, &kc)) {
                    ok = false;
                    continue;
                }
                uint8_t b[3] = {op, (uint8_t)kc, (uint8_t)(kc >> 8)};
                ok &= mac_put(a, k, b, 3);
            }
        } else {
            ERR(a, act, "unknown macro action \"%s\" (tap, down, up, delay or beep)", an);
            ok = false;
        }
    }
    (void)m;
    return ok;
}

static bool keymap_macros(actx_t *a, int t)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "macros", a->d)) return false;
    int n = json_size(doc, t);
    if (n > (int)CFG_MAX_MACROS) {
        ERR(a, t, "%d macros; Kestrel's limit is %u", n, CFG_MAX_MACROS);
        return false;
    }
    bool ok = true;
    m->nmacros = 0;
    m->macro_len = 0;
    for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e)) {
        m->macro_off[m->nmacros] = m->macro_len;
        ok &= macro_one(a, e);
        m->nmacros++;
        m->macro_off[m->nmacros] = m->macro_len;
    }
    return ok;
}

static bool check_layer_ref(actx_t *a, int t, kc_t kc)
{
    int l = kc_layer(kc);
    if (l >= 0 && l >= a->m->layers) {
        size_t n;
        const char *r = json_raw(a->doc, t, &n);
        ERR(a, t, "%.*s refers to layer %d, but the keymap has %d layer%s (0-%d)", (int)n, r, l,
            a->m->layers, a->m->layers == 1 ? "" : "s", a->m->layers - 1);
        return false;
    }
    return true;
}

static bool keymap_layers(actx_t *a, int t)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "layers", a->d)) return false;
    int nl = json_size(doc, t);
    if (nl == 0) {
        ERR(a, t, "layers is empty (a keymap needs at least one layer)");
        return false;
    }
    if (nl > (int)CFG_MAX_LAYERS) {
        ERR(a, t, "%d layers; Kestrel's limit is %u", nl, CFG_MAX_LAYERS);
        return false;
    }
    if (!S.keyboard_ok || m->nkeys == 0) {
        json_diag(doc, a->d, DIAG_NOTE, t, "layers not checked: the keyboard has errors");
        return false;
    }
    m->layers = (uint8_t)nl;
    memset(m->keymap, 0, sizeof m->keymap);
    bool ok = true;
    int l = 0;
    for (int lt = json_first(doc, t); lt >= 0; lt = json_next_elem(doc, lt), l++) {
        if (!json_want(doc, lt, JSON_ARRAY, "a layer", a->d)) {
            ok = false;
            continue;
        }
        int nk = json_size(doc, lt);
        if (nk != m->nkeys) {
            ERR(a, lt, "layer %d has %d keycodes, but layout %s has %u keys", l, nk,
                S.layout_name, m->nkeys);
            ok = false;
            continue;
        }
        int i = 0;
        for (int k = json_first(doc, lt); k >= 0; k = json_next_elem(doc, k), i++) {
            kc_t kc;
            if (!parse_kc_tok(doc, a->d, k, &kc, true)) {
                ok = false;
                continue;
            }
            ok &= check_layer_ref(a, k, kc);
            m->keymap[l][m->layout[i]] = kc;
        }
    }
    S.layers_from_json = true;
    return ok;
}

static bool keymap_encoders(actx_t *a, int t)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "encoders", a->d)) return false;
    int nl = json_size(doc, t);
    if (m->nencoders == 0) {
        ERR(a, t, "the keymap maps encoders, but the keyboard has none (encoder.rotary)");
        return false;
    }
    if (m->layers && nl > m->layers) {
        ERR(a, t, "encoders has %d layers, the keymap %d", nl, m->layers);
        return false;
    }
    for (int l = 0; l < (int)CFG_MAX_LAYERS; l++)
        for (int e = 0; e < (int)CFG_MAX_ENCODERS; e++)
            m->enc_map[l][e][0] = m->enc_map[l][e][1] = l < nl ? KC_NO : KC_TRANSPARENT;
    bool ok = true;
    int l = 0;
    for (int lt = json_first(doc, t); lt >= 0; lt = json_next_elem(doc, lt), l++) {
        if (!json_want(doc, lt, JSON_ARRAY, "an encoder layer", a->d)) {
            ok = false;
            continue;
        }
        if (json_size(doc, lt) != m->nencoders) {
            ERR(a, lt, "encoder layer %d has %d entries, the keyboard has %u encoder%s", l,
                json_size(doc, lt), m->nencoders, m->nencoders == 1 ? "" : "s");
            ok = false;
            continue;
        }
        int e = 0;
        for (int et = json_first(doc, lt); et >= 0; et = json_next_elem(doc, et), e++) {
            if (!json_want(doc, et, JSON_OBJECT, "an encoder entry", a->d)) {
                ok = false;
                continue;
            }
            for (int dir = 0; dir < 2; dir++) {
                int v = json_get(doc, et, dir ? "cw" : "ccw");
                kc_t kc;
                if (v < 0) {
                    ERR(a, et, "an encoder entry needs \"%s\"", dir ? "cw" : "ccw");
                    ok = false;
                } else if (parse_kc_tok(doc, a->d, v, &kc, true)) {
                    ok &= check_layer_ref(a, v, kc);
                    m->enc_map[l][e][dir] = kc;
                } else {
                    ok = false;
                }
            }
        }
    }
    return ok;
}

/* Keymaps and overrides belong to the session their keyboard started. */
static bool in_session(cfg_model_t *m, const char *file, diag_t *d)
{
    if (S.m == m && S.started) return true;
    diag_add(d, DIAG_ERROR, cfg_ls_intern(file), NULL, 0, 0, 0,
             "no keyboard loaded for this model (call cfg_load_keyboard first)");
    return false;
}

bool cfg_ls_in_session(cfg_model_t *m, const char *file, diag_t *d)
{
    return in_session(m, file, d);
}

bool cfg_ls_keymap(cfg_model_t *m, int src, diag_t *d)
{
    int errors = d->errors;
    if (src < 0) return false;
    actx_t a = {m, d, src, DOC(src), false};
    const json_doc_t *doc = a.doc;
    if (!json_want(doc, 0, JSON_OBJECT, "a keymap", d)) return false;
    int layers = -1, encoders = -1, macros = -1;
    for (int k = json_first(doc, 0); k >= 0; k = json_next_member(doc, k)) {
        int v = k + 1;
        char key[LS_NAME];
        json_str(doc, k, key, sizeof key);
        if (!strcmp(key, "layers")) layers = v;
        else if (!strcmp(key, "encoders")) encoders = v;
        else if (!strcmp(key, "macros")) macros = v;
        else if (!strcmp(key, "layout")) set_ref(&a, &S.layout_sel, v, JSON_STRING, "layout");
        else if (!strcmp(key, "config")) {
            if (json_want(doc, v, JSON_OBJECT, "config", d)) apply_root(&a, v);
        } else if (!strcmp(key, "keymap")) {
            if (json_want(doc, v, JSON_STRING, "keymap", d))
                json_str(doc, v, m->keymap_name, sizeof m->keymap_name);
        } else if (!strcmp(key, "keyboard") || !strcmp(key, "version") || !strcmp(key, "author") ||
                   !strcmp(key, "notes") || !strcmp(key, "documentation") ||
                   !strcmp(key, "converter") || !strcmp(key, "host_language") ||
                   !strcmp(key, "keycodes") || !strcmp(key, "modules")) {
            /* bookkeeping of QMK's tools; nothing for the keyboard */
        } else {
            json_diag(doc, d, DIAG_WARNING, k, "unknown keymap field '%s', ignored", key);
        }
    }
    if (S.dirty) build_keyboard(m, d);
    if (macros >= 0) keymap_macros(&a, macros);
    if (layers >= 0) keymap_layers(&a, layers);
    else json_diag(doc, d, DIAG_ERROR, 0, "the keymap has no \"layers\"");
    if (encoders >= 0 && S.keyboard_ok) keymap_encoders(&a, encoders);
    return d->errors == errors;
}

/* ---- public entry points without files ------------------------------------------------------- */

bool cfg_load_keyboard_text(cfg_model_t *m, const char *name, const char *text, size_t len,
                            diag_t *d)
{
    int errors = d->errors;
    cfg_ls_begin(m);
    int s = add_src(name, text, len, 1, 1, d);
    cfg_ls_keyboard(m, &s, 1, d);
    return d->errors == errors;
}

bool cfg_load_keymap_text(cfg_model_t *m, const char *name, const char *text, size_t len,
                          diag_t *d)
{
    int errors = d->errors;
    if (!in_session(m, name, d)) return false;
    int s = add_src(name, text, len, 1, 1, d);
    if (s < 0) return false;
    cfg_ls_keymap(m, s, d);
    return d->errors == errors;
}

bool cfg_apply_setting(cfg_model_t *m, const char *dotted, const char *json, size_t jsonlen,
                       const char *file, int line, int col, diag_t *d)
{
    int errors = d->errors;
    const char *fn = cfg_ls_intern(file ? file : "<config>");
    if (!in_session(m, fn, d)) return false;
    if (!dotted || !*dotted || strlen(dotted) >= LS_PATH || dotted[0] == '.' ||
        dotted[strlen(dotted) - 1] == '.' || strstr(dotted, "..")) {
        diag_add(d, DIAG_ERROR, fn, NULL, 0, line, col, "invalid setting name '%s'",
                 dotted ? dotted : "");
        return false;
    }
    int s = add_src(fn, json, jsonlen, line, col, d);
    if (s < 0) return false;
    actx_t a = {m, d, s, DOC(s), true};
    apply_value(&a, dotted, 0);
    if (S.dirty) build_keyboard(m, d);
    return d->errors == errors;
}

bool cfg_finish(cfg_model_t *m, diag_t *d)
{
    int errors = d->errors;
    const char *file = S.kb_last_src >= 0 ? S.src[S.kb_last_src].name : "config";
    if (!in_session(m, file, d) || !S.keyboard_ok) return false;
    if (m->layers == 0) {
        diag_add(d, DIAG_ERROR, file, NULL, 0, 0, 0, "the keymap has no layers");
        return false;
    }
    if (!S.layers_from_json) {
        /* layers set directly (a scenario's `layer` lines): no positions to point at */
        for (unsigned l = 0; l < m->layers; l++)
            for (unsigned k = 0; k < m->nkeys; k++) {
                kc_t kc = m->keymap[l][m->layout[k]];
                int ref = kc_layer(kc);
                if (ref >= m->layers) {
                    char txt[KC_FORMAT_MAX];
                    kc_format(kc, txt, sizeof txt);
                    diag_add(d, DIAG_ERROR, file, NULL, 0, 0, 0,
                             "layer %u key %u: %s refers to layer %d, but the keymap has %u "
                             "layer%s", l, k, txt, ref, m->layers, m->layers == 1 ? "" : "s");
                }
            }
    }
    for (unsigned l = 0; l < m->layers; l++)
        for (unsigned k = 0; k < m->nkeys; k++) {
            kc_t kc = m->keymap[l][m->layout[k]];
            if (KC_IN(kc, QK_MACRO, QK_MACRO_MAX) && (unsigned)(kc - QK_MACRO) >= m->nmacros)
                diag_add(d, DIAG_WARNING, file, NULL, 0, 0, 0,
                         "layer %u key %u is macro %u, but the keymap defines %u macro%s", l, k,
                         (unsigned)(kc - QK_MACRO), m->nmacros, m->nmacros == 1 ? "" : "s");
        }
    static uint8_t img[CFG_MAX_IMAGE];
    if (!cfg_image_write(m, img, sizeof img))
        diag_add(d, DIAG_ERROR, file, NULL, 0, 0, 0,
                 "the config image would exceed %u bytes (fewer layers or keys would fit)",
                 CFG_MAX_IMAGE);
    return d->errors == errors;
}

void cfg_load_get_info(cfg_load_info_t *info)
{
    S.features_str[0] = 0;
    for (int i = 0; i < S.nfeatures; i++) {
        if (!S.features[i].on) continue;
        size_t u = strlen(S.features_str);
        snprintf(S.features_str + u, sizeof S.features_str - u, "%s%s", u ? ", " : "",
                 S.features[i].name);
    }
    info->layout = S.layout_name;
    info->processor = S.proc_name;
    info->bootloader = S.boot_name;
    info->dev_board = S.board_name;
    info->features = S.features_str;
    info->ignored = S.ignored;
    info->nlayouts = S.nlayouts;
    info->split = S.split >= 0 ? S.split == 1 : S.split_implied;
}
