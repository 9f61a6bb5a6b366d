/* JSON documents: a strict validator that knows exactly where text goes wrong, then jsmn for the
 * tokens (jsmn alone accepts "[1 2]" and cannot say where an error is). */
#define JSMN_STATIC
#define JSMN_PARENT_LINKS
#define JSMN_STRICT
#include <jsmn.h>

#include "config/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- positions and diagnostics ----------------------------------------------------------- */

void json_pos(const json_doc_t *doc, size_t off, int *line, int *col)
{
    int l = 0, c = 0;
    size_t ls = 0;
    if (off > doc->len) off = doc->len;
    for (size_t i = 0; i < off; i++)
        if (doc->text[i] == '\n') {
            l++;
            ls = i + 1;
        }
    for (size_t i = ls; i < off; i++)
        if (((unsigned char)doc->text[i] & 0xC0) != 0x80) c++;
    *line = doc->base_line + l;
    *col = (l == 0 ? doc->base_col : 1) + c;
}

static void diag_v(const json_doc_t *doc, diag_t *d, enum diag_level lvl, size_t off,
                   const char *fmt, va_list ap)
{
    int line, col;
    json_pos(doc, off, &line, &col);
    if (off > doc->len) off = doc->len;
    size_t ls = off, le = off;
    while (ls > 0 && doc->text[ls - 1] != '\n') ls--;
    while (le < doc->len && doc->text[le] != '\n' && doc->text[le] != '\r') le++;
    diag_vadd_line(d, lvl, doc->name, doc->text + ls, le - ls, off - ls, line, col, fmt, ap);
}

void json_diag_at(const json_doc_t *doc, diag_t *d, enum diag_level lvl, size_t off,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_v(doc, d, lvl, off, fmt, ap);
    va_end(ap);
}

static size_t tok_off(const json_doc_t *doc, int t)
{
    if (t < 0 || t >= doc->ntok) return doc->len;
    size_t s = (size_t)doc->tok[t].start;
    return doc->tok[t].type == JSMN_STRING && s > 0 ? s - 1 : s;
}

void json_diag(const json_doc_t *doc, diag_t *d, enum diag_level lvl, int t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_v(doc, d, lvl, tok_off(doc, t), fmt, ap);
    va_end(ap);
}

/* ---- the validator -------------------------------------------------------------------------- */

typedef struct {
    const json_doc_t *doc;
    diag_t *d;
    const char *s;
    size_t n, i;
} vstate;

