/* Firmware image assembly and checks: the generic image's info block says where the config goes,
 * so joining a keymap to a firmware is a byte copy plus a format conversion. */
#include "tools/fwimage.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cfg.h"
#include "tools/ihex.h"
#include "tools/uf2.h"

const char *fwimage_num(char *buf, size_t len, uint64_t n)
{
    char tmp[32];
    int d = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)n);
    size_t o = 0;
    for (int i = 0; i < d && o + 1 < len; i++) {
        if (i && (d - i) % 3 == 0 && o + 1 < len) buf[o++] = ',';
        if (o + 1 < len) buf[o++] = tmp[i];
    }
    if (len) buf[o] = 0;
    return buf;
}

const char *fwimage_target_name(uint32_t target)
{
    switch (target) {
    case FW_TARGET_RP2040: return "rp2040";
    case FW_TARGET_RP2350: return "rp2350";
    case FW_TARGET_ATMEGA32U4: return "atmega32u4";
    }
    return NULL;
}

uint32_t fwimage_target_from_processor(unsigned p)
{
    switch (p) {
    case CFG_PROC_RP2040: return FW_TARGET_RP2040;
    case CFG_PROC_RP2350: return FW_TARGET_RP2350;
    case CFG_PROC_ATMEGA32U4: return FW_TARGET_ATMEGA32U4;
    }
    return 0;
}

const char *fwimage_format_name(enum fw_format f)
{
    switch (f) {
    case FW_FORMAT_UF2: return "UF2";
    case FW_FORMAT_HEX: return "Intel HEX";
    case FW_FORMAT_BIN: return "raw binary";
    case FW_FORMAT_NONE: break;
    }
    return "unknown";
}

enum fw_format fwimage_format_from_name(const char *s)
{
    if (!strcmp(s, "uf2")) return FW_FORMAT_UF2;
    if (!strcmp(s, "hex") || !strcmp(s, "ihex")) return FW_FORMAT_HEX;
    if (!strcmp(s, "bin")) return FW_FORMAT_BIN;
    return FW_FORMAT_NONE;
}

const char *fwimage_bootloader_name(unsigned b)
{
    switch (b) {
    case CFG_BOOT_RP2040: return "rp2040";
    case CFG_BOOT_CATERINA: return "caterina";
    case CFG_BOOT_ATMEL_DFU: return "atmel-dfu";
    case CFG_BOOT_HALFKAY: return "halfkay";
    case CFG_BOOT_QMK_DFU: return "qmk-dfu";
    case CFG_BOOT_QMK_HID: return "qmk-hid";
    case CFG_BOOT_LUFA_DFU: return "lufa-dfu";
    case CFG_BOOT_CUSTOM: return "custom";
    case CFG_BOOT_TINYUF2: return "tinyuf2";
    }
    return "unknown";
}

uint32_t fwimage_avr_limit(unsigned b)
{
    return b == CFG_BOOT_HALFKAY ? FWIMAGE_AVR_HALFKAY_MAX : FWIMAGE_AVR_APP_MAX;
}

/* ---- the info block ---- */

static bool info_valid(const fw_info_t *in, uint32_t at, char *err, size_t errlen)
{
    if (in->info_version != 1)
        return memimg_fail(err, errlen,
                    "firmware info block at 0x%08X has version %u; this kestrel reads version 1 "
                    "(use the kestrel that came with this firmware)", at, in->info_version);
    const char *t = fwimage_target_name(in->target);
    if (!t) return memimg_fail(err, errlen, "firmware info block at 0x%08X names unknown target %u", at, in->target);
    uint32_t base = in->target == FW_TARGET_ATMEGA32U4 ? 0 : FWIMAGE_RP2_FLASH_BASE;
    uint64_t flash_end = in->target == FW_TARGET_ATMEGA32U4 ? FWIMAGE_AVR_HALFKAY_MAX
                                                            : (uint64_t)FWIMAGE_RP2_FLASH_BASE + 0x1000000u;
    if (in->flash_base != base)
        return memimg_fail(err, errlen, "%s firmware info block: flash_base 0x%08X (expected 0x%08X)", t,
                    in->flash_base, base);
    if (in->image_end <= in->flash_base || at < in->flash_base || at + sizeof *in > in->image_end)
        return memimg_fail(err, errlen,
                    "%s firmware info block: image 0x%08X..0x%08X does not contain the block at "
                    "0x%08X", t, in->flash_base, in->image_end, at);
    if (in->config_addr < in->image_end)
        return memimg_fail(err, errlen,
                    "%s firmware info block: config region 0x%08X starts inside the firmware "
                    "(which ends at 0x%08X)", t, in->config_addr, in->image_end);
    if (in->config_max < CFG_HEADER_SIZE || (uint64_t)in->config_addr + in->config_max > flash_end)
        return memimg_fail(err, errlen,
                    "%s firmware info block: config region 0x%08X + %u bytes is outside flash", t,
                    in->config_addr, in->config_max);
    if (memchr(in->build_id, 0, sizeof in->build_id) == NULL)
        return memimg_fail(err, errlen, "%s firmware info block: build id is not NUL-terminated", t);
    return true;
}

