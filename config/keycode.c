/* The keycode language: parses QMK's textual keycodes into 16-bit values and prints values back
 * as canonical text. Allocation-free and libc-light (string.h only) so the firmware can run it. */
#include "config/keycode.h"

#include <string.h>

#include "config/keycode_names.h"

/* ---- small text helpers ---------------------------------------------------------------------- */

typedef struct sbuf {
    char *buf;
    size_t cap;
    size_t len; /* length the full text needs, even when it did not fit */
} sbuf_t;

static void sb_putc(sbuf_t *b, char c)
{
    if (b->len + 1 < b->cap) b->buf[b->len] = c;
    b->len++;
}

static void sb_puts(sbuf_t *b, const char *s)
{
    while (*s) sb_putc(b, *s++);
}

static void sb_putn(sbuf_t *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) sb_putc(b, s[i]);
}

static void sb_dec(sbuf_t *b, unsigned long v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) sb_putc(b, tmp[--n]);
}

static void sb_hex(sbuf_t *b, unsigned long v, int digits)
{
    static const char hex[] = "0123456789ABCDEF";
    sb_puts(b, "0x");
    for (int i = digits - 1; i >= 0; i--) sb_putc(b, hex[(v >> (4 * i)) & 0xFu]);
}

static void sb_end(sbuf_t *b)
{
    if (b->cap == 0) return;
    b->buf[b->len < b->cap ? b->len : b->cap - 1] = '\0';
}

/* Quotes user text in a message, shortened so a long input cannot push the reason out. */
static void sb_quote(sbuf_t *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t shown = n > 40 ? 37 : n;
    sb_putc(b, '\'');
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) {
            sb_putc(b, (char)c);
        } else {
            sb_puts(b, "\\x");
            sb_putc(b, hex[c >> 4]);
            sb_putc(b, hex[c & 0xF]);
        }
    }
    if (shown < n) sb_puts(b, "...");
    sb_putc(b, '\'');
}

