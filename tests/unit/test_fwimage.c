/* fwimage: generic firmware + config image -> UF2/HEX/BIN for each target, byte-exact where the
 * info block says; refusals with numbers; the RP2040/RP2350/AVR image checks catch each fault. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/cfg.h"
#include "tests/info/synth.h"
#include "tools/fwimage.h"
#include "tools/uf2.h"

static uint8_t fw[0x10000], cfgimg[CFG_MAX_IMAGE];

static void wr32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static unsigned proc_of(uint32_t t)
{
    return t == FW_TARGET_RP2040 ? CFG_PROC_RP2040 : t == FW_TARGET_RP2350 ? CFG_PROC_RP2350 : CFG_PROC_ATMEGA32U4;
}

static void crc_mpeg2_check_value(void **s)
{
    (void)s;
    assert_int_equal(fwimage_crc32_mpeg2((const uint8_t *)"123456789", 9), 0x0376E6E7u);
}

static void numbers_have_separators(void **s)
{
    (void)s;
    char b[32];
    assert_string_equal(fwimage_num(b, sizeof b, 0), "0");
    assert_string_equal(fwimage_num(b, sizeof b, 999), "999");
    assert_string_equal(fwimage_num(b, sizeof b, 4096), "4,096");
    assert_string_equal(fwimage_num(b, sizeof b, 28672), "28,672");
    assert_string_equal(fwimage_num(b, sizeof b, 1234567), "1,234,567");
}

/* Builds every format for one target and reads each back: config at config_addr, firmware bytes
 * untouched, the checks of the target pass. */
static void build_target(uint32_t target, unsigned boot)
{
    synth_layout_t l;
    synth_default_layout(target, &l);
    size_t fwlen = synth_firmware(target, &l, fw, sizeof fw);
    size_t cl = synth_config(proc_of(target), boot, 4, 10, 3, "test4x10", cfgimg, sizeof cfgimg);
    assert_true(cl > 0);
    enum fw_format fmts[] = {FW_FORMAT_UF2, FW_FORMAT_HEX, FW_FORMAT_BIN};
    for (unsigned k = 0; k < 3; k++) {
        uint8_t *out;
        size_t len;
        char err[300];
        bool ok = fwimage_build(fw, fwlen, cfgimg, cl, fmts[k], &out, &len, err, sizeof err);
        if (target == FW_TARGET_ATMEGA32U4 && fmts[k] == FW_FORMAT_UF2) {
            assert_false(ok);
            assert_non_null(strstr(err, "takes HEX or BIN"));
            continue;
        }
        if (!ok) fail_msg("%s", err);
        memimg_t m;
        enum fw_format got;
        if (!fwimage_parse("out", out, len, 0, &got, &m, err, sizeof err)) fail_msg("%s", err);
        assert_int_equal(got, fmts[k]);
        uint8_t *chk = malloc(fwlen > cl ? fwlen : cl);
        memimg_read(&m, l.flash_base, chk, fwlen, 0);
        assert_memory_equal(chk, fw, fwlen);
        memimg_read(&m, l.config_addr, chk, cl, 0);
        assert_memory_equal(chk, cfgimg, cl);
        free(chk);
        fw_info_t in;
        uint32_t at;
        assert_int_equal(fwimage_find_info(&m, &in, &at, err, sizeof err), 1);
        assert_int_equal(at, l.flash_base + l.info_off);
        char line[400];
        assert_int_equal(fwimage_config_summary(&m, &in, line, sizeof line), 1);
        assert_non_null(strstr(line, "\"test4x10\" by Kestrel tests, keymap \"default\""));
        assert_non_null(strstr(line, "4x10 col2row matrix, 40 keys, 3 layers"));
        fwcheck_t r;
        fwcheck_init(&r);
        if (target == FW_TARGET_RP2040) fwimage_check_rp2040(&m, &r);
        else if (target == FW_TARGET_RP2350) fwimage_check_rp2350(&m, &r);
        else fwimage_check_avr(&m, boot, &r);
        for (int i = 0; i < r.n; i++)
            if (r.msg[i].level == FWCHK_ERR) fail_msg("%s", r.msg[i].text);
        assert_true(r.n >= 2);
        if (fmts[k] == FW_FORMAT_UF2) {
            uf2_file_t f;
            assert_true(uf2_read(out, len, &f, err, sizeof err));
            assert_int_equal(f.e10, target == FW_TARGET_RP2350);
            assert_int_equal(f.group[0].family, target == FW_TARGET_RP2040 ? UF2_FAMILY_RP2040
                                                                           : UF2_FAMILY_RP2350_ARM_S);
            /* whole sectors only (RP2040-E14) */
            for (size_t sg = 0; sg < f.group[0].mem.n; sg++) {
                assert_int_equal(f.group[0].mem.seg[sg].addr % 4096, 0);
                assert_int_equal(f.group[0].mem.seg[sg].len % 4096, 0);
            }
            uf2_file_free(&f);
        }
        if (fmts[k] == FW_FORMAT_BIN) assert_int_equal(len, l.config_addr + cl - l.flash_base);
        memimg_free(&m);
        free(out);
    }
}