static void decode_info(const uint8_t *p, fw_info_t *in)
{
    in->magic0 = memimg_rd32(p);
    in->magic1 = memimg_rd32(p + 4);
    in->info_version = memimg_rd32(p + 8);
    in->target = memimg_rd32(p + 12);
    in->fw_version = memimg_rd32(p + 16);
    in->flash_base = memimg_rd32(p + 20);
    in->config_addr = memimg_rd32(p + 24);
    in->config_max = memimg_rd32(p + 28);
    in->image_end = memimg_rd32(p + 32);
    memcpy(in->build_id, p + 36, sizeof in->build_id);
}

int fwimage_find_info(const memimg_t *m, fw_info_t *info, uint32_t *addr, char *err,
                      size_t errlen)
{
    const size_t sz = 36 + sizeof info->build_id;
    char first_err[256] = "";
    for (size_t s = 0; s < m->n; s++) {
        const memimg_seg_t *g = &m->seg[s];
        for (size_t o = 0; o + sz <= g->len; o++) {
            if (memimg_rd32(g->data + o) != FWINFO_MAGIC0 || memimg_rd32(g->data + o + 4) != FWINFO_MAGIC1)
                continue;
            fw_info_t in;
            decode_info(g->data + o, &in);
            uint32_t at = g->addr + (uint32_t)o;
            char e[256];
            if (info_valid(&in, at, e, sizeof e)) {
                *info = in;
                *addr = at;
                return 1;
            }
            if (!first_err[0]) snprintf(first_err, sizeof first_err, "%s", e);
        }
    }
    if (first_err[0]) {
        memimg_fail(err, errlen, "%s", first_err);
        return -1;
    }
    return 0;
}

/* ---- loading ---- */

bool fwimage_parse(const char *name, const uint8_t *buf, size_t len, uint32_t bin_base,
                   enum fw_format *fmt, memimg_t *out, char *err, size_t errlen)
{
    memimg_init(out);
    *fmt = FW_FORMAT_NONE;
    if (len >= 4 && !memcmp(buf, "\x7f" "ELF", 4))
        return memimg_fail(err, errlen, "%s: an ELF file; give the .bin, .hex or .uf2 made from it", name);
    if (uf2_sniff(buf, len)) {
        *fmt = FW_FORMAT_UF2;
        uf2_file_t f;
        char e[256];
        if (!uf2_read(buf, len, &f, e, sizeof e)) return memimg_fail(err, errlen, "%s: %s", name, e);
        size_t pick = f.ngroups;
        if (f.ngroups == 1) pick = 0;
        for (size_t i = 0; i < f.ngroups && pick == f.ngroups; i++)
            if (f.group[i].has_family &&
                (f.group[i].family == UF2_FAMILY_RP2040 || f.group[i].family == UF2_FAMILY_RP2350_ARM_S))
                pick = i;
        if (pick == f.ngroups) {
            uf2_file_free(&f);
            return memimg_fail(err, errlen, "%s: holds several UF2 families and none is RP2040 or RP2350_ARM_S", name);
        }
        *out = f.group[pick].mem;
        memimg_init(&f.group[pick].mem);
        uf2_file_free(&f);
        return true;
    }
    if (ihex_sniff(buf, len)) {
        *fmt = FW_FORMAT_HEX;
        ihex_file_t h;
        if (!ihex_read(name, buf, len, &h, err, errlen)) return false;
        *out = h.mem;
        return true;
    }
    *fmt = FW_FORMAT_BIN;
    if (len == 0) return memimg_fail(err, errlen, "%s: empty file", name);
    /* A BIN carries no address: the info block it holds says where it belongs. */
    uint32_t base = bin_base;
    for (size_t o = 0; o + 60 <= len; o++)
        if (memimg_rd32(buf + o) == FWINFO_MAGIC0 && memimg_rd32(buf + o + 4) == FWINFO_MAGIC1) {
            base = memimg_rd32(buf + o + 20); /* flash_base */
            break;
        }
    if ((uint64_t)base + len > 0x100000000ull)
        return memimg_fail(err, errlen, "%s: %zu bytes at 0x%08X pass the 32-bit address space", name, len, base);
    if (!memimg_add(out, base, buf, len, NULL)) return memimg_fail(err, errlen, "%s: out of memory", name);
    return true;
}

