/* Report lines (SPEC §6): formatting of HID reports as text and parsing of expected lines.
 * Names come from the keycode language (config/keycode.h), so any alias parses back. */
#include "tools/report_fmt.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config/keycode.h"
#include "core/hid_usage.h"

static const char *const mod_names[8] = {"LCTL", "LSFT", "LALT", "LGUI",
                                         "RCTL", "RSFT", "RALT", "RGUI"};

/* Consumer/system names are the reverse of the engine's own keycode -> usage table, so a report
 * line always names the keycode that sends that usage. */
uint16_t report_kc_usage(kc_t kc, enum report_kind *page)
{
    if (kc > 0xFFu) return 0;
    uint16_t u = hid_usage_system((uint8_t)kc);
    if (u) {
        if (page) *page = REPORT_SYSTEM;
        return u;
    }
    u = hid_usage_consumer((uint8_t)kc);
    if (u && page) *page = REPORT_CONSUMER;
    return u;
}

/* snprintf that appends at *len and never overflows; the result is always NUL-terminated. */
__attribute__((format(printf, 4, 5))) static void append(char *buf, size_t cap, size_t *len,
                                                          const char *fmt, ...)
{
    if (cap == 0 || *len >= cap - 1) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    *len += (size_t)n;
    if (*len > cap - 1) *len = cap - 1;
}

size_t report_key_name(uint8_t usage, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap) buf[0] = '\0';
    /* A modifier usage in the key array (a raw report can carry one) prints as hex, so that the
     * line reads back as a key and not as the modifier byte. */
    const char *name = usage >= 0x04u && usage <= KC_EXSEL ? kc_basic_name(usage) : NULL;
    if (name)
        append(buf, cap, &len, "%s", name);
    else
        append(buf, cap, &len, "0x%02X", usage);
    return len;
}

size_t report_usage_name(enum report_kind page, uint16_t usage, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap) buf[0] = '\0';
    uint8_t kc = page == REPORT_SYSTEM ? hid_usage_system_kc(usage)
                 : page == REPORT_CONSUMER ? hid_usage_consumer_kc(usage)
                                           : 0;
    const char *name = kc ? kc_basic_name(kc) : NULL;
    if (name) {
        append(buf, cap, &len, "%s", name);
        return len;
    }
    append(buf, cap, &len, "0x%03X", usage);
    return len;
}

size_t report_format_body(const report_t *r, char *buf, size_t cap)
{
    size_t len = 0;
    char name[64];
    if (cap) buf[0] = '\0';
    switch (r->kind) {
    case REPORT_KBD: {
        append(buf, cap, &len, "kbd");
        bool any = false;
        for (unsigned b = 0; b < 8; b++)
            if (r->mods & (1u << b)) {
                append(buf, cap, &len, " %s", mod_names[b]);
                any = true;
            }
        for (unsigned u = 0; u < 256; u++)
            if (r->keys[u >> 3] & (1u << (u & 7))) {
                report_key_name((uint8_t)u, name, sizeof name);
                append(buf, cap, &len, " %s", name);
                any = true;
            }
        if (!any) append(buf, cap, &len, " -");
        break;
    }
    case REPORT_CONSUMER:
    case REPORT_SYSTEM:
        append(buf, cap, &len, "%s", r->kind == REPORT_CONSUMER ? "consumer" : "system");
        if (r->usage == 0) {
            append(buf, cap, &len, " -");
        } else {
            report_usage_name((enum report_kind)r->kind, r->usage, name, sizeof name);
            append(buf, cap, &len, " %s", name);
        }
        break;
    case REPORT_MOUSE:
        append(buf, cap, &len, "mouse b=%u x=%d y=%d v=%d h=%d", r->buttons, r->x, r->y, r->v, r->h);
        break;
    case REPORT_ACTION:
        if (kc_format(r->usage, name, sizeof name) == 0) snprintf(name, sizeof name, "0x%04X", r->usage);
        append(buf, cap, &len, "action %s", name);
        break;
    default:
        append(buf, cap, &len, "unknown-report-kind-%u", r->kind);
        break;
    }
    return len;
}

