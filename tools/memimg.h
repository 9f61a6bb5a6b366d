/* A sparse memory image: sorted, non-overlapping runs of bytes at 32-bit addresses. It is what the
 * UF2, Intel HEX and raw-binary readers produce and their writers consume, so every format
 * converts to every other through it. Host-only (uses malloc). */
#ifndef KESTREL_TOOLS_MEMIMG_H
#define KESTREL_TOOLS_MEMIMG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct memimg_seg {
    uint32_t addr;
    size_t len, cap;
    uint8_t *data;
} memimg_seg_t;

typedef struct memimg {
    memimg_seg_t *seg; /* sorted by addr; neighbours never touch (adjacent runs are merged) */
    size_t n, cap;
} memimg_t;

void memimg_init(memimg_t *m);
void memimg_free(memimg_t *m);

/* Adds bytes that must not be present yet. On an overlap nothing changes, *clash (if not NULL)
 * gets the first address already set, and the result is false. Also false when the run would pass
 * the end of the 32-bit address space or memory runs out (then *clash = addr). */
bool memimg_add(memimg_t *m, uint32_t addr, const uint8_t *p, size_t n, uint32_t *clash);

/* Writes bytes, replacing whatever was there. False only when out of memory or past 4 GB. */
bool memimg_set(memimg_t *m, uint32_t addr, const uint8_t *p, size_t n);

/* Copies [addr, addr+n) into out; bytes that are not set read as `fill`. Returns how many of
 * them were set. */
size_t memimg_read(const memimg_t *m, uint32_t addr, uint8_t *out, size_t n, uint8_t fill);

/* True when every byte of [addr, addr+n) is set. */
bool memimg_has(const memimg_t *m, uint32_t addr, size_t n);

size_t memimg_bytes(const memimg_t *m);   /* bytes set */

/* Shared by the image readers and writers (UF2, HEX, firmware images): little-endian fields and
 * the "write the reason into err, return false" idiom of their error paths. */
uint32_t memimg_rd32(const uint8_t *p);
void memimg_wr32(uint8_t *p, uint32_t v);
bool memimg_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
uint32_t memimg_lo(const memimg_t *m);    /* lowest address set (0 when empty) */
uint64_t memimg_hi(const memimg_t *m);    /* one past the highest address set (0 when empty) */
bool memimg_equal(const memimg_t *a, const memimg_t *b);
bool memimg_copy(memimg_t *dst, const memimg_t *src); /* dst is (re)initialised */

#endif