static void builds_every_target(void **s)
{
    (void)s;
    build_target(FW_TARGET_RP2040, CFG_BOOT_RP2040);
    build_target(FW_TARGET_RP2350, CFG_BOOT_RP2040);
    build_target(FW_TARGET_ATMEGA32U4, CFG_BOOT_CATERINA);
    build_target(FW_TARGET_ATMEGA32U4, CFG_BOOT_HALFKAY);
}

static void refuses_with_numbers(void **s)
{
    (void)s;
    synth_layout_t l;
    synth_default_layout(FW_TARGET_ATMEGA32U4, &l);
    size_t fwlen = synth_firmware(FW_TARGET_ATMEGA32U4, &l, fw, sizeof fw);
    uint8_t *out;
    size_t len;
    char err[300];
    /* 8x30 matrix, 10 layers: 4,800 bytes of keymap alone */
    size_t big = synth_config(CFG_PROC_ATMEGA32U4, CFG_BOOT_CATERINA, 8, 30, 10, "big", cfgimg, sizeof cfgimg);
    assert_true(big > 4096);
    assert_false(fwimage_build(fw, fwlen, cfgimg, big, FW_FORMAT_HEX, &out, &len, err, sizeof err));
    char want[200], n1[32];
    snprintf(want, sizeof want,
             "config image is %s bytes; the atmega32u4 firmware's config region holds 4,096",
             fwimage_num(n1, sizeof n1, big));
    assert_string_equal(err, want);

    size_t cl = synth_config(CFG_PROC_RP2040, CFG_BOOT_RP2040, 4, 10, 2, "x", cfgimg, sizeof cfgimg);
    assert_false(fwimage_build(fw, fwlen, cfgimg, cl, FW_FORMAT_HEX, &out, &len, err, sizeof err));
    assert_string_equal(err, "the keyboard's processor is rp2040, but this firmware is for atmega32u4");

    cl = synth_config(CFG_PROC_ATMEGA32U4, CFG_BOOT_CATERINA, 4, 10, 2, "x", cfgimg, sizeof cfgimg);
    cfgimg[20] ^= 1; /* CRC covers bytes 16.. */
    assert_false(fwimage_build(fw, fwlen, cfgimg, cl, FW_FORMAT_HEX, &out, &len, err, sizeof err));
    assert_non_null(strstr(err, "refusing a bad config image: config image CRC mismatch"));

    /* A config region that ends past 28,672: fine for HalfKay, refused for Caterina. */
    l.config_addr = 0x6F00;
    l.config_max = 0x0E00; /* ends at 0x7D00 <= 32,256 */
    fwlen = synth_firmware(FW_TARGET_ATMEGA32U4, &l, fw, sizeof fw);
    cl = synth_config(CFG_PROC_ATMEGA32U4, CFG_BOOT_CATERINA, 4, 10, 2, "x", cfgimg, sizeof cfgimg);
    assert_false(fwimage_build(fw, fwlen, cfgimg, cl, FW_FORMAT_HEX, &out, &len, err, sizeof err));
    char b1[32];
    snprintf(want, sizeof want,
             "the image ends at byte %s (0x%04zX); with a 4 KB bootloader (Caterina, Atmel DFU) the "
             "application may use 28,672 bytes (0x0000-0x6FFF)",
             fwimage_num(b1, sizeof b1, 0x6F00 + cl), 0x6F00 + cl);
    assert_string_equal(err, want);
    cl = synth_config(CFG_PROC_ATMEGA32U4, CFG_BOOT_HALFKAY, 4, 10, 2, "x", cfgimg, sizeof cfgimg);
    assert_true(fwimage_build(fw, fwlen, cfgimg, cl, FW_FORMAT_HEX, &out, &len, err, sizeof err));
    free(out);
}

