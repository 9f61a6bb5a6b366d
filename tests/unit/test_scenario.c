/* Scenario parser: statements, the timeline events make, keycode splitting, and a precise
 * line:col for every kind of syntax error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tools/scenario.h"

static bool parse(scn_t *s, const char *text, enum scn_mode mode, scn_error_t *err)
{
    return scn_parse(s, "dir/test.scn", text, strlen(text), mode, err);
}

static bool text_is(const scn_text_t *t, const char *want)
{
    return t->n == strlen(want) && memcmp(t->s, want, t->n) == 0;
}

static void full_scenario(void **state)
{
    (void)state;
    const char *text =
        "# comment\n"
        "keyboard ../kb/keyboard.json   # trailing comment\n"
        "layer 0 LSFT_T(KC_P) LT(1, KC_SPC)  MT(MOD_LCTL | MOD_LSFT,KC_ESC)\n"
        "layer 1 KC_TRNS\n"
        "config tapping.term 180\n"
        "config tapping.per_key {\"LSFT_T(KC_P)\": {\"term\": 150}, \"x\": \"#not a comment\"}\n"
        "\r\n"
        "press 0,0\n"
        "wait 201\n"
        "tap 1 , 2 30\n"
        "tap 3,4\n"
        "release 0,0\n"
        "expect\n"
        "200 kbd LSFT   # shift\n"
        "\n"
        "kbd -\n"
        "end\n";
    scn_t s;
    scn_error_t err;
    if (!parse(&s, text, SCN_SCENARIO, &err)) fail_msg("%d:%d: %s", err.line, err.col, err.msg);
    assert_true(s.has_keyboard);
    assert_true(text_is(&s.keyboard, "../kb/keyboard.json"));
    char *kb = scn_resolve_path(&s, &s.keyboard);
    assert_string_equal(kb, "dir/../kb/keyboard.json");
    free(kb);
    assert_int_equal(s.nlayers, 2);
    assert_int_equal(s.layers[0].nkc, 3);
    assert_true(text_is(&s.layers[0].kc[1], "LT(1, KC_SPC)"));
    assert_int_equal(s.layers[0].kc[1].col, 22);
    assert_true(text_is(&s.layers[0].kc[2], "MT(MOD_LCTL | MOD_LSFT,KC_ESC)"));
    assert_int_equal(s.layers[1].layer, 1);
    assert_int_equal(s.nconfigs, 2);
    assert_true(text_is(&s.configs[0].key, "tapping.term"));
    assert_true(text_is(&s.configs[0].value, "180"));
    assert_true(text_is(&s.configs[1].value,
                        "{\"LSFT_T(KC_P)\": {\"term\": 150}, \"x\": \"#not a comment\"}"));
    assert_int_equal(s.configs[1].value.line, 6);
    assert_int_equal(s.nevents, 6);
    const struct { uint32_t t; unsigned r, c; bool down; } want[] = {
        {0, 0, 0, true}, {201, 1, 2, true}, {231, 1, 2, false},
        {231, 3, 4, true}, {232, 3, 4, false}, {232, 0, 0, false}};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(s.events[i].time_ms, want[i].t);
        assert_int_equal(s.events[i].row, want[i].r);
        assert_int_equal(s.events[i].col, want[i].c);
        assert_int_equal(s.events[i].pressed, want[i].down);
    }
    assert_int_equal(s.end_ms, 232);
    assert_true(s.has_expect);
    assert_int_equal(s.nexpect, 2);
    assert_true(s.expect[0].e.has_time);
    assert_int_equal(s.expect[0].e.r.mods, 0x02);
    assert_false(s.expect[1].e.has_time);
    assert_false(s.has_expect_error);
    scn_free(&s);
}

static void expect_error_block(void **state)
{
    (void)state;
    const char *text = "layer 0 KC_ENTR\nexpect-error\nunknown keycode 'KC_ENTR'\n:1:9:\nend\n";
    scn_t s;
    scn_error_t err;
    assert_true(parse(&s, text, SCN_SCENARIO, &err));
    assert_false(s.has_keyboard);
    assert_true(s.has_expect_error);
    assert_int_equal(s.nexpect_error, 2);
    assert_true(text_is(&s.expect_error[0], "unknown keycode 'KC_ENTR'"));
    scn_free(&s);
}

static void event_script(void **state)
{
    (void)state;
    scn_t s;
    scn_error_t err;
    assert_true(parse(&s, "config tapping.term 150\npress 0,1\nwait 5\nrelease 0,1\n", SCN_EVENTS,
                      &err));
    assert_int_equal(s.nevents, 2);
    assert_int_equal(s.nconfigs, 1);
    scn_free(&s);
    /* an empty script is a valid run with no events */
    assert_true(parse(&s, "", SCN_EVENTS, &err));
    assert_int_equal(s.nevents, 0);
    scn_free(&s);
}

