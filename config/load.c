/* The keymap language's session and field walker: every source (a file of a QMK tree, a keymap's
 * `config`, a scenario's override) goes through one walker over the dotted names, so names and
 * checks are the same everywhere. Settings go straight into the model; structural fields are kept
 * as references and load_keyboard.c rebuilds the keyboard part from them. */
#include <stdio.h>
#include <string.h>

#include "config/json.h"
#include "config/keycode.h"
#include "config/load.h"
#include "config/load_internal.h"
#include "config/avr_images.h"

struct cfg_ls_session cfg_ls_s;

/* The pools stay outside the session struct so that starting a session does not clear them. */
static char S_text[CFG_LS_TEXT];
static jsmntok_t S_tok[CFG_LS_TOKENS];

/* ---- the source store ------------------------------------------------------------------------ */

static char names_pool[CFG_LS_NAMES];
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


/* ---- small helpers ------------------------------------------------------------------------- */

void cfg_ls_copy(char *dst, size_t cap, const char *s)
{
    size_t n = strnlen(s, cap - 1);
    memcpy(dst, s, n);
    dst[n] = 0;
}

/* Edit distance (bounded strings), for "did you mean" suggestions. */
int cfg_ls_edit_distance(const char *a, const char *b)
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

enum { SK_ANY = 0, SK_MS, SK_U8, SK_BOOL, SK_FLAVOR, SK_DEBOUNCE, SK_MOUSE_MODE, SK_UC_MODE, SK_UC_MODES, SK_RETRO, SK_LAYER,
       SK_GESC };

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
    [CFG_MACRO_TAP_DELAY] = SK_MS,
    [CFG_LEADER_PER_KEY_TIMING] = SK_BOOL,
    [CFG_LEADER_STRICT_PROCESSING] = SK_BOOL,
    [CFG_LEADER_NO_TIMEOUT] = SK_BOOL,
    [CFG_UNICODE_INPUT_MODE] = SK_UC_MODE,
    [CFG_UNICODE_SELECTED_MODES] = SK_UC_MODES,
    [CFG_UNICODE_TYPE_DELAY] = SK_MS,
    [CFG_DYNAMIC_MACRO_DELAY] = SK_MS,
    [CFG_CAPS_WORD_DOUBLE_TAP_SHIFT] = SK_BOOL,
    [CFG_CAPS_WORD_INVERT_ON_SHIFT] = SK_BOOL,
    [CFG_AUTO_SHIFT_NO_ALPHA] = SK_BOOL,
    [CFG_AUTO_SHIFT_NO_NUMERIC] = SK_BOOL,
    [CFG_AUTO_SHIFT_NO_SPECIAL] = SK_BOOL,
    [CFG_AUTO_SHIFT_REPEAT] = SK_BOOL,
    [CFG_AUTO_SHIFT_RETRO] = SK_RETRO,
    [CFG_LAYER_LOCK_TIMEOUT] = SK_MS,
    [CFG_TRI_LAYER_LOWER] = SK_LAYER,
    [CFG_TRI_LAYER_UPPER] = SK_LAYER,
    [CFG_TRI_LAYER_ADJUST] = SK_LAYER,
    [CFG_GRAVE_ESC_OVERRIDE] = SK_GESC,
    [CFG_MOUSE_MODE] = SK_MOUSE_MODE,
    [CFG_MOUSE_WHEEL_INITIAL_MOVEMENTS] = SK_U8,
    [CFG_MOUSE_WHEEL_BASE_MOVEMENTS] = SK_U8,
    [CFG_MOUSE_WHEEL_ACCELERATED_MOVEMENTS] = SK_U8,
    [CFG_MOUSE_WHEEL_DECELERATED_MOVEMENTS] = SK_U8,
    [CFG_MOUSE_FRICTION] = SK_U8,
    [CFG_MOUSE_MOMENTARY_ACCEL] = SK_BOOL,
    [CFG_MOUSE_C_OFFSET_UNMOD] = SK_U8,
    [CFG_MOUSE_C_INTERVAL_UNMOD] = SK_MS,
    [CFG_MOUSE_C_OFFSET_0] = SK_U8,
    [CFG_MOUSE_C_INTERVAL_0] = SK_MS,
    [CFG_MOUSE_C_OFFSET_1] = SK_U8,
    [CFG_MOUSE_C_INTERVAL_1] = SK_MS,
    [CFG_MOUSE_C_OFFSET_2] = SK_U8,
    [CFG_MOUSE_C_INTERVAL_2] = SK_MS,
    [CFG_MOUSE_W_OFFSET_UNMOD] = SK_U8,
    [CFG_MOUSE_W_INTERVAL_UNMOD] = SK_MS,
    [CFG_MOUSE_W_OFFSET_0] = SK_U8,
    [CFG_MOUSE_W_INTERVAL_0] = SK_MS,
    [CFG_MOUSE_W_OFFSET_1] = SK_U8,
    [CFG_MOUSE_W_INTERVAL_1] = SK_MS,
    [CFG_MOUSE_W_OFFSET_2] = SK_U8,
    [CFG_MOUSE_W_INTERVAL_2] = SK_MS,
};

