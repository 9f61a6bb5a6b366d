/* Intel HEX: bit-exact round trips on random images (gaps, 64 KB banks, high addresses), the
 * reference record from hw/atmega32u4.md, segment addressing, and every fault named by line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tools/ihex.h"
#include "tools/memimg.h"

static uint32_t rng = 1;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static void random_image(memimg_t *m, uint32_t lo, uint32_t span, unsigned runs, unsigned maxlen)
{
    memimg_init(m);
    static uint8_t buf[70000];
    for (unsigned r = 0; r < runs; r++) {
        uint32_t n = 1 + rnd() % maxlen;
        uint32_t a = lo + rnd() % (span - n);
        for (uint32_t i = 0; i < n; i++) buf[i] = (uint8_t)rnd();
        if (memimg_has(m, a, 1)) continue;
        uint32_t clash;
        while (n && !memimg_add(m, a, buf, n, &clash)) n = clash - a;
    }
}

static void roundtrip(uint32_t lo, uint32_t span, unsigned maxlen, unsigned reclen)
{
    for (int iter = 0; iter < 40; iter++) {
        memimg_t m;
        random_image(&m, lo, span, 1 + rnd() % 10, maxlen);
        ihex_opts_t o = {reclen, iter % 4 == 0, iter % 8 == 0 ? 3 : 5, rnd()};
        char *txt, *txt2, err[300];
        size_t len, len2;
        assert_true(ihex_write(&m, &o, &txt, &len, err, sizeof err));
        ihex_file_t f;
        if (!ihex_read("t.hex", (const uint8_t *)txt, len, &f, err, sizeof err)) fail_msg("%s", err);
        assert_true(memimg_equal(&f.mem, &m));
        assert_true(f.crlf);
        assert_true(f.max_record <= reclen);
        assert_int_equal(f.has_start, o.has_start);
        if (o.has_start) {
            assert_int_equal(f.start, o.start);
            assert_int_equal(f.start_type, o.start_type);
        }
        assert_int_equal(f.used_linear, memimg_hi(&m) > 0x10000u);
        ihex_opts_t o2 = {reclen, f.has_start, f.start_type, f.start};
        assert_true(ihex_write(&f.mem, &o2, &txt2, &len2, err, sizeof err));
        assert_int_equal(len2, len);
        assert_memory_equal(txt2, txt, len);
        free(txt);
        free(txt2);
        ihex_file_free(&f);
        memimg_free(&m);
    }
}

static void roundtrips(void **s)
{
    (void)s;
    rng = 3;
    roundtrip(0, 0x8000, 3000, 16);          /* ATmega32U4 flash */
    roundtrip(0, 0x8000, 40, 32);
    roundtrip(0x0000F000u, 0x30000, 70000, 16); /* runs crossing 64 KB banks */
    roundtrip(0x10000000u, 0x200000, 5000, 32); /* RP2 flash addresses */
    roundtrip(0xFFFE0000u, 0x20000, 5000, 255); /* the top of 4 GB */
}

static void reference_record(void **s)
{
    (void)s;
    const char *t = ":100000000C9490000C94AD000C94AD000C94AD00D9\n:00000001FF\n";
    ihex_file_t f;
    char err[200];
    assert_true(ihex_read("ref.hex", (const uint8_t *)t, strlen(t), &f, err, sizeof err));
    static const uint8_t want[16] = {0x0C, 0x94, 0x90, 0x00, 0x0C, 0x94, 0xAD, 0x00,
                                     0x0C, 0x94, 0xAD, 0x00, 0x0C, 0x94, 0xAD, 0x00};
    assert_int_equal(f.mem.n, 1);
    assert_int_equal(f.mem.seg[0].addr, 0);
    assert_int_equal(f.mem.seg[0].len, 16);
    assert_memory_equal(f.mem.seg[0].data, want, 16);
    assert_false(f.crlf);
    /* and we write it the same way (plus CRLF, as avr-objcopy does) */
    ihex_opts_t o = {16, false, 0, 0};
    char *out;
    size_t len;
    assert_true(ihex_write(&f.mem, &o, &out, &len, err, sizeof err));
    const char *w = ":100000000C9490000C94AD000C94AD000C94AD00D9\r\n:00000001FF\r\n";
    assert_int_equal(len, strlen(w));
    assert_memory_equal(out, w, len);
    free(out);
    ihex_file_free(&f);
}