void fwimage_free(fwimage_t *fw)
{
    memimg_free(&fw->mem);
    memset(fw, 0, sizeof *fw);
}

bool fwimage_load(fwimage_t *fw, const char *name, const uint8_t *buf, size_t len, char *err,
                  size_t errlen)
{
    memset(fw, 0, sizeof *fw);
    enum fw_format fmt;
    if (!fwimage_parse(name, buf, len, 0, &fmt, &fw->mem, err, errlen)) return false;
    char e[256];
    int r = fwimage_find_info(&fw->mem, &fw->info, &fw->info_addr, e, sizeof e);
    if (r <= 0) {
        if (r == 0)
            memimg_fail(err, errlen,
                 "%s: no Kestrel firmware info block: not a Kestrel generic firmware image", name);
        else
            memimg_fail(err, errlen, "%s: %s", name, e);
        fwimage_free(fw);
        return false;
    }
    if (memimg_lo(&fw->mem) < fw->info.flash_base) {
        memimg_fail(err, errlen, "%s: data at 0x%08X lies below the flash base 0x%08X", name,
             memimg_lo(&fw->mem), fw->info.flash_base);
        fwimage_free(fw);
        return false;
    }
    return true;
}

bool fwimage_set_config(fwimage_t *fw, const uint8_t *cfg, size_t n, char *err, size_t errlen)
{
    const fw_info_t *in = &fw->info;
    const char *t = fwimage_target_name(in->target);
    char a[32], b[32];
    if (n > in->config_max)
        return memimg_fail(err, errlen, "config image is %s bytes; the %s firmware's config region holds %s",
                    fwimage_num(a, sizeof a, n), t, fwimage_num(b, sizeof b, in->config_max));
    cfg_t c;
    enum cfg_open_result r = cfg_open(&c, cfg, n);
    if (r != CFG_OK) return memimg_fail(err, errlen, "refusing a bad config image: %s", cfg_open_strerror(r));
    if (c.size != n)
        return memimg_fail(err, errlen, "config image claims %u bytes but %zu were given", c.size, n);
    uint32_t want = fwimage_target_from_processor(cfg_info8(&c, CFG_INFO_PROCESSOR));
    if (want != in->target)
        return memimg_fail(err, errlen, "the keyboard's processor is %s, but this firmware is for %s",
                    want ? fwimage_target_name(want) : "unknown", t);
    /* Blank what the firmware image already has in the region, then write the config. */
    uint64_t r0 = in->config_addr, r1 = (uint64_t)in->config_addr + in->config_max;
    for (size_t s = 0; s < fw->mem.n; s++) {
        memimg_seg_t *g = &fw->mem.seg[s];
        uint64_t lo = g->addr > r0 ? g->addr : r0;
        uint64_t hi = g->addr + (uint64_t)g->len < r1 ? g->addr + (uint64_t)g->len : r1;
        if (lo < hi) memset(g->data + (lo - g->addr), 0xFF, (size_t)(hi - lo));
    }
    if (!memimg_set(&fw->mem, in->config_addr, cfg, n)) return memimg_fail(err, errlen, "out of memory");
    return true;
}

bool fwimage_blank_config(fwimage_t *fw, char *err, size_t errlen)
{
    uint8_t *ff = malloc(fw->info.config_max);
    if (!ff) return memimg_fail(err, errlen, "out of memory");
    memset(ff, 0xFF, fw->info.config_max);
    bool ok = memimg_set(&fw->mem, fw->info.config_addr, ff, fw->info.config_max);
    free(ff);
    return ok ? true : memimg_fail(err, errlen, "out of memory");
}

