/* config/json: exact positions, strictness, QMK's leniency, accessors, and the QMK-tree merge
 * of the loader (the more specific file wins; layouts merge key by key). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config/json.h"
#include "config/load.h"

static jsmntok_t pool[256];
static json_doc_t doc;
static diag_t d;

static bool parse(const char *s)
{
    diag_init(&d);
    return json_parse(&doc, "t.json", s, strlen(s), 1, 1, pool, 256, &d);
}

static void error_positions(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
        int line, col;
    } cases[] = {
        {"{\"a\": 1,\n \"b\" 2}", "expected ':'", 2, 6},
        {"[1, 2\n  3]", "expected ',' or ']'", 2, 3},
        {"{\"k\": \"caf\xC3\xA9\", \"x\": tru}", "unexpected word", 1, 20}, /* é is one column */
        {"{\"a\": [1, 2}", "does not match the '['", 1, 12},
        {"{\"a\": 01}", "leading zeros", 1, 7},
        {"\t{\"a\": \"x\\u12G4\"}", "four hex digits", 1, 10},
        {"{\"a\": 1} x", "after the end", 1, 10},
        {"{\"a\":\n\n", "unexpected end of file", 1, 1},
        {"{\"a\": \"\xFF\"}", "invalid UTF-8", 1, 8},
        {"{\"a\": -}", "invalid number", 1, 7},
        {"{\"a\": 1.}", "invalid number", 1, 7},
        {"{\"a\" : \"x\ny\"}", "not closed before the end of the line", 1, 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_false(parse(cases[i].text));
        assert_int_equal(d.errors, 1);
        assert_non_null(strstr(d.msg[0].text, cases[i].msg));
        assert_int_equal(d.msg[0].line, cases[i].line);
        assert_int_equal(d.msg[0].col, cases[i].col);
    }
}

static void fragments_keep_their_place(void **state)
{
    (void)state;
    diag_init(&d);
    /* a scenario line: `config tapping.term {x` with the value at line 12, column 20 */
    assert_false(json_parse(&doc, "s.scn", "{x", 2, 12, 20, pool, 256, &d));
    assert_int_equal(d.msg[0].line, 12);
    assert_int_equal(d.msg[0].col, 21);
    /* a bare number at the root (jsmn's strict mode cannot tokenise it alone) */
    diag_init(&d);
    assert_true(json_parse(&doc, "s.scn", "180", 3, 1, 1, pool, 256, &d));
    long v;
    assert_true(json_get_int(&doc, 0, 0, 1000, &v, "x", &d));
    assert_int_equal(v, 180);
}

static void relax_keeps_positions(void **state)
{
    (void)state;
    char text[] = "{ // comment\n  \"a\": [1, 2,], /* block\n */ \"b\": \"#not a comment\", # hash\n}";
    size_t n = strlen(text);
    assert_int_not_equal(json_relax(text, n), (size_t)-1);
    assert_int_equal(strlen(text), n);
    assert_true(parse(text));
    int b = json_get(&doc, 0, "b");
    assert_true(json_str_eq(&doc, b, "#not a comment"));
    int line, col;
    json_pos(&doc, (size_t)doc.tok[b].start, &line, &col);
    assert_int_equal(line, 3);
    assert_int_equal(col, 11);
    char plain[] = "{\"a\": \"// no\"}";
    assert_int_equal(json_relax(plain, strlen(plain)), (size_t)-1);
}

