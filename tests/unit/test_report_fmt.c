/* Report lines: formatting of every report kind, raw HID reports, and parsing of expected lines
 * (aliases, sets, times, errors with their offset). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tools/report_fmt.h"

static void set_key(report_t *r, uint8_t u)
{
    r->keys[u >> 3] |= (uint8_t)(1u << (u & 7));
}

static const char *fmt(const report_t *r, bool emulated)
{
    static char buf[256];
    report_format(r, emulated, buf, sizeof buf);
    return buf;
}

static void kbd_lines(void **state)
{
    (void)state;
    report_t r = {.kind = REPORT_KBD, .time_us = 120000};
    assert_string_equal(fmt(&r, false), "120 kbd -");
    r.mods = 0x02 | 0x80; /* LSFT RGUI */
    set_key(&r, 0x2F);    /* LEFT_BRACKET */
    set_key(&r, 0x04);    /* A */
    set_key(&r, 0x28);    /* ENTER */
    assert_string_equal(fmt(&r, false), "120 kbd LSFT RGUI A ENTER LEFT_BRACKET");
    r.time_us = 120250;
    assert_string_equal(fmt(&r, true), "120.250 kbd LSFT RGUI A ENTER LEFT_BRACKET");
    report_t m = {.kind = REPORT_KBD, .mods = 0xFF};
    assert_string_equal(fmt(&m, false), "0 kbd LCTL LSFT LALT LGUI RCTL RSFT RALT RGUI");
    report_t odd = {.kind = REPORT_KBD};
    set_key(&odd, 0xB0); /* not a keyboard usage QMK names */
    assert_string_equal(fmt(&odd, false), "0 kbd 0xB0");
}

static void usage_lines(void **state)
{
    (void)state;
    report_t c = {.kind = REPORT_CONSUMER, .time_us = 5000, .usage = 0xE9};
    assert_string_equal(fmt(&c, false), "5 consumer AUDIO_VOL_UP");
    c.usage = 0;
    assert_string_equal(fmt(&c, false), "5 consumer -");
    c.usage = 0x2A0;
    assert_string_equal(fmt(&c, false), "5 consumer LAUNCHPAD");
    c.usage = 0x123;
    assert_string_equal(fmt(&c, false), "5 consumer 0x123");
    report_t s = {.kind = REPORT_SYSTEM, .time_us = 7000, .usage = 0x82};
    assert_string_equal(fmt(&s, false), "7 system SYSTEM_SLEEP");
    enum report_kind page;
    assert_int_equal(report_kc_usage(0xA9, &page), 0xE9);
    assert_int_equal(page, REPORT_CONSUMER);
    assert_int_equal(report_kc_usage(0xA5, &page), 0x81);
    assert_int_equal(page, REPORT_SYSTEM);
    assert_int_equal(report_kc_usage(0x04, &page), 0);
}

static void mouse_and_action_lines(void **state)
{
    (void)state;
    report_t m = {.kind = REPORT_MOUSE, .time_us = 11000, .buttons = 1, .x = -8, .y = 127,
                  .v = -1, .h = 2};
    assert_string_equal(fmt(&m, false), "11 mouse b=1 x=-8 y=127 v=-1 h=2");
    report_t a = {.kind = REPORT_ACTION, .usage = 0x7C00};
    assert_string_equal(fmt(&a, false), "0 action QK_BOOTLOADER");
}

static void raw_reports(void **state)
{
    (void)state;
    report_t r;
    const uint8_t boot[8] = {0x02, 0, 0x05, 0x04, 0, 0, 0, 0};
    assert_true(report_from_raw(&r, REPORT_RAW_BOOT_KBD, boot, 8, 1500));
    assert_string_equal(fmt(&r, true), "1.500 kbd LSFT A B");
    assert_false(report_from_raw(&r, REPORT_RAW_BOOT_KBD, boot, 7, 0));
    uint8_t nkro[17] = {0x01};
    nkro[1 + (0x04 >> 3)] |= 1u << (0x04 & 7);
    nkro[1 + (0x1D >> 3)] |= 1u << (0x1D & 7);
    assert_true(report_from_raw(&r, REPORT_RAW_NKRO, nkro, sizeof nkro, 2000));
    assert_string_equal(fmt(&r, false), "2 kbd LCTL A Z");
    const uint8_t cons[2] = {0xE9, 0x00};
    assert_true(report_from_raw(&r, REPORT_RAW_CONSUMER, cons, 2, 0));
    assert_string_equal(fmt(&r, false), "0 consumer AUDIO_VOL_UP");
    const uint8_t sys[1] = {0x81};
    assert_true(report_from_raw(&r, REPORT_RAW_SYSTEM, sys, 1, 0));
    assert_string_equal(fmt(&r, false), "0 system SYSTEM_POWER");
    const uint8_t mouse[5] = {0x03, 0xF8, 0x02, 0x01, 0xFF};
    assert_true(report_from_raw(&r, REPORT_RAW_MOUSE, mouse, 5, 0));
    assert_string_equal(fmt(&r, false), "0 mouse b=3 x=-8 y=2 v=1 h=-1");
    assert_false(report_from_raw(&r, REPORT_RAW_MOUSE, mouse, 3, 0));
}

static report_expect_t parse_ok(const char *s)
{
    report_expect_t e;
    report_parse_error_t err = {0};
    if (!report_parse(s, strlen(s), &e, &err)) fail_msg("'%s': %s", s, err.msg);
    return e;
}