static bool verr(vstate *v, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool verr(vstate *v, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_v(v->doc, v->d, DIAG_ERROR, off, fmt, ap);
    va_end(ap);
    return false;
}

static void skip_ws(vstate *v)
{
    while (v->i < v->n) {
        char c = v->s[v->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        v->i++;
    }
}

/* Describes the character at the cursor for messages: 'x', end of file, or a byte value. */
static const char *what_here(vstate *v, char *buf, size_t cap)
{
    if (v->i >= v->n) return "end of file";
    unsigned char c = (unsigned char)v->s[v->i];
    if (c >= 0x21 && c < 0x7F) snprintf(buf, cap, "'%c'", c);
    else if (c == ' ') snprintf(buf, cap, "a space");
    else snprintf(buf, cap, "byte 0x%02X", c);
    return buf;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Length of the valid UTF-8 sequence at p (0 when invalid): no overlongs, no surrogates. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
    unsigned c = p[0];
    size_t n;
    unsigned min, cp;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) n = 2, min = 0x80, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) n = 3, min = 0x800, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) n = 4, min = 0x10000, cp = c & 0x07;
    else return 0;
    if (avail < n) return 0;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (p[k] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

static bool vstring(vstate *v)
{
    size_t open = v->i++;
    while (v->i < v->n) {
        unsigned char c = (unsigned char)v->s[v->i];
        if (c == '"') {
            v->i++;
            return true;
        }
        if (c == '\n' || c == '\r')
            return verr(v, open, "string is not closed before the end of the line (missing '\"')");
        if (c < 0x20)
            return verr(v, v->i, "control character 0x%02X inside a string (write it as an escape "
                                 "such as \\n)", c);
        if (c == '\\') {
            if (v->i + 1 >= v->n) break;
            char e = v->s[v->i + 1];
            if (e == 'u') {
                for (int k = 0; k < 4; k++)
                    if (v->i + 2 + (size_t)k >= v->n || hexval(v->s[v->i + 2 + k]) < 0)
                        return verr(v, v->i, "\\u must be followed by four hex digits");
                v->i += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == 0)
                return verr(v, v->i, "invalid escape '\\%c' in a string", e ? e : '0');
            v->i += 2;
            continue;
        }
        if (c >= 0x80) {
            size_t k = utf8_len((const unsigned char *)v->s + v->i, v->n - v->i);
            if (!k) return verr(v, v->i, "invalid UTF-8 byte 0x%02X in a string", c);
            v->i += k;
            continue;
        }
        v->i++;
    }
    return verr(v, open, "string is not closed (missing '\"')");
}

static bool isdig(char c) { return c >= '0' && c <= '9'; }

static bool vnumber(vstate *v)
{
    size_t st = v->i;
    if (v->s[v->i] == '-') v->i++;
    if (v->i < v->n && v->s[v->i] == '0') {
        v->i++;
        if (v->i < v->n && isdig(v->s[v->i]))
            return verr(v, st, "numbers must not have leading zeros (write hex values as strings "
                               "like \"0x1234\")");
    } else if (v->i < v->n && isdig(v->s[v->i])) {
        while (v->i < v->n && isdig(v->s[v->i])) v->i++;
    } else {
        return verr(v, st, "invalid number");
    }
    if (v->i < v->n && v->s[v->i] == '.') {
        v->i++;
        if (v->i >= v->n || !isdig(v->s[v->i])) return verr(v, st, "invalid number");
        while (v->i < v->n && isdig(v->s[v->i])) v->i++;
    }
    if (v->i < v->n && (v->s[v->i] == 'e' || v->s[v->i] == 'E')) {
        v->i++;
        if (v->i < v->n && (v->s[v->i] == '+' || v->s[v->i] == '-')) v->i++;
        if (v->i >= v->n || !isdig(v->s[v->i])) return verr(v, st, "invalid number");
        while (v->i < v->n && isdig(v->s[v->i])) v->i++;
    }
    if (v->i < v->n && (isdig(v->s[v->i]) || (v->s[v->i] >= 'a' && v->s[v->i] <= 'z') ||
                        (v->s[v->i] >= 'A' && v->s[v->i] <= 'Z') || v->s[v->i] == '_'))
        return verr(v, st, "invalid number (strings need double quotes)");
    return true;
}

static bool vliteral(vstate *v)
{
    static const char *const lits[] = {"true", "false", "null"};
    for (int k = 0; k < 3; k++) {
        size_t l = strlen(lits[k]);
        if (v->n - v->i >= l && !memcmp(v->s + v->i, lits[k], l)) {
            size_t e = v->i + l;
            if (e < v->n && ((v->s[e] >= 'a' && v->s[e] <= 'z') || (v->s[e] >= 'A' && v->s[e] <= 'Z') ||
                             isdig(v->s[e]) || v->s[e] == '_'))
                break;
            v->i = e;
            return true;
        }
    }
    return verr(v, v->i, "unexpected word (strings need double quotes; literals are true, false, "
                         "null)");
}

enum { V_VALUE, V_KEY, V_AFTER };

/* Returns true when the text is exactly one JSON value (with surrounding white space). The root
 * value's extent is returned for the single-primitive case jsmn cannot tokenise. */
static bool validate(vstate *v, size_t *root_start, size_t *root_end)
{
    char stack[JSON_MAX_DEPTH];
    size_t opened[JSON_MAX_DEPTH];
    int depth = 0, state = V_VALUE;
    size_t last_comma = (size_t)-1;
    char buf[32];

    skip_ws(v);
    if (v->i >= v->n) return verr(v, 0, "the file is empty (expected a JSON value)");
    *root_start = v->i;
    for (;;) {
        skip_ws(v);
        if (state == V_VALUE) {
            if (v->i >= v->n) {
                if (depth)
                    return verr(v, opened[depth - 1],
                                "unexpected end of file: this '%c' is not closed", stack[depth - 1]);
                return verr(v, v->i, "unexpected end of file (expected a value)");
            }
            char c = v->s[v->i];
            if (c == '{' || c == '[') {
                if (depth >= JSON_MAX_DEPTH)
                    return verr(v, v->i, "nesting deeper than %d levels", JSON_MAX_DEPTH);
                stack[depth] = c;
                opened[depth++] = v->i++;
                skip_ws(v);
                if (v->i < v->n && v->s[v->i] == (c == '{' ? '}' : ']')) {
                    v->i++;
                    depth--;
                    state = V_AFTER;
                } else {
                    state = c == '{' ? V_KEY : V_VALUE;
                }
                continue;
            }
            if (c == '"') {
                if (!vstring(v)) return false;
            } else if (c == '-' || isdig(c)) {
                if (!vnumber(v)) return false;
            } else if (c >= 'a' && c <= 'z') {
                if (!vliteral(v)) return false;
            } else if ((c >= 'A' && c <= 'Z') || c == '_') {
                return verr(v, v->i, "unexpected word (strings need double quotes)");
            } else if ((c == ']' || c == '}') && last_comma != (size_t)-1 && depth) {
                return verr(v, last_comma, "trailing comma before '%c'", c);
            } else if (c == '\'') {
                return verr(v, v->i, "strings need double quotes, not single quotes");
            } else {
                return verr(v, v->i, "unexpected %s (expected a value)", what_here(v, buf, sizeof buf));
            }
            state = V_AFTER;
            last_comma = (size_t)-1;
            continue;
        }
        if (state == V_KEY) {
            if (v->i < v->n && v->s[v->i] == '"') {
                if (!vstring(v)) return false;
                skip_ws(v);
                if (v->i >= v->n || v->s[v->i] != ':')
                    return verr(v, v->i, "expected ':' after the key, found %s",
                                what_here(v, buf, sizeof buf));
                v->i++;
                state = V_VALUE;
                last_comma = (size_t)-1;
                continue;
            }
            if (v->i < v->n && v->s[v->i] == '}' && last_comma != (size_t)-1)
                return verr(v, last_comma, "trailing comma before '}'");
            if (v->i >= v->n)
                return verr(v, opened[depth - 1], "unexpected end of file: this '{' is not closed");
            return verr(v, v->i, "expected a key in double quotes, found %s",
                        what_here(v, buf, sizeof buf));
        }
        /* V_AFTER */
        if (depth == 0) {
            *root_end = v->i;
            skip_ws(v);
            if (v->i < v->n)
                return verr(v, v->i, "unexpected %s after the end of the JSON value",
                            what_here(v, buf, sizeof buf));
            return true;
        }
        if (v->i >= v->n)
            return verr(v, opened[depth - 1], "unexpected end of file: this '%c' is not closed",
                        stack[depth - 1]);
        char c = v->s[v->i];
        char top = stack[depth - 1];
        if (c == ',') {
            last_comma = v->i++;
            state = top == '{' ? V_KEY : V_VALUE;
            continue;
        }
        if ((c == '}' && top == '{') || (c == ']' && top == '[')) {
            v->i++;
            depth--;
            state = V_AFTER;
            continue;
        }
        if (c == '}' || c == ']') {
            int ol, oc;
            json_pos(v->doc, opened[depth - 1], &ol, &oc);
            return verr(v, v->i, "'%c' does not match the '%c' opened at line %d, column %d", c,
                        top, ol, oc);
        }
        return verr(v, v->i, "expected ',' or '%c', found %s", top == '{' ? '}' : ']',
                    what_here(v, buf, sizeof buf));
    }
}

/* ---- QMK leniency ----------------------------------------------------------------------------- */

static size_t skip_string(const char *t, size_t len, size_t i)
{
    for (i++; i < len; i++) {
        if (t[i] == '\\') i++;
        else if (t[i] == '"' || t[i] == '\n') return i + 1;
    }
    return len;
}

size_t json_relax(char *t, size_t len)
{
    size_t first = (size_t)-1;
    for (size_t i = 0; i < len;) {
        char c = t[i];
        if (c == '"') {
            i = skip_string(t, len, i);
        } else if (c == '#' || (c == '/' && i + 1 < len && t[i + 1] == '/')) {
            if (first == (size_t)-1) first = i;
            while (i < len && t[i] != '\n') t[i++] = ' ';
        } else if (c == '/' && i + 1 < len && t[i + 1] == '*') {
            size_t e = i + 2;
            while (e + 1 < len && !(t[e] == '*' && t[e + 1] == '/')) e++;
            if (e + 1 >= len) break; /* not closed: the validator will say where */
            if (first == (size_t)-1) first = i;
            for (size_t k = i; k < e + 2; k++)
                if (t[k] != '\n' && t[k] != '\r') t[k] = ' ';
            i = e + 2;
        } else {
            i++;
        }
    }
    for (size_t i = 0; i < len;) {
        if (t[i] == '"') {
            i = skip_string(t, len, i);
            continue;
        }
        if (t[i] == ',') {
            size_t k = i + 1;
            while (k < len && (t[k] == ' ' || t[k] == '\t' || t[k] == '\n' || t[k] == '\r')) k++;
            if (k < len && (t[k] == '}' || t[k] == ']')) {
                if (first == (size_t)-1 || i < first) first = i;
                t[i] = ' ';
            }
        }
        i++;
    }
    return first;
}

/* ---- parse ------------------------------------------------------------------------------------ */

static void check_duplicates(json_doc_t *doc, diag_t *d)
{
    for (int o = 0; o < doc->ntok; o++) {
        if (doc->tok[o].type != JSMN_OBJECT || doc->tok[o].size < 2) continue;
        for (int a = json_first(doc, o); a >= 0; a = json_next_member(doc, a)) {
            size_t na;
            const char *ra = json_raw(doc, a, &na);
            for (int b = json_next_member(doc, a); b >= 0; b = json_next_member(doc, b)) {
                size_t nb;
                const char *rb = json_raw(doc, b, &nb);
                if (na == nb && !memcmp(ra, rb, na)) {
                    json_diag(doc, d, DIAG_WARNING, b,
                              "duplicate key '%.*s' (this later one wins)", (int)nb, rb);
                    break;
                }
            }
        }
    }
}

bool json_parse(json_doc_t *doc, const char *name, const char *text, size_t len, int base_line,
                int base_col, jsmntok_t *pool, int pool_cap, diag_t *d)
{
    memset(doc, 0, sizeof *doc);
    doc->name = name;
    doc->text = text;
    doc->len = len;
    doc->base_line = base_line > 0 ? base_line : 1;
    doc->base_col = base_col > 0 ? base_col : 1;
    doc->tok = pool;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) { /* a UTF-8 byte-order mark */
        doc->text += 3;
        doc->len -= 3;
    }
    if (doc->len > JSON_MAX_TEXT) {
        json_diag_at(doc, d, DIAG_ERROR, 0, "file too large (%zu bytes; the limit is %u)",
                     doc->len, JSON_MAX_TEXT);
        return false;
    }
    vstate v = {doc, d, doc->text, doc->len, 0};
    size_t rs = 0, re = 0;
    if (!validate(&v, &rs, &re)) return false;

    char c0 = doc->text[rs];
    if (c0 != '{' && c0 != '[' && c0 != '"') {
        /* A lone number or literal: jsmn (strict) needs a delimiter after it. */
        if (pool_cap < 1) goto nomem;
        pool[0] = (jsmntok_t){JSMN_PRIMITIVE, (int)rs, (int)re, 0, -1};
        doc->ntok = 1;
        return true;
    }
    jsmn_parser p;
    jsmn_init(&p);
    int r = jsmn_parse(&p, doc->text, doc->len, pool, (unsigned)pool_cap);
    if (r == JSMN_ERROR_NOMEM) goto nomem;
    if (r < 0) { /* cannot happen after validation; refuse rather than guess */
        json_diag_at(doc, d, DIAG_ERROR, p.pos, "JSON tokeniser rejected the text (code %d)", r);
        return false;
    }
    doc->ntok = (int)p.toknext;
    check_duplicates(doc, d);
    return true;
nomem:
    json_diag_at(doc, d, DIAG_ERROR, 0,
                 "too many JSON values in one file (the limit is %d tokens)", pool_cap);
    return false;
}