static bool is_ident_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static bool is_ident_char(char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

/* ---- name table lookups ---------------------------------------------------------------------- */

static const char *entry_name(const kc_name_entry_t *e)
{
    return kc_name_pool + e->name;
}

/* Compares the NUL-terminated `name` with the counted text s[0..n) in strcmp order. */
static int cmp_counted(const char *name, const char *s, size_t n)
{
    size_t i = 0;
    for (; i < n; i++) {
        unsigned char a = (unsigned char)name[i], c = (unsigned char)s[i];
        if (a != c) return a < c ? -1 : 1; /* includes a == '\0': name is shorter */
    }
    return name[i] ? 1 : 0;
}

static const kc_name_entry_t *find_name(const char *s, size_t n)
{
    size_t lo = 0, hi = kc_names_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_counted(entry_name(&kc_names[mid]), s, n);
        if (c == 0) return &kc_names[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

static const char *canonical_name(kc_t kc)
{
    size_t lo = 0, hi = kc_canon_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (kc_canon[mid].value == kc) return entry_name(&kc_names[kc_canon[mid].index]);
        if (kc_canon[mid].value < kc) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

bool kc_lookup_name(const char *s, size_t n, kc_t *out)
{
    const kc_name_entry_t *e = find_name(s, n);
    if (!e) return false;
    if (out) *out = e->value;
    return true;
}

const char *kc_canonical_name(kc_t kc)
{
    return canonical_name(kc);
}

const char *kc_basic_name(uint8_t code)
{
    const char *name = canonical_name(code);
    if (!name) return NULL;
    if ((name[0] == 'K' && name[1] == 'C' && name[2] == '_') ||
        (name[0] == 'Q' && name[1] == 'K' && name[2] == '_'))
        return name + 3;
    return name;
}

bool kc_basic_from_name(const char *s, size_t n, uint8_t *out)
{
    char tmp[48];
    const kc_name_entry_t *e = find_name(s, n);
    if (!e && n + 3 < sizeof tmp) {
        static const char *const prefixes[] = {"KC_", "QK_"};
        for (size_t p = 0; p < 2 && !e; p++) {
            memcpy(tmp, prefixes[p], 3);
            memcpy(tmp + 3, s, n);
            e = find_name(tmp, n + 3);
        }
    }
    if (!e || e->value > 0xFFu) return false;
    if (out) *out = (uint8_t)e->value;
    return true;
}

/* ---- function forms ---------------------------------------------------------------------------- */

enum fn_kind {
    FN_MODS,   /* LCTL(kc): QK_MODS | mods<<8 | kc, nesting ORs */
    FN_MODTAP, /* LSFT_T(kc): MT with fixed mods */
    FN_MT,     /* MT(mods, kc) */
    FN_LT,     /* LT(layer, kc) */
    FN_LM,     /* LM(layer, mods) */
    FN_LAYER,  /* MO(layer) and friends: base | layer (0-31) */
    FN_OSM,    /* OSM(mods) */
    FN_TD,     /* TD(index) */
    FN_UC,     /* UC(code point <= 0x7FFF) */
    FN_UM,     /* UM(index <= 0x3FFF) */
    FN_UP,     /* UP(i, j), each <= 0x7F */
    FN_SH_T,   /* SH_T(kc) */
    FN_ANY,    /* ANY(expr): Configurator's wrapper, stripped */
};

typedef struct kc_fn {
    const char *name;
    uint8_t kind;  /* enum fn_kind */
    uint8_t mods;  /* FN_MODS, FN_MODTAP: the 5-bit mods */
    uint16_t base; /* FN_LAYER: the range's first value */
} kc_fn_t;

/* Every function-like macro of QMK's quantum_keycodes.h that a keymap may use (C_S_T is legacy). */
static const kc_fn_t kc_fns[] = {
    {"LCTL", FN_MODS, 0x01, 0}, {"LSFT", FN_MODS, 0x02, 0}, {"LALT", FN_MODS, 0x04, 0},
    {"LGUI", FN_MODS, 0x08, 0}, {"LOPT", FN_MODS, 0x04, 0}, {"LCMD", FN_MODS, 0x08, 0},
    {"LWIN", FN_MODS, 0x08, 0}, {"C", FN_MODS, 0x01, 0},    {"S", FN_MODS, 0x02, 0},
    {"A", FN_MODS, 0x04, 0},    {"G", FN_MODS, 0x08, 0},    {"LCS", FN_MODS, 0x03, 0},
    {"LCA", FN_MODS, 0x05, 0},  {"LCG", FN_MODS, 0x09, 0},  {"LSA", FN_MODS, 0x06, 0},
    {"LSG", FN_MODS, 0x0A, 0},  {"LAG", FN_MODS, 0x0C, 0},  {"LCSG", FN_MODS, 0x0B, 0},
    {"LCAG", FN_MODS, 0x0D, 0}, {"LSAG", FN_MODS, 0x0E, 0}, {"SGUI", FN_MODS, 0x0A, 0},
    {"SCMD", FN_MODS, 0x0A, 0}, {"SWIN", FN_MODS, 0x0A, 0}, {"RCTL", FN_MODS, 0x11, 0},
    {"RSFT", FN_MODS, 0x12, 0}, {"RALT", FN_MODS, 0x14, 0}, {"RGUI", FN_MODS, 0x18, 0},
    {"ALGR", FN_MODS, 0x14, 0}, {"ROPT", FN_MODS, 0x14, 0}, {"RCMD", FN_MODS, 0x18, 0},
    {"RWIN", FN_MODS, 0x18, 0}, {"RCA", FN_MODS, 0x15, 0},  {"RCS", FN_MODS, 0x13, 0},
    {"RCG", FN_MODS, 0x19, 0},  {"RSA", FN_MODS, 0x16, 0},  {"RSG", FN_MODS, 0x1A, 0},
    {"RAG", FN_MODS, 0x1C, 0},  {"RCSG", FN_MODS, 0x1B, 0}, {"RCAG", FN_MODS, 0x1D, 0},
    {"RSAG", FN_MODS, 0x1E, 0}, {"SAGR", FN_MODS, 0x16, 0}, {"HYPR", FN_MODS, 0x0F, 0},
    {"MEH", FN_MODS, 0x07, 0},

    {"LCTL_T", FN_MODTAP, 0x01, 0}, {"LSFT_T", FN_MODTAP, 0x02, 0}, {"LALT_T", FN_MODTAP, 0x04, 0},
    {"LGUI_T", FN_MODTAP, 0x08, 0}, {"CTL_T", FN_MODTAP, 0x01, 0},  {"SFT_T", FN_MODTAP, 0x02, 0},
    {"ALT_T", FN_MODTAP, 0x04, 0},  {"GUI_T", FN_MODTAP, 0x08, 0},  {"LOPT_T", FN_MODTAP, 0x04, 0},
    {"LCMD_T", FN_MODTAP, 0x08, 0}, {"LWIN_T", FN_MODTAP, 0x08, 0}, {"OPT_T", FN_MODTAP, 0x04, 0},
    {"CMD_T", FN_MODTAP, 0x08, 0},  {"WIN_T", FN_MODTAP, 0x08, 0},  {"LCS_T", FN_MODTAP, 0x03, 0},
    {"LCA_T", FN_MODTAP, 0x05, 0},  {"LCG_T", FN_MODTAP, 0x09, 0},  {"LSA_T", FN_MODTAP, 0x06, 0},
    {"LSG_T", FN_MODTAP, 0x0A, 0},  {"LAG_T", FN_MODTAP, 0x0C, 0},  {"LCSG_T", FN_MODTAP, 0x0B, 0},
    {"LCAG_T", FN_MODTAP, 0x0D, 0}, {"LSAG_T", FN_MODTAP, 0x0E, 0}, {"SGUI_T", FN_MODTAP, 0x0A, 0},
    {"SCMD_T", FN_MODTAP, 0x0A, 0}, {"SWIN_T", FN_MODTAP, 0x0A, 0}, {"RCTL_T", FN_MODTAP, 0x11, 0},
    {"RSFT_T", FN_MODTAP, 0x12, 0}, {"RALT_T", FN_MODTAP, 0x14, 0}, {"RGUI_T", FN_MODTAP, 0x18, 0},
    {"ROPT_T", FN_MODTAP, 0x14, 0}, {"ALGR_T", FN_MODTAP, 0x14, 0}, {"RCMD_T", FN_MODTAP, 0x18, 0},
    {"RWIN_T", FN_MODTAP, 0x18, 0}, {"RCS_T", FN_MODTAP, 0x13, 0},  {"RCA_T", FN_MODTAP, 0x15, 0},
    {"RCG_T", FN_MODTAP, 0x19, 0},  {"RSA_T", FN_MODTAP, 0x16, 0},  {"RSG_T", FN_MODTAP, 0x1A, 0},
    {"RAG_T", FN_MODTAP, 0x1C, 0},  {"RCSG_T", FN_MODTAP, 0x1B, 0}, {"RCAG_T", FN_MODTAP, 0x1D, 0},
    {"RSAG_T", FN_MODTAP, 0x1E, 0}, {"SAGR_T", FN_MODTAP, 0x16, 0}, {"MEH_T", FN_MODTAP, 0x07, 0},
    {"HYPR_T", FN_MODTAP, 0x0F, 0}, {"ALL_T", FN_MODTAP, 0x0F, 0},  {"C_S_T", FN_MODTAP, 0x03, 0},

    {"MT", FN_MT, 0, 0},
    {"LT", FN_LT, 0, 0},
    {"LM", FN_LM, 0, 0},
    {"TO", FN_LAYER, 0, QK_TO},
    {"MO", FN_LAYER, 0, QK_MOMENTARY},
    {"DF", FN_LAYER, 0, QK_DEF_LAYER},
    {"TG", FN_LAYER, 0, QK_TOGGLE_LAYER},
    {"OSL", FN_LAYER, 0, QK_ONE_SHOT_LAYER},
    {"TT", FN_LAYER, 0, QK_LAYER_TAP_TOGGLE},
    {"PDF", FN_LAYER, 0, QK_PERSISTENT_DEF_LAYER},
    {"OSM", FN_OSM, 0, 0},
    {"TD", FN_TD, 0, 0},
    {"UC", FN_UC, 0, 0},
    {"UM", FN_UM, 0, 0},
    {"UP", FN_UP, 0, 0},
    {"SH_T", FN_SH_T, 0, 0},
    {"ANY", FN_ANY, 0, 0},
};
#define KC_FN_COUNT (sizeof kc_fns / sizeof kc_fns[0])

static const kc_fn_t *find_fn(const char *s, size_t n)
{
    for (size_t i = 0; i < KC_FN_COUNT; i++)
        if (cmp_counted(kc_fns[i].name, s, n) == 0) return &kc_fns[i];
    return NULL;
}

/* The usage line printed when a function is called wrongly. */
static const char *fn_usage(const kc_fn_t *f)
{
    switch ((enum fn_kind)f->kind) {
    case FN_MODS: case FN_MODTAP: case FN_SH_T: return "(keycode)";
    case FN_MT: return "(mods, keycode)";
    case FN_LT: return "(layer, keycode)";
    case FN_LM: return "(layer, mods)";
    case FN_LAYER: return "(layer)";
    case FN_OSM: return "(mods)";
    case FN_TD: return "(index)";
    case FN_UC: return "(code point)";
    case FN_UM: return "(index)";
    case FN_UP: return "(index, shifted index)";
    case FN_ANY: return "(keycode)";
    }
    return "()";
}

static unsigned fn_arity(const kc_fn_t *f)
{
    switch ((enum fn_kind)f->kind) {
    case FN_MT: case FN_LT: case FN_LM: case FN_UP: return 2;
    default: return 1;
    }
}

/* The modifier constants a mods argument may name (QMK's 5-bit MOD_* values). */
static const struct { const char *name; uint8_t m5; } kc_mod_names[] = {
    {"MOD_LCTL", 0x01}, {"MOD_LSFT", 0x02}, {"MOD_LALT", 0x04}, {"MOD_LGUI", 0x08},
    {"MOD_RCTL", 0x11}, {"MOD_RSFT", 0x12}, {"MOD_RALT", 0x14}, {"MOD_RGUI", 0x18},
    {"MOD_MEH", 0x07},  {"MOD_HYPR", 0x0F},
};
#define KC_MOD_NAME_COUNT (sizeof kc_mod_names / sizeof kc_mod_names[0])

/* Canonical wrapper for each 5-bit mods value; NULL where QMK has none (0x00, 0x10, 0x17, 0x1F). */
static const char *const kc_mods_fn_name[32] = {
    NULL,   "LCTL", "LSFT", "LCS",  "LALT", "LCA",  "LSA",  "MEH",
    "LGUI", "LCG",  "LSG",  "LCSG", "LAG",  "LCAG", "LSAG", "HYPR",
    NULL,   "RCTL", "RSFT", "RCS",  "RALT", "RCA",  "RSA",  NULL,
    "RGUI", "RCG",  "RSG",  "RCSG", "RAG",  "RCAG", "RSAG", NULL,
};

/* ---- suggestions ------------------------------------------------------------------------------- */

#define KC_SUGGEST_MAX 48

/* Case-insensitive edit distance (insert, delete, substitute, swap neighbours), or `limit + 1`
 * as soon as it must exceed `limit`. Only the diagonal band |i - j| <= limit can stay within the
 * limit, so only it is computed: the error path stays cheap on the RP2040 too. */
static unsigned edit_distance(const char *a, size_t na, const char *b, size_t nb, unsigned limit)
{
    unsigned rows[3][KC_SUGGEST_MAX + 2];
    char ua[KC_SUGGEST_MAX], ub[KC_SUGGEST_MAX];
    unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    const unsigned inf = limit + 1;
    if (na > KC_SUGGEST_MAX || nb > KC_SUGGEST_MAX) return inf;
    if ((na > nb ? na - nb : nb - na) > limit) return inf;
    for (size_t i = 0; i < na; i++) ua[i] = upper(a[i]);
    for (size_t j = 0; j < nb; j++) ub[j] = upper(b[j]);
    for (size_t j = 0; j <= nb + 1; j++) {
        prev2[j] = inf;
        prev[j] = j <= limit ? (unsigned)j : inf;
        cur[j] = inf;
    }
    for (size_t i = 1; i <= na; i++) {
        size_t lo = i > limit ? i - limit : 1, hi = i + limit < nb ? i + limit : nb;
        unsigned best = inf;
        cur[lo - 1] = lo == 1 ? (i <= limit ? (unsigned)i : inf) : inf;
        for (size_t j = lo; j <= hi; j++) {
            unsigned v = prev[j - 1] + (ua[i - 1] == ub[j - 1] ? 0u : 1u);
            if (prev[j] + 1 < v) v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ua[i - 1] == ub[j - 2] && ua[i - 2] == ub[j - 1] && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            if (v > inf) v = inf;
            cur[j] = v;
            if (v < best) best = v;
        }
        if (hi + 1 <= nb) cur[hi + 1] = inf;
        if (best > limit) return inf;
        unsigned *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb];
}

typedef struct suggest {
    const char *best;
    unsigned dist;
    unsigned rank; /* lower is preferred on equal distance: canonical, alias, legacy */
    unsigned limit;
} suggest_t;

static void suggest_init(suggest_t *sg, size_t n)
{
    sg->best = NULL;
    sg->limit = n <= 3 ? 1u : n <= 7 ? 2u : 3u;
    sg->dist = sg->limit + 1;
    sg->rank = 99;
}

static void suggest_try(suggest_t *sg, const char *s, size_t n, const char *cand, size_t clen, unsigned rank)
{
    if ((clen > n ? clen - n : n - clen) > sg->limit) return;
    unsigned d = edit_distance(s, n, cand, clen, sg->limit);
    if (d > sg->limit) return;
    if (d < sg->dist || (d == sg->dist && rank < sg->rank)) {
        sg->best = cand;
        sg->dist = d;
        sg->rank = rank;
    }
}

enum suggest_set { SG_KEYCODES = 1, SG_FUNCTIONS = 2, SG_MODS = 4 };

static const char *suggest(const char *s, size_t n, unsigned sets)
{
    suggest_t sg;
    if (n == 0 || n > KC_SUGGEST_MAX) return NULL;
    suggest_init(&sg, n);
    if (sets & SG_KEYCODES)
        for (size_t i = 0; i < kc_names_count; i++) {
            /* the pool holds the names in table order, so the next offset gives the length */
            size_t len = i + 1 < kc_names_count ? (size_t)(kc_names[i + 1].name - kc_names[i].name - 1)
                                                : strlen(entry_name(&kc_names[i]));
            suggest_try(&sg, s, n, entry_name(&kc_names[i]), len, kc_names[i].kind);
        }
    if (sets & SG_FUNCTIONS)
        for (size_t i = 0; i < KC_FN_COUNT; i++)
            suggest_try(&sg, s, n, kc_fns[i].name, strlen(kc_fns[i].name), 0);
    if (sets & SG_MODS)
        for (size_t i = 0; i < KC_MOD_NAME_COUNT; i++)
            suggest_try(&sg, s, n, kc_mod_names[i].name, strlen(kc_mod_names[i].name), 0);
    return sg.best;
}

/* ---- the parser -------------------------------------------------------------------------------- */

#define KC_MAX_DEPTH 16

typedef struct parser {
    const char *s;
    size_t n, pos;
    unsigned depth;
    kc_parse_error_t *err;
    bool failed;
} parser_t;

/* Starts an error message at `offset`; the caller appends to the returned buffer. */
static sbuf_t err_begin(parser_t *p, size_t offset)
{
    sbuf_t b = {NULL, 0, 0};
    p->failed = true;
    if (p->err) {
        p->err->offset = offset;
        b.buf = p->err->msg;
        b.cap = sizeof p->err->msg;
    }
    return b;
}

static bool err_simple(parser_t *p, size_t offset, const char *msg)
{
    sbuf_t b = err_begin(p, offset);
    sb_puts(&b, msg);
    sb_end(&b);
    return false;
}

static void skip_space(parser_t *p)
{
    while (p->pos < p->n && is_space(p->s[p->pos])) p->pos++;
}

static bool at(parser_t *p, char c)
{
    return p->pos < p->n && p->s[p->pos] == c;
}

static size_t ident_len(parser_t *p)
{
    size_t i = p->pos;
    if (i >= p->n || !is_ident_start(p->s[i])) return 0;
    while (i < p->n && is_ident_char(p->s[i])) i++;
    return i - p->pos;
}

/* Describes what stands at the cursor for "expected X, got Y" messages. */
static void sb_got(sbuf_t *b, parser_t *p)
{
    if (p->pos >= p->n) {
        sb_puts(b, "end of text");
        return;
    }
    size_t e = p->pos + 1;
    if (is_ident_char(p->s[p->pos]))
        while (e < p->n && is_ident_char(p->s[e])) e++;
    sb_quote(b, p->s + p->pos, e - p->pos);
}

/* Integer literal: decimal or 0x hex, at most 0xFFFF (every argument and keycode fits). */
static bool parse_number(parser_t *p, unsigned long *out)
{
    size_t start = p->pos, i = p->pos;
    unsigned long v = 0;
    bool hex = false, big = false;
    if (i + 1 < p->n && p->s[i] == '0' && (p->s[i + 1] == 'x' || p->s[i + 1] == 'X')) {
        hex = true;
        i += 2;
    }
    size_t digits = i;
    for (; i < p->n; i++) {
        char c = p->s[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
        else if (hex && c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
        else break;
        v = v * (hex ? 16u : 10u) + d;
        if (v > 0xFFFFu) {
            big = true;
            v = 0x10000u;
        }
    }
    size_t end = i;
    while (end < p->n && is_ident_char(p->s[end])) end++;
    if (i == digits || end != i) {
        sbuf_t b = err_begin(p, start);
        sb_puts(&b, "invalid number ");
        sb_quote(&b, p->s + start, end - start);
        sb_end(&b);
        return false;
    }
    if (!hex && i - start > 1 && p->s[start] == '0') {
        /* QMK pastes keymap.json text into C, where a leading 0 means octal: refuse to guess. */
        sbuf_t b = err_begin(p, start);
        sb_puts(&b, "ambiguous number ");
        sb_quote(&b, p->s + start, i - start);
        sb_puts(&b, ": a leading 0 means octal in QMK's C; write it without the 0, or in hex (0x...)");
        sb_end(&b);
        return false;
    }
    if (big) {
        sbuf_t b = err_begin(p, start);
        sb_puts(&b, "number ");
        sb_quote(&b, p->s + start, i - start);
        sb_puts(&b, " is too large (keycodes and their arguments are at most 0xFFFF)");
        sb_end(&b);
        return false;
    }
    p->pos = i;
    *out = v;
    return true;
}

static bool parse_expr(parser_t *p, kc_t *out);

/* Error for a name that is neither a keycode nor a function. */
static bool err_unknown(parser_t *p, size_t start, size_t len, const char *what, unsigned sets)
{
    const char *s = p->s + start;
    sbuf_t b = err_begin(p, start);
    sb_puts(&b, "unknown ");
    sb_puts(&b, what);
    sb_putc(&b, ' ');
    sb_quote(&b, s, len);
    /* Exact match ignoring case first: QMK names are case-sensitive, a wrong case is a typo. */
    const char *hint = NULL;
    bool case_only = false;
    char tmp[KC_SUGGEST_MAX + 4];
    if (len <= KC_SUGGEST_MAX) {
        for (size_t i = 0; i < len; i++) tmp[i] = upper(s[i]);
        if ((sets & SG_KEYCODES) && find_name(tmp, len)) {
            hint = entry_name(find_name(tmp, len));
            case_only = true;
        } else if ((sets & SG_FUNCTIONS) && find_fn(tmp, len)) {
            hint = find_fn(tmp, len)->name;
            case_only = true;
        } else if ((sets & SG_KEYCODES) && len + 3 <= KC_SUGGEST_MAX) {
            /* a report-style name without its prefix: ENTER -> KC_ENTER */
            memmove(tmp + 3, tmp, len);
            memcpy(tmp, "KC_", 3);
            const kc_name_entry_t *e = find_name(tmp, len + 3);
            if (e) hint = entry_name(e);
        }
    }
    if (!hint) hint = suggest(s, len, sets);
    if (hint) {
        sb_puts(&b, " (did you mean ");
        sb_puts(&b, hint);
        sb_puts(&b, case_only ? "? names are case-sensitive)" : "?)");
    }
    sb_end(&b);
    return false;
}

/* mods := term ('|' term)*, term := MOD_* | integer | '(' mods ')' */
static bool parse_mods(parser_t *p, const char *fname, uint8_t *out)
{
    unsigned long m = 0;
    for (;;) {
        skip_space(p);
        size_t tstart = p->pos;
        unsigned long v;
        if (at(p, '(')) {
            uint8_t inner;
            if (++p->depth > KC_MAX_DEPTH) return err_simple(p, p->pos, "expression nested too deeply");
            p->pos++;
            if (!parse_mods(p, fname, &inner)) return false;
            skip_space(p);
            if (!at(p, ')')) {
                sbuf_t b = err_begin(p, p->pos);
                sb_puts(&b, "expected ')' to close '(' of the mods of ");
                sb_puts(&b, fname);
                sb_puts(&b, ", got ");
                sb_got(&b, p);
                sb_end(&b);
                return false;
            }
            p->pos++;
            p->depth--;
            v = inner;
        } else if (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
            if (!parse_number(p, &v)) return false;
        } else if (ident_len(p)) {
            size_t len = ident_len(p);
            const char *s = p->s + p->pos;
            size_t i = 0;
            for (; i < KC_MOD_NAME_COUNT; i++)
                if (cmp_counted(kc_mod_names[i].name, s, len) == 0) break;
            if (i == KC_MOD_NAME_COUNT) {
                kc_t kc;
                if (kc_lookup_name(s, len, &kc) && kc >= KC_LEFT_CTRL && kc <= KC_RIGHT_GUI) {
                    static const char *const mod_for_kc[8] = {"MOD_LCTL", "MOD_LSFT", "MOD_LALT", "MOD_LGUI",
                                                              "MOD_RCTL", "MOD_RSFT", "MOD_RALT", "MOD_RGUI"};
                    sbuf_t b = err_begin(p, tstart);
                    sb_puts(&b, "the mods of ");
                    sb_puts(&b, fname);
                    sb_puts(&b, " are MOD_* constants, not keycodes: write ");
                    sb_puts(&b, mod_for_kc[kc - KC_LEFT_CTRL]);
                    sb_puts(&b, " instead of ");
                    sb_quote(&b, s, len);
                    sb_end(&b);
                    return false;
                }
                if (len > 9 && memcmp(s, "MOD_MASK_", 9) == 0) {
                    sbuf_t b = err_begin(p, tstart);
                    sb_quote(&b, s, len);
                    sb_puts(&b, " is an 8-bit HID mask; the mods of ");
                    sb_puts(&b, fname);
                    sb_puts(&b, " are 5-bit MOD_* constants (MOD_LSFT, MOD_RCTL...) joined by '|'");
                    sb_end(&b);
                    return false;
                }
                return err_unknown(p, tstart, len, "modifier", SG_MODS);
            }
            v = kc_mod_names[i].m5;
            p->pos += len;
        } else {
            sbuf_t b = err_begin(p, p->pos);
            sb_puts(&b, "expected MOD_* modifiers for ");
            sb_puts(&b, fname);
            sb_puts(&b, ", got ");
            sb_got(&b, p);
            sb_end(&b);
            return false;
        }
        if (v > 0x1Fu) {
            sbuf_t b = err_begin(p, tstart);
            sb_puts(&b, "mods value ");
            sb_hex(&b, v, 2);
            sb_puts(&b, " out of range: the mods of ");
            sb_puts(&b, fname);
            sb_puts(&b, " are 5 bits (0x00-0x1F: MOD_* constants joined by '|')");
            sb_end(&b);
            return false;
        }
        m |= v;
        skip_space(p);
        if (!at(p, '|')) break;
        p->pos++;
    }
    *out = (uint8_t)m;
    return true;
}

/* A numeric argument in [0, max]; `what` names it in messages ("layer", "index"...). */
static bool parse_uint_arg(parser_t *p, const char *fname, const char *what, unsigned long max,
                           const char *why, unsigned long *out)
{
    skip_space(p);
    size_t start = p->pos;
    if (!(p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9')) {
        sbuf_t b = err_begin(p, start);
        sb_puts(&b, "the ");
        sb_puts(&b, what);
        sb_puts(&b, " of ");
        sb_puts(&b, fname);
        sb_puts(&b, " must be a number, got ");
        sb_got(&b, p);
        sb_end(&b);
        return false;
    }
    if (!parse_number(p, out)) return false;
    if (*out > max) {
        sbuf_t b = err_begin(p, start);
        sb_puts(&b, what);
        sb_putc(&b, ' ');
        if (max > 255) sb_hex(&b, *out, 4);
        else sb_dec(&b, *out);
        sb_puts(&b, " out of range: ");
        sb_puts(&b, why);
        sb_end(&b);
        return false;
    }
    return true;
}

static void format_function_form(sbuf_t *b, kc_t kc);

/* A keycode argument that must be basic (MT/LT/SH_T tap keys). */
static bool parse_tap_arg(parser_t *p, const char *fname, kc_t *out)
{
    skip_space(p);
    size_t start = p->pos;
    if (!parse_expr(p, out)) return false;
    if (*out > 0xFFu) {
        size_t end = p->pos;
        while (end > start && is_space(p->s[end - 1])) end--;
        sbuf_t b = err_begin(p, start);
        sb_puts(&b, "tap keycode of ");
        sb_puts(&b, fname);
        sb_puts(&b, " must be a basic keycode (0x00-0xFF)");
        if (*out >= QK_MODS && *out <= QK_MODS_MAX) {
            char form[KC_FORMAT_MAX];
            sbuf_t f = {form, sizeof form, 0};
            format_function_form(&f, *out);
            sb_end(&f);
            sb_puts(&b, "; ");
            sb_quote(&b, p->s + start, end - start);
            if (cmp_counted(form, p->s + start, end - start) != 0) {
                sb_puts(&b, " is ");
                sb_puts(&b, form);
                sb_putc(&b, ',');
            } else {
                sb_puts(&b, " is");
            }
            sb_puts(&b, " a modified keycode (QMK would silently drop its mods)");
        } else {
            sb_puts(&b, ", not ");
            sb_quote(&b, p->s + start, end - start);
        }
        sb_end(&b);
        return false;
    }
    return true;
}

static bool expect_comma(parser_t *p, const kc_fn_t *f, unsigned got)
{
    skip_space(p);
    if (at(p, ',')) {
        p->pos++;
        return true;
    }
    sbuf_t b = err_begin(p, p->pos);
    if (at(p, ')')) {
        sb_puts(&b, f->name);
        sb_puts(&b, " takes ");
        sb_dec(&b, fn_arity(f));
        sb_puts(&b, " arguments ");
        sb_puts(&b, f->name);
        sb_puts(&b, fn_usage(f));
        sb_puts(&b, ", got ");
        sb_dec(&b, got);
    } else {
        sb_puts(&b, "expected ',' between the arguments of ");
        sb_puts(&b, f->name);
        sb_puts(&b, ", got ");
        sb_got(&b, p);
    }
    sb_end(&b);
    return false;
}

static bool parse_call(parser_t *p, const kc_fn_t *f, size_t name_start, kc_t *out)
{
    unsigned long a = 0, c = 0;
    uint8_t m = 0;
    kc_t k = 0;
    size_t open = p->pos;
    p->pos++; /* '(' */
    if (++p->depth > KC_MAX_DEPTH) return err_simple(p, open, "expression nested too deeply");
    skip_space(p);
    if (at(p, ')')) {
        sbuf_t b = err_begin(p, p->pos);
        sb_puts(&b, f->name);
        sb_puts(&b, " needs ");
        sb_puts(&b, fn_arity(f) == 2 ? "2 arguments: " : "an argument: ");
        sb_puts(&b, f->name);
        sb_puts(&b, fn_usage(f));
        sb_end(&b);
        return false;
    }
    switch ((enum fn_kind)f->kind) {
    case FN_MODS: {
        size_t start = p->pos;
        if (!parse_expr(p, &k)) return false;
        if (k > QK_MODS_MAX) {
            size_t end = p->pos;
            while (end > start && is_space(p->s[end - 1])) end--;
            sbuf_t b = err_begin(p, start);
            sb_puts(&b, f->name);
            sb_puts(&b, "() can only wrap a basic or modified keycode (up to 0x1FFF); ");
            sb_quote(&b, p->s + start, end - start);
            sb_puts(&b, " is ");
            sb_hex(&b, k, 4);
            sb_end(&b);
            return false;
        }
        /* QMK ORs the mod bits (QK_LCTL is 0x0100 itself), so a right-hand wrapper makes every
         * mod right-handed. */
        *out = (kc_t)(((unsigned)f->mods << 8) | k);
        break;
    }
    case FN_MODTAP:
        if (!parse_tap_arg(p, f->name, &k)) return false;
        *out = KC_MT(f->mods, k);
        break;
    case FN_MT:
        if (!parse_mods(p, f->name, &m) || !expect_comma(p, f, 1) || !parse_tap_arg(p, f->name, &k))
            return false;
        *out = KC_MT(m, k);
        break;
    case FN_LT:
        if (!parse_uint_arg(p, f->name, "layer", 15, "LT reaches layers 0-15 (4 bits)", &a) ||
            !expect_comma(p, f, 1) || !parse_tap_arg(p, f->name, &k))
            return false;
        *out = KC_LT(a, k);
        break;
    case FN_LM:
        if (!parse_uint_arg(p, f->name, "layer", 15, "LM reaches layers 0-15 (4 bits)", &a) ||
            !expect_comma(p, f, 1) || !parse_mods(p, f->name, &m))
            return false;
        *out = KC_LM(a, m);
        break;
    case FN_LAYER: {
        char why[48];
        sbuf_t w = {why, sizeof why, 0};
        sb_puts(&w, f->name);
        sb_puts(&w, " reaches layers 0-31 (5 bits)");
        sb_end(&w);
        if (!parse_uint_arg(p, f->name, "layer", 31, why, &a)) return false;
        *out = (kc_t)(f->base | a);
        break;
    }
    case FN_OSM:
        if (!parse_mods(p, f->name, &m)) return false;
        *out = KC_OSM(m);
        break;
    case FN_TD:
        if (!parse_uint_arg(p, f->name, "index", 255, "TD reaches tap dances 0-255", &a)) return false;
        *out = KC_TD(a);
        break;
    case FN_UC:
        if (!parse_uint_arg(p, f->name, "code point", 0x7FFF,
                            "UC reaches code points 0x0000-0x7FFF (use UM() or UP() with a unicode map "
                            "for higher ones)", &a))
            return false;
        *out = (kc_t)(QK_UNICODE | a);
        break;
    case FN_UM:
        if (!parse_uint_arg(p, f->name, "index", 0x3FFF, "UM reaches map entries 0-0x3FFF", &a)) return false;
        *out = (kc_t)(QK_UNICODEMAP | a);
        break;
    case FN_UP:
        if (!parse_uint_arg(p, f->name, "index", 127, "UP reaches map entries 0-127", &a) ||
            !expect_comma(p, f, 1) ||
            !parse_uint_arg(p, f->name, "shifted index", 127, "UP reaches map entries 0-127", &c))
            return false;
        *out = (kc_t)(QK_UNICODEMAP_PAIR | a | (c << 7));
        break;
    case FN_SH_T:
        if (!parse_tap_arg(p, f->name, &k)) return false;
        *out = (kc_t)(QK_SWAP_HANDS | k);
        break;
    case FN_ANY:
        if (!parse_expr(p, out)) return false;
        break;
    }
    skip_space(p);
    if (at(p, ')')) {
        p->pos++;
        p->depth--;
        return true;
    }
    sbuf_t b = err_begin(p, p->pos);
    if (at(p, ',')) {
        sb_puts(&b, f->name);
        sb_puts(&b, " takes ");
        if (fn_arity(f) == 1) sb_puts(&b, "1 argument ");
        else {
            sb_dec(&b, fn_arity(f));
            sb_puts(&b, " arguments ");
        }
        sb_puts(&b, f->name);
        sb_puts(&b, fn_usage(f));
        sb_puts(&b, ", got more");
    } else {
        sb_puts(&b, "expected ')' to close ");
        sb_putn(&b, p->s + name_start, open + 1 - name_start);
        sb_puts(&b, ", got ");
        sb_got(&b, p);
    }
    sb_end(&b);
    return false;
}

static bool parse_expr(parser_t *p, kc_t *out)
{
    skip_space(p);
    size_t start = p->pos;
    if (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
        unsigned long v;
        if (!parse_number(p, &v)) return false;
        *out = (kc_t)v;
        return true;
    }
    size_t len = ident_len(p);
    if (!len) {
        sbuf_t b = err_begin(p, start);
        sb_puts(&b, "expected a keycode, got ");
        sb_got(&b, p);
        sb_end(&b);
        return false;
    }
    p->pos += len;
    skip_space(p);
    const kc_fn_t *f = find_fn(p->s + start, len);
    if (at(p, '(')) {
        if (f) return parse_call(p, f, start, out);
        if (find_name(p->s + start, len)) {
            sbuf_t b = err_begin(p, p->pos);
            sb_quote(&b, p->s + start, len);
            sb_puts(&b, " is a keycode, not a function: remove the '('");
            sb_end(&b);
            return false;
        }
        return err_unknown(p, start, len, "function", SG_FUNCTIONS);
    }
    const kc_name_entry_t *e = find_name(p->s + start, len);
    if (e) {
        *out = e->value;
        return true;
    }
    if (f) {
        sbuf_t b = err_begin(p, start);
        sb_puts(&b, f->name);
        sb_puts(&b, fn_arity(f) == 2 ? " needs 2 arguments: " : " needs an argument: ");
        sb_puts(&b, f->name);
        sb_puts(&b, fn_usage(f));
        sb_end(&b);
        return false;
    }
    return err_unknown(p, start, len, "keycode", SG_KEYCODES);
}

bool kc_parse(const char *s, size_t n, kc_t *out, kc_parse_error_t *err)
{
    parser_t p = {s, n, 0, 0, err, false};
    kc_t v = 0;
    if (err) {
        err->offset = 0;
        err->msg[0] = '\0';
    }
    skip_space(&p);
    if (p.pos == n) return err_simple(&p, p.pos, "empty keycode");
    if (!parse_expr(&p, &v)) return false;
    skip_space(&p);
    if (p.pos != n) {
        sbuf_t b = err_begin(&p, p.pos);
        sb_puts(&b, "unexpected ");
        sb_quote(&b, s + p.pos, n - p.pos);
        sb_puts(&b, " after the keycode");
        if (s[p.pos] == ')') sb_puts(&b, " (one ')' too many?)");
        sb_end(&b);
        return false;
    }
    if (out) *out = v;
    return true;
}

/* ---- formatting -------------------------------------------------------------------------------- */

static void format_basic(sbuf_t *b, uint8_t code)
{
    const char *name = canonical_name(code);
    if (name) sb_puts(b, name);
    else sb_hex(b, code, 2);
}

static void format_mods(sbuf_t *b, uint8_t m5)
{
    static const char *const left[4] = {"MOD_LCTL", "MOD_LSFT", "MOD_LALT", "MOD_LGUI"};
    static const char *const right[4] = {"MOD_RCTL", "MOD_RSFT", "MOD_RALT", "MOD_RGUI"};
    bool first = true;
    if ((m5 & 0x0Fu) == 0) {
        sb_hex(b, m5, 2); /* 0x00, or the lone right-hand flag 0x10 */
        return;
    }
    for (int i = 0; i < 4; i++) {
        if (!(m5 & (1u << i))) continue;
        if (!first) sb_putc(b, '|');
        sb_puts(b, (m5 & 0x10u) ? right[i] : left[i]);
        first = false;
    }
}

/* QK_MODS values as wrapper calls, ignoring any name the value may have (KC_EXLM -> LSFT(KC_1)). */
static void format_function_form(sbuf_t *b, kc_t kc)
{
    uint8_t m5 = QK_MODS_GET_MODS(kc), code = QK_MODS_GET_BASIC(kc);
    const char *fn = kc_mods_fn_name[m5];
    if (fn) {
        sb_puts(b, fn);
        sb_putc(b, '(');
        format_basic(b, code);
        sb_putc(b, ')');
    } else if (m5 & 0x0Fu) {
        /* no single wrapper (0x17, 0x1F): nest right-hand wrappers, which OR to the same value */
        static const char *const right[4] = {"RCTL(", "RSFT(", "RALT(", "RGUI("};
        int opened = 0;
        for (int i = 0; i < 4; i++)
            if (m5 & (1u << i)) {
                sb_puts(b, right[i]);
                opened++;
            }
        format_basic(b, code);
        while (opened--) sb_putc(b, ')');
    } else {
        sb_hex(b, kc, 4); /* the right-hand flag alone has no textual form */
    }
}

static void format_into(sbuf_t *b, kc_t kc)
{
    const char *name = canonical_name(kc);
    if (name) {
        sb_puts(b, name);
        return;
    }
    if (kc <= QK_BASIC_MAX) {
        sb_hex(b, kc, 4);
    } else if (kc <= QK_MODS_MAX) {
        format_function_form(b, kc);
    } else if (kc <= QK_MOD_TAP_MAX) {
        uint8_t m5 = QK_MOD_TAP_GET_MODS(kc);
        const char *fn = kc_mods_fn_name[m5];
        if (fn) {
            sb_puts(b, fn);
            sb_puts(b, "_T(");
        } else {
            sb_puts(b, "MT(");
            format_mods(b, m5);
            sb_putc(b, ',');
        }
        format_basic(b, QK_MOD_TAP_GET_TAP(kc));
        sb_putc(b, ')');
    } else if (kc <= QK_LAYER_TAP_MAX) {
        sb_puts(b, "LT(");
        sb_dec(b, QK_LAYER_TAP_GET_LAYER(kc));
        sb_putc(b, ',');
        format_basic(b, QK_LAYER_TAP_GET_TAP(kc));
        sb_putc(b, ')');
    } else if (kc <= QK_LAYER_MOD_MAX) {
        sb_puts(b, "LM(");
        sb_dec(b, QK_LAYER_MOD_GET_LAYER(kc));
        sb_putc(b, ',');
        format_mods(b, QK_LAYER_MOD_GET_MODS(kc));
        sb_putc(b, ')');
    } else if (kc <= QK_PERSISTENT_DEF_LAYER_MAX) {
        static const char *const fns[8] = {"TO", "MO", "DF", "TG", "OSL", "OSM", "TT", "PDF"};
        unsigned which = (unsigned)(kc - QK_TO) >> 5;
        sb_puts(b, fns[which]);
        sb_putc(b, '(');
        if (kc >= QK_ONE_SHOT_MOD && kc <= QK_ONE_SHOT_MOD_MAX) format_mods(b, QK_ONE_SHOT_MOD_GET_MODS(kc));
        else sb_dec(b, QK_LAYER_GET(kc));
        sb_putc(b, ')');
    } else if (kc >= QK_SWAP_HANDS && kc <= QK_SWAP_HANDS_MAX) {
        sb_puts(b, "SH_T(");
        format_basic(b, (uint8_t)(kc & 0xFFu));
        sb_putc(b, ')');
    } else if (kc >= QK_TAP_DANCE && kc <= QK_TAP_DANCE_MAX) {
        sb_puts(b, "TD(");
        sb_dec(b, kc & 0xFFu);
        sb_putc(b, ')');
    } else if (kc >= QK_UNICODE) {
        /* UC, UM and UP share this space; which one a value means depends on the firmware's
         * features, so print the one that needs no map: UC. */
        sb_puts(b, "UC(");
        sb_hex(b, kc & 0x7FFFu, 4);
        sb_putc(b, ')');
    } else {
        sb_hex(b, kc, 4);
    }
}

size_t kc_format(kc_t kc, char *buf, size_t cap)
{
    sbuf_t b = {buf, cap, 0};
    format_into(&b, kc);
    sb_end(&b);
    return b.len;
}

/* ---- what the engine implements ------------------------------------------------------------- */

static bool basic_implemented(uint8_t code)
{
    return code <= KC_TRANSPARENT || IS_BASIC_KEYBOARD(code) || IS_SYSTEM_KC(code) || IS_CONSUMER_KC(code) ||
           IS_MOUSE_KC(code) || IS_MODIFIER_KC(code);
}

bool kc_implemented(kc_t kc)
{
    if (kc <= QK_BASIC_MAX) return basic_implemented((uint8_t)kc);
    if (kc <= QK_MODS_MAX) return basic_implemented(QK_MODS_GET_BASIC(kc));
    if (kc <= QK_MOD_TAP_MAX) return basic_implemented(QK_MOD_TAP_GET_TAP(kc));
    if (kc <= QK_LAYER_TAP_MAX) return basic_implemented(QK_LAYER_TAP_GET_TAP(kc));
    if (kc <= QK_PERSISTENT_DEF_LAYER_MAX) return true; /* LM TO MO DF TG OSL OSM TT PDF */
    if (KC_IN(kc, QK_TAP_DANCE, QK_TAP_DANCE_MAX)) return true;
    switch (kc) {
    case QK_COMBO_ON:
    case QK_COMBO_OFF:
    case QK_COMBO_TOGGLE:
    case QK_BOOT:
    case QK_REBOOT:
    case QK_CLEAR_EEPROM:
    case KS_DRIVE_TOGGLE: /* the firmware's action (a keyboard without a drive ignores it) */
    case NK_ON:
    case NK_OFF:
    case NK_TOGG:
    case QK_ONE_SHOT_ON:
    case QK_ONE_SHOT_OFF:
    case QK_ONE_SHOT_TOGGLE:
    case QK_LEADER:
    case QK_CAPS_WORD_TOGGLE:
    case QK_GRAVE_ESCAPE:
    case QK_TRI_LAYER_LOWER:
    case QK_TRI_LAYER_UPPER:
    case QK_REPEAT_KEY:
    case QK_ALT_REPEAT_KEY:
    case QK_LAYER_LOCK:
    case 0x7C10: /* AS_DOWN AS_UP AS_RPT AS_ON AS_OFF AS_TOGG */
    case 0x7C11:
    case 0x7C12:
    case 0x7C13:
    case 0x7C14:
    case 0x7C15:
    case 0x7C18: /* SC_LCPO SC_RCPC SC_LSPO SC_RSPC SC_LAPO SC_RAPC SC_SENT */
    case 0x7C19:
    case 0x7C1A:
    case 0x7C1B:
    case 0x7C1C:
    case 0x7C1D:
    case 0x7C1E:
    case 0x7C5D: /* KO_TOGG KO_ON KO_OFF */
    case 0x7C5E:
    case 0x7C5F:
        return true;
    default:
        return KC_IN(kc, QK_MACRO, QK_MACRO_MAX) || kc >= QK_UNICODE ||
               KC_IN(kc, QK_UNICODE_MODE_NEXT, QK_UNICODE_MODE_EMACS) ||
               KC_IN(kc, QK_DYNAMIC_MACRO_RECORD_START_1, QK_DYNAMIC_MACRO_PLAY_2);
    }
}

/* ---- table access for tests and tools ------------------------------------------------------- */

size_t kc_name_count(void)
{
    return kc_names_count;
}

const char *kc_name_at(size_t i, kc_t *value, int *kind)
{
    if (i >= kc_names_count) return NULL;
    if (value) *value = kc_names[i].value;
    if (kind) *kind = kc_names[i].kind;
    return entry_name(&kc_names[i]);
}

size_t kc_function_count(void)
{
    return KC_FN_COUNT;
}

const char *kc_function_at(size_t i)
{
    return i < KC_FN_COUNT ? kc_fns[i].name : NULL;
}
