/* kestrel info — tells what a UF2, HEX or BIN file is (Kestrel's or anyone's), verifies every
 * checksum and boot requirement it can, and exits 1 naming the first thing that is wrong. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cfg.h"
#include "tools/commands.h"
#include "tools/fwimage.h"
#include "tools/ihex.h"
#include "tools/uf2.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kestrel info [--base ADDR] FILE\n"
            "\n"
            "Tells what FILE (UF2, Intel HEX or raw BIN) is: format, family/target, address ranges\n"
            "and sizes, and for Kestrel images the firmware version and the config inside. Every\n"
            "checksum is verified (UF2 block structure, HEX record checksums, RP2040 boot2 CRC, the\n"
            "config image CRC) and the boot requirements checked (RP2350 IMAGE_DEF, vector table).\n"
            "\n"
            "  --base ADDR   load address of a BIN without a Kestrel info block (default: guessed)\n"
            "\n"
            "Exit status: 0 the file is sound, 1 something is wrong (said on stderr), 2 usage.\n");
}

static void print_ranges(const memimg_t *m)
{
    char a[32];
    for (size_t i = 0; i < m->n; i++)
        printf("%-12s 0x%08X..0x%08llX  %s bytes\n", i ? "" : "ranges:", m->seg[i].addr,
               (unsigned long long)m->seg[i].addr + m->seg[i].len - 1,
               fwimage_num(a, sizeof a, m->seg[i].len));
    printf("%-12s %s bytes in %zu range%s\n", "size:", fwimage_num(a, sizeof a, memimg_bytes(m)),
           m->n, m->n == 1 ? "" : "s");
}

/* Partially written 4 KB sectors in an RP2040 UF2 (erratum RP2040-E14). */
static size_t partial_sectors(const memimg_t *m)
{
    size_t n = 0;
    uint64_t last = UINT64_MAX;
    for (size_t i = 0; i < m->n; i++) {
        uint64_t s0 = m->seg[i].addr / 4096, s1 = ((uint64_t)m->seg[i].addr + m->seg[i].len - 1) / 4096;
        for (uint64_t s = s0; s <= s1; s++) {
            if (s == last) continue;
            last = s;
            if (!memimg_has(m, (uint32_t)(s * 4096), 4096)) n++;
        }
    }
    return n;
}

/* What target an image without a Kestrel info block looks like. */
static uint32_t guess_target(const memimg_t *m)
{
    if (memimg_has(m, FWIMAGE_RP2_FLASH_BASE, 256)) {
        uint8_t b[256];
        memimg_read(m, FWIMAGE_RP2_FLASH_BASE, b, sizeof b, 0);
        uint32_t crc = (uint32_t)b[252] | (uint32_t)b[253] << 8 | (uint32_t)b[254] << 16 |
                       (uint32_t)b[255] << 24;
        if (fwimage_crc32_mpeg2(b, 252) == crc) return FW_TARGET_RP2040;
        for (unsigned o = 0; o + 4 <= 256; o += 4)
            if (b[o] == 0xD3 && b[o + 1] == 0xDE && b[o + 2] == 0xFF && b[o + 3] == 0xFF)
                return FW_TARGET_RP2350;
    }
    if (memimg_lo(m) < 0x8000u && memimg_hi(m) <= 0x8000u) return FW_TARGET_ATMEGA32U4;
    return 0;
}