static const char *const setting_names[CFG_SETTING_COUNT] = {
#define X_NAME(id, name, def) name,
    CFG_SETTINGS(X_NAME)
#undef X_NAME
};

static const char *const flavor_names[] = {"qmk", "hold-preferred", "balanced", "tap-preferred",
                                           "tap-unless-interrupted"};
/* mouse_key.mode: QMK's MK_KINETIC_SPEED, MK_3_SPEED (here "constant"), MK_COMBINED, MOUSEKEY_INERTIA */
static const char *const mouse_mode_names[] = {"accelerated", "kinetic", "constant", "combined",
                                               "inertia"};
static const char *const debounce_names[] = {"asym_eager_defer_pk", "sym_defer_g", "sym_defer_pr",
                                             "sym_defer_pk", "sym_eager_pr", "sym_eager_pk"};

static int name_index(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], s)) return i;
    return -1;
}

/* unicode.input_mode: our names, or QMK's constants (UNICODE_MODE_MACOS, UC_MAC) as in config.h */
static const char *const uc_mode_names[CFG_UC_MODE_COUNT] = {"macos", "linux", "windows", "bsd",
                                                             "wincompose", "emacs"};
static const char *const uc_mode_qmk[CFG_UC_MODE_COUNT][2] = {
    {"UNICODE_MODE_MACOS", "UC_MAC"}, {"UNICODE_MODE_LINUX", "UC_LINX"},
    {"UNICODE_MODE_WINDOWS", "UC_WIN"}, {"UNICODE_MODE_BSD", "UC_BSD"},
    {"UNICODE_MODE_WINCOMPOSE", "UC_WINC"}, {"UNICODE_MODE_EMACS", "UC_EMAC"}};