static void accessors(void **state)
{
    (void)state;
    assert_true(parse("{\"s\": \"a\\u00e9\\ud83d\\ude00\\n\", \"n\": [1, {\"x\": true}, null], "
                      "\"s\": \"second\"}"));
    assert_int_equal(d.warnings, 1); /* duplicate "s" */
    assert_non_null(strstr(d.msg[0].text, "duplicate key 's'"));
    int s = json_get(&doc, 0, "s");
    assert_true(json_str_eq(&doc, s, "second")); /* the later one wins */
    int first = json_first(&doc, 0) + 1;
    char buf[32];
    assert_true(json_str(&doc, first, buf, sizeof buf));
    assert_string_equal(buf, "a\xC3\xA9\xF0\x9F\x98\x80\n");
    assert_false(json_str(&doc, first, buf, 4)); /* does not fit: truncated, terminated */
    assert_int_equal(strlen(buf), 3);
    int arr = json_get(&doc, 0, "n");
    assert_int_equal(json_size(&doc, arr), 3);
    assert_int_equal(json_type(&doc, json_elem(&doc, arr, 1)), JSON_OBJECT);
    assert_int_equal(json_type(&doc, json_elem(&doc, arr, 2)), JSON_NULL);
    assert_int_equal(json_elem(&doc, arr, 3), -1);
    bool b;
    assert_true(json_get_bool(&doc, json_get(&doc, json_elem(&doc, arr, 1), "x"), &b, "x", &d));
    assert_true(b);
    long v;
    assert_false(json_get_int(&doc, json_elem(&doc, arr, 2), 0, 5, &v, "n[2]", &d));
    assert_non_null(strstr(d.msg[d.n - 1].text, "n[2] must be a number, not null"));
}

static void too_many_tokens_and_depth(void **state)
{
    (void)state;
    diag_init(&d);
    assert_false(json_parse(&doc, "t.json", "[1,2,3,4]", 9, 1, 1, pool, 3, &d));
    assert_non_null(strstr(d.msg[0].text, "too many JSON values"));
    char deep[200];
    memset(deep, '[', 70);
    memset(deep + 70, ']', 70);
    deep[140] = 0;
    assert_false(parse(deep));
    assert_non_null(strstr(d.msg[0].text, "nesting deeper than 64"));
    assert_int_equal(d.msg[0].col, 65);
}

static cfg_model_t m;

static void qmk_tree_merge(void **state)
{
    (void)state;
    /* gherkin: info.json (name, usb, layout) + kb2040/keyboard.json (board, pins) */
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "tests/corpus/qmk/keyboards/40percentclub/gherkin/kb2040", &d));
    assert_string_equal(m.name, "Gherkin");
    assert_int_equal(m.vid, 0x4025);
    assert_int_equal(m.processor, CFG_PROC_RP2040);
    assert_int_equal(m.rows, 5);
    assert_int_equal(m.cols, 6);
    assert_int_equal(m.row_pins[0], 26);
    assert_int_equal(m.nkeys, 30);
    /* the same folder through its file, and the Pro Micro variant with AVR pins */
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "tests/corpus/qmk/keyboards/40percentclub/gherkin/pro_micro/keyboard.json", &d));
    assert_int_equal(m.processor, CFG_PROC_ATMEGA32U4);
    assert_int_equal(m.bootloader, CFG_BOOT_CATERINA);
    assert_int_equal(m.col_pins[0], (1 << 3) | 4); /* B4 */
    /* a file of the tree that is not JSON stands for its folder; this one has no definitions */
    diag_init(&d);
    assert_false(cfg_load_keyboard(&m, "tests/corpus/qmk/MANIFEST.md", &d));
    assert_non_null(strstr(d.msg[0].text, "its folder holds no keyboard.json or info.json"));
    /* a four-level chain: bastardkb/info.json .. dilemma/3x5_2/promicro, split doubles the rows */
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "tests/corpus/qmk/keyboards/bastardkb/dilemma/3x5_2/promicro", &d));
    assert_string_equal(m.manufacturer, "Bastard Keyboards");
    assert_int_equal(m.rows, 8);
    assert_int_equal(m.nkeys, 34);
    /* the keymap's config overrides the keyboard */
    assert_true(cfg_load_keymap(&m, "tests/corpus/qmk/keyboards/handwired/onekey/keymaps/default/keymap.json", &d) == false);
    assert_int_equal(m.settings[CFG_TAPPING_TERM], 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_positions),
        cmocka_unit_test(fragments_keep_their_place),
        cmocka_unit_test(relax_keeps_positions),
        cmocka_unit_test(accessors),
        cmocka_unit_test(too_many_tokens_and_depth),
        cmocka_unit_test(qmk_tree_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
