/* UF2 writer and reader. The reader is strict on purpose: it is what `kestrel info` and
 * `kestrel flash` trust before a file goes anywhere near a boot ROM. */
#include "tools/uf2.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *uf2_family_name(uint32_t family)
{
    switch (family) {
    case UF2_FAMILY_RP2040: return "RP2040";
    case UF2_FAMILY_RP2_ABSOLUTE: return "RP2XXX_ABSOLUTE";
    case UF2_FAMILY_RP2_DATA: return "RP2XXX_DATA";
    case UF2_FAMILY_RP2350_ARM_S: return "RP2350_ARM_S";
    case UF2_FAMILY_RP2350_RISCV: return "RP2350_RISCV";
    case UF2_FAMILY_RP2350_ARM_NS: return "RP2350_ARM_NS";
    case 0xE48BFF55u: return "RP2XXX_CYW43_FW";
    case 0x16573617u: return "ATMEGA32";
    case 0x68ED2B88u: return "SAMD21";
    case 0x55114460u: return "SAMD51";
    case 0xADA52840u: return "NRF52840";
    case 0x57755A57u: return "STM32F4";
    case 0xBFDD4EEEu: return "ESP32S2";
    case 0xC47E5767u: return "ESP32S3";
    }
    return NULL;
}

bool uf2_rp2_in_range(uint32_t family, uint32_t addr, uint32_t len)
{
    uint64_t a = addr, e = (uint64_t)addr + len;
    uint64_t flash_end, sram_end;
    switch (family) {
    case UF2_FAMILY_RP2040:
        flash_end = 0x11000000u; /* 16 MB XIP window */
        sram_end = 0x20042000u;
        break;
    case UF2_FAMILY_RP2_ABSOLUTE:
    case UF2_FAMILY_RP2_DATA:
    case UF2_FAMILY_RP2350_ARM_S:
    case UF2_FAMILY_RP2350_RISCV:
    case UF2_FAMILY_RP2350_ARM_NS:
        flash_end = 0x12000000u; /* CS0 and CS1, 16 MB each */
        sram_end = 0x20082000u;
        break;
    default: return false;
    }
    return (a >= 0x10000000u && e <= flash_end) || (a >= 0x20000000u && e <= sram_end);
}

static bool is_rp2_family(uint32_t f)
{
    return f >= UF2_FAMILY_RP2040 && f <= UF2_FAMILY_RP2350_ARM_NS;
}

bool uf2_sniff(const uint8_t *buf, size_t len)
{
    return len >= 8 && memimg_rd32(buf) == UF2_MAGIC_START0 && memimg_rd32(buf + 4) == UF2_MAGIC_START1;
}

/* ---- writer ---- */

static void put_header(uint8_t *b, uint32_t flags, uint32_t addr, uint32_t no, uint32_t count,
                       uint32_t family)
{
    memset(b, 0, UF2_BLOCK_SIZE);
    memimg_wr32(b + 0, UF2_MAGIC_START0);
    memimg_wr32(b + 4, UF2_MAGIC_START1);
    memimg_wr32(b + 8, flags);
    memimg_wr32(b + 12, addr);
    memimg_wr32(b + 16, UF2_PAGE);
    memimg_wr32(b + 20, no);
    memimg_wr32(b + 24, count);
    memimg_wr32(b + 28, family);
    memimg_wr32(b + 508, UF2_MAGIC_END);
}

/* Calls fn for each unit (sector or page) the image touches, in ascending order, once each. */
static uint64_t count_units(const memimg_t *m, uint32_t unit)
{
    uint64_t n = 0, last = UINT64_MAX;
    for (size_t i = 0; i < m->n; i++) {
        uint64_t first = m->seg[i].addr / unit;
        uint64_t end = ((uint64_t)m->seg[i].addr + m->seg[i].len + unit - 1) / unit;
        if (first == last) first++;
        if (end > first) {
            n += end - first;
            last = end - 1;
        }
    }
    return n;
}