static int uc_mode_index(actx_t *a, int t, const char *what)
{
    char s[40];
    if (!json_want(a->doc, t, JSON_STRING, what, a->d)) return -1;
    json_str(a->doc, t, s, sizeof s);
    for (int i = 0; i < CFG_UC_MODE_COUNT; i++)
        if (!strcmp(s, uc_mode_names[i]) || !strcmp(s, uc_mode_qmk[i][0]) || !strcmp(s, uc_mode_qmk[i][1]))
            return i;
    ERR(a, t, "unknown unicode input mode \"%s\" (choose one of macos, linux, windows, bsd, "
              "wincompose, emacs)", s);
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
    case SK_RETRO:
        if (json_type(doc, t) == JSON_BOOL) {
            json_get_bool(doc, t, &b, what, a->d);
            *out = b ? CFG_RETRO_SHIFT_ANY : 0;
            return true;
        }
        if (json_type(doc, t) != JSON_NUMBER) {
            ERR(a, t, "%s must be true, false or a hold-time limit in ms, not %s", what,
                json_type_name(json_type(doc, t)));
            return false;
        }
        if (!json_get_int(doc, t, 0, 65534, &v, what, a->d)) return false;
        *out = (uint16_t)v;
        return true;
    case SK_LAYER:
        if (!json_get_int(doc, t, 0, CFG_MAX_LAYERS - 1, &v, what, a->d)) return false;
        *out = (uint16_t)v;
        return true;
    case SK_GESC:
        return cfg_ls_gesc_override(a, t, what, out);
    case SK_FLAVOR:
    case SK_MOUSE_MODE:
    case SK_DEBOUNCE: {
        bool fl = setting_kind[id] == SK_FLAVOR, mm = setting_kind[id] == SK_MOUSE_MODE;
        const char *const *names = fl ? flavor_names : mm ? mouse_mode_names : debounce_names;
        int n = fl || mm ? 5 : 6;
        if (!json_want(doc, t, JSON_STRING, what, a->d)) return false;
        json_str(doc, t, s, sizeof s);
        int k = name_index(names, n, s);
        if (k < 0) {
            char list[200] = "";
            for (int i = 0; i < n; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                         names[i]);
            if (!fl && !mm && !strcmp(s, "custom"))
                ERR(a, t, "build.debounce_type \"custom\" needs C code, which Kestrel does not run "
                          "(choose one of %s)", list);
            else
                ERR(a, t, "unknown %s \"%s\" (choose one of %s)", what, s, list);
            return false;
        }
        *out = (uint16_t)k;
        return true;
    }
    case SK_UC_MODE: {
        int k = uc_mode_index(a, t, what);
        if (k < 0) return false;
        *out = (uint16_t)k;
        return true;
    }
    case SK_UC_MODES: {
        /* an ordered list of distinct modes, packed 3 bits each (core/cfg_settings.h) */
        if (!json_want(doc, t, JSON_ARRAY, what, a->d)) return false;
        if (json_size(doc, t) > 5) {
            ERR(a, t, "%s lists %d modes; Kestrel keeps at most 5", what, json_size(doc, t));
            return false;
        }
        unsigned packed = 0, n = 0, seen = 0;
        for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e), n++) {
            int k = uc_mode_index(a, e, "a unicode input mode");
            if (k < 0) return false;
            if (seen >> k & 1u) {
                ERR(a, e, "unicode input mode \"%s\" is listed twice", uc_mode_names[k]);
                return false;
            }
            seen |= 1u << k;
            packed |= (unsigned)(k + 1) << (3 * n);
        }
        *out = (uint16_t)packed;
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

bool cfg_setting_json(unsigned id, uint16_t v, char *out, size_t cap)
{
    if (id >= CFG_SETTING_COUNT || !cap) return false;
    int n;
    switch (setting_kind[id]) {
    case SK_BOOL:
        n = snprintf(out, cap, "%s", v ? "true" : "false");
        break;
    case SK_FLAVOR:
        if (v >= sizeof flavor_names / sizeof flavor_names[0]) return false;
        n = snprintf(out, cap, "\"%s\"", flavor_names[v]);
        break;
    case SK_DEBOUNCE:
        if (v >= sizeof debounce_names / sizeof debounce_names[0]) return false;
        n = snprintf(out, cap, "\"%s\"", debounce_names[v]);
        break;
    case SK_MOUSE_MODE:
        if (v >= sizeof mouse_mode_names / sizeof mouse_mode_names[0]) return false;
        n = snprintf(out, cap, "\"%s\"", mouse_mode_names[v]);
        break;
    case SK_RETRO:
        n = v == CFG_RETRO_SHIFT_ANY ? snprintf(out, cap, "true") : snprintf(out, cap, "%u", (unsigned)v);
        break;
    case SK_UC_MODE: /* the loader reads a mode name, not its number */
        if (v >= CFG_UC_MODE_COUNT) return false;
        n = snprintf(out, cap, "\"%s\"", uc_mode_names[v]);
        break;
    case SK_UC_MODES: { /* the packed list (3 bits a mode + 1) as the array of names it came from */
        n = snprintf(out, cap, "[");
        for (unsigned i = 0; i < 5 && n > 0 && (size_t)n < cap && (v >> (3 * i) & 7u); i++) {
            unsigned k = (v >> (3 * i) & 7u) - 1u;
            if (k >= CFG_UC_MODE_COUNT) return false;
            n += snprintf(out + n, cap - (size_t)n, "%s\"%s\"", i ? ", " : "", uc_mode_names[k]);
        }
        if (n > 0 && (size_t)n < cap) n += snprintf(out + n, cap - (size_t)n, "]");
        break;
    }
    case SK_GESC: { /* the names cfg_ls_gesc_override reads, in its bit order */
        static const char *const gesc[4] = {"alt", "ctrl", "gui", "shift"};
        size_t k = 0;
        n = snprintf(out, cap, "[");
        for (unsigned b = 0; b < 4 && n > 0 && (size_t)n < cap; b++)
            if (v >> b & 1u) n += snprintf(out + n, cap - (size_t)n, "%s\"%s\"", k++ ? ", " : "", gesc[b]);
        if (n > 0 && (size_t)n < cap) n += snprintf(out + n, cap - (size_t)n, "]");
        break;
    }
    default:
        n = snprintf(out, cap, "%u", (unsigned)v);
        break;
    }
    return n > 0 && (size_t)n < cap;
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

bool cfg_ls_set_ref(actx_t *a, ref_t *r, int t, enum json_type ty, const char *path)
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
        if (!strcmp(map[i].path, path)) return cfg_ls_set_ref(a, map[i].r, t, map[i].ty, path);
    return false;
}

