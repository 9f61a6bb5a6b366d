/* JSON documents for the keymap language: a strict validating pass (exact line:col for syntax
 * errors) then jsmn tokens, plus the typed accessors the loaders use. No allocation: the caller
 * hands in the token pool, so the same code can later run on the RP2040/RP2350 itself. */
#ifndef KESTREL_CONFIG_JSON_H
#define KESTREL_CONFIG_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* json.c includes jsmn's implementation first (static); everyone else sees only the types. */
#ifndef JSMN_H
#define JSMN_HEADER
#define JSMN_PARENT_LINKS
#define JSMN_STRICT
#include <jsmn.h>
#undef JSMN_HEADER
#endif

#include "config/diag.h"

#define JSON_MAX_DEPTH 64           /* nesting of objects/arrays; deeper is an error */
#define JSON_MAX_TEXT  (1u << 24)   /* 16 MiB; a longer text is an error (offsets are ints) */

enum json_type {
    JSON_NONE = 0, JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_NUMBER, JSON_BOOL, JSON_NULL
};

/* One parsed text. `text` and `name` are not owned and must outlive the document. A text that
 * is a fragment of a larger file (a scenario's `config` value) starts at base_line/base_col. */
typedef struct json_doc {
    const char *name;
    const char *text;
    size_t len;
    int base_line, base_col;
    jsmntok_t *tok;
    int ntok;
} json_doc_t;

/* Validates and tokenises `text`. Errors (syntax with line:col, too many tokens, too deep) and
 * warnings (duplicate keys: the later one wins, as in QMK's Python loader) go to `d`. */
bool json_parse(json_doc_t *doc, const char *name, const char *text, size_t len, int base_line,
                int base_col, jsmntok_t *pool, int pool_cap, diag_t *d);

/* QMK reads its JSON files with a lenient (hjson) loader, and real info.json files carry comments
 * and trailing commas. This blanks those out in place (same length, so every position stays
 * right): // and # comments, block comments, and commas before a closing bracket. Returns the
 * offset of the first change, or (size_t)-1 when the text was plain JSON. */
size_t json_relax(char *text, size_t len);

/* Line and column (1-based, columns count characters, not UTF-8 bytes) of byte `off`. */
void json_pos(const json_doc_t *doc, size_t off, int *line, int *col);

/* A diagnostic at byte `off` of the document (string tokens: their first character). */
void json_diag_at(const json_doc_t *doc, diag_t *d, enum diag_level lvl, size_t off,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A diagnostic at token `t` (a string: at its opening quote). */
void json_diag(const json_doc_t *doc, diag_t *d, enum diag_level lvl, int t, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

enum json_type json_type(const json_doc_t *doc, int t);
const char *json_type_name(enum json_type ty);   /* "an object", "a string", ... */
int json_next(const json_doc_t *doc, int t);      /* the token after t's whole subtree */
int json_size(const json_doc_t *doc, int t);      /* members of an object, elements of an array */

/* Object members: for (int k = json_first(doc, obj); k >= 0; k = json_next_member(doc, k))
 * key token k, value token k + 1. Array elements: json_first / json_next_elem. */
int json_first(const json_doc_t *doc, int container);
int json_next_member(const json_doc_t *doc, int key);
int json_next_elem(const json_doc_t *doc, int elem);
/* The value of `key` in object `obj` (the last one when repeated), or -1. */
int json_get(const json_doc_t *doc, int obj, const char *key);
/* The i-th element of an array, or -1. */
int json_elem(const json_doc_t *doc, int arr, int i);

/* Raw (still escaped) bytes of a string or primitive token. */
const char *json_raw(const json_doc_t *doc, int t, size_t *n);
/* True when string token t, unescaped, equals `s`. */
bool json_str_eq(const json_doc_t *doc, int t, const char *s);
/* Unescapes string token t into out (always NUL-terminated). Returns false when it did not fit
 * (out then holds a truncated prefix). \uXXXX (surrogate pairs included) becomes UTF-8. */
bool json_str(const json_doc_t *doc, int t, char *out, size_t cap);
/* True when the string's raw text holds no escapes, so raw offsets equal text offsets. */
bool json_str_plain(const json_doc_t *doc, int t);

/* Typed reads. Each reports a type/range error at the token itself and returns false. */
bool json_want(const json_doc_t *doc, int t, enum json_type ty, const char *what, diag_t *d);
bool json_get_int(const json_doc_t *doc, int t, long min, long max, long *out, const char *what,
                  diag_t *d);
bool json_get_bool(const json_doc_t *doc, int t, bool *out, const char *what, diag_t *d);

#endif