size_t report_format_time(uint64_t time_us, bool emulated, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap) buf[0] = '\0';
    if (emulated)
        append(buf, cap, &len, "%llu.%03llu", (unsigned long long)(time_us / 1000u),
               (unsigned long long)(time_us % 1000u));
    else
        append(buf, cap, &len, "%llu", (unsigned long long)(time_us / 1000u));
    return len;
}

size_t report_format(const report_t *r, bool emulated, char *buf, size_t cap)
{
    size_t len = report_format_time(r->time_us, emulated, buf, cap);
    append(buf, cap, &len, " ");
    if (len < cap) len += report_format_body(r, buf + len, cap - len);
    return len;
}

bool report_same(const report_t *a, const report_t *b)
{
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case REPORT_KBD:
        return a->mods == b->mods && memcmp(a->keys, b->keys, sizeof a->keys) == 0;
    case REPORT_CONSUMER:
    case REPORT_SYSTEM:
    case REPORT_ACTION:
        return a->usage == b->usage;
    case REPORT_MOUSE:
        return a->buttons == b->buttons && a->x == b->x && a->y == b->y && a->v == b->v &&
               a->h == b->h;
    default:
        return false;
    }
}

bool report_from_raw(report_t *out, enum report_raw_kind kind, const uint8_t *d, size_t n,
                     uint64_t time_us)
{
    memset(out, 0, sizeof *out);
    out->time_us = time_us;
    switch (kind) {
    case REPORT_RAW_BOOT_KBD:
        if (n != 8) return false;
        out->kind = REPORT_KBD;
        out->mods = d[0];
        for (size_t i = 2; i < 8; i++)
            if (d[i]) out->keys[d[i] >> 3] |= (uint8_t)(1u << (d[i] & 7));
        return true;
    case REPORT_RAW_NKRO:
        if (n < 1 || n > 33) return false;
        out->kind = REPORT_KBD;
        out->mods = d[0];
        memcpy(out->keys, d + 1, n - 1);
        return true;
    case REPORT_RAW_CONSUMER:
    case REPORT_RAW_SYSTEM:
        if (n != 1 && n != 2) return false;
        out->kind = kind == REPORT_RAW_CONSUMER ? REPORT_CONSUMER : REPORT_SYSTEM;
        out->usage = (uint16_t)(d[0] | (n == 2 ? d[1] << 8 : 0));
        return true;
    case REPORT_RAW_MOUSE:
        if (n != 4 && n != 5) return false;
        out->kind = REPORT_MOUSE;
        out->buttons = d[0];
        out->x = (int8_t)d[1];
        out->y = (int8_t)d[2];
        out->v = (int8_t)d[3];
        out->h = n == 5 ? (int8_t)d[4] : 0;
        return true;
    }
    return false;
}

/* ---- parsing ------------------------------------------------------------------------------ */

typedef struct cursor {
    const char *s;
    size_t n, i;
} cursor_t;

static void skip_space(cursor_t *c)
{
    while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t')) c->i++;
}

/* Next whitespace-separated word; false at the end. */
static bool next_word(cursor_t *c, size_t *start, size_t *len)
{
    skip_space(c);
    if (c->i >= c->n) return false;
    *start = c->i;
    while (c->i < c->n && c->s[c->i] != ' ' && c->s[c->i] != '\t') c->i++;
    *len = c->i - *start;
    return true;
}

__attribute__((format(printf, 3, 4))) static bool fail(report_parse_error_t *err, size_t off,
                                                        const char *fmt, ...)
{
    if (!err) return false;
    err->offset = off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return false;
}

static bool word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* A basic keycode written as NAME, KC_NAME or any alias of either. */
static bool parse_kc_name(const char *s, size_t n, kc_t *kc)
{
    uint8_t code;
    if (!kc_basic_from_name(s, n, &code)) return false;
    *kc = code;
    return true;
}