/* Kestrel's own: the keyboard's USB drive (docs/drive.md) shown or not. */
static bool f_drive(actx_t *a, const char *path, int t)
{
    bool b;
    if (!json_get_bool(a->doc, t, &b, path, a->d)) return false;
    if (b) a->m->flags |= CFG_FLAG_DRIVE_HIDDEN;
    else a->m->flags &= (uint8_t)~CFG_FLAG_DRIVE_HIDDEN;
    return true;
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

layout_def_t *cfg_ls_layout_find(const char *name)
{
    for (int i = 0; i < S.nlayouts; i++)
        if (!strcmp(S.layouts[i].name, name)) return &S.layouts[i];
    return NULL;
}

static bool layout_add(actx_t *a, const char *name, int keytok, int arr)
{
    if (!json_want(a->doc, arr, JSON_ARRAY, "a layout's \"layout\"", a->d)) return false;
    layout_def_t *l = cfg_ls_layout_find(name);
    if (!l) {
        if (S.nlayouts >= LS_LAYOUTS) {
            ERR(a, keytok, "too many layouts (Kestrel keeps %d per keyboard)", LS_LAYOUTS);
            return false;
        }
        l = &S.layouts[S.nlayouts++];
        cfg_ls_copy(l->name, sizeof l->name, name);
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
            cfg_ls_copy(S.aliases[i].target, LS_NAME, target);
            S.aliases[i].at = (ref_t){a->src, t};
            S.dirty = true;
            return true;
        }
    if (S.naliases >= LS_ALIASES) {
        ERR(a, t, "too many layout aliases (Kestrel keeps %d)", LS_ALIASES);
        return false;
    }
    cfg_ls_copy(S.aliases[S.naliases].name, LS_NAME, alias);
    cfg_ls_copy(S.aliases[S.naliases].target, LS_NAME, target);
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
        cfg_ls_copy(S.features[S.nfeatures].name, sizeof S.features[0].name, name);
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

const char *cfg_perkey_name(uint8_t id)
{
    for (int i = 0; i < NPERKEY_NAMES; i++)
        if (perkey_names[i].id == id) return perkey_names[i].name;
    return NULL;
}

/* Parses keycode text inside a JSON string token; errors point into the string. */
bool cfg_ls_parse_kc(const json_doc_t *doc, diag_t *d, int t, kc_t *out, bool warn_unimpl)
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
            S.perkey_src[i] = a->src + 1;
            S.perkey_tok[i] = t;
            return true;
        }
    if (m->nperkey >= CFG_MAX_PERKEY) {
        ERR(a, t, "too many per-key settings (%d; the limit is %u)", m->nperkey + 1,
            CFG_MAX_PERKEY);
        return false;
    }
    S.perkey_src[m->nperkey] = a->src + 1;
    S.perkey_tok[m->nperkey] = t;
    m->perkey[m->nperkey++] = (cfg_perkey_t){kc, (uint8_t)id, v};
    return true;
}

/* A time setting longer than the keyboard's chip can time (ATmega32U4: 32,767 ms), or a layer
 * setting beyond the layers its firmware keeps (ATmega32U4: 16), is an error at the value. */
