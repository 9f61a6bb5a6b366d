/* Scenario and event-script parser (SPEC §5): one statement per line, `#` comments, events
 * turned into a time-ordered list, expected lines parsed at once so a typo is a syntax error. */
#include "tools/scenario.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
    scn_t *s;
    scn_error_t *err;
    enum scn_mode mode;
    const char *line;      /* current line (start), without the comment and trailing space */
    size_t len;
    int lineno;
    uint32_t now;
    /* keys currently down, to catch a press of a held key or a release of a free one */
    size_t ndown;
    struct { unsigned row, col; int line; } down[64];
} parser_t;

__attribute__((format(printf, 4, 5))) static bool perr(parser_t *p, int line, int col,
                                                        const char *fmt, ...)
{
    p->err->line = line;
    p->err->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
    return false;
}

static void *grow(void *v, size_t n, size_t size)
{
    /* Grows by doubling at powers of two so that appending one at a time stays linear. */
    if (n & (n - 1)) return v;
    void *nv = realloc(v, (n ? n * 2 : 1) * size);
    if (!nv) {
        fprintf(stderr, "kestrel: out of memory\n");
        exit(2);
    }
    return nv;
}

#define PUSH(arr, n) ((arr) = grow((arr), (n), sizeof *(arr)), &(arr)[(n)++])

static int col_of(const parser_t *p, size_t off)
{
    (void)p; /* columns count bytes from the start of the line the parser is on */
    return (int)off + 1;
}

static size_t skip_ws(const parser_t *p, size_t i)
{
    while (i < p->len && (p->line[i] == ' ' || p->line[i] == '\t')) i++;
    return i;
}

static size_t word_end(const parser_t *p, size_t i)
{
    while (i < p->len && p->line[i] != ' ' && p->line[i] != '\t') i++;
    return i;
}

