/* Intel HEX writer and reader. The reader names file:line:col for every fault, because a HEX file
 * that is even slightly wrong is one a bootloader must never see. */
#include "tools/ihex.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writer ---- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_need(sbuf *s, size_t n)
{
    if (s->oom || s->len + n <= s->cap) return;
    size_t cap = s->cap ? s->cap : 4096;
    while (cap < s->len + n) cap *= 2;
    char *p = realloc(s->p, cap);
    if (!p) {
        s->oom = true;
        return;
    }
    s->p = p;
    s->cap = cap;
}

static void record(sbuf *s, uint8_t type, uint16_t addr, const uint8_t *d, unsigned n)
{
    static const char hx[] = "0123456789ABCDEF";
    sb_need(s, 1 + 2 * (5 + n) + 2);
    if (s->oom) return;
    uint8_t bytes[4 + 255 + 1];
    bytes[0] = (uint8_t)n;
    bytes[1] = (uint8_t)(addr >> 8);
    bytes[2] = (uint8_t)addr;
    bytes[3] = type;
    if (n) memcpy(bytes + 4, d, n);
    uint8_t sum = 0;
    for (unsigned i = 0; i < 4 + n; i++) sum = (uint8_t)(sum + bytes[i]);
    bytes[4 + n] = (uint8_t)(0u - sum);
    char *o = s->p + s->len;
    *o++ = ':';
    for (unsigned i = 0; i < 5 + n; i++) {
        *o++ = hx[bytes[i] >> 4];
        *o++ = hx[bytes[i] & 15];
    }
    *o++ = '\r';
    *o++ = '\n';
    s->len = (size_t)(o - s->p);
}

bool ihex_write(const memimg_t *m, const ihex_opts_t *o, char **out, size_t *len, char *err,
                size_t errlen)
{
    *out = NULL;
    *len = 0;
    if (o->record_len == 0 || o->record_len > 255)
        return memimg_fail(err, errlen, "HEX record length %u (must be 1..255)", o->record_len);
    if (o->has_start && o->start_type != 3 && o->start_type != 5)
        return memimg_fail(err, errlen, "HEX start record type %u (must be 3 or 5)", o->start_type);
    sbuf s = {0};
    uint32_t bank = 0;
    for (size_t i = 0; i < m->n; i++) {
        const memimg_seg_t *g = &m->seg[i];
        size_t done = 0;
        while (done < g->len) {
            uint32_t a = g->addr + (uint32_t)done;
            if (a >> 16 != bank) {
                bank = a >> 16;
                uint8_t ext[2] = {(uint8_t)(bank >> 8), (uint8_t)bank};
                record(&s, 4, 0, ext, 2);
            }
            size_t n = g->len - done;
            if (n > o->record_len) n = o->record_len;
            uint32_t to_bank_end = 0x10000u - (a & 0xFFFFu);
            if (n > to_bank_end) n = to_bank_end;
            record(&s, 0, (uint16_t)a, g->data + done, (unsigned)n);
            done += n;
        }
    }
    if (o->has_start) {
        uint8_t st[4] = {(uint8_t)(o->start >> 24), (uint8_t)(o->start >> 16),
                         (uint8_t)(o->start >> 8), (uint8_t)o->start};
        record(&s, o->start_type, 0, st, 4);
    }
    record(&s, 1, 0, NULL, 0);
    if (s.oom) {
        free(s.p);
        return memimg_fail(err, errlen, "out of memory writing HEX");
    }
    *out = s.p;
    *len = s.len;
    return true;
}

/* ---- reader ---- */

void ihex_file_free(ihex_file_t *f)
{
    memimg_free(&f->mem);
    memset(f, 0, sizeof *f);
}

static int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

bool ihex_sniff(const uint8_t *buf, size_t len)
{
    size_t i = 0;
    while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')) i++;
    return i + 3 < len && buf[i] == ':' && hexval(buf[i + 1]) >= 0 && hexval(buf[i + 2]) >= 0;
}

static const char *type_name(unsigned t)
{
    static const char *const n[] = {"data", "end-of-file", "extended segment address",
                                    "start segment address", "extended linear address",
                                    "start linear address"};
    return t < 6 ? n[t] : "unknown";
}