bool uf2_write(const memimg_t *m, const uf2_opts_t *o, uint8_t **out, size_t *len, char *err,
               size_t errlen)
{
    *out = NULL;
    *len = 0;
    uint32_t unit = o->sector ? o->sector : UF2_PAGE;
    if (unit < UF2_PAGE || (unit & (unit - 1)))
        return memimg_fail(err, errlen, "UF2 sector size %u is not a power of two >= 256", unit);
    if (m->n == 0) return memimg_fail(err, errlen, "nothing to write: the image is empty");
    uint64_t units = count_units(m, unit);
    uint64_t pages = units * (unit / UF2_PAGE);
    if (pages > 0xFFFFFFFFu) return memimg_fail(err, errlen, "image needs more than 2^32 UF2 blocks");
    size_t extra = o->e10_block ? 1 : 0;
    size_t total = (size_t)pages + extra;
    uint8_t *buf = malloc(total * UF2_BLOCK_SIZE);
    if (!buf) return memimg_fail(err, errlen, "out of memory for %zu UF2 blocks", total);

    uint8_t *b = buf;
    if (o->e10_block) {
        /* Numbered as a group of its own (block 0 of 2): that is what picotool writes, and the
         * RP2_IGNORE tag keeps conforming ROMs from counting it. */
        put_header(b, UF2_FLAG_FAMILY_ID | UF2_FLAG_EXT_TAGS, UF2_E10_ADDR, 0, 2,
                   UF2_FAMILY_RP2_ABSOLUTE);
        memset(b + 32, UF2_E10_FILL, UF2_PAGE);
        memimg_wr32(b + 32 + UF2_PAGE, 4u | UF2_TAG_RP2_IGNORE << 8);
        b += UF2_BLOCK_SIZE;
    }
    uint32_t no = 0;
    uint64_t last = UINT64_MAX;
    for (size_t i = 0; i < m->n; i++) {
        uint64_t first = m->seg[i].addr / unit;
        uint64_t end = ((uint64_t)m->seg[i].addr + m->seg[i].len + unit - 1) / unit;
        if (first == last) first++;
        for (uint64_t u = first; u < end; u++) {
            for (uint32_t p = 0; p < unit; p += UF2_PAGE) {
                uint32_t addr = (uint32_t)(u * unit + p);
                put_header(b, UF2_FLAG_FAMILY_ID, addr, no++, (uint32_t)pages, o->family);
                memimg_read(m, addr, b + 32, UF2_PAGE, o->fill);
                b += UF2_BLOCK_SIZE;
            }
            last = u;
        }
    }
    *out = buf;
    *len = total * UF2_BLOCK_SIZE;
    return true;
}

/* ---- reader ---- */

void uf2_file_free(uf2_file_t *f)
{
    for (size_t i = 0; i < f->ngroups; i++) memimg_free(&f->group[i].mem);
    memset(f, 0, sizeof *f);
}

/* Walks the extension tags of a block; sets *ignore when the RP2 ignore tag is present. */
static bool read_tags(const uint8_t *data, uint32_t payload, bool *ignore, char *what,
                      size_t whatlen)
{
    uint32_t at = (payload + 3u) & ~3u;
    *ignore = false;
    while (at + 4 <= UF2_DATA_SIZE) {
        uint32_t size = data[at];
        uint32_t type = memimg_rd32(data + at) >> 8;
        if (size == 0) return true; /* end of tags */
        if (size < 4) {
            snprintf(what, whatlen, "extension tag at data[%u] has size %u (< 4)", at, size);
            return false;
        }
        if (at + size > UF2_DATA_SIZE) {
            snprintf(what, whatlen, "extension tag 0x%06X at data[%u] runs past the block (%u bytes)",
                     type, at, size);
            return false;
        }
        if (type == UF2_TAG_RP2_IGNORE) *ignore = true;
        at += (size + 3u) & ~3u;
    }
    return true;
}

static bool is_e10_block(const uint8_t *b)
{
    if (memimg_rd32(b + 8) != (UF2_FLAG_FAMILY_ID | UF2_FLAG_EXT_TAGS) || memimg_rd32(b + 12) != UF2_E10_ADDR ||
        memimg_rd32(b + 16) != UF2_PAGE || memimg_rd32(b + 20) != 0 || memimg_rd32(b + 24) != 2 ||
        memimg_rd32(b + 28) != UF2_FAMILY_RP2_ABSOLUTE)
        return false;
    for (unsigned i = 0; i < UF2_PAGE; i++)
        if (b[32 + i] != UF2_E10_FILL) return false;
    return memimg_rd32(b + 32 + UF2_PAGE) == (4u | UF2_TAG_RP2_IGNORE << 8);
}