static void segment_and_linear_addresses(void **s)
{
    (void)s;
    /* 02 1000 -> base 0x10000; a record at FFFE with 4 bytes wraps inside the segment. */
    const char *t = ":020000021000EC\n"
                    ":04FFFE00AABBCCDDF1\n"
                    ":020000040002F8\n"
                    ":01001000559A\n"
                    ":0400000512345678E3\n"
                    ":00000001FF\n";
    ihex_file_t f;
    char err[200];
    if (!ihex_read("seg.hex", (const uint8_t *)t, strlen(t), &f, err, sizeof err)) fail_msg("%s", err);
    uint8_t b[2];
    assert_true(memimg_has(&f.mem, 0x1FFFE, 2));
    memimg_read(&f.mem, 0x1FFFE, b, 2, 0);
    assert_int_equal(b[0], 0xAA);
    assert_int_equal(b[1], 0xBB);
    assert_true(memimg_has(&f.mem, 0x10000, 2)); /* wrapped */
    memimg_read(&f.mem, 0x10000, b, 2, 0);
    assert_int_equal(b[0], 0xCC);
    assert_int_equal(b[1], 0xDD);
    assert_true(memimg_has(&f.mem, 0x20010, 1));
    assert_true(f.used_segment && f.used_linear && f.has_start);
    assert_int_equal(f.start, 0x12345678u);
    ihex_file_free(&f);
}

static void expect_reject(const char *text, const char *want)
{
    ihex_file_t f;
    char err[300] = "";
    if (ihex_read("bad.hex", (const uint8_t *)text, strlen(text), &f, err, sizeof err))
        fail_msg("accepted (expected '%s')", want);
    if (!strstr(err, want)) fail_msg("message '%s' lacks '%s'", err, want);
    assert_int_equal(f.mem.n, 0);
}

static void faults_named(void **s)
{
    (void)s;
    const char *rec = ":100000000C9490000C94AD000C94AD000C94AD00D9\r\n";
    char t[600];
    snprintf(t, sizeof t, "%s:00000001FF\r\n", rec);
    t[42] = '8'; /* checksum D9 -> D8 */
    expect_reject(t, "bad.hex:1:42: checksum 0xD8, expected 0xD9");
    snprintf(t, sizeof t, "%s", rec);
    expect_reject(t, "bad.hex:2:1: no end-of-file record");
    snprintf(t, sizeof t, "%s:00000001FF\r\n%s", rec, rec);
    expect_reject(t, "bad.hex:3:1: text after the end-of-file record");
    snprintf(t, sizeof t, "%s:00000001FF\r\n", rec);
    t[10] = 'G';
    expect_reject(t, "bad.hex:1:11: 'G' is not a hex digit");
    expect_reject("100000000C94\n:00000001FF\n", "bad.hex:1:1: a record starts with ':'");
    expect_reject(":0000000\n:00000001FF\n", "bad.hex:1:9: record too short");
    expect_reject(":00000001FFF\n", "odd number of hex digits");
    expect_reject(":02000000FE\n:00000001FF\n", "bad.hex:1:2: byte count says 2 data bytes, the record holds 0");
    snprintf(t, sizeof t, "%s%s:00000001FF\r\n", rec, rec);
    expect_reject(t, "bad.hex:2:4: data at 0x0000 overlaps bytes already set");
    expect_reject(":00000006FA\n:00000001FF\n", "bad.hex:1:8: unknown record type 0x06");
    expect_reject(":0100000400FB\n:00000001FF\n", "extended linear address record with 1 data bytes (must be 2)");
    expect_reject(":020001040000F9\n:00000001FF\n", "extended linear address record with address 0x0001");
    expect_reject(":0100000100FE\n", "end-of-file record with 1 data bytes");
    expect_reject(":0400000500000000F7\n:0400000500000000F7\n:00000001FF\n", "bad.hex:2:8: a second start address record");
    expect_reject("", "bad.hex:1:1: no end-of-file record");
}

static void blank_lines_tolerated(void **s)
{
    (void)s;
    const char *t = "\n:0100000055AA\n\n:00000001FF\n\n  \n";
    ihex_file_t f;
    char err[200];
    if (!ihex_read("b.hex", (const uint8_t *)t, strlen(t), &f, err, sizeof err)) fail_msg("%s", err);
    assert_int_equal(memimg_bytes(&f.mem), 1);
    ihex_file_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roundtrips),
        cmocka_unit_test(reference_record),
        cmocka_unit_test(segment_and_linear_addresses),
        cmocka_unit_test(faults_named),
        cmocka_unit_test(blank_lines_tolerated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