bool fwimage_render(const fwimage_t *fw, enum fw_format fmt, uint32_t avr_limit, uint8_t **out,
                    size_t *len, char *err, size_t errlen)
{
    const fw_info_t *in = &fw->info;
    *out = NULL;
    *len = 0;
    uint64_t hi = memimg_hi(&fw->mem);
    if (in->target == FW_TARGET_ATMEGA32U4) {
        uint32_t lim = avr_limit ? avr_limit : FWIMAGE_AVR_APP_MAX;
        if (hi > lim) {
            char a[32], b[32];
            return memimg_fail(err, errlen,
                        "the image ends at byte %s (0x%04llX); with %s the application may use "
                        "%s bytes (0x0000-0x%04X)",
                        fwimage_num(a, sizeof a, hi), (unsigned long long)hi,
                        lim == FWIMAGE_AVR_HALFKAY_MAX ? "HalfKay's 512-byte bootloader"
                                                       : "a 4 KB bootloader (Caterina, Atmel DFU)",
                        fwimage_num(b, sizeof b, lim), lim - 1);
        }
    }
    switch (fmt) {
    case FW_FORMAT_UF2: {
        if (in->target == FW_TARGET_ATMEGA32U4)
            return memimg_fail(err, errlen, "UF2 is for the RP2040/RP2350; the atmega32u4 takes HEX or BIN");
        uf2_opts_t o = {0};
        o.family = in->target == FW_TARGET_RP2040 ? UF2_FAMILY_RP2040 : UF2_FAMILY_RP2350_ARM_S;
        o.sector = 4096; /* RP2040-E14: whole sectors only */
        o.fill = 0xFF;
        o.e10_block = in->target == FW_TARGET_RP2350;
        return uf2_write(&fw->mem, &o, out, len, err, errlen);
    }
    case FW_FORMAT_HEX: {
        ihex_opts_t o = {16, false, 0, 0};
        char *txt;
        if (!ihex_write(&fw->mem, &o, &txt, len, err, errlen)) return false;
        *out = (uint8_t *)txt;
        return true;
    }
    case FW_FORMAT_BIN: {
        uint64_t n = hi - in->flash_base;
        if (n > 0x4000000u) return memimg_fail(err, errlen, "BIN would be larger than 64 MB");
        uint8_t *b = malloc(n ? (size_t)n : 1);
        if (!b) return memimg_fail(err, errlen, "out of memory");
        memimg_read(&fw->mem, in->flash_base, b, (size_t)n, 0xFF);
        *out = b;
        *len = (size_t)n;
        return true;
    }
    case FW_FORMAT_NONE: break;
    }
    return memimg_fail(err, errlen, "no output format");
}

bool fwimage_build(const uint8_t *fwbuf, size_t fwlen, const uint8_t *cfg, size_t cfglen,
                   enum fw_format fmt, uint8_t **out, size_t *outlen, char *err, size_t errlen)
{
    fwimage_t fw;
    if (!fwimage_load(&fw, "firmware", fwbuf, fwlen, err, errlen)) return false;
    uint32_t lim = 0;
    cfg_t c;
    if (cfg_open(&c, cfg, cfglen) == CFG_OK) lim = fwimage_avr_limit(cfg_info8(&c, CFG_INFO_BOOTLOADER));
    bool ok = fwimage_set_config(&fw, cfg, cfglen, err, errlen) &&
              fwimage_render(&fw, fmt, lim, out, outlen, err, errlen);
    fwimage_free(&fw);
    return ok;
}

/* ---- checks ---- */

void fwcheck_init(fwcheck_t *r)
{
    memset(r, 0, sizeof *r);
}

void fwcheck_add(fwcheck_t *r, int level, const char *fmt, ...)
{
    if (level == FWCHK_ERR) r->errors++;
    if (level == FWCHK_WARN) r->warnings++;
    if (r->n >= FWCHK_MAX) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg[r->n].text, sizeof r->msg[r->n].text, fmt, ap);
    va_end(ap);
    r->msg[r->n++].level = level;
}

uint32_t fwimage_crc32_mpeg2(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    while (n--) {
        crc ^= (uint32_t)*p++ << 24;
        for (int k = 0; k < 8; k++) crc = (crc << 1) ^ (0x04C11DB7u & (0u - (crc >> 31)));
    }
    return crc;
}

static bool rd32_at(const memimg_t *m, uint32_t addr, uint32_t *v)
{
    uint8_t b[4];
    if (!memimg_has(m, addr, 4)) return false;
    memimg_read(m, addr, b, 4, 0);
    *v = memimg_rd32(b);
    return true;
}

/* Initial SP inside SRAM and a Thumb reset vector pointing into the image. */
static void check_vectors(const memimg_t *m, const char *what, uint32_t sp, uint32_t pc,
                          uint32_t sram_end, fwcheck_t *r)
{
    if (sp < 0x20000000u || sp > sram_end)
        fwcheck_add(r, FWCHK_ERR, "%s: initial SP 0x%08X is outside SRAM 0x20000000..0x%08X", what,
                    sp, sram_end);
    else if (sp % 8)
        fwcheck_add(r, FWCHK_WARN, "%s: initial SP 0x%08X is not 8-byte aligned (AAPCS)", what, sp);
    else
        fwcheck_add(r, FWCHK_OK, "%s: initial SP 0x%08X in SRAM", what, sp);
    if (!(pc & 1))
        fwcheck_add(r, FWCHK_ERR, "%s: reset vector 0x%08X lacks the Thumb bit", what, pc);
    else if (!memimg_has(m, pc & ~1u, 2))
        fwcheck_add(r, FWCHK_ERR, "%s: reset vector 0x%08X points outside the image", what, pc);
    else
        fwcheck_add(r, FWCHK_OK, "%s: reset vector 0x%08X (Thumb) inside the image", what, pc);
}