static void check_ms_limit(cfg_model_t *m, diag_t *d, const char *file, int id, uint16_t v,
                           int src, int tok, bool perkey)
{
    const char *chip = cfg_processor_name(m->processor);
    char msg[160];
    if (setting_kind[id] == SK_LAYER && v >= cfg_max_layers_for(m->processor)) {
        snprintf(msg, sizeof msg, "%s is layer %u; the %s firmware keeps layers 0 to %u",
                 setting_names[id], (unsigned)v, chip, cfg_max_layers_for(m->processor) - 1u);
    } else {
        unsigned max = cfg_max_ms_for(m->processor);
        if ((setting_kind[id] != SK_MS && setting_kind[id] != SK_RETRO) || v <= max) return;
        if (v == CFG_SAME_AS_TERM) return; /* also CFG_RETRO_SHIFT_ANY: a special value, not a time */
        snprintf(msg, sizeof msg, "%s%s is %u ms; the %s firmware times at most %u ms",
                 perkey ? "per-key " : "", setting_names[id], (unsigned)v, chip, max);
    }
    if (src > 0)
        json_diag(DOC(src - 1), d, DIAG_ERROR, tok, "%s", msg);
    else
        diag_add(d, DIAG_ERROR, file, NULL, 0, 0, 0, "%s", msg);
}

/* Inertia mode (QMK's MOUSEKEY_INERTIA) needs two settings QMK lets be 0: with time_to_max 0 the
 * velocity can never grow, and the frame timer then waits on a velocity that never comes (the
 * engine would be asked for the same tick again and again); with friction 0 a released pointer
 * coasts for ever. Both are errors at the value (or at the mode when the value is a default). */
static void check_inertia(cfg_model_t *m, diag_t *d, const char *file)
{
    static const uint8_t need[] = {CFG_MOUSE_TIME_TO_MAX, CFG_MOUSE_FRICTION};
    static const char *const why[] = {"the velocity could never grow",
                                      "a released pointer would coast for ever"};
    if (m->settings[CFG_MOUSE_MODE] != CFG_MOUSE_INERTIA) return;
    for (unsigned i = 0; i < sizeof need; i++) {
        int id = need[i];
        if (m->settings[id] != 0) continue;
        int at = S.setting_src[id] > 0 ? id : CFG_MOUSE_MODE;
        char msg[160];
        snprintf(msg, sizeof msg, "%s is 0 in inertia mode, where %s (use 1 to 255)",
                 setting_names[id], why[i]);
        if (S.setting_src[at] > 0)
            json_diag(DOC(S.setting_src[at] - 1), d, DIAG_ERROR, S.setting_tok[at], "%s", msg);
        else
            diag_add(d, DIAG_ERROR, file, NULL, 0, 0, 0, "%s", msg);
    }
}