/* ---- navigation ------------------------------------------------------------------------------ */

enum json_type json_type(const json_doc_t *doc, int t)
{
    if (t < 0 || t >= doc->ntok) return JSON_NONE;
    switch (doc->tok[t].type) {
    case JSMN_OBJECT: return JSON_OBJECT;
    case JSMN_ARRAY: return JSON_ARRAY;
    case JSMN_STRING: return JSON_STRING;
    case JSMN_PRIMITIVE: {
        char c = doc->text[doc->tok[t].start];
        return c == 't' || c == 'f' ? JSON_BOOL : c == 'n' ? JSON_NULL : JSON_NUMBER;
    }
    default: return JSON_NONE;
    }
}

const char *json_type_name(enum json_type ty)
{
    switch (ty) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_NUMBER: return "a number";
    case JSON_BOOL: return "a boolean";
    case JSON_NULL: return "null";
    default: return "nothing";
    }
}

int json_next(const json_doc_t *doc, int t)
{
    int end = doc->tok[t].end, i = t + 1;
    if (doc->tok[t].type == JSMN_STRING) {
        /* a key's value is its child: skip only the string itself */
        return i;
    }
    while (i < doc->ntok && doc->tok[i].start < end) i++;
    return i;
}

int json_size(const json_doc_t *doc, int t)
{
    return t >= 0 && t < doc->ntok ? doc->tok[t].size : 0;
}