void fwimage_check_rp2040(const memimg_t *m, fwcheck_t *r)
{
    const uint32_t base = FWIMAGE_RP2_FLASH_BASE;
    if (!memimg_has(m, base, 256)) {
        fwcheck_add(r, FWCHK_ERR, "boot2: the image does not cover 0x10000000..0x100000FF; the "
                                  "RP2040 ROM will not boot it");
    } else {
        uint8_t b2[256];
        memimg_read(m, base, b2, sizeof b2, 0);
        uint32_t want = fwimage_crc32_mpeg2(b2, 252), have = memimg_rd32(b2 + 252);
        if (want != have)
            fwcheck_add(r, FWCHK_ERR, "boot2: CRC 0x%08X at 0x100000FC, computed 0x%08X: the ROM "
                                      "will not boot this image", have, want);
        else
            fwcheck_add(r, FWCHK_OK, "boot2: CRC32 0x%08X OK", have);
    }
    uint32_t sp, pc;
    if (!rd32_at(m, base + 0x100, &sp) || !rd32_at(m, base + 0x104, &pc))
        fwcheck_add(r, FWCHK_ERR, "vector table at 0x10000100 is missing");
    else
        check_vectors(m, "vector table 0x10000100", sp, pc, 0x20042000u, r);
}

#define PICOBIN_START 0xFFFFDED3u
#define PICOBIN_END   0xAB123579u
#define PICOBIN_MAX_BLOCK 0x280u

typedef struct picoblock {
    uint32_t addr, size; /* bytes, markers included */
    int32_t link;
    bool has_type, has_vt, has_entry;
    uint16_t type_flags;
    uint32_t vt, entry_pc, entry_sp;
} picoblock_t;

/* Parses one block at addr; false with a reason. */
static bool parse_block(const memimg_t *m, uint32_t addr, picoblock_t *b, char *why, size_t wl)
{
    memset(b, 0, sizeof *b);
    b->addr = addr;
    uint8_t buf[PICOBIN_MAX_BLOCK];
    size_t have = memimg_read(m, addr, buf, sizeof buf, 0);
    (void)have;
    if (!memimg_has(m, addr, 4) || memimg_rd32(buf) != PICOBIN_START) {
        snprintf(why, wl, "no block start marker at 0x%08X", addr);
        return false;
    }
    uint32_t o = 4, words = 0;
    for (;;) {
        if (o + 4 > sizeof buf || !memimg_has(m, addr + o, 4)) {
            snprintf(why, wl, "block at 0x%08X: items run past %u bytes", addr, PICOBIN_MAX_BLOCK);
            return false;
        }
        uint8_t type = buf[o];
        if (type == 0xFF) { /* LAST: size of all items before it, in words */
            uint32_t sz = (uint32_t)buf[o + 1] | (uint32_t)buf[o + 2] << 8;
            if (sz != words) {
                snprintf(why, wl, "block at 0x%08X: LAST item says %u words of items, found %u", addr,
                         sz, words);
                return false;
            }
            o += 4;
            break;
        }
        uint32_t sz = (type & 0x80) ? ((uint32_t)buf[o + 1] | (uint32_t)buf[o + 2] << 8) : buf[o + 1];
        if (sz == 0) {
            snprintf(why, wl, "block at 0x%08X: item 0x%02X at +%u has size 0", addr, type, o);
            return false;
        }
        if (o + 4 * sz > sizeof buf || !memimg_has(m, addr + o, 4 * sz)) {
            snprintf(why, wl, "block at 0x%08X: item 0x%02X at +%u runs past the block", addr, type, o);
            return false;
        }
        switch (type & 0x7F) {
        case 0x42 & 0x7F: /* IMAGE_TYPE */
            b->has_type = true;
            b->type_flags = (uint16_t)(buf[o + 2] | buf[o + 3] << 8);
            break;
        case 0x03: /* VECTOR_TABLE */
            if (sz >= 2) {
                b->has_vt = true;
                b->vt = memimg_rd32(buf + o + 4);
            }
            break;
        case 0x44 & 0x7F: /* ENTRY_POINT */
            if (sz >= 3) {
                b->has_entry = true;
                b->entry_pc = memimg_rd32(buf + o + 4);
                b->entry_sp = memimg_rd32(buf + o + 8);
            }
            break;
        }
        words += sz;
        o += 4 * sz;
    }
    if (o + 8 > sizeof buf || !memimg_has(m, addr + o, 8)) {
        snprintf(why, wl, "block at 0x%08X: link word and end marker missing", addr);
        return false;
    }
    b->link = (int32_t)memimg_rd32(buf + o);
    if (memimg_rd32(buf + o + 4) != PICOBIN_END) {
        snprintf(why, wl, "block at 0x%08X: end marker 0x%08X (expected 0x%08X)", addr,
                 memimg_rd32(buf + o + 4), PICOBIN_END);
        return false;
    }
    b->size = o + 8;
    return true;
}