bool uf2_read(const uint8_t *buf, size_t len, uf2_file_t *f, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    if (len == 0) return memimg_fail(err, errlen, "empty file");
    if (len % UF2_BLOCK_SIZE)
        return memimg_fail(err, errlen,
                    "file size %zu is not a multiple of 512: the last block is cut short "
                    "(%zu bytes)", len, len % UF2_BLOCK_SIZE);
    f->blocks = len / UF2_BLOCK_SIZE;
    uint8_t **seen = calloc(UF2_MAX_GROUPS, sizeof *seen); /* block-number bitmaps per group */
    if (!seen) return memimg_fail(err, errlen, "out of memory");
    char why[160];
    bool ok = false;

    for (size_t i = 0; i < f->blocks; i++) {
        const uint8_t *b = buf + i * UF2_BLOCK_SIZE;
        size_t off = i * UF2_BLOCK_SIZE;
#define BAD(...)                                                                           \
    do {                                                                                   \
        snprintf(why, sizeof why, __VA_ARGS__);                                            \
        memimg_fail(err, errlen, "block %zu (offset 0x%zX): %s", i, off, why);                    \
        goto out;                                                                          \
    } while (0)
        if (memimg_rd32(b) != UF2_MAGIC_START0)
            BAD("bad magicStart0 0x%08X (expected 0x%08X)", memimg_rd32(b), UF2_MAGIC_START0);
        if (memimg_rd32(b + 4) != UF2_MAGIC_START1)
            BAD("bad magicStart1 0x%08X (expected 0x%08X)", memimg_rd32(b + 4), UF2_MAGIC_START1);
        if (memimg_rd32(b + 508) != UF2_MAGIC_END)
            BAD("bad magicEnd 0x%08X (expected 0x%08X)", memimg_rd32(b + 508), UF2_MAGIC_END);
        uint32_t flags = memimg_rd32(b + 8), addr = memimg_rd32(b + 12), payload = memimg_rd32(b + 16);
        uint32_t no = memimg_rd32(b + 20), count = memimg_rd32(b + 24), fam = memimg_rd32(b + 28);
        const uint8_t *data = b + 32;
        if (payload == 0 || payload > UF2_DATA_SIZE)
            BAD("payload size %u (must be 1..476)", payload);
        if ((uint64_t)addr + payload > 0x100000000ull)
            BAD("payload 0x%08X+%u runs past the 32-bit address space", addr, payload);
        if (flags & UF2_FLAG_MD5) {
            if (payload > UF2_DATA_SIZE - 24) BAD("payload %u leaves no room for its MD5", payload);
            f->md5_blocks++;
        }
        bool ignore = false;
        if (flags & UF2_FLAG_EXT_TAGS) {
            f->tagged_blocks++;
            char what[120];
            if (!read_tags(data, payload, &ignore, what, sizeof what)) BAD("%s", what);
        }
        bool has_family = (flags & UF2_FLAG_FAMILY_ID) != 0;
        if (!has_family) fam = 0; /* the field is a file size then */
        if (has_family && is_rp2_family(fam)) {
            if (payload != UF2_PAGE)
                BAD("payload size %u; the %s boot ROM accepts only 256", payload,
                    uf2_family_name(fam));
            if (addr % UF2_PAGE) BAD("target address 0x%08X is not 256-byte aligned", addr);
            if (!uf2_rp2_in_range(fam, addr, payload))
                BAD("target 0x%08X..0x%08X is outside %s flash and SRAM", addr,
                    addr + payload - 1, uf2_family_name(fam));
        }
        if (ignore) {
            if (i == 0 && is_e10_block(b)) f->e10 = true;
            f->ignored++;
            continue;
        }
        if (count == 0) BAD("numBlocks is 0");
        if (count > f->blocks)
            BAD("numBlocks %u, but the file holds only %zu blocks", count, f->blocks);
        size_t g = 0;
        while (g < f->ngroups &&
               !(f->group[g].has_family == has_family && f->group[g].family == fam))
            g++;
        uf2_group_t *gr = &f->group[g];
        if (g == f->ngroups) {
            if (g == UF2_MAX_GROUPS) BAD("more than %d families in one file", UF2_MAX_GROUPS);
            f->ngroups++;
            gr->has_family = has_family;
            gr->family = fam;
            gr->num_blocks = count;
            gr->payload = payload;
            gr->first_block = i;
            memimg_init(&gr->mem);
            seen[g] = calloc((count + 7) / 8, 1);
            if (!seen[g]) BAD("out of memory");
        }
        if (count != gr->num_blocks)
            BAD("numBlocks %u disagrees with block %zu's %u (same family)", count, gr->first_block,
                gr->num_blocks);
        if (no >= count) BAD("blockNo %u is not below numBlocks %u", no, count);
        if (seen[g][no / 8] & (1u << (no % 8))) BAD("blockNo %u appears twice", no);
        seen[g][no / 8] |= (uint8_t)(1u << (no % 8));
        gr->blocks++;
        if (payload != gr->payload) gr->payload = 0;
        if (flags & (UF2_FLAG_NOT_MAIN_FLASH | UF2_FLAG_FILE_CONTAINER)) {
            if (flags & UF2_FLAG_FILE_CONTAINER) f->containers++;
            else f->not_main_flash++;
            continue;
        }
        uint32_t clash;
        if (!memimg_add(&gr->mem, addr, data, payload, &clash))
            BAD("writes 0x%08X..0x%08X, overlapping an earlier block at 0x%08X", addr,
                addr + payload - 1, clash);
#undef BAD
    }
    for (size_t g = 0; g < f->ngroups; g++) {
        uf2_group_t *gr = &f->group[g];
        if (gr->blocks != gr->num_blocks) {
            uint32_t missing = 0;
            while (missing < gr->num_blocks && (seen[g][missing / 8] & (1u << (missing % 8))))
                missing++;
            const char *fn = gr->has_family ? uf2_family_name(gr->family) : "no family";
            memimg_fail(err, errlen,
                 "family 0x%08X (%s): numBlocks says %u blocks but the file has %u (block %u "
                 "missing)",
                 gr->family, fn ? fn : "unknown", gr->num_blocks, gr->blocks, missing);
            goto out;
        }
    }
    if (f->ngroups == 0 && f->ignored == f->blocks) {
        memimg_fail(err, errlen, "every block is tagged 'ignore': nothing would be written");
        goto out;
    }
    ok = true;
out:
    for (size_t g = 0; g < UF2_MAX_GROUPS; g++) free(seen[g]);
    free(seen);
    if (!ok) uf2_file_free(f);
    return ok;
}