int json_first(const json_doc_t *doc, int c)
{
    if (c < 0 || c >= doc->ntok || doc->tok[c].size == 0) return -1;
    return c + 1;
}

int json_next_member(const json_doc_t *doc, int key)
{
    int parent = doc->tok[key].parent;
    int nx = json_next(doc, key + 1);
    if (nx >= doc->ntok || doc->tok[nx].parent != parent) return -1;
    return nx;
}

int json_next_elem(const json_doc_t *doc, int elem)
{
    int parent = doc->tok[elem].parent;
    int nx = json_next(doc, elem);
    if (nx >= doc->ntok || doc->tok[nx].parent != parent) return -1;
    return nx;
}

const char *json_raw(const json_doc_t *doc, int t, size_t *n)
{
    *n = (size_t)(doc->tok[t].end - doc->tok[t].start);
    return doc->text + doc->tok[t].start;
}

bool json_str_plain(const json_doc_t *doc, int t)
{
    size_t n;
    const char *r = json_raw(doc, t, &n);
    return memchr(r, '\\', n) == NULL;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | cp >> 12);
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | cp >> 18);
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static unsigned hex4(const char *p)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) v = v << 4 | (unsigned)hexval(p[k]);
    return v;
}

bool json_str(const json_doc_t *doc, int t, char *out, size_t cap)
{
    size_t n, o = 0;
    const char *r = json_raw(doc, t, &n);
    if (cap == 0) return false;
    for (size_t i = 0; i < n;) {
        char tmp[4];
        size_t k = 0;
        if (r[i] != '\\') {
            tmp[k++] = r[i++];
        } else {
            char e = r[i + 1];
            i += 2;
            switch (e) {
            case 'b': tmp[k++] = '\b'; break;
            case 'f': tmp[k++] = '\f'; break;
            case 'n': tmp[k++] = '\n'; break;
            case 'r': tmp[k++] = '\r'; break;
            case 't': tmp[k++] = '\t'; break;
            case 'u': {
                unsigned cp = hex4(r + i);
                i += 4;
                if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= n && r[i] == '\\' && r[i + 1] == 'u') {
                    unsigned lo = hex4(r + i + 2);
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        i += 6;
                    }
                }
                if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD; /* a lone surrogate */
                if (cp == 0) cp = 0xFFFD;                       /* keep C strings whole */
                k = put_utf8(tmp, cp);
                break;
            }
            default: tmp[k++] = e; break; /* \" \\ \/ */
            }
        }
        if (o + k >= cap) {
            out[o] = 0;
            return false;
        }
        memcpy(out + o, tmp, k);
        o += k;
    }
    out[o] = 0;
    return true;
}