static bool word_eq(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

static scn_text_t text_at(const parser_t *p, size_t start, size_t end)
{
    return (scn_text_t){p->line + start, end - start, p->lineno, col_of(p, start)};
}

/* Unsigned decimal at i; returns the end offset, or 0 (never a valid end) when there is none. */
static size_t parse_uint(const parser_t *p, size_t i, unsigned long max, unsigned long *v)
{
    size_t st = i;
    unsigned long x = 0;
    while (i < p->len && isdigit((unsigned char)p->line[i])) {
        x = x * 10 + (unsigned long)(p->line[i] - '0');
        if (x > max) return 0;
        i++;
    }
    if (i == st) return 0;
    if (i < p->len && p->line[i] != ' ' && p->line[i] != '\t' && p->line[i] != ',') return 0;
    *v = x;
    return i;
}

static bool expect_end_of_line(parser_t *p, size_t i, const char *what)
{
    i = skip_ws(p, i);
    if (i < p->len)
        return perr(p, p->lineno, col_of(p, i), "unexpected '%.*s' after %s", (int)(word_end(p, i) - i),
                    p->line + i, what);
    return true;
}

/* "R,C" (spaces allowed around the comma) at i. */
static bool parse_pos(parser_t *p, size_t *i, unsigned *row, unsigned *col, int *at)
{
    size_t j = skip_ws(p, *i);
    *at = col_of(p, j);
    unsigned long r, c;
    size_t e = parse_uint(p, j, 255, &r);
    if (!e) goto bad;
    e = skip_ws(p, e);
    if (e >= p->len || p->line[e] != ',') goto bad;
    e = parse_uint(p, skip_ws(p, e + 1), 255, &c);
    if (!e) goto bad;
    *row = (unsigned)r;
    *col = (unsigned)c;
    *i = e;
    return true;
bad:
    return perr(p, p->lineno, *at, "expected a key position ROW,COL (e.g. 0,3), got '%.*s'",
                (int)(word_end(p, j) - j), p->line + j);
}

static bool add_event(parser_t *p, unsigned row, unsigned col, bool pressed, int at)
{
    size_t k;
    for (k = 0; k < p->ndown; k++)
        if (p->down[k].row == row && p->down[k].col == col) break;
    if (pressed) {
        if (k < p->ndown)
            return perr(p, p->lineno, at, "key %u,%u is already pressed (since line %d)", row, col,
                        p->down[k].line);
        if (p->ndown == sizeof p->down / sizeof p->down[0])
            return perr(p, p->lineno, at, "more than %zu keys held at once",
                        sizeof p->down / sizeof p->down[0]);
        p->down[p->ndown].row = row;
        p->down[p->ndown].col = col;
        p->down[p->ndown++].line = p->lineno;
    } else {
        if (k == p->ndown) return perr(p, p->lineno, at, "key %u,%u is not pressed", row, col);
        p->down[k] = p->down[--p->ndown];
    }
    scn_event_t *e = PUSH(p->s->events, p->s->nevents);
    *e = (scn_event_t){p->now, row, col, pressed, p->lineno, at};
    return true;
}

static bool advance(parser_t *p, unsigned long ms, int at)
{
    if (ms > SCN_MAX_TIME_MS || p->now + ms > SCN_MAX_TIME_MS)
        return perr(p, p->lineno, at, "scenario time would pass %u ms", SCN_MAX_TIME_MS);
    p->now += (uint32_t)ms;
    return true;
}

static bool st_event(parser_t *p, const char *kw, size_t i)
{
    unsigned row = 0, col = 0;
    int at = 0;
    if (!strcmp(kw, "wait")) {
        size_t j = skip_ws(p, i);
        unsigned long ms;
        size_t e = parse_uint(p, j, SCN_MAX_TIME_MS, &ms);
        if (!e)
            return perr(p, p->lineno, col_of(p, j), "expected a time in milliseconds after 'wait', "
                        "got '%.*s'", (int)(word_end(p, j) - j), p->line + j);
        return expect_end_of_line(p, e, "the wait time") && advance(p, ms, col_of(p, j));
    }
    if (!parse_pos(p, &i, &row, &col, &at)) return false;
    if (!strcmp(kw, "tap")) {
        unsigned long hold = 1;
        size_t j = skip_ws(p, i);
        if (j < p->len) {
            size_t e = parse_uint(p, j, SCN_MAX_TIME_MS, &hold);
            if (!e)
                return perr(p, p->lineno, col_of(p, j), "expected the hold time in milliseconds "
                            "after 'tap R,C', got '%.*s'", (int)(word_end(p, j) - j), p->line + j);
            i = e;
        }
        return expect_end_of_line(p, i, "'tap R,C HOLD_MS'") && add_event(p, row, col, true, at) &&
               advance(p, hold, at) && add_event(p, row, col, false, at);
    }
    return expect_end_of_line(p, i, "the key position") &&
           add_event(p, row, col, !strcmp(kw, "press"), at);
}

/* Splits keycodes at spaces outside parentheses: `LT(1, KC_SPC)` is one keycode. */
static bool st_layer(parser_t *p, size_t i)
{
    size_t j = skip_ws(p, i);
    unsigned long n;
    size_t e = parse_uint(p, j, SCN_MAX_LAYER, &n);
    if (!e)
        return perr(p, p->lineno, col_of(p, j), "expected a layer number 0..%u after 'layer', got "
                    "'%.*s'", SCN_MAX_LAYER, (int)(word_end(p, j) - j), p->line + j);
    for (size_t k = 0; k < p->s->nlayers; k++)
        if (p->s->layers[k].layer == n)
            return perr(p, p->lineno, col_of(p, j), "layer %lu is already given on line %d", n,
                        p->s->layers[k].line);
    scn_layer_t *l = PUSH(p->s->layers, p->s->nlayers);
    *l = (scn_layer_t){(unsigned)n, p->lineno, 0, NULL};
    i = e;
    for (;;) {
        i = skip_ws(p, i);
        if (i >= p->len) break;
        size_t st = i;
        int depth = 0;
        size_t open = 0;
        while (i < p->len && (depth > 0 || (p->line[i] != ' ' && p->line[i] != '\t'))) {
            if (p->line[i] == '(') {
                if (depth++ == 0) open = i;
            } else if (p->line[i] == ')') {
                if (depth == 0)
                    return perr(p, p->lineno, col_of(p, i), "')' without a matching '('");
                depth--;
            }
            i++;
        }
        if (depth > 0)
            return perr(p, p->lineno, col_of(p, open), "'(' is not closed in '%.*s'",
                        (int)(i - st), p->line + st);
        scn_text_t *t = PUSH(l->kc, l->nkc);
        *t = text_at(p, st, i);
    }
    return true;
}

static bool st_config(parser_t *p, size_t i)
{
    size_t ks = skip_ws(p, i), ke = word_end(p, ks);
    /* The name is checked by the loader, which knows every setting (and per-key names such as
     * tapping.per_key.LSFT_T(KC_A)); here it is only one word. */
    if (ks == ke) return perr(p, p->lineno, col_of(p, ks), "expected 'config KEY VALUE'");
    size_t vs = skip_ws(p, ke);
    if (vs >= p->len)
        return perr(p, p->lineno, col_of(p, vs), "expected a JSON value after 'config %.*s'",
                    (int)(ke - ks), p->line + ks);
    scn_config_t *c = PUSH(p->s->configs, p->s->nconfigs);
    c->key = text_at(p, ks, ke);
    c->value = text_at(p, vs, p->len);
    return true;
}

static bool st_single(parser_t *p, size_t i, const char *kw, bool *has, scn_text_t *t)
{
    size_t st = skip_ws(p, i), e = word_end(p, st);
    if (st == e) return perr(p, p->lineno, col_of(p, st), "expected a value after '%s'", kw);
    if (*has)
        return perr(p, p->lineno, col_of(p, skip_ws(p, 0)), "'%s' is given twice (first on line %d)",
                    kw, t->line);
    *has = true;
    *t = text_at(p, st, e);
    return expect_end_of_line(p, e, kw);
}

/* Line boundaries with comments removed. '#' inside a double-quoted JSON string is kept. */
static size_t line_content(const char *s, size_t n)
{
    bool quoted = false;
    size_t i;
    for (i = 0; i < n; i++) {
        if (quoted) {
            if (s[i] == '\\' && i + 1 < n) i++;
            else if (s[i] == '"') quoted = false;
        } else if (s[i] == '"') {
            quoted = true;
        } else if (s[i] == '#') {
            break;
        }
    }
    while (i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\r')) i--;
    return i;
}

bool scn_parse(scn_t *s, const char *path, const char *text, size_t len, enum scn_mode mode,
               scn_error_t *err)
{
    memset(s, 0, sizeof *s);
    memset(err, 0, sizeof *err);
    s->path = path;
    s->text = malloc(len + 1);
    if (!s->text) {
        fprintf(stderr, "kestrel: out of memory\n");
        exit(2);
    }
    memcpy(s->text, text, len);
    s->text[len] = '\0';
    s->len = len;
    parser_t P = {.s = s, .err = err, .mode = mode}, *p = &P;
    enum { TOP, EXPECT, EXPECT_ERROR } block = TOP;
    int block_line = 0;
    if (memchr(s->text, '\0', len))
        return perr(p, 0, 0, "the file contains a NUL byte (not a text file?)");

    const char *cur = s->text, *end = s->text + len;
    while (cur < end) {
        const char *nl = memchr(cur, '\n', (size_t)(end - cur));
        size_t raw = nl ? (size_t)(nl - cur) : (size_t)(end - cur);
        p->lineno++;
        p->line = cur;
        p->len = line_content(cur, raw);
        cur += raw + (nl ? 1 : 0);
        size_t i = skip_ws(p, 0);
        if (i >= p->len) continue;
        size_t we = word_end(p, i);
        const char *w = p->line + i;
        size_t wn = we - i;

        if (block != TOP) {
            if (word_eq(w, wn, "end")) {
                if (!expect_end_of_line(p, we, "'end'")) return false;
                block = TOP;
                continue;
            }
            if (block == EXPECT) {
                scn_expect_t *x = PUSH(s->expect, s->nexpect);
                x->text = text_at(p, i, p->len);
                report_parse_error_t re;
                if (!report_parse(p->line + i, p->len - i, &x->e, &re))
                    return perr(p, p->lineno, col_of(p, i + re.offset), "%s", re.msg);
            } else {
                scn_text_t *t = PUSH(s->expect_error, s->nexpect_error);
                *t = text_at(p, i, p->len);
            }
            continue;
        }

        char kw[16];
        if (wn >= sizeof kw) wn = sizeof kw - 1;
        memcpy(kw, w, wn);
        kw[wn] = '\0';
        bool event = !strcmp(kw, "press") || !strcmp(kw, "release") || !strcmp(kw, "tap") ||
                     !strcmp(kw, "wait");
        if (mode == SCN_EVENTS && !event && strcmp(kw, "config") != 0) {
            return perr(p, p->lineno, col_of(p, i), "'%.*s' is not allowed in an event script "
                        "(expected press, release, tap, wait or config)", (int)(we - i), w);
        }
        bool ok;
        if (event) {
            ok = st_event(p, kw, we);
        } else if (!strcmp(kw, "config")) {
            if (mode == SCN_EVENTS && s->nevents > 0)
                return perr(p, p->lineno, col_of(p, i), "config lines must come before the first "
                            "event (they apply before the run starts)");
            ok = st_config(p, we);
        } else if (!strcmp(kw, "layer")) {
            if (s->has_keymap)
                return perr(p, p->lineno, col_of(p, i), "'layer' and 'keymap' cannot be combined "
                            "(keymap given on line %d)", s->keymap.line);
            ok = st_layer(p, we);
        } else if (!strcmp(kw, "keymap")) {
            if (s->nlayers)
                return perr(p, p->lineno, col_of(p, i), "'layer' and 'keymap' cannot be combined "
                            "(layer given on line %d)", s->layers[0].line);
            ok = st_single(p, we, "keymap", &s->has_keymap, &s->keymap);
        } else if (!strcmp(kw, "keyboard")) {
            ok = st_single(p, we, "keyboard", &s->has_keyboard, &s->keyboard);
        } else if (!strcmp(kw, "expect") || !strcmp(kw, "expect-error")) {
            bool is_err = kw[6] == '-';
            if (is_err ? s->has_expect_error : s->has_expect)
                return perr(p, p->lineno, col_of(p, i), "a second '%s' block (the first is on "
                            "line %d)", kw, is_err ? s->expect_error_line : s->expect_line);
            if (is_err ? s->has_expect : s->has_expect_error)
                return perr(p, p->lineno, col_of(p, i), "a scenario has either 'expect' or "
                            "'expect-error', not both");
            if (!expect_end_of_line(p, we, kw)) return false;
            block = is_err ? EXPECT_ERROR : EXPECT;
            block_line = p->lineno;
            if (is_err) {
                s->has_expect_error = true;
                s->expect_error_line = p->lineno;
            } else {
                s->has_expect = true;
                s->expect_line = p->lineno;
            }
            continue;
        } else if (!strcmp(kw, "end")) {
            return perr(p, p->lineno, col_of(p, i), "'end' without 'expect' or 'expect-error'");
        } else {
            return perr(p, p->lineno, col_of(p, i), "unknown statement '%.*s' (expected keyboard, "
                        "keymap, layer, config, press, release, tap, wait, expect or expect-error)",
                        (int)(we - i), w);
        }
        if (!ok) return false;
    }
    if (block != TOP)
        return perr(p, block_line, 1, "'%s' block is not closed with 'end'",
                    block == EXPECT ? "expect" : "expect-error");
    s->end_ms = p->now;
    if (mode == SCN_SCENARIO && !s->has_expect && !s->has_expect_error)
        return perr(p, p->lineno ? p->lineno : 1, 1, "the scenario has no 'expect' or "
                    "'expect-error' block, so it cannot fail");
    if (s->has_expect_error && s->nexpect_error == 0)
        return perr(p, s->expect_error_line, 1, "'expect-error' block is empty (list substrings "
                    "of the expected error)");
    return true;
}

bool scn_parse_file(scn_t *s, const char *path, enum scn_mode mode, scn_error_t *err)
{
    memset(s, 0, sizeof *s);
    memset(err, 0, sizeof *err);
    s->path = path;
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        snprintf(err->msg, sizeof err->msg, "cannot open: %s", strerror(errno));
        return false;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fprintf(stderr, "kestrel: out of memory\n");
            exit(2);
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        if (cap >= 64u << 20) {
            snprintf(err->msg, sizeof err->msg, "file larger than 64 MiB");
            free(buf);
            if (f != stdin) fclose(f);
            return false;
        }
        cap *= 2;
        buf = realloc(buf, cap);
    }
    bool rd_err = ferror(f);
    if (f != stdin) fclose(f);
    if (rd_err) {
        snprintf(err->msg, sizeof err->msg, "read error");
        free(buf);
        return false;
    }
    bool ok = scn_parse(s, path, buf, n, mode, err);
    free(buf);
    return ok;
}

void scn_free(scn_t *s)
{
    for (size_t i = 0; i < s->nlayers; i++) free(s->layers[i].kc);
    free(s->layers);
    free(s->configs);
    free(s->events);
    free(s->expect);
    free(s->expect_error);
    free(s->text);
    memset(s, 0, sizeof *s);
}

void scn_print_error(FILE *f, const scn_t *s, const scn_error_t *err)
{
    const char *path = !s->path ? "<input>" : !strcmp(s->path, "-") ? "<stdin>" : s->path;
    if (err->line > 0)
        fprintf(f, "%s:%d:%d: error: %s\n", path, err->line, err->col > 0 ? err->col : 1, err->msg);
    else
        fprintf(f, "%s: error: %s\n", path, err->msg);
    if (err->line <= 0 || !s->text) return;
    const char *l = s->text;
    for (int k = 1; k < err->line && l; k++) {
        l = strchr(l, '\n');
        if (l) l++;
    }
    if (!l) return;
    size_t n = strcspn(l, "\r\n");
    fprintf(f, "  %.*s\n  ", (int)n, l);
    for (int k = 1; k < err->col && (size_t)k <= n; k++) fputc(l[k - 1] == '\t' ? '\t' : ' ', f);
    fputs("^\n", f);
}

char *scn_resolve_path(const scn_t *s, const scn_text_t *t)
{
    const char *dir_end = s->path ? strrchr(s->path, '/') : NULL;
    bool keep = t->n > 0 && (t->s[0] == '/' || (t->n >= 8 && !memcmp(t->s, "builtin:", 8)));
    size_t dn = (keep || !dir_end || !strcmp(s->path, "-")) ? 0 : (size_t)(dir_end - s->path) + 1;
    char *r = malloc(dn + t->n + 1);
    if (!r) {
        fprintf(stderr, "kestrel: out of memory\n");
        exit(2);
    }
    memcpy(r, s->path, dn);
    memcpy(r + dn, t->s, t->n);
    r[dn + t->n] = '\0';
    return r;
}