bool ihex_read(const char *name, const uint8_t *buf, size_t len, ihex_file_t *f, char *err,
               size_t errlen)
{
    memset(f, 0, sizeof *f);
    memimg_init(&f->mem);
    uint32_t base = 0;  /* from the last 02 or 04 record */
    bool segmented = false;
    bool eof = false;
    unsigned line = 0;
    size_t pos = 0;
    char tmp[200];
#define BAD(col, ...)                                                                      \
    do {                                                                                   \
        snprintf(tmp, sizeof tmp, __VA_ARGS__);                                            \
        memimg_fail(err, errlen, "%s:%u:%u: %s", name, line, (unsigned)(col), tmp);               \
        goto bad;                                                                          \
    } while (0)
    while (pos < len) {
        line++;
        size_t start = pos, end = pos;
        while (end < len && buf[end] != '\n') end++;
        pos = end < len ? end + 1 : end;
        size_t stop = end;
        if (stop > start && buf[stop - 1] == '\r') {
            stop--;
            if (line == 1) f->crlf = true;
        }
        /* blank (or whitespace-only) lines carry nothing and are harmless */
        size_t k = start;
        while (k < stop && (buf[k] == ' ' || buf[k] == '\t')) k++;
        if (k == stop) continue;
        if (eof) BAD(1, "text after the end-of-file record");
        if (buf[start] != ':')
            BAD(1, "a record starts with ':', found '%c'",
                buf[start] >= 32 && buf[start] < 127 ? buf[start] : '?');
        size_t digits = stop - start - 1;
        for (size_t j = start + 1; j < stop; j++)
            if (hexval(buf[j]) < 0)
                BAD(j - start + 1, "'%c' is not a hex digit",
                    buf[j] >= 32 && buf[j] < 127 ? buf[j] : '?');
        if (digits < 10) BAD(digits + 2, "record too short (%zu hex digits, at least 10)", digits);
        if (digits % 2) BAD(digits + 2, "odd number of hex digits (%zu)", digits);
        uint8_t rec[261];
        size_t nbytes = digits / 2;
        if (nbytes > sizeof rec) BAD(2, "record longer than 255 data bytes");
        for (size_t j = 0; j < nbytes; j++)
            rec[j] = (uint8_t)(hexval(buf[start + 1 + 2 * j]) << 4 | hexval(buf[start + 2 + 2 * j]));
        unsigned ll = rec[0], type = rec[3];
        unsigned addr16 = (unsigned)rec[1] << 8 | rec[2];
        if (nbytes != ll + 5u)
            BAD(2, "byte count says %u data bytes, the record holds %zu", ll,
                nbytes >= 5 ? nbytes - 5 : 0);
        uint8_t sum = 0;
        for (size_t j = 0; j + 1 < nbytes; j++) sum = (uint8_t)(sum + rec[j]);
        uint8_t want = (uint8_t)(0u - sum);
        if (rec[nbytes - 1] != want)
            BAD(digits, "checksum 0x%02X, expected 0x%02X", rec[nbytes - 1], want);
        const uint8_t *d = rec + 4;
        f->records++;
        switch (type) {
        case 0: {
            f->data_records++;
            if (ll > f->max_record) f->max_record = ll;
            /* 02 addresses wrap inside the 64 KB segment; 04 (and none) do not. */
            uint32_t a0 = base + addr16;
            uint32_t first = ll;
            if (segmented && addr16 + ll > 0x10000u) first = 0x10000u - addr16;
            uint32_t clash;
            if ((uint64_t)a0 + first > 0x100000000ull)
                BAD(4, "data at 0x%X runs past the 32-bit address space", a0);
            if (ll && !memimg_add(&f->mem, a0, d, first, &clash))
                BAD(4, "data at 0x%04X overlaps bytes already set (at 0x%X)", addr16, clash);
            if (first < ll && !memimg_add(&f->mem, base, d + first, ll - first, &clash))
                BAD(4, "data wrapping to 0x%X overlaps bytes already set (at 0x%X)", base, clash);
            break;
        }
        case 1:
            if (ll != 0) BAD(2, "end-of-file record with %u data bytes", ll);
            eof = true;
            break;
        case 2:
        case 4:
            if (ll != 2) BAD(2, "%s record with %u data bytes (must be 2)", type_name(type), ll);
            if (addr16 != 0) BAD(4, "%s record with address 0x%04X (must be 0)", type_name(type), addr16);
            segmented = type == 2;
            base = type == 2 ? ((uint32_t)d[0] << 8 | d[1]) << 4 : ((uint32_t)d[0] << 24 | (uint32_t)d[1] << 16);
            if (type == 2) f->used_segment = true;
            else f->used_linear = true;
            break;
        case 3:
        case 5:
            if (ll != 4) BAD(2, "%s record with %u data bytes (must be 4)", type_name(type), ll);
            if (f->has_start) BAD(8, "a second start address record");
            f->has_start = true;
            f->start_type = (uint8_t)type;
            f->start = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
            break;
        default: BAD(8, "unknown record type 0x%02X", type);
        }
    }
    if (!eof) {
        line++;
        snprintf(tmp, sizeof tmp, "no end-of-file record (:00000001FF): the file is truncated");
        memimg_fail(err, errlen, "%s:%u:1: %s", name, line, tmp);
        goto bad;
    }
    return true;
bad:
#undef BAD
    ihex_file_free(f);
    return false;
}