static bool parse_hex(const char *s, size_t n, unsigned long max, unsigned long *v)
{
    if (n < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
    unsigned long x = 0;
    for (size_t i = 2; i < n; i++) {
        int d = isdigit((unsigned char)s[i]) ? s[i] - '0'
                : isxdigit((unsigned char)s[i]) ? (tolower((unsigned char)s[i]) - 'a' + 10)
                                                 : -1;
        if (d < 0) return false;
        x = x * 16 + (unsigned long)d;
        if (x > max) return false;
    }
    *v = x;
    return true;
}

static bool parse_time(const char *s, size_t n, uint64_t *us)
{
    uint64_t ms = 0, frac = 0;
    size_t i = 0, digits = 0, fdigits = 0;
    for (; i < n && isdigit((unsigned char)s[i]); i++, digits++) {
        ms = ms * 10 + (uint64_t)(s[i] - '0');
        if (ms > 100000000u) return false;
    }
    if (digits == 0) return false;
    if (i < n && s[i] == '.') {
        for (i++; i < n && isdigit((unsigned char)s[i]); i++, fdigits++) {
            if (fdigits >= 3) return false;
            frac = frac * 10 + (uint64_t)(s[i] - '0');
        }
        if (fdigits == 0) return false;
        while (fdigits < 3) frac *= 10, fdigits++;
    }
    if (i != n) return false;
    *us = ms * 1000u + frac;
    return true;
}

static bool parse_int8(const char *s, size_t n, int lo, int hi, int *v)
{
    size_t i = 0;
    int sign = 1, x = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) sign = s[i++] == '-' ? -1 : 1;
    if (i == n) return false;
    for (; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        x = x * 10 + (s[i] - '0');
        if (x > 1000) return false;
    }
    x *= sign;
    if (x < lo || x > hi) return false;
    *v = x;
    return true;
}

static bool parse_kbd(cursor_t *c, report_t *r, report_parse_error_t *err)
{
    size_t st, len;
    bool dash = false, any = false;
    while (next_word(c, &st, &len)) {
        const char *w = c->s + st;
        if (word_is(w, len, "-")) {
            if (any || dash) return fail(err, st, "'-' (empty report) must be alone");
            dash = true;
            continue;
        }
        if (dash) return fail(err, st, "'-' (empty report) must be alone");
        any = true;
        kc_t kc;
        unsigned long hex;
        bool raw = parse_hex(w, len, 0xFF, &hex); /* a raw usage: always a key, never a modifier */
        if (raw) {
            kc = (kc_t)hex;
        } else if (!parse_kc_name(w, len, &kc)) {
            return fail(err, st, "unknown key name '%.*s' (expected a keycode name such as A, "
                                 "ENTER or LSFT, or - for an empty report)", (int)len, w);
        }
        if (!raw && kc >= 0xE0u && kc <= 0xE7u) {
            if (r->mods & (1u << (kc - 0xE0u)))
                return fail(err, st, "modifier '%.*s' listed twice", (int)len, w);
            r->mods |= (uint8_t)(1u << (kc - 0xE0u));
        } else if (raw || (kc >= 0x04u && kc <= KC_EXSEL)) {
            if (r->keys[kc >> 3] & (1u << (kc & 7)))
                return fail(err, st, "key '%.*s' listed twice", (int)len, w);
            r->keys[kc >> 3] |= (uint8_t)(1u << (kc & 7));
        } else {
            return fail(err, st, "'%.*s' is not a key of the keyboard report (media, system and "
                                 "mouse keys have their own lines)", (int)len, w);
        }
    }
    if (!any && !dash) return fail(err, c->n, "expected key names or '-' after 'kbd'");
    return true;
}

static bool parse_usage(cursor_t *c, report_t *r, report_parse_error_t *err)
{
    size_t st, len;
    const char *what = r->kind == REPORT_CONSUMER ? "consumer" : "system";
    if (!next_word(c, &st, &len))
        return fail(err, c->n, "expected a %s usage name or '-' after '%s'", what, what);
    const char *w = c->s + st;
    unsigned long hex;
    kc_t kc;
    enum report_kind page;
    if (word_is(w, len, "-")) {
        r->usage = 0;
    } else if (parse_hex(w, len, 0xFFFF, &hex)) {
        r->usage = (uint16_t)hex;
    } else if (parse_kc_name(w, len, &kc) && report_kc_usage(kc, &page) &&
               page == (enum report_kind)r->kind) {
        r->usage = report_kc_usage(kc, NULL);
    } else {
        return fail(err, st, "'%.*s' is not a %s usage (expected a name such as %s, a hex usage, "
                             "or -)", (int)len, w, what,
                    r->kind == REPORT_CONSUMER ? "AUDIO_VOL_UP" : "SYSTEM_SLEEP");
    }
    if (next_word(c, &st, &len)) return fail(err, st, "a %s report holds one usage", what);
    return true;
}

