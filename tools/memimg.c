/* Sparse memory image: sorted runs with amortised growth, so that reading a 16 MB UF2 one 256-byte
 * block at a time stays linear. */
#include "tools/memimg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void memimg_init(memimg_t *m)
{
    memset(m, 0, sizeof *m);
}

void memimg_free(memimg_t *m)
{
    for (size_t i = 0; i < m->n; i++) free(m->seg[i].data);
    free(m->seg);
    memimg_init(m);
}

static uint64_t seg_end(const memimg_seg_t *s)
{
    return (uint64_t)s->addr + s->len;
}

/* Index of the first run that ends after `addr` (m->n when none). */
static size_t find(const memimg_t *m, uint64_t addr)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (seg_end(&m->seg[mid]) <= addr) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static bool seg_reserve(memimg_seg_t *s, size_t need)
{
    if (need <= s->cap) return true;
    size_t cap = s->cap ? s->cap : 256;
    while (cap < need) cap *= 2;
    uint8_t *d = realloc(s->data, cap);
    if (!d) return false;
    s->data = d;
    s->cap = cap;
    return true;
}

static bool insert_seg(memimg_t *m, size_t at, uint32_t addr, const uint8_t *p, size_t n)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        memimg_seg_t *s = realloc(m->seg, cap * sizeof *s);
        if (!s) return false;
        m->seg = s;
        m->cap = cap;
    }
    memimg_seg_t ns = {addr, 0, 0, NULL};
    if (!seg_reserve(&ns, n)) return false;
    memcpy(ns.data, p, n);
    ns.len = n;
    memmove(&m->seg[at + 1], &m->seg[at], (m->n - at) * sizeof *m->seg);
    m->seg[at] = ns;
    m->n++;
    return true;
}

bool memimg_add(memimg_t *m, uint32_t addr, const uint8_t *p, size_t n, uint32_t *clash)
{
    if (n == 0) return true;
    uint64_t end = (uint64_t)addr + n;
    if (end > 0x100000000ull) {
        if (clash) *clash = addr;
        return false;
    }
    size_t i = find(m, addr);
    if (i < m->n && m->seg[i].addr < end) {
        if (clash) *clash = m->seg[i].addr > addr ? m->seg[i].addr : addr;
        return false;
    }
    bool join_prev = i > 0 && seg_end(&m->seg[i - 1]) == addr;
    bool join_next = i < m->n && m->seg[i].addr == end;
    if (join_prev) {
        memimg_seg_t *s = &m->seg[i - 1];
        size_t extra = join_next ? m->seg[i].len : 0;
        if (!seg_reserve(s, s->len + n + extra)) goto oom;
        memcpy(s->data + s->len, p, n);
        s->len += n;
        if (join_next) {
            memcpy(s->data + s->len, m->seg[i].data, extra);
            s->len += extra;
            free(m->seg[i].data);
            memmove(&m->seg[i], &m->seg[i + 1], (m->n - i - 1) * sizeof *m->seg);
            m->n--;
        }
        return true;
    }
    if (join_next) {
        memimg_seg_t *s = &m->seg[i];
        if (!seg_reserve(s, s->len + n)) goto oom;
        memmove(s->data + n, s->data, s->len);
        memcpy(s->data, p, n);
        s->len += n;
        s->addr = addr;
        return true;
    }
    if (insert_seg(m, i, addr, p, n)) return true;
oom:
    if (clash) *clash = addr;
    return false;
}

bool memimg_set(memimg_t *m, uint32_t addr, const uint8_t *p, size_t n)
{
    uint64_t end = (uint64_t)addr + n;
    if (end > 0x100000000ull) return false;
    uint64_t cur = addr;
    while (cur < end) {
        size_t i = find(m, cur);
        if (i < m->n && m->seg[i].addr <= cur) {
            memimg_seg_t *s = &m->seg[i];
            uint64_t stop = seg_end(s) < end ? seg_end(s) : end;
            memcpy(s->data + (cur - s->addr), p + (cur - addr), (size_t)(stop - cur));
            cur = stop;
        } else {
            uint64_t stop = (i < m->n && m->seg[i].addr < end) ? m->seg[i].addr : end;
            if (!memimg_add(m, (uint32_t)cur, p + (cur - addr), (size_t)(stop - cur), NULL))
                return false;
            cur = stop;
        }
    }
    return true;
}

size_t memimg_read(const memimg_t *m, uint32_t addr, uint8_t *out, size_t n, uint8_t fill)
{
    memset(out, fill, n);
    uint64_t end = (uint64_t)addr + n;
    size_t got = 0;
    for (size_t i = find(m, addr); i < m->n && m->seg[i].addr < end; i++) {
        const memimg_seg_t *s = &m->seg[i];
        uint64_t from = s->addr > addr ? s->addr : addr;
        uint64_t to = seg_end(s) < end ? seg_end(s) : end;
        memcpy(out + (from - addr), s->data + (from - s->addr), (size_t)(to - from));
        got += (size_t)(to - from);
    }
    return got;
}

bool memimg_has(const memimg_t *m, uint32_t addr, size_t n)
{
    if (n == 0) return true;
    size_t i = find(m, addr);
    return i < m->n && m->seg[i].addr <= addr && seg_end(&m->seg[i]) >= (uint64_t)addr + n;
}

size_t memimg_bytes(const memimg_t *m)
{
    size_t t = 0;
    for (size_t i = 0; i < m->n; i++) t += m->seg[i].len;
    return t;
}

uint32_t memimg_lo(const memimg_t *m)
{
    return m->n ? m->seg[0].addr : 0;
}

uint64_t memimg_hi(const memimg_t *m)
{
    return m->n ? seg_end(&m->seg[m->n - 1]) : 0;
}

bool memimg_equal(const memimg_t *a, const memimg_t *b)
{
    if (a->n != b->n) return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->seg[i].addr != b->seg[i].addr || a->seg[i].len != b->seg[i].len ||
            memcmp(a->seg[i].data, b->seg[i].data, a->seg[i].len) != 0)
            return false;
    return true;
}

bool memimg_copy(memimg_t *dst, const memimg_t *src)
{
    memimg_init(dst);
    for (size_t i = 0; i < src->n; i++)
        if (!memimg_add(dst, src->seg[i].addr, src->seg[i].data, src->seg[i].len, NULL)) {
            memimg_free(dst);
            return false;
        }
    return true;
}

uint32_t memimg_rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void memimg_wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

bool memimg_fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}
