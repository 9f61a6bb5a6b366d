/* Writes the `kestrel info` corpus into a directory: sound images of every target and format, and
 * one corruption each of the kinds the issue names (bad magic, wrong block count, bad checksum,
 * overlaps, out of range, ...), with expect.txt: `file|exit status|text the output must contain`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/cfg.h"
#include "tests/info/synth.h"
#include "tools/fwimage.h"
#include "tools/ihex.h"
#include "tools/uf2.h"

static const char *dir;
static FILE *expect;
static int failures;

static void put(const char *name, const void *buf, size_t len, int status, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (synth_write_file(path, buf, len)) {
        fprintf(stderr, "gen_corpus: cannot write %s\n", path);
        failures++;
    }
    fprintf(expect, "%s|%d|%s\n", name, status, text);
}

static void wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t fwbuf[0x10000], cfg[CFG_MAX_IMAGE];

/* A Kestrel image for target as a memory image (firmware + config). */
static size_t kestrel_image_len; /* the config image's length, for messages that depend on it */

static void kestrel_image(uint32_t target, unsigned boot, memimg_t *m, synth_layout_t *l)
{
    synth_default_layout(target, l);
    size_t n = synth_firmware(target, l, fwbuf, sizeof fwbuf);
    unsigned proc = target == FW_TARGET_RP2040 ? CFG_PROC_RP2040
                    : target == FW_TARGET_RP2350 ? CFG_PROC_RP2350 : CFG_PROC_ATMEGA32U4;
    size_t cl = synth_config(proc, boot, 4, 10, 3, "corpus", cfg, sizeof cfg);
    memimg_init(m);
    memimg_add(m, l->flash_base, fwbuf, n, NULL);
    memimg_set(m, l->config_addr, cfg, cl);
    kestrel_image_len = cl;
}

static void emit_uf2(const char *name, const memimg_t *m, uint32_t family, bool e10, int status,
                     const char *text)
{
    uf2_opts_t o = {family, 4096, 0xFF, e10};
    uint8_t *out;
    size_t len;
    char err[256];
    if (!uf2_write(m, &o, &out, &len, err, sizeof err)) {
        fprintf(stderr, "gen_corpus: %s: %s\n", name, err);
        failures++;
        return;
    }
    put(name, out, len, status, text);
    free(out);
}

static void emit_hex(const char *name, const memimg_t *m, int status, const char *text)
{
    ihex_opts_t o = {16, false, 0, 0};
    char *out, err[256];
    size_t len;
    if (!ihex_write(m, &o, &out, &len, err, sizeof err)) {
        failures++;
        return;
    }
    put(name, out, len, status, text);
    free(out);
}