static void rejects_bad_info_blocks(void **s)
{
    (void)s;
    synth_layout_t l;
    synth_default_layout(FW_TARGET_RP2040, &l);
    size_t fwlen = synth_firmware(FW_TARGET_RP2040, &l, fw, sizeof fw);
    size_t cl = synth_config(CFG_PROC_RP2040, CFG_BOOT_RP2040, 4, 10, 2, "x", cfgimg, sizeof cfgimg);
    uint8_t *out;
    size_t len;
    char err[300];
    uint8_t *in = fw + l.info_off;
    wr32(in + 8, 2);
    assert_false(fwimage_build(fw, fwlen, cfgimg, cl, FW_FORMAT_UF2, &out, &len, err, sizeof err));
    assert_non_null(strstr(err, "has version 2; this kestrel reads version 1"));
    wr32(in + 8, 1);
    wr32(in + 24, l.flash_base + 0x100); /* config inside the code */
    assert_false(fwimage_build(fw, fwlen, cfgimg, cl, FW_FORMAT_UF2, &out, &len, err, sizeof err));
    assert_non_null(strstr(err, "starts inside the firmware"));
    wr32(in + 24, l.config_addr);
    wr32(in + 12, 9);
    assert_false(fwimage_build(fw, fwlen, cfgimg, cl, FW_FORMAT_UF2, &out, &len, err, sizeof err));
    assert_non_null(strstr(err, "unknown target 9"));
    wr32(in + 12, FW_TARGET_RP2040);
    memset(in, 0, 8);
    assert_false(fwimage_build(fw, fwlen, cfgimg, cl, FW_FORMAT_UF2, &out, &len, err, sizeof err));
    assert_non_null(strstr(err, "not a Kestrel generic firmware image"));
    assert_false(fwimage_build((const uint8_t *)"\x7f" "ELF....", 8, cfgimg, cl, FW_FORMAT_UF2, &out, &len, err, sizeof err));
    assert_non_null(strstr(err, "an ELF file"));
}

static void stale_config_bytes_are_blanked(void **s)
{
    (void)s;
    /* A firmware BIN that already covers its config region with old bytes. */
    synth_layout_t l;
    synth_default_layout(FW_TARGET_RP2040, &l);
    l.config_addr = 0x10003000u;
    l.config_max = 0x1000;
    l.image_len = 0x3000;
    synth_firmware(FW_TARGET_RP2040, &l, fw, sizeof fw);
    memset(fw + 0x3000, 0x42, 0x1000);
    size_t cl = synth_config(CFG_PROC_RP2040, CFG_BOOT_RP2040, 4, 10, 1, "x", cfgimg, sizeof cfgimg);
    uint8_t *out;
    size_t len;
    char err[300];
    assert_true(fwimage_build(fw, 0x4000, cfgimg, cl, FW_FORMAT_BIN, &out, &len, err, sizeof err));
    assert_int_equal(len, 0x4000);
    assert_memory_equal(out + 0x3000, cfgimg, cl);
    for (size_t i = 0x3000 + cl; i < 0x4000; i++) assert_int_equal(out[i], 0xFF);
    free(out);
}

static fwcheck_t check(uint32_t target, const uint8_t *img, size_t n)
{
    memimg_t m;
    memimg_init(&m);
    assert_true(memimg_add(&m, target == FW_TARGET_ATMEGA32U4 ? 0 : 0x10000000u, img, n, NULL));
    fwcheck_t r;
    fwcheck_init(&r);
    if (target == FW_TARGET_RP2040) fwimage_check_rp2040(&m, &r);
    else if (target == FW_TARGET_RP2350) fwimage_check_rp2350(&m, &r);
    else fwimage_check_avr(&m, CFG_BOOT_UNKNOWN, &r);
    memimg_free(&m);
    return r;
}

static void expect_error(fwcheck_t r, const char *want)
{
    for (int i = 0; i < r.n; i++)
        if (r.msg[i].level == FWCHK_ERR && strstr(r.msg[i].text, want)) return;
    for (int i = 0; i < r.n; i++) print_message("  [%d] %s\n", r.msg[i].level, r.msg[i].text);
    fail_msg("no error containing '%s'", want);
}