static bool parse_mouse(cursor_t *c, report_t *r, report_parse_error_t *err)
{
    size_t st, len;
    unsigned seen = 0;
    static const char fields[] = "bxyvh";
    while (next_word(c, &st, &len)) {
        const char *w = c->s + st;
        const char *f = len >= 2 && w[1] == '=' ? strchr(fields, w[0]) : NULL;
        if (!f || w[0] == '\0')
            return fail(err, st, "expected b=, x=, y=, v= or h= in a mouse line, got '%.*s'",
                        (int)len, w);
        unsigned bit = 1u << (f - fields);
        if (seen & bit) return fail(err, st, "'%c=' given twice", w[0]);
        seen |= bit;
        int v;
        bool ok = w[0] == 'b' ? parse_int8(w + 2, len - 2, 0, 255, &v)
                              : parse_int8(w + 2, len - 2, -127, 127, &v);
        if (!ok)
            return fail(err, st + 2, "bad value '%.*s' for %c= (expected %s)", (int)len - 2, w + 2,
                        w[0], w[0] == 'b' ? "0..255" : "-127..127");
        switch (w[0]) {
        case 'b': r->buttons = (uint8_t)v; break;
        case 'x': r->x = (int8_t)v; break;
        case 'y': r->y = (int8_t)v; break;
        case 'v': r->v = (int8_t)v; break;
        default: r->h = (int8_t)v; break;
        }
    }
    return true;
}

bool report_parse(const char *s, size_t n, report_expect_t *out, report_parse_error_t *err)
{
    cursor_t c = {s, n, 0};
    size_t st, len;
    memset(out, 0, sizeof *out);
    if (!next_word(&c, &st, &len)) return fail(err, 0, "empty report line");
    if (isdigit((unsigned char)s[st])) {
        if (!parse_time(s + st, len, &out->r.time_us))
            return fail(err, st, "bad time '%.*s' (expected milliseconds such as 120 or 120.250)",
                        (int)len, s + st);
        out->has_time = true;
        if (!next_word(&c, &st, &len))
            return fail(err, n, "expected kbd, consumer, system, mouse or action after the time");
    }
    const char *w = s + st;
    if (word_is(w, len, "kbd")) {
        out->r.kind = REPORT_KBD;
        return parse_kbd(&c, &out->r, err);
    }
    if (word_is(w, len, "consumer") || word_is(w, len, "system")) {
        out->r.kind = w[0] == 'c' ? REPORT_CONSUMER : REPORT_SYSTEM;
        return parse_usage(&c, &out->r, err);
    }
    if (word_is(w, len, "mouse")) {
        out->r.kind = REPORT_MOUSE;
        return parse_mouse(&c, &out->r, err);
    }
    if (word_is(w, len, "action")) {
        out->r.kind = REPORT_ACTION;
        if (!next_word(&c, &st, &len))
            return fail(err, n, "expected a keycode after 'action' (e.g. QK_BOOT)");
        kc_t kc;
        kc_parse_error_t ke;
        if (!kc_parse(s + st, len, &kc, &ke))
            return fail(err, st + (ke.offset < len ? ke.offset : 0), "%s", ke.msg);
        out->r.usage = kc;
        if (next_word(&c, &st, &len)) return fail(err, st, "an action line names one keycode");
        return true;
    }
    return fail(err, st, "unknown report kind '%.*s' (expected kbd, consumer, system, mouse or "
                         "action)", (int)len, w);
}

bool report_matches(const report_expect_t *e, const report_t *a, uint64_t tolerance_us)
{
    if (!report_same(&e->r, a)) return false;
    if (!e->has_time) return true;
    uint64_t d = e->r.time_us > a->time_us ? e->r.time_us - a->time_us : a->time_us - e->r.time_us;
    return d <= tolerance_us;
}