void fwimage_check_rp2350(const memimg_t *m, fwcheck_t *r)
{
    const uint32_t base = FWIMAGE_RP2_FLASH_BASE;
    uint32_t first = 0;
    bool found = false;
    for (uint32_t o = 0; o < 4096 && !found; o += 4) {
        uint32_t v;
        if (rd32_at(m, base + o, &v) && v == PICOBIN_START) {
            picoblock_t b;
            char why[160];
            if (parse_block(m, base + o, &b, why, sizeof why)) {
                first = base + o;
                found = true;
            }
        }
    }
    if (!found) {
        fwcheck_add(r, FWCHK_ERR, "no well-formed picobin block starts in the first 4 KB "
                                  "(0x10000000..0x10000FFF): the RP2350 ROM will not boot it");
        return;
    }
    picoblock_t def = {0};
    bool have_def = false;
    uint32_t at = first;
    for (int n = 0;; n++) {
        picoblock_t b;
        char why[160];
        if (n == 16) {
            fwcheck_add(r, FWCHK_ERR, "block loop from 0x%08X does not close within 16 blocks", first);
            return;
        }
        if (!parse_block(m, at, &b, why, sizeof why)) {
            fwcheck_add(r, FWCHK_ERR, "block loop: %s", why);
            return;
        }
        if (b.has_type && !have_def && (b.type_flags & 0xF) == 1) {
            def = b;
            have_def = true;
        }
        int64_t next = (int64_t)at + b.link;
        if (next == first) break;
        if (next < base || next >= (int64_t)base + 0x1000000) {
            fwcheck_add(r, FWCHK_ERR, "block at 0x%08X links to 0x%08llX, outside flash", at,
                        (unsigned long long)next);
            return;
        }
        at = (uint32_t)next;
    }
    fwcheck_add(r, FWCHK_OK, "block loop from 0x%08X closes", first);
    if (!have_def) {
        fwcheck_add(r, FWCHK_ERR, "no IMAGE_DEF (IMAGE_TYPE = EXE) in the block loop");
        return;
    }
    uint16_t f = def.type_flags;
    unsigned sec = (f >> 4) & 3, cpu = (f >> 8) & 7, chip = (f >> 12) & 7;
    bool ok = true;
    if (def.addr >= base + 4096) {
        fwcheck_add(r, FWCHK_ERR, "IMAGE_DEF at 0x%08X is not within the first 4 KB", def.addr);
        ok = false;
    }
    if (sec != 2) {
        fwcheck_add(r, FWCHK_ERR, "IMAGE_DEF flags 0x%04X: security %s; the ROM boots only Secure "
                                  "images", f, sec == 1 ? "Non-secure" : "unset");
        ok = false;
    }
    if (chip != 1) {
        fwcheck_add(r, FWCHK_ERR, "IMAGE_DEF flags 0x%04X: chip %u is not RP2350", f, chip);
        ok = false;
    }
    if (cpu != 0) {
        fwcheck_add(r, FWCHK_ERR, "IMAGE_DEF flags 0x%04X: CPU %s, not Arm", f, cpu == 1 ? "RISC-V" : "unknown");
        ok = false;
    }
    if (f & 0x8000) fwcheck_add(r, FWCHK_WARN, "IMAGE_DEF flags 0x%04X: try-before-you-buy set", f);
    if (ok)
        fwcheck_add(r, FWCHK_OK, "IMAGE_DEF at 0x%08X: Secure Arm RP2350 executable (flags 0x%04X)",
                    def.addr, f);
    uint32_t vt = def.has_vt ? def.vt : base;
    uint32_t sp, pc;
    char what[64];
    if (def.has_entry) {
        snprintf(what, sizeof what, "ENTRY_POINT item");
        check_vectors(m, what, def.entry_sp, def.entry_pc, 0x20082000u, r);
    } else if (!rd32_at(m, vt, &sp) || !rd32_at(m, vt + 4, &pc)) {
        fwcheck_add(r, FWCHK_ERR, "vector table at 0x%08X is missing", vt);
    } else {
        snprintf(what, sizeof what, "vector table 0x%08X", vt);
        check_vectors(m, what, sp, pc, 0x20082000u, r);
    }
}