static void errors(void **state)
{
    (void)state;
    static const struct {
        enum scn_mode mode;
        const char *text;
        int line, col;
        const char *needle;
    } bad[] = {
        {SCN_SCENARIO, "frobnicate 1\nexpect\nend\n", 1, 1, "unknown statement 'frobnicate'"},
        {SCN_SCENARIO, "press 0\nexpect\nend\n", 1, 7, "expected a key position"},
        {SCN_SCENARIO, "press a,b\nexpect\nend\n", 1, 7, "expected a key position"},
        {SCN_SCENARIO, "press 0,0\npress 0,0\nexpect\nend\n", 2, 7, "already pressed (since line 1)"},
        {SCN_SCENARIO, "release 1,1\nexpect\nend\n", 1, 9, "not pressed"},
        {SCN_SCENARIO, "wait -5\nexpect\nend\n", 1, 6, "expected a time"},
        {SCN_SCENARIO, "wait 5ms\nexpect\nend\n", 1, 6, "expected a time"},
        {SCN_SCENARIO, "tap 0,0 x\nexpect\nend\n", 1, 9, "hold time"},
        {SCN_SCENARIO, "press 0,0 extra\nexpect\nend\n", 1, 11, "unexpected 'extra'"},
        {SCN_SCENARIO, "layer 0 LT(1,KC_A\nexpect\nend\n", 1, 11, "'(' is not closed"},
        {SCN_SCENARIO, "layer 0 KC_A)\nexpect\nend\n", 1, 13, "')' without"},
        {SCN_SCENARIO, "layer 32 KC_A\nexpect\nend\n", 1, 7, "layer number 0..31"},
        {SCN_SCENARIO, "layer 0 KC_A\nlayer 0 KC_B\nexpect\nend\n", 2, 7, "already given on line 1"},
        {SCN_SCENARIO, "keymap k.json\nlayer 0 KC_A\nexpect\nend\n", 2, 1, "cannot be combined"},
        {SCN_SCENARIO, "keyboard a\nkeyboard b\nexpect\nend\n", 2, 1, "given twice"},
        {SCN_SCENARIO, "config tapping.term\nexpect\nend\n", 1, 20, "expected a JSON value"},
        {SCN_SCENARIO, "expect\n10 kbd NOPE\nend\n", 2, 8, "unknown key name 'NOPE'"},
        {SCN_SCENARIO, "expect\n10 kbd A\n", 1, 1, "not closed with 'end'"},
        {SCN_SCENARIO, "expect\nend\nexpect\nend\n", 3, 1, "a second 'expect' block"},
        {SCN_SCENARIO, "expect\nend\nexpect-error\nx\nend\n", 3, 1, "either 'expect' or"},
        {SCN_SCENARIO, "expect-error\nend\n", 1, 1, "is empty"},
        {SCN_SCENARIO, "end\n", 1, 1, "'end' without"},
        {SCN_SCENARIO, "press 0,0\n", 1, 1, "no 'expect'"},
        {SCN_SCENARIO, "expect\nend extra\n", 2, 5, "unexpected 'extra'"},
        {SCN_EVENTS, "layer 0 KC_A\n", 1, 1, "not allowed in an event script"},
        {SCN_EVENTS, "press 0,0\nconfig tapping.term 100\n", 2, 1, "before the first event"},
        {SCN_SCENARIO, "wait 3600000\nwait 1\nexpect\nend\n", 2, 6, "would pass"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        scn_t s;
        scn_error_t err;
        bool ok = parse(&s, bad[i].text, bad[i].mode, &err);
        scn_free(&s);
        if (ok) fail_msg("case %zu parsed but should not", i);
        if (!strstr(err.msg, bad[i].needle))
            fail_msg("case %zu: message '%s' lacks '%s'", i, err.msg, bad[i].needle);
        if (err.line != bad[i].line || err.col != bad[i].col)
            fail_msg("case %zu: at %d:%d, expected %d:%d (%s)", i, err.line, err.col, bad[i].line,
                     bad[i].col, err.msg);
    }
}

static void nul_byte(void **state)
{
    (void)state;
    scn_t s;
    scn_error_t err;
    assert_false(scn_parse(&s, "x.scn", "press\0", 6, SCN_SCENARIO, &err));
    assert_non_null(strstr(err.msg, "NUL"));
    scn_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(full_scenario), cmocka_unit_test(expect_error_block),
        cmocka_unit_test(event_script),  cmocka_unit_test(errors),
        cmocka_unit_test(nul_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