static void parse_and_match(void **state)
{
    (void)state;
    report_t a = {.kind = REPORT_KBD, .time_us = 200000, .mods = 0x02};
    set_key(&a, 0x28);
    set_key(&a, 0x29);
    report_expect_t e = parse_ok("200 kbd ESC LSFT ENT");
    assert_true(e.has_time);
    assert_true(report_matches(&e, &a, 0));
    e = parse_ok("200 kbd KC_LSFT KC_ESCAPE ENTER");
    assert_true(report_matches(&e, &a, 0));
    e = parse_ok("kbd LEFT_SHIFT ESCAPE ENTER");
    assert_false(e.has_time);
    assert_true(report_matches(&e, &a, 0));
    e = parse_ok("201 kbd LSFT ENT ESC");
    assert_false(report_matches(&e, &a, 0));
    assert_true(report_matches(&e, &a, 2000));
    e = parse_ok("202.001 kbd LSFT ENT ESC");
    assert_false(report_matches(&e, &a, 2000));
    e = parse_ok("200 kbd LSFT ENT");
    assert_false(report_matches(&e, &a, 0));
    e = parse_ok("  7   kbd   -  ");
    report_t empty = {.kind = REPORT_KBD, .time_us = 7000};
    assert_true(report_matches(&e, &empty, 0));

    report_t c = {.kind = REPORT_CONSUMER, .time_us = 5000, .usage = 0xE9};
    assert_true(report_matches((e = parse_ok("5 consumer VOLU"), &e), &c, 0));
    assert_true(report_matches((e = parse_ok("5 consumer KC_AUDIO_VOL_UP"), &e), &c, 0));
    assert_true(report_matches((e = parse_ok("consumer 0xE9"), &e), &c, 0));
    report_t s = {.kind = REPORT_SYSTEM, .usage = 0x82};
    assert_true(report_matches((e = parse_ok("0 system SLEP"), &e), &s, 0));
    report_t m = {.kind = REPORT_MOUSE, .buttons = 1, .y = -8};
    assert_true(report_matches((e = parse_ok("0 mouse b=1 x=0 y=-8 v=0 h=0"), &e), &m, 0));
    assert_true(report_matches((e = parse_ok("mouse y=-8 b=1"), &e), &m, 0));
    report_t act = {.kind = REPORT_ACTION, .usage = 0x7C00};
    assert_true(report_matches((e = parse_ok("0 action QK_BOOT"), &e), &act, 0));
    assert_true(report_matches((e = parse_ok("action RESET"), &e), &act, 0));
    assert_false(report_matches((e = parse_ok("action QK_RBT"), &e), &act, 0));
}

static void parse_errors(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        size_t offset;
        const char *needle;
    } bad[] = {
        {"200 kbd ENTR", 8, "unknown key name 'ENTR'"},
        {"200 kbd A -", 10, "must be alone"},
        {"200 kbd", 7, "expected key names"},
        {"200 kbd VOLU", 8, "not a key of the keyboard report"},
        {"200 kbd A A", 10, "listed twice"},
        {"2x0 kbd A", 0, "bad time"},
        {"20.1234 kbd A", 0, "bad time"},
        {"200 keyboard A", 4, "unknown report kind"},
        {"200", 3, "expected kbd"},
        {"5 consumer SLEP", 11, "not a consumer usage"},
        {"5 consumer VOLU VOLD", 16, "one usage"},
        {"5 system", 8, "expected a system usage"},
        {"0 mouse b=1 q=2", 12, "expected b=, x="},
        {"0 mouse x=200", 10, "bad value '200'"},
        {"0 mouse x=1 x=2", 12, "given twice"},
        {"0 action", 8, "expected a keycode"},
        {"0 action KC_NOPE", 9, "unknown keycode"},
        {"", 0, "empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        report_expect_t e;
        report_parse_error_t err = {0};
        if (report_parse(bad[i].line, strlen(bad[i].line), &e, &err))
            fail_msg("'%s' parsed but should not", bad[i].line);
        if (!strstr(err.msg, bad[i].needle))
            fail_msg("'%s': message '%s' lacks '%s'", bad[i].line, err.msg, bad[i].needle);
        if (err.offset != bad[i].offset)
            fail_msg("'%s': offset %zu, expected %zu", bad[i].line, err.offset, bad[i].offset);
    }
}

static void names(void **state)
{
    (void)state;
    char buf[32];
    report_key_name(0xE1, buf, sizeof buf); /* a modifier in the key array is a raw usage */
    assert_string_equal(buf, "0xE1");
    report_t k = {.kind = REPORT_KBD};
    set_key(&k, 0xE1);
    report_expect_t e;
    report_parse_error_t err;
    assert_true(report_parse("kbd 0xE1", 8, &e, &err));
    assert_true(report_same(&e.r, &k));
    assert_int_equal(e.r.mods, 0);
    assert_false(report_parse("kbd LSFT LEFT_SHIFT", 19, &e, &err));
    assert_non_null(strstr(err.msg, "listed twice"));
    report_key_name(0x33, buf, sizeof buf);
    assert_string_equal(buf, "SEMICOLON");
    report_usage_name(REPORT_SYSTEM, 0x83, buf, sizeof buf);
    assert_string_equal(buf, "SYSTEM_WAKE");
    report_usage_name(REPORT_CONSUMER, 0x81, buf, sizeof buf); /* a system usage on the wrong page */
    assert_string_equal(buf, "0x081");
    /* truncation keeps the string terminated */
    report_t r = {.kind = REPORT_KBD, .mods = 0xFF};
    char small[8];
    report_format(&r, false, small, sizeof small);
    assert_int_equal(strlen(small), sizeof small - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kbd_lines),        cmocka_unit_test(usage_lines),
        cmocka_unit_test(mouse_and_action_lines), cmocka_unit_test(raw_reports),
        cmocka_unit_test(parse_and_match),  cmocka_unit_test(parse_errors),
        cmocka_unit_test(names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