void fwimage_check_layout(const fw_info_t *in, fwcheck_t *r)
{
    if (in->target != FW_TARGET_RP2040 && in->target != FW_TARGET_RP2350) return;
    uint64_t lo = in->config_addr, hi = (uint64_t)in->config_addr + in->config_max;
    if (in->config_addr % 4096)
        fwcheck_add(r, FWCHK_WARN, "config region 0x%08X is not on a 4 KB flash sector", in->config_addr);
    if (in->target != FW_TARGET_RP2350) return;
    for (uint64_t size = 2u << 20; size <= 16u << 20; size <<= 1) {
        uint64_t sec = FWIMAGE_RP2_FLASH_BASE + size - 4096;
        if (lo < sec + 4096 && hi > sec)
            fwcheck_add(r, FWCHK_WARN,
                        "config region 0x%08llX..0x%08llX overlaps the last 4 KB of a %llu MB flash, "
                        "which the RP2350-E10 UF2 block overwrites",
                        (unsigned long long)lo, (unsigned long long)hi - 1,
                        (unsigned long long)(size >> 20));
    }
}

void fwimage_check_avr(const memimg_t *m, unsigned boot, fwcheck_t *r)
{
    char a[32], b[32];
    uint64_t flash_hi = 0;
    for (size_t i = 0; i < m->n; i++) {
        uint64_t lo = m->seg[i].addr, hi = lo + m->seg[i].len;
        if (hi <= 0x8000u) {
            flash_hi = hi;
        } else if (lo >= 0x810000u && hi <= 0x810400u) {
            fwcheck_add(r, FWCHK_WARN, "EEPROM data at 0x%06llX..0x%06llX (avr-objcopy's EEPROM "
                                       "offset): a flash write ignores it",
                        (unsigned long long)lo, (unsigned long long)hi - 1);
        } else {
            fwcheck_add(r, FWCHK_ERR, "data at 0x%06llX..0x%06llX is outside the ATmega32U4's 32 KB "
                                      "flash", (unsigned long long)lo, (unsigned long long)hi - 1);
            return;
        }
    }
    uint32_t lim = fwimage_avr_limit(boot);
    if (boot == CFG_BOOT_UNKNOWN) {
        if (flash_hi > FWIMAGE_AVR_HALFKAY_MAX)
            fwcheck_add(r, FWCHK_ERR, "ends at byte %s: overwrites any bootloader (limit %s with "
                                      "HalfKay, %s with Caterina/Atmel DFU)",
                        fwimage_num(a, sizeof a, flash_hi), fwimage_num(b, sizeof b, FWIMAGE_AVR_HALFKAY_MAX),
                        "28,672");
        else if (flash_hi > FWIMAGE_AVR_APP_MAX)
            fwcheck_add(r, FWCHK_WARN, "ends at byte %s: fits only HalfKay (Teensy 2.0), not a 4 KB "
                                       "bootloader (limit 28,672)", fwimage_num(a, sizeof a, flash_hi));
        else
            fwcheck_add(r, FWCHK_OK, "ends at byte %s: fits every 32U4 bootloader (limit 28,672)",
                        fwimage_num(a, sizeof a, flash_hi));
    } else if (flash_hi > lim) {
        fwcheck_add(r, FWCHK_ERR, "ends at byte %s, past the %s bytes the %s bootloader leaves",
                    fwimage_num(a, sizeof a, flash_hi), fwimage_num(b, sizeof b, lim),
                    fwimage_bootloader_name(boot));
    } else {
        fwcheck_add(r, FWCHK_OK, "ends at byte %s, within the %s bytes the %s bootloader leaves",
                    fwimage_num(a, sizeof a, flash_hi), fwimage_num(b, sizeof b, lim),
                    fwimage_bootloader_name(boot));
    }
    uint8_t w[2];
    if (!memimg_has(m, 0, 2)) {
        fwcheck_add(r, FWCHK_WARN, "no reset vector at 0x0000 (the image does not start at 0)");
    } else {
        memimg_read(m, 0, w, 2, 0);
        uint16_t op = (uint16_t)(w[0] | w[1] << 8);
        if ((op & 0xFE0E) == 0x940C || (op & 0xF000) == 0xC000)
            fwcheck_add(r, FWCHK_OK, "reset vector at 0x0000 is a jump (0x%04X)", op);
        else
            fwcheck_add(r, FWCHK_WARN, "first word 0x%04X is not a JMP/RJMP: no vector table at 0", op);
    }
}