bool json_str_eq(const json_doc_t *doc, int t, const char *s)
{
    if (t < 0 || t >= doc->ntok || doc->tok[t].type != JSMN_STRING) return false;
    size_t n;
    const char *r = json_raw(doc, t, &n);
    if (!memchr(r, '\\', n)) return strlen(s) == n && !memcmp(r, s, n);
    char buf[256];
    return json_str(doc, t, buf, sizeof buf) && !strcmp(buf, s);
}

int json_get(const json_doc_t *doc, int obj, const char *key)
{
    int found = -1;
    if (json_type(doc, obj) != JSON_OBJECT) return -1;
    for (int k = json_first(doc, obj); k >= 0; k = json_next_member(doc, k))
        if (json_str_eq(doc, k, key)) found = k + 1;
    return found;
}

int json_elem(const json_doc_t *doc, int arr, int i)
{
    int k = json_first(doc, arr);
    while (k >= 0 && i-- > 0) k = json_next_elem(doc, k);
    return k;
}

/* ---- typed reads ------------------------------------------------------------------------------ */

bool json_want(const json_doc_t *doc, int t, enum json_type ty, const char *what, diag_t *d)
{
    enum json_type got = json_type(doc, t);
    if (got == ty) return true;
    json_diag(doc, d, DIAG_ERROR, t, "%s must be %s, not %s", what, json_type_name(ty),
              json_type_name(got));
    return false;
}