static void image_checks_catch_faults(void **s)
{
    (void)s;
    synth_layout_t l;
    synth_default_layout(FW_TARGET_RP2040, &l);
    size_t n = synth_firmware(FW_TARGET_RP2040, &l, fw, sizeof fw);
    assert_int_equal(check(FW_TARGET_RP2040, fw, n).errors, 0);
    fw[17] ^= 1;
    expect_error(check(FW_TARGET_RP2040, fw, n), "boot2: CRC");
    fw[17] ^= 1;
    wr32(fw + 0x100, 0x20050000u);
    expect_error(check(FW_TARGET_RP2040, fw, n), "initial SP 0x20050000 is outside SRAM");
    wr32(fw + 0x100, 0x20042000u);
    wr32(fw + 0x104, 0x100001C0u);
    expect_error(check(FW_TARGET_RP2040, fw, n), "lacks the Thumb bit");
    wr32(fw + 0x104, 0x10800001u);
    expect_error(check(FW_TARGET_RP2040, fw, n), "points outside the image");
    expect_error(check(FW_TARGET_RP2040, fw, 200), "does not cover 0x10000000..0x100000FF");

    synth_default_layout(FW_TARGET_RP2350, &l);
    n = synth_firmware(FW_TARGET_RP2350, &l, fw, sizeof fw);
    assert_int_equal(check(FW_TARGET_RP2350, fw, n).errors, 0);
    wr32(fw + 0x114, 0x10110142u); /* Non-secure */
    expect_error(check(FW_TARGET_RP2350, fw, n), "security Non-secure");
    wr32(fw + 0x114, 0x00210142u); /* chip RP2040 */
    expect_error(check(FW_TARGET_RP2350, fw, n), "chip 0 is not RP2350");
    wr32(fw + 0x114, 0x10210142u);
    wr32(fw + 0x118, 0x000002FFu); /* LAST says 2 words */
    expect_error(check(FW_TARGET_RP2350, fw, n), "no well-formed picobin block");
    wr32(fw + 0x118, 0x000001FFu);
    wr32(fw + 0x11C, 0x100); /* link to a block that is not there */
    expect_error(check(FW_TARGET_RP2350, fw, n), "block loop: no block start marker at 0x10000210");
    wr32(fw + 0x11C, 0);
    wr32(fw + 0x120, 0xAB123578u);
    expect_error(check(FW_TARGET_RP2350, fw, n), "no well-formed picobin block starts in the first 4 KB");
    wr32(fw + 0x120, 0xAB123579u);
    /* a block beyond the first 4 KB does not count */
    memmove(fw + 0x1100, fw + 0x110, 20);
    memset(fw + 0x110, 0, 20);
    expect_error(check(FW_TARGET_RP2350, fw, n), "no well-formed picobin block starts in the first 4 KB");
    memmove(fw + 0x110, fw + 0x1100, 20);
    wr32(fw + 0, 0x10000000u);
    expect_error(check(FW_TARGET_RP2350, fw, n), "initial SP 0x10000000 is outside SRAM");

    synth_default_layout(FW_TARGET_ATMEGA32U4, &l);
    n = synth_firmware(FW_TARGET_ATMEGA32U4, &l, fw, sizeof fw);
    assert_int_equal(check(FW_TARGET_ATMEGA32U4, fw, n).errors, 0);
    memset(fw, 0, 0x8000);
    expect_error(check(FW_TARGET_ATMEGA32U4, fw, 0x7F00), "overwrites any bootloader");
    fwcheck_t r = check(FW_TARGET_ATMEGA32U4, fw, 0x7000 + 2);
    assert_int_equal(r.errors, 0);
    assert_true(r.warnings >= 1); /* fits only HalfKay */
}

static void layout_hazards(void **s)
{
    (void)s;
    fw_info_t in = {0};
    in.target = FW_TARGET_RP2350;
    in.config_addr = 0x103FF000u; /* the last sector of a 4 MB Pico 2 */
    in.config_max = 0x1000;
    fwcheck_t r;
    fwcheck_init(&r);
    fwimage_check_layout(&in, &r);
    assert_int_equal(r.warnings, 1);
    assert_non_null(strstr(r.msg[0].text, "overlaps the last 4 KB of a 4 MB flash"));
    in.config_addr = 0x10040000u;
    in.config_max = 0x10000;
    fwcheck_init(&r);
    fwimage_check_layout(&in, &r);
    assert_int_equal(r.n, 0);
    in.target = FW_TARGET_RP2040;
    in.config_addr = 0x101FF000u; /* no E10 block on the RP2040 */
    in.config_max = 0x1000;
    fwcheck_init(&r);
    fwimage_check_layout(&in, &r);
    assert_int_equal(r.n, 0);
    in.config_addr = 0x10040100u;
    fwcheck_init(&r);
    fwimage_check_layout(&in, &r);
    assert_int_equal(r.warnings, 1);
    assert_non_null(strstr(r.msg[0].text, "is not on a 4 KB flash sector"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_mpeg2_check_value),
        cmocka_unit_test(numbers_have_separators),
        cmocka_unit_test(builds_every_target),
        cmocka_unit_test(refuses_with_numbers),
        cmocka_unit_test(rejects_bad_info_blocks),
        cmocka_unit_test(stale_config_bytes_are_blanked),
        cmocka_unit_test(image_checks_catch_faults),
        cmocka_unit_test(layout_hazards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