int fwimage_config_summary(const memimg_t *m, const fw_info_t *in, char *line, size_t linelen)
{
    size_t n = in->config_max < CFG_MAX_IMAGE ? in->config_max : CFG_MAX_IMAGE;
    uint8_t *buf = malloc(n);
    if (!buf) {
        snprintf(line, linelen, "out of memory");
        return -1;
    }
    size_t got = memimg_read(m, in->config_addr, buf, n, 0xFF);
    int res;
    bool blank = true;
    for (size_t i = 0; i < n && blank; i++) blank = buf[i] == 0xFF;
    if (got == 0 || blank) {
        snprintf(line, linelen, "none at 0x%08X: the firmware will use its built-in safe config",
                 in->config_addr);
        res = 0;
        goto out;
    }
    cfg_t c;
    enum cfg_open_result r = cfg_open(&c, buf, n);
    if (r != CFG_OK) {
        snprintf(line, linelen, "at 0x%08X: %s (the firmware will fall back to its safe config)",
                 in->config_addr, cfg_open_strerror(r));
        res = -1;
        goto out;
    }
    uint32_t t = fwimage_target_from_processor(cfg_info8(&c, CFG_INFO_PROCESSOR));
    const char *name = "", *maker = "", *km = "";
    uint16_t cnt, len;
    const uint8_t *s = cfg_section(&c, CFG_SEC_STRINGS, &cnt, &len);
    if (s && len && s[len - 1] == 0) {
        name = (const char *)s;
        const char *e = (const char *)s + len;
        maker = name + strlen(name) + 1;
        if (maker >= e) maker = "";
        else {
            km = maker + strlen(maker) + 1;
            if (km >= e) km = "";
        }
    }
    char sz[32];
    int w = snprintf(line, linelen,
                     "\"%s\"%s%s%s%s%s: %s, %ux%u %s matrix, %u keys, %u layers, bootloader %s, "
                     "%s bytes at 0x%08X, CRC 0x%08X OK",
                     name, *maker ? " by " : "", maker, *km ? ", keymap \"" : "", km, *km ? "\"" : "",
                     t ? fwimage_target_name(t) : "unknown processor", c.rows, c.cols,
                     cfg_info8(&c, CFG_INFO_MATRIX_KIND) == CFG_MATRIX_DIRECT
                         ? "direct"
                         : (cfg_info8(&c, CFG_INFO_DIODE) == CFG_ROW2COL ? "row2col" : "col2row"),
                     cfg_info16(&c, CFG_INFO_KEYS), c.layers,
                     fwimage_bootloader_name(cfg_info8(&c, CFG_INFO_BOOTLOADER)),
                     fwimage_num(sz, sizeof sz, c.size), in->config_addr, cfg_rd32(buf + 12));
    (void)w;
    if (t != in->target) {
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%s", fwimage_target_name(in->target));
        snprintf(line, linelen, "at 0x%08X is for %s, but the firmware is %s", in->config_addr,
                 t ? fwimage_target_name(t) : "an unknown processor", tmp);
        res = -1;
        goto out;
    }
    res = 1;
out:
    free(buf);
    return res;
}

int fwimage_read_file(const char *path, uint8_t **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t cap = 1 << 16, n = 0;
    uint8_t *b = malloc(cap);
    int saved = 0;
    while (b) {
        n += fread(b + n, 1, cap - n, f);
        if (n < cap) break;
        uint8_t *nb = cap < (256u << 20) ? realloc(b, cap * 2) : NULL;
        if (!nb) {
            free(b);
            b = NULL;
            saved = EFBIG;
            break;
        }
        b = nb;
        cap *= 2;
    }
    if (b && ferror(f)) saved = EIO;
    fclose(f);
    if (!b || saved) {
        free(b);
        errno = saved ? saved : ENOMEM;
        return -1;
    }
    *buf = b;
    *len = n;
    return 0;
}

int fwimage_write_file(const char *path, const void *buf, size_t len)
{
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 16);
    if (!tmp) return -1;
    snprintf(tmp, pl + 16, "%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        int e = errno;
        free(tmp);
        errno = e;
        return -1;
    }
    size_t w = fwrite(buf, 1, len, f);
    int e = (w == len) ? 0 : errno ? errno : EIO;
    if (fflush(f) || fsync(fileno(f))) e = e ? e : errno;
    if (fclose(f) && !e) e = errno;
    if (!e && rename(tmp, path)) e = errno;
    if (e) remove(tmp);
    free(tmp);
    errno = e;
    return e ? -1 : 0;
}