/* One entry: keycode (from key token kt, or `kc` when kt < 0) -> object of settings. */
static bool perkey_entry(actx_t *a, int kt, kc_t kc, int obj)
{
    const json_doc_t *doc = a->doc;
    if (kt >= 0 && !cfg_ls_parse_kc(doc, a->d, kt, &kc, false)) return false;
    if (!json_want(doc, obj, JSON_OBJECT, "a per-key entry", a->d)) return false;
    bool ok = true;
    for (int k = json_first(doc, obj); k >= 0; k = json_next_member(doc, k)) {
        char name[40], what[80];
        json_str(doc, k, name, sizeof name);
        int id = -1, best = 99;
        const char *sugg = NULL;
        for (int i = 0; i < NPERKEY_NAMES; i++) {
            if (!strcmp(perkey_names[i].name, name)) id = perkey_names[i].id;
            int dd = cfg_ls_edit_distance(name, perkey_names[i].name);
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

/* keymap.json's sequence blocks, also accepted as scenario `config` lines (docs/keymap-format.md) */
static bool f_sequences(actx_t *a, const char *path, int t)
{
    if (!strcmp(path, "macros")) return cfg_ls_macros(a, t);
    if (!strcmp(path, "leader_sequences")) return cfg_ls_leader(a, t);
    return cfg_ls_unicode_map(a, t);
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
    {"drive.hidden", F_FN, f_drive},
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
    {"macros", F_FN, f_sequences},
    {"leader_sequences", F_FN, f_sequences},
    {"unicode_map", F_FN, f_sequences},
    {"split.matrix_pins.right.rows", F_FN, f_structural},
    {"split.matrix_pins.right.cols", F_FN, f_structural},
    {"split.matrix_pins.right.direct", F_FN, f_structural},
    {"key_overrides", F_FN, cfg_ls_key_overrides},
    {"key_cancellation", F_FN, cfg_ls_key_cancellation},
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
    {"caps_word.enabled", F_QUIET, NULL},
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
    {"oled", F_NOTE, NULL},
    {"pointing_device", F_NOTE, NULL},
    {"rp2040_bootloader", F_NOTE, NULL},
    {"dynamic_keymap", F_NOTE, NULL},
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
        int dd = cfg_ls_edit_distance(path, c);
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
        S.setting_src[id] = a->src + 1;
        S.setting_tok[id] = t;
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
    cfg_ls_copy(pre, sizeof pre, path);
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

bool cfg_ls_apply_root(actx_t *a, int obj)
{
    bool ok = true;
    for (int k = json_first(a->doc, obj); k >= 0; k = json_next_member(a->doc, k)) {
        char key[LS_PATH];
        json_str(a->doc, k, key, sizeof key);
        ok &= apply_value(a, key, k + 1);
    }
    return ok;
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
        cfg_ls_apply_root(&a, 0);
    }
    cfg_ls_build_keyboard(m, d);
    if (S.ignored[0] && S.kb_last_src >= 0)
        diag_add(d, DIAG_NOTE, S.src[S.kb_last_src].name, NULL, 0, 0, 0,
                 "QMK settings Kestrel does not use were skipped: %s", S.ignored);
    return d->errors == errors;
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

/* A text read by the caller straight into the session's store (no second copy of it in RAM). */
static int add_read(const char *name, cfg_reader_fn read, void *ctx, diag_t *d)
{
    size_t cap;
    char *buf = cfg_ls_reserve(&cap);
    const char *nm = cfg_ls_intern(name);
    long n = read(ctx, buf, cap, d);
    if (n < 0) return -1;
    if ((size_t)n > cap) {
        diag_add(d, DIAG_ERROR, nm, NULL, 0, 0, 0,
                 "the files of this load exceed %u bytes together", (unsigned)CFG_LS_TEXT);
        return -1;
    }
    return cfg_ls_add_reserved(name, (size_t)n, d);
}

bool cfg_load_keyboard_reader(cfg_model_t *m, const char *name, cfg_reader_fn read, void *ctx,
                              diag_t *d)
{
    int errors = d->errors;
    cfg_ls_begin(m);
    int s = add_read(name, read, ctx, d);
    cfg_ls_keyboard(m, &s, 1, d);
    return d->errors == errors;
}

bool cfg_load_keymap_reader(cfg_model_t *m, const char *name, cfg_reader_fn read, void *ctx,
                            diag_t *d)
{
    int errors = d->errors;
    if (!in_session(m, name, d)) return false;
    int s = add_read(name, read, ctx, d);
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
    bool ext_ok;
    if (!cfg_ls_extension(&a, dotted, 0, &ext_ok)) apply_value(&a, dotted, 0);
    if (S.dirty) cfg_ls_build_keyboard(m, d);
    return d->errors == errors;
}

/* The ATmega32U4 has several images, each with some of the optional behaviours (flash); `kestrel
 * build` picks the one with all that the keymap uses. When none has all of them, say which will do
 * nothing on the keyboard. */
static void warn_avr_left_out(const cfg_model_t *m, const char *file, diag_t *d)
{
    uint32_t missing;
    const cfg_avr_image_t *im = cfg_avr_image_for(cfg_features_used(m), &missing);
    if (!missing) return;
    char list[256];
    size_t n = 0;
    for (unsigned f = 0; f < CFG_F_COUNT; f++)
        if (missing >> f & 1u)
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", cfg_feature_what(f));
    diag_add(d, DIAG_WARNING, file, NULL, 0, 0, 0,
             "no ATmega32U4 image holds everything this keymap uses (flash); with the one that holds "
             "the most (kestrel-atmega32u4%s), %s will do nothing (docs/boards/atmega32u4.md)",
             im->suffix, list);
}

static uint8_t finish_img[CFG_LS_IMAGE];
static size_t finish_len;

bool cfg_finish(cfg_model_t *m, diag_t *d)
{
    finish_len = 0;
    int errors = d->errors;
    const char *file = S.kb_last_src >= 0 ? S.src[S.kb_last_src].name : "config";
    if (!in_session(m, file, d) || !S.keyboard_ok) return false;
    if (m->layers == 0) {
        diag_add(d, DIAG_ERROR, file, NULL, 0, 0, 0, "the keymap has no layers");
        return false;
    }
    for (int id = 0; id < CFG_SETTING_COUNT; id++)
        check_ms_limit(m, d, file, id, m->settings[id], S.setting_src[id], S.setting_tok[id], false);
    for (int i = 0; i < m->nperkey; i++)
        check_ms_limit(m, d, file, m->perkey[i].id, m->perkey[i].value, S.perkey_src[i],
                       S.perkey_tok[i], true);
    check_inertia(m, d, file);
    if (!S.layers_from_json) {
        /* layers set directly (a scenario's `layer` lines): no positions to point at */
        for (unsigned l = 0; l < m->layers; l++)
            for (unsigned k = 0; k < m->nkeys; k++) {
                kc_t kc = m->keymap[l][m->layout[k]];
                int ref = cfg_ls_kc_layer(kc);
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
            if (KC_IN(kc, QK_TAP_DANCE, QK_TAP_DANCE_MAX) &&
                (unsigned)(kc - QK_TAP_DANCE) >= m->ntap_dances)
                diag_add(d, DIAG_WARNING, file, NULL, 0, 0, 0,
                         "layer %u key %u is TD(%u), but the keymap defines %u tap dance%s (it "
                         "does nothing)", l, k, (unsigned)(kc - QK_TAP_DANCE), m->ntap_dances,
                         m->ntap_dances == 1 ? "" : "s");
        }
    /* layers set directly (scenario `layer` lines) have no text to tell UC() from UM(): with a
     * unicode_map every such keycode is an index into it */
    for (unsigned l = 0; m->nunicode && l < m->layers; l++)
        for (unsigned k = 0; k < m->nkeys; k++) {
            kc_t kc = m->keymap[l][m->layout[k]];
            unsigned i = kc >= QK_UNICODEMAP_PAIR ? (kc & 0x7Fu) > ((kc >> 7) & 0x7Fu) ? kc & 0x7Fu : (kc >> 7) & 0x7Fu
                                                  : kc & 0x3FFFu;
            if (kc >= QK_UNICODE && i >= m->nunicode)
                diag_add(d, DIAG_ERROR, file, NULL, 0, 0, 0,
                         "layer %u key %u refers to unicode_map entry %u, but the map has %u "
                         "entr%s", l, k, i, m->nunicode, m->nunicode == 1 ? "y" : "ies");
        }
    for (unsigned i = 0; i < m->nleader; i++) {
        kc_t kc = m->leader[i].result;
        if (KC_IN(kc, QK_MACRO, QK_MACRO_MAX) && (unsigned)(kc - QK_MACRO) >= m->nmacros)
            diag_add(d, DIAG_WARNING, file, NULL, 0, 0, 0,
                     "leader sequence %u results in macro %u, but the keymap defines %u macro%s", i,
                     (unsigned)(kc - QK_MACRO), m->nmacros, m->nmacros == 1 ? "" : "s");
    }
    cfg_ls_check_modifiers(m, file, d);
    for (unsigned i = 0; i < m->ncombos; i++) {
        kc_t kc = m->combos[i].result;
        if (KC_IN(kc, QK_TAP_DANCE, QK_TAP_DANCE_MAX) &&
            (unsigned)(kc - QK_TAP_DANCE) >= m->ntap_dances)
            diag_add(d, DIAG_WARNING, file, NULL, 0, 0, 0,
                     "combo %u gives TD(%u), but the keymap defines %u tap dance%s (it does "
                     "nothing)", i, (unsigned)(kc - QK_TAP_DANCE), m->ntap_dances,
                     m->ntap_dances == 1 ? "" : "s");
    }
    if (m->processor == CFG_PROC_ATMEGA32U4) warn_avr_left_out(m, file, d);
    finish_len = cfg_image_write(m, finish_img, sizeof finish_img);
    if (!finish_len)
        diag_add(d, DIAG_ERROR, file, NULL, 0, 0, 0,
                 "the config image would exceed %u bytes (fewer layers or keys would fit)",
                 (unsigned)sizeof finish_img);
    return d->errors == errors;
}

const uint8_t *cfg_finish_image(size_t *len)
{
    *len = finish_len;
    return finish_len ? finish_img : NULL;
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
