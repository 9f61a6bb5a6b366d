/* Diagnostics store and formatter: fixed capacity, duplicates dropped (the keyboard is rebuilt
 * when a keymap overrides it, and the same problem must not be reported twice). */
#include "config/diag.h"

#include <stdio.h>
#include <string.h>

void diag_init(diag_t *d)
{
    memset(d, 0, sizeof *d);
}

static void store(diag_t *d, enum diag_level lvl, const char *file, int line, int col,
                  const char *text, const char *source, int caret)
{
    for (int i = 0; i < d->n; i++) {
        const diag_msg_t *m = &d->msg[i];
        if (m->level == lvl && m->line == line && m->col == col && !strcmp(m->text, text) &&
            (m->file == file || (m->file && file && !strcmp(m->file, file))))
            return;
    }
    if (lvl == DIAG_ERROR) d->errors++;
    else if (lvl == DIAG_WARNING) d->warnings++;
    if (d->n >= DIAG_MAX) return;
    diag_msg_t *m = &d->msg[d->n++];
    m->level = lvl;
    m->file = file;
    m->line = line;
    m->col = col;
    snprintf(m->text, sizeof m->text, "%s", text);
    snprintf(m->source, sizeof m->source, "%s", source ? source : "");
    m->caret = caret;
}

/* Copies a source line for quoting: control characters become spaces (a tab stays a tab so the
 * caret lines up), and a line too long for the buffer becomes a window around the caret. */
static int cut_line(char *out, size_t cap, const char *text, size_t len, size_t caret_byte)
{
    size_t start = 0, o = 0;
    int caret = -1, chars = 0;
    if (caret_byte > len) caret_byte = len;
    if (len > cap - 8 && caret_byte > (cap - 8) / 2) {
        start = caret_byte - (cap - 8) / 2;
        while (start < caret_byte && ((unsigned char)text[start] & 0xC0) == 0x80) start++;
        memcpy(out, "...", 3);
        o = 3;
        chars = 3;
    }
    for (size_t i = start; i <= len && o + 5 < cap; i++) {
        if (i == caret_byte) caret = chars;
        if (i == len) break;
        unsigned char c = (unsigned char)text[i];
        if ((c & 0xC0) != 0x80) chars++;
        out[o++] = (char)(c == '\t' ? '\t' : c < 0x20 || c == 0x7F ? ' ' : c);
    }
    out[o] = 0;
    /* a cut inside a UTF-8 sequence would print garbage: drop the partial tail */
    while (o > 0 && ((unsigned char)out[o - 1] & 0x80)) {
        size_t s = o - 1;
        while (s > 0 && ((unsigned char)out[s] & 0xC0) == 0x80) s--;
        unsigned char lead = (unsigned char)out[s];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (o - s >= need) break;
        out[s] = 0;
        o = s;
    }
    return caret;
}

void diag_vadd_line(diag_t *d, enum diag_level lvl, const char *file, const char *text,
                    size_t len, size_t caret_byte, int line, int col, const char *fmt, va_list ap)
{
    char msg[DIAG_MSG_MAX], src[DIAG_MSG_MAX] = "";
    int caret = -1;
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (text) caret = cut_line(src, sizeof src, text, len, caret_byte);
    store(d, lvl, file, line, col, msg, src, caret);
}

void diag_vadd(diag_t *d, enum diag_level lvl, const char *file, const char *src, size_t srclen,
               int line, int col, const char *fmt, va_list ap)
{
    const char *ls = NULL;
    size_t len = 0, caret = 0;
    if (src && line > 0) {
        size_t i = 0;
        for (int l = 1; l < line && i < srclen; i++)
            if (src[i] == '\n') l++;
        if (i < srclen || line == 1) {
            ls = src + i;
            while (i + len < srclen && src[i + len] != '\n' && src[i + len] != '\r') len++;
            /* col counts characters; turn it back into a byte offset */
            int c = 1;
            while (caret < len && c < col) {
                caret++;
                while (caret < len && ((unsigned char)ls[caret] & 0xC0) == 0x80) caret++;
                c++;
            }
        }
    }
    diag_vadd_line(d, lvl, file, ls, len, caret, line, col, fmt, ap);
}

void diag_add(diag_t *d, enum diag_level lvl, const char *file, const char *src, size_t srclen,
              int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(d, lvl, file, src, srclen, line, col, fmt, ap);
    va_end(ap);
}

static const char *level_name(enum diag_level l)
{
    return l == DIAG_ERROR ? "error" : l == DIAG_WARNING ? "warning" : "note";
}

size_t diag_format(const diag_msg_t *m, char *buf, size_t cap)
{
    size_t o = 0;
    int r;
#define EMIT(...)                                                                   \
    do {                                                                            \
        r = snprintf(buf + o, o < cap ? cap - o : 0, __VA_ARGS__);                  \
        if (r > 0) o += (size_t)r;                                                  \
    } while (0)
    if (cap == 0) return 0;
    buf[0] = 0;
    if (m->file && m->line > 0)
        EMIT("%s:%d:%d: %s: %s\n", m->file, m->line, m->col, level_name(m->level), m->text);
    else if (m->file)
        EMIT("%s: %s: %s\n", m->file, level_name(m->level), m->text);
    else
        EMIT("%s: %s\n", level_name(m->level), m->text);
    if (m->source[0] && m->caret >= 0) {
        EMIT("  %s\n  ", m->source);
        /* walk the source so tabs in it stay tabs under the caret */
        int ch = 0;
        for (const char *p = m->source; *p && ch < m->caret; p++) {
            if (((unsigned char)*p & 0xC0) == 0x80) continue;
            EMIT("%c", *p == '\t' ? '\t' : ' ');
            ch++;
        }
        EMIT("^\n");
    }
#undef EMIT
    return o < cap ? o : cap - 1;
}

size_t diag_format_all(const diag_t *d, char *buf, size_t cap)
{
    size_t o = 0;
    if (cap == 0) return 0;
    buf[0] = 0;
    for (int i = 0; i < d->n && o + 1 < cap; i++) o += diag_format(&d->msg[i], buf + o, cap - o);
    int dropped = d->errors + d->warnings;
    for (int i = 0; i < d->n; i++)
        if (d->msg[i].level != DIAG_NOTE) dropped--;
    if (dropped > 0 && o + 1 < cap) {
        int r = snprintf(buf + o, cap - o, "... and %d more\n", dropped);
        if (r > 0) o += (size_t)r;
    }
    return o < cap ? o : cap - 1;
}