/* A UF2 file as bytes, to corrupt below. */
static uint8_t *uf2_bytes(const memimg_t *m, uint32_t family, bool e10, size_t *len)
{
    uf2_opts_t o = {family, 4096, 0xFF, e10};
    uint8_t *out;
    char err[256];
    if (!uf2_write(m, &o, &out, len, err, sizeof err)) exit(1);
    return out;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen_corpus DIR\n");
        return 2;
    }
    dir = argv[1];
    char path[1024];
    snprintf(path, sizeof path, "%s/expect.txt", dir);
    expect = fopen(path, "w");
    if (!expect) {
        perror(path);
        return 1;
    }
    memimg_t m;
    synth_layout_t l;
    uint8_t *b;
    size_t len;

    /* ---- sound images ---- */
    kestrel_image(FW_TARGET_RP2040, CFG_BOOT_RP2040, &m, &l);
    emit_uf2("rp2040.uf2", &m, UF2_FAMILY_RP2040, false, 0, "boot2: CRC32 0x");
    fprintf(expect, "rp2040.uf2|0|config:      \"corpus\" by Kestrel tests, keymap \"default\": rp2040, 4x10 col2row matrix, 40 keys, 3 layers\n");
    fprintf(expect, "rp2040.uf2|0|firmware:    Kestrel 0.1.2, build \"synth-rp2040\"\n");
    fprintf(expect, "rp2040.uf2|0|result:      OK\n");
    {
        size_t n = (size_t)(memimg_hi(&m) - l.flash_base);
        uint8_t *bin = malloc(n);
        memimg_read(&m, l.flash_base, bin, n, 0xFF);
        put("rp2040.bin", bin, n, 0, "format:      raw binary, loaded at 0x10000000");
        fprintf(expect, "rp2040.bin|0|result:      OK\n");
        /* without a Kestrel info block the boot2 CRC still places it */
        memset(bin + l.info_off, 0, 8);
        put("rp2040-plain.bin", bin, l.image_len, 0,
            "target:      rp2040 (no Kestrel info block; guessed from the image)");
        fprintf(expect, "rp2040-plain.bin|0|boot2: CRC32 0x\n");
        free(bin);
    }
    /* no config at all: fine, the firmware uses its safe config */
    {
        memimg_t fwonly;
        memimg_init(&fwonly);
        memimg_add(&fwonly, l.flash_base, fwbuf, l.image_len, NULL);
        emit_uf2("rp2040-noconfig.uf2", &fwonly, UF2_FAMILY_RP2040, false, 0,
                 "config:      none at 0x10010000: the firmware will use its built-in safe config");
        memimg_free(&fwonly);
    }
    b = uf2_bytes(&m, UF2_FAMILY_RP2040, false, &len);
    wr32(b + 512 * 2, 0x0A324656u);
    put("uf2-bad-magic0.uf2", b, len, 1, "block 2 (offset 0x400): bad magicStart0 0x0A324656");
    wr32(b + 512 * 2, 0x0A324655u);
    b[512 * 5 + 4] ^= 0x10;
    put("uf2-bad-magic1.uf2", b, len, 1, "block 5 (offset 0xA00): bad magicStart1");
    b[512 * 5 + 4] ^= 0x10;
    b[512 * 7 + 511] ^= 0x01;
    put("uf2-bad-magic-end.uf2", b, len, 1, "block 7 (offset 0xE00): bad magicEnd");
    b[512 * 7 + 511] ^= 0x01;
    put("uf2-truncated.uf2", b, len - 100, 1, "not a multiple of 512");
    wr32(b + 512 * 3 + 24, 7);
    put("uf2-wrong-count.uf2", b, len, 1, "block 3 (offset 0x600): numBlocks 7 disagrees with block 0's");
    wr32(b + 512 * 3 + 24, (uint32_t)(len / 512));
    put("uf2-short-by-one.uf2", b, len - 512, 1, "but the file holds only");
    wr32(b + 512 * 4 + 20, 3);
    put("uf2-dup-blockno.uf2", b, len, 1, "block 4 (offset 0x800): blockNo 3 appears twice");
    wr32(b + 512 * 4 + 20, 4);
    uint32_t a4 = b[512 * 4 + 12] | b[512 * 4 + 13] << 8 | b[512 * 4 + 14] << 16 | (uint32_t)b[512 * 4 + 15] << 24;
    wr32(b + 512 * 4 + 12, a4 - 256);
    put("uf2-overlap.uf2", b, len, 1, "block 4 (offset 0x800): writes 0x10000300..0x100003FF, overlapping");
    wr32(b + 512 * 4 + 12, 0x30000000u);
    put("uf2-out-of-range.uf2", b, len, 1, "target 0x30000000..0x300000FF is outside RP2040 flash and SRAM");
    wr32(b + 512 * 4 + 12, a4 + 0x80);
    put("uf2-unaligned.uf2", b, len, 1, "target address 0x10000480 is not 256-byte aligned");
    wr32(b + 512 * 4 + 12, a4);
    wr32(b + 512 * 4 + 16, 476);
    put("uf2-payload.uf2", b, len, 1, "payload size 476; the RP2040 boot ROM accepts only 256");
    wr32(b + 512 * 4 + 16, 256);
    for (size_t i = 0; i < len / 512; i++) wr32(b + 512 * i + 8, 0); /* no family flag */
    put("uf2-no-family.uf2", b, len, 1, "blocks without a family ID: the rp2040 boot ROM ignores them");
    free(b);
    put("empty.uf2", "", 0, 1, "empty file");
    put("elf.bin", "\x7f" "ELF\x01\x01\x01", 7, 1, "an ELF file");

    /* data faults inside a structurally sound UF2 */
    {
        memimg_t c;
        memimg_copy(&c, &m);
        uint8_t x = 0;
        memimg_read(&c, 0x10000010u, &x, 1, 0);
        x ^= 0xFF;
        memimg_set(&c, 0x10000010u, &x, 1);
        emit_uf2("rp2040-boot2-crc.uf2", &c, UF2_FAMILY_RP2040, false, 1, "boot2: CRC 0x");
        memimg_free(&c);
        memimg_copy(&c, &m);
        memimg_read(&c, l.config_addr + 40, &x, 1, 0);
        x ^= 0x01;
        memimg_set(&c, l.config_addr + 40, &x, 1);
        emit_uf2("rp2040-config-crc.uf2", &c, UF2_FAMILY_RP2040, false, 1, "config image CRC mismatch");
        memimg_free(&c);
        memimg_copy(&c, &m);
        uint8_t v[4];
        wr32(v, 0x20060000u);
        memimg_set(&c, 0x10000100u, v, 4);
        emit_uf2("rp2040-bad-sp.uf2", &c, UF2_FAMILY_RP2040, false, 1, "initial SP 0x20060000 is outside SRAM");
        memimg_free(&c);
        memimg_copy(&c, &m);
        wr32(v, 2);
        memimg_set(&c, l.flash_base + l.info_off + 8, v, 4);
        emit_uf2("rp2040-info-version.uf2", &c, UF2_FAMILY_RP2040, false, 1, "has version 2; this kestrel reads version 1");
        memimg_free(&c);
    }
    memimg_free(&m);

    /* ---- RP2350 ---- */
    kestrel_image(FW_TARGET_RP2350, CFG_BOOT_RP2040, &m, &l);
    emit_uf2("rp2350.uf2", &m, UF2_FAMILY_RP2350_ARM_S, true, 0,
             "block 0 is the RP2350-E10 workaround (RP2XXX_ABSOLUTE at 0x10FFFF00, tagged ignore)");
    fprintf(expect, "rp2350.uf2|0|IMAGE_DEF at 0x10000110: Secure Arm RP2350 executable (flags 0x1021)\n");
    fprintf(expect, "rp2350.uf2|0|block loop from 0x10000110 closes\n");
    fprintf(expect, "rp2350.uf2|0|reset vector 0x10000161 (Thumb) inside the image\n");
    fprintf(expect, "rp2350.uf2|0|result:      OK\n");
    emit_uf2("rp2350-no-e10.uf2", &m, UF2_FAMILY_RP2350_ARM_S, false, 0, "warn  no RP2350-E10 absolute block first");
    emit_uf2("rp2350-as-rp2040.uf2", &m, UF2_FAMILY_RP2040, false, 1,
             "UF2 family 0xE48BFF56 (RP2040), but the firmware inside is rp2350");
    {
        memimg_t c;
        uint8_t v[4];
        memimg_copy(&c, &m);
        wr32(v, 0x10110142u);
        memimg_set(&c, 0x10000114u, v, 4);
        emit_uf2("rp2350-nonsecure.uf2", &c, UF2_FAMILY_RP2350_ARM_S, true, 1, "security Non-secure; the ROM boots only Secure images");
        memimg_free(&c);
        memimg_copy(&c, &m);
        wr32(v, 0xAB12357Au);
        memimg_set(&c, 0x10000120u, v, 4);
        emit_uf2("rp2350-no-imagedef.uf2", &c, UF2_FAMILY_RP2350_ARM_S, true, 1, "no well-formed picobin block starts in the first 4 KB");
        memimg_free(&c);
        memimg_copy(&c, &m);
        wr32(v, 0x10000160u);
        memimg_set(&c, 0x10000004u, v, 4);
        emit_uf2("rp2350-no-thumb.uf2", &c, UF2_FAMILY_RP2350_ARM_S, true, 1, "reset vector 0x10000160 lacks the Thumb bit");
        memimg_free(&c);
        /* a config for another chip */
        memimg_copy(&c, &m);
        size_t cl = synth_config(CFG_PROC_RP2040, CFG_BOOT_RP2040, 4, 10, 3, "x", cfg, sizeof cfg);
        memimg_set(&c, l.config_addr, cfg, cl);
        emit_uf2("rp2350-rp2040-config.uf2", &c, UF2_FAMILY_RP2350_ARM_S, true, 1, "is for rp2040, but the firmware is rp2350");
        memimg_free(&c);
    }
    memimg_free(&m);

    /* ---- ATmega32U4 ---- */
    kestrel_image(FW_TARGET_ATMEGA32U4, CFG_BOOT_CATERINA, &m, &l);
    {
        /* the end follows the config image, whose length changes as settings and sections come */
        unsigned long end = (unsigned long)l.config_addr + kestrel_image_len;
        char want[64];
        snprintf(want, sizeof want, "ends at byte %lu,%03lu, within", end / 1000, end % 1000);
        emit_hex("avr.hex", &m, 0, want);
    }
    fprintf(expect, "avr.hex|0|within the 28,672 bytes the caterina bootloader leaves\n");
    fprintf(expect, "avr.hex|0|format:      Intel HEX, \n");
    fprintf(expect, "avr.hex|0|result:      OK\n");
    {
        ihex_opts_t o = {16, false, 0, 0};
        char *txt, err[200];
        size_t n;
        ihex_write(&m, &o, &txt, &n, err, sizeof err);
        /* line 3 checksum: the last two hex digits of the third record */
        char *p = txt;
        for (int i = 0; i < 2; i++) p = strchr(p, '\n') + 1;
        char *e = strchr(p, '\r');
        char keep = e[-1];
        e[-1] = keep == '0' ? '1' : '0';
        put("avr-bad-checksum.hex", txt, n, 1, "avr-bad-checksum.hex:3:42: checksum 0x");
        e[-1] = keep;
        put("avr-no-eof.hex", txt, n - 13, 1, "no end-of-file record");
        /* a record that writes bytes an earlier record set */
        char *dup = malloc(n + 64);
        size_t first = (size_t)(strchr(txt, '\n') + 1 - txt);
        memcpy(dup, txt, first);
        memcpy(dup + first, txt, n);
        put("avr-overlap.hex", dup, first + n, 1, "avr-overlap.hex:2:4: data at 0x0000 overlaps bytes already set");
        free(dup);
        free(txt);
        size_t bn = (size_t)memimg_hi(&m);
        uint8_t *bin = malloc(bn);
        memimg_read(&m, 0, bin, bn, 0xFF);
        put("avr.bin", bin, bn, 0, "target:      atmega32u4");
        free(bin);
    }
    {
        memimg_t c;
        memimg_copy(&c, &m);
        uint8_t d[16] = {1, 2, 3};
        memimg_add(&c, 0x9000, d, sizeof d, NULL);
        emit_hex("avr-out-of-range.hex", &c, 1, "data at 0x009000..0x00900F is outside the ATmega32U4's 32 KB flash");
        memimg_free(&c);
    }
    memimg_free(&m);
    /* a Caterina keyboard whose image runs past 28,672 bytes */
    synth_default_layout(FW_TARGET_ATMEGA32U4, &l);
    l.config_addr = 0x6F00;
    l.config_max = 0xE00;
    synth_firmware(FW_TARGET_ATMEGA32U4, &l, fwbuf, sizeof fwbuf);
    memimg_init(&m);
    memimg_add(&m, 0, fwbuf, l.image_len, NULL);
    size_t cl = synth_config(CFG_PROC_ATMEGA32U4, CFG_BOOT_CATERINA, 4, 10, 3, "x", cfg, sizeof cfg);
    memimg_set(&m, l.config_addr, cfg, cl);
    emit_hex("avr-too-big.hex", &m, 1, "past the 28,672 bytes the caterina bootloader leaves");
    memimg_free(&m);

    fclose(expect);

    /* ---- for the build tests: generic firmware per target, and a keyboard too big for AVR ---- */
    static const uint32_t targets[] = {FW_TARGET_RP2040, FW_TARGET_RP2350, FW_TARGET_ATMEGA32U4};
    for (int t = 0; t < 3; t++) {
        const char *tn = fwimage_target_name(targets[t]);
        synth_default_layout(targets[t], &l);
        size_t n = synth_firmware(targets[t], &l, fwbuf, sizeof fwbuf);
        snprintf(path, sizeof path, "%s/fw", dir);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/fw/%s", dir, tn);
        mkdir(path, 0755);
        snprintf(path, sizeof path, "%s/fw/%s/kestrel-%s.bin", dir, tn, tn);
        if (synth_write_file(path, fwbuf, n)) failures++;
    }
    /* 8 x 17 matrix (every free 32U4 pin) with 16 layers: a config image over 4 KB */
    static const char *const cols[] = {"C6", "C7", "D0", "D1", "D2", "D3", "D4", "D5", "D6",
                                       "D7", "E6", "F0", "F1", "F4", "F5", "F6", "F7"};
    snprintf(path, sizeof path, "%s/big-avr.json", dir);
    FILE *f = fopen(path, "w");
    if (!f) return 1;
    fprintf(f, "{\n  \"keyboard_name\": \"big\",\n  \"processor\": \"atmega32u4\",\n"
               "  \"bootloader\": \"caterina\",\n  \"diode_direction\": \"COL2ROW\",\n"
               "  \"matrix_pins\": {\"rows\": [\"B0\", \"B1\", \"B2\", \"B3\", \"B4\", \"B5\", "
               "\"B6\", \"B7\"], \"cols\": [");
    for (int c = 0; c < 17; c++) fprintf(f, "%s\"%s\"", c ? ", " : "", cols[c]);
    fprintf(f, "]},\n  \"layouts\": {\"LAYOUT\": {\"layout\": [\n");
    for (int r = 0; r < 8; r++)
        for (int c = 0; c < 17; c++)
            fprintf(f, "    {\"matrix\": [%d, %d], \"x\": %d, \"y\": %d}%s\n", r, c, c, r,
                    r == 7 && c == 16 ? "" : ",");
    fprintf(f, "  ]}}\n}\n");
    fclose(f);
    snprintf(path, sizeof path, "%s/big-keymap.json", dir);
    f = fopen(path, "w");
    if (!f) return 1;
    fprintf(f, "{\"keyboard\": \"big\", \"keymap\": \"default\", \"layout\": \"LAYOUT\", \"layers\": [\n");
    for (int k = 0; k < 16; k++) {
        fprintf(f, "  [");
        for (int i = 0; i < 136; i++) fprintf(f, "%s\"KC_A\"", i ? ", " : "");
        fprintf(f, "]%s\n", k == 15 ? "" : ",");
    }
    fprintf(f, "]}\n");
    fclose(f);
    return failures ? 1 : 0;
}