bool json_get_int(const json_doc_t *doc, int t, long min, long max, long *out, const char *what,
                  diag_t *d)
{
    if (!json_want(doc, t, JSON_NUMBER, what, d)) return false;
    size_t n;
    const char *r = json_raw(doc, t, &n);
    long v = 0;
    bool neg = false, big = false;
    size_t i = 0;
    if (r[0] == '-') neg = true, i = 1;
    for (; i < n && isdig(r[i]); i++) {
        if (v > 100000000L) big = true;
        else v = v * 10 + (r[i] - '0');
    }
    if (i < n) {
        /* 5.0 and 1e3 are whole numbers in JSON's eyes; QMK's schema wants integers, so do we */
        json_diag(doc, d, DIAG_ERROR, t, "%s must be a whole number, not %.*s", what, (int)n, r);
        return false;
    }
    if (neg) v = -v;
    if (big || v < min || v > max) {
        json_diag(doc, d, DIAG_ERROR, t, "%s must be between %ld and %ld, not %.*s", what, min,
                  max, (int)n, r);
        return false;
    }
    *out = v;
    return true;
}

bool json_get_bool(const json_doc_t *doc, int t, bool *out, const char *what, diag_t *d)
{
    if (!json_want(doc, t, JSON_BOOL, what, d)) return false;
    *out = doc->text[doc->tok[t].start] == 't';
    return true;
}