int cmd_info(int argc, char **argv)
{
    const char *path = NULL;
    uint32_t bin_base = 0;
    bool have_base = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--base") && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long v = strtoul(argv[++i], &end, 0);
            if (errno || *end || v > 0xFFFFFFFFul) {
                fprintf(stderr, "kestrel info: --base '%s' is not an address\n", argv[i]);
                return 2;
            }
            bin_base = (uint32_t)v;
            have_base = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "kestrel info: unknown option '%s' (try --help)\n", argv[i]);
            return 2;
        } else if (path) {
            fprintf(stderr, "kestrel info: one file at a time ('%s' and '%s')\n", path, argv[i]);
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        usage(stderr);
        return 2;
    }
    uint8_t *buf;
    size_t len;
    if (fwimage_read_file(path, &buf, &len)) {
        fprintf(stderr, "kestrel info: %s: %s\n", path, strerror(errno));
        return 2;
    }
    char err[512], a[32], b[32];
    bool err_has_path = false; /* HEX and BIN messages already start with the file name */
    int status = 0;
    memimg_t mem;
    memimg_init(&mem);
    enum fw_format fmt = FW_FORMAT_NONE;
    uf2_file_t uf = {0};
    uint32_t uf2_family = 0;
    bool uf2_untagged = false;
    fwcheck_t chk;
    fwcheck_init(&chk);

    printf("%-12s %s (%s bytes)\n", "file:", path, fwimage_num(a, sizeof a, len));
    if (uf2_sniff(buf, len)) {
        fmt = FW_FORMAT_UF2;
        if (!uf2_read(buf, len, &uf, err, sizeof err)) goto bad_parse;
        printf("%-12s UF2, %zu blocks of 512 bytes\n", "format:", uf.blocks);
        if (uf.e10)
            printf("%-12s block 0 is the RP2350-E10 workaround (RP2XXX_ABSOLUTE at 0x%08X, tagged "
                   "ignore)\n", "", UF2_E10_ADDR);
        else if (uf.ignored)
            printf("%-12s %zu block(s) tagged RP2 ignore\n", "", uf.ignored);
        size_t main_g = 0;
        for (size_t g = 0; g < uf.ngroups; g++) {
            uf2_group_t *gr = &uf.group[g];
            const char *fn = gr->has_family ? uf2_family_name(gr->family) : NULL;
            if (gr->has_family)
                printf("%-12s 0x%08X %s: %u blocks numbered 0..%u, payload %s\n", g ? "" : "family:",
                       gr->family, fn ? fn : "(unknown family)", gr->blocks, gr->num_blocks - 1,
                       gr->payload ? fwimage_num(a, sizeof a, gr->payload) : "mixed");
            else {
                printf("%-12s none (blocks without a family ID): %u blocks\n", g ? "" : "family:",
                       gr->blocks);
                uf2_untagged = true;
            }
            if (memimg_bytes(&gr->mem) > memimg_bytes(&uf.group[main_g].mem)) main_g = g;
        }
        if (uf.not_main_flash || uf.containers)
            printf("%-12s %zu not-main-flash and %zu file-container blocks (not flashed)\n", "",
                   uf.not_main_flash, uf.containers);
        if (uf.md5_blocks)
            printf("%-12s %zu blocks carry an MD5 of the flash they write (not checked: it covers "
                   "device flash, not this file)\n", "", uf.md5_blocks);
        if (uf.ngroups) {
            uf2_family = uf.group[main_g].has_family ? uf.group[main_g].family : 0;
            mem = uf.group[main_g].mem;
            memimg_init(&uf.group[main_g].mem);
            if (uf.ngroups > 1)
                printf("%-12s (describing the largest family, 0x%08X)\n", "", uf2_family);
        }
    } else if (ihex_sniff(buf, len)) {
        fmt = FW_FORMAT_HEX;
        ihex_file_t h;
        err_has_path = true;
        if (!ihex_read(path, buf, len, &h, err, sizeof err)) goto bad_parse;
        printf("%-12s Intel HEX, %u records (%u data, up to %u bytes each), checksums OK%s%s\n",
               "format:", h.records, h.data_records, h.max_record,
               h.used_linear ? ", extended linear addresses" : "",
               h.used_segment ? ", extended segment addresses" : "");
        if (h.has_start) printf("%-12s start address 0x%08X (type %u)\n", "", h.start, h.start_type);
        mem = h.mem;
    } else {
        enum fw_format f2;
        err_has_path = true;
        if (!fwimage_parse(path, buf, len, bin_base, &f2, &mem, err, sizeof err)) goto bad_parse;
        fmt = f2;
        if (!have_base && memimg_lo(&mem) == 0) {
            /* No info block: guess from the boot structures where it belongs. */
            memimg_t probe;
            memimg_init(&probe);
            if (memimg_add(&probe, FWIMAGE_RP2_FLASH_BASE, buf, len, NULL) &&
                guess_target(&probe) && guess_target(&probe) != FW_TARGET_ATMEGA32U4) {
                memimg_free(&mem);
                mem = probe;
            } else {
                memimg_free(&probe);
            }
        }
        printf("%-12s raw binary, loaded at 0x%08X%s\n", "format:", memimg_lo(&mem),
               have_base ? " (--base)" : "");
    }
    if (mem.n == 0) {
        printf("%-12s nothing that would be written to flash\n", "ranges:");
        snprintf(err, sizeof err, "%s: holds no flash data", path);
        err_has_path = true;
        goto bad_parse;
    }
    print_ranges(&mem);

    fw_info_t in;
    uint32_t at;
    int r = fwimage_find_info(&mem, &in, &at, err, sizeof err);
    uint32_t target = 0;
    unsigned boot = CFG_BOOT_UNKNOWN;
    if (r < 0) {
        fwcheck_add(&chk, FWCHK_ERR, "%s", err);
    } else if (r > 0) {
        target = in.target;
        printf("%-12s %s\n", "target:", fwimage_target_name(target));
        printf("%-12s Kestrel %u.%u.%u, build \"%s\" (info block at 0x%08X)\n", "firmware:",
               in.fw_version >> 16, (in.fw_version >> 8) & 0xFF, in.fw_version & 0xFF, in.build_id, at);
        printf("%-12s code 0x%08X..0x%08X (%s bytes); config region 0x%08X, %s bytes\n", "",
               in.flash_base, in.image_end - 1, fwimage_num(a, sizeof a, in.image_end - in.flash_base),
               in.config_addr, fwimage_num(b, sizeof b, in.config_max));
        char line[400];
        int c = fwimage_config_summary(&mem, &in, line, sizeof line);
        printf("%-12s %s\n", "config:", line);
        if (c < 0) fwcheck_add(&chk, FWCHK_ERR, "config %s", line);
        if (c > 0) {
            /* the bootloader the keyboard declares decides the AVR size limit */
            cfg_t cc;
            uint8_t *cb = malloc(in.config_max < CFG_MAX_IMAGE ? in.config_max : CFG_MAX_IMAGE);
            if (cb) {
                size_t n = in.config_max < CFG_MAX_IMAGE ? in.config_max : CFG_MAX_IMAGE;
                memimg_read(&mem, in.config_addr, cb, n, 0xFF);
                if (cfg_open(&cc, cb, n) == CFG_OK) boot = cfg_info8(&cc, CFG_INFO_BOOTLOADER);
                free(cb);
            }
        }
        fwimage_check_layout(&in, &chk);
        if (!memimg_has(&mem, in.flash_base, in.image_end - in.flash_base))
            fwcheck_add(&chk, FWCHK_ERR, "the firmware's code 0x%08X..0x%08X is not all in the file",
                        in.flash_base, in.image_end - 1);
    } else {
        target = guess_target(&mem);
        printf("%-12s %s (no Kestrel info block; guessed from the image)\n", "target:",
               target ? fwimage_target_name(target) : "unknown");
    }

    if (fmt == FW_FORMAT_UF2) {
        uint32_t want = target == FW_TARGET_RP2040 ? UF2_FAMILY_RP2040
                        : target == FW_TARGET_RP2350 ? UF2_FAMILY_RP2350_ARM_S : 0;
        if (uf2_untagged && (target == FW_TARGET_RP2040 || target == FW_TARGET_RP2350))
            fwcheck_add(&chk, FWCHK_ERR, "blocks without a family ID: the %s boot ROM ignores them",
                        fwimage_target_name(target));
        if (want && uf2_family && uf2_family != want && r > 0)
            fwcheck_add(&chk, FWCHK_ERR, "UF2 family 0x%08X (%s), but the firmware inside is %s",
                        uf2_family, uf2_family_name(uf2_family) ? uf2_family_name(uf2_family) : "?",
                        fwimage_target_name(target));
        else if (want)
            fwcheck_add(&chk, FWCHK_OK, "every block family-tagged, numbered, 256-byte aligned, in range");
        if (target == FW_TARGET_RP2350 && !uf.e10)
            fwcheck_add(&chk, FWCHK_WARN, "no RP2350-E10 absolute block first: drag-and-drop onto an "
                                          "RP2350 with a partition table may fail");
        if (uf2_family == UF2_FAMILY_RP2040) {
            size_t p = partial_sectors(&mem);
            if (p)
                fwcheck_add(&chk, FWCHK_WARN, "%zu partially written 4 KB sector(s) (RP2040-E14: "
                                              "such sectors may be written incorrectly)", p);
        }
    }
    bool has_flash = memimg_lo(&mem) >= FWIMAGE_RP2_FLASH_BASE && memimg_lo(&mem) < 0x20000000u;
    if (target == FW_TARGET_RP2040 && has_flash) fwimage_check_rp2040(&mem, &chk);
    else if (target == FW_TARGET_RP2350 && has_flash) fwimage_check_rp2350(&mem, &chk);
    else if (target == FW_TARGET_ATMEGA32U4) fwimage_check_avr(&mem, boot, &chk);
    else if (target) printf("%-12s RAM image: no flash boot checks apply\n", "");

    if (chk.n) printf("checks:\n");
    for (int i = 0; i < chk.n; i++)
        printf("  %-5s %s\n", chk.msg[i].level == FWCHK_OK ? "ok" : chk.msg[i].level == FWCHK_WARN ? "warn" : "ERROR",
               chk.msg[i].text);
    if (chk.errors) {
        for (int i = 0; i < chk.n; i++)
            if (chk.msg[i].level == FWCHK_ERR) {
                fprintf(stderr, "kestrel info: %s: %s\n", path, chk.msg[i].text);
                break;
            }
        printf("result:      %d error%s, %d warning%s\n", chk.errors, chk.errors == 1 ? "" : "s",
               chk.warnings, chk.warnings == 1 ? "" : "s");
        status = 1;
    } else {
        printf("result:      OK%s\n", chk.warnings ? " (with warnings)" : "");
    }
    goto done;

bad_parse:
    printf("%-12s %s\n", "result:", "REJECTED");
    fprintf(stderr, "kestrel info: %s%s%s\n", err_has_path ? "" : path, err_has_path ? "" : ": ", err);
    status = 1;
done:
    uf2_file_free(&uf);
    memimg_free(&mem);
    free(buf);
    return status;
}
