/* The loader API as the scenario runner and `kestrel check` use it: builtin keyboards, keymaps
 * from text, dotted overrides, per-key settings, macros, and the errors each path reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/load.h"
#include "core/cfg.h"
#include "config/avr_images.h"
#include "core/features.h"

static cfg_model_t m;
static diag_t d;
static uint8_t img[CFG_MAX_IMAGE];

static bool has_msg(const char *needle)
{
    for (int i = 0; i < d.n; i++)
        if (strstr(d.msg[i].text, needle)) return true;
    return false;
}

static const diag_msg_t *find_msg(const char *needle)
{
    for (int i = 0; i < d.n; i++)
        if (strstr(d.msg[i].text, needle)) return &d.msg[i];
    return NULL;
}

static bool set(const char *name, const char *json)
{
    return cfg_apply_setting(&m, name, json, strlen(json), "t.scn", 7, 20, &d);
}

static void builtin_test4x10(void **state)
{
    (void)state;
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "builtin:test4x10", &d));
    assert_int_equal(d.errors, 0);
    assert_int_equal(m.processor, CFG_PROC_RP2040);
    assert_int_equal(m.rows, 4);
    assert_int_equal(m.cols, 10);
    assert_int_equal(m.nkeys, 40);
    assert_int_equal(m.matrix_kind, CFG_MATRIX_GRID);
    assert_int_equal(m.diode, CFG_COL2ROW);
    for (unsigned i = 0; i < 40; i++) {
        assert_int_equal(m.layout[i], i); /* key i at row i/10, column i%10 */
        assert_int_equal(m.hand[i], i % 10 < 5 ? CFG_HAND_LEFT : CFG_HAND_RIGHT);
    }
    assert_int_equal(m.row_pins[0], 2);
    assert_int_equal(m.col_pins[9], 15);

    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "builtin:test4x10_avr", &d));
    assert_int_equal(m.processor, CFG_PROC_ATMEGA32U4);
    assert_int_equal(m.row_pins[0], (3 << 3) | 0); /* D0 */
    assert_int_equal(m.col_pins[0], (5 << 3) | 4); /* F4 */

    diag_init(&d);
    assert_false(cfg_load_keyboard(&m, "builtin:nope", &d));
    assert_true(has_msg("no such builtin keyboard"));
}

static void settings_and_finish(void **state)
{
    (void)state;
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "builtin:test4x10", &d));
    m.layers = 2;
    m.keymap[0][0] = KC_MT(MOD_LSFT, KC_A);
    m.keymap[0][1] = KC_MO(1);
    assert_true(set("tapping.term", "180"));
    assert_int_equal(m.settings[CFG_TAPPING_TERM], 180);
    assert_true(set("tapping.flavor", "\"balanced\""));
    assert_int_equal(m.settings[CFG_TAPPING_FLAVOR], CFG_FLAVOR_BALANCED);
    assert_true(set("tapping", "{\"permissive_hold\": true, \"retro\": true}"));
    assert_int_equal(m.settings[CFG_PERMISSIVE_HOLD], 1);
    assert_int_equal(m.settings[CFG_RETRO_TAPPING], 1);
    assert_true(set("build.debounce_type", "\"sym_defer_g\""));
    assert_int_equal(m.settings[CFG_DEBOUNCE_TYPE], CFG_DEBOUNCE_SYM_DEFER_G);
    assert_true(set("host.default.nkro", "true"));
    assert_int_equal(m.settings[CFG_NKRO], 1);
    assert_true(set("tapping.per_key", "{\"LSFT_T(KC_A)\": {\"term\": 250, \"flavor\": \"tap-preferred\"}}"));
    assert_int_equal(m.nperkey, 2);
    assert_true(set("tapping.per_key.LSFT_T(KC_A)", "{\"term\": 260}"));
    assert_int_equal(m.nperkey, 2);
    assert_int_equal(d.errors, 0);
    assert_true(cfg_finish(&m, &d));

    size_t n = cfg_image_write(&m, img, sizeof img);
    assert_true(n > 0);
    cfg_t c;
    assert_int_equal(cfg_open(&c, img, n), CFG_OK);
    assert_int_equal(cfg_setting(&c, CFG_TAPPING_TERM), 180);
    assert_int_equal(cfg_setting_kc(&c, CFG_TAPPING_TERM, KC_MT(MOD_LSFT, KC_A)), 260);
    assert_int_equal(cfg_setting_kc(&c, CFG_TAPPING_FLAVOR, KC_MT(MOD_LSFT, KC_A)),
                     CFG_FLAVOR_TAP_PREFERRED);
    assert_int_equal(cfg_keycode(&c, 0, 1), KC_MO(1));
}

static void setting_errors(void **state)
{
    (void)state;
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "builtin:test4x10", &d));
    uint16_t before = m.settings[CFG_TAPPING_TERM];
    assert_false(set("tapping.term", "\"fast\""));
    assert_int_equal(m.settings[CFG_TAPPING_TERM], before);
    const diag_msg_t *e = find_msg("tapping.term must be a number");
    assert_non_null(e);
    assert_string_equal(e->file, "t.scn");
    assert_int_equal(e->line, 7);
    assert_int_equal(e->col, 20);

    assert_false(set("tapping.trem", "200"));
    assert_true(has_msg("did you mean 'tapping.term'?"));
    assert_false(set("tapping.flavor", "\"zmk\""));
    assert_true(has_msg("unknown tapping.flavor \"zmk\""));
    assert_false(set("tapping.term", "70000"));
    assert_true(has_msg("between 0 and 65534"));
    assert_false(set("tapping.per_key", "{\"KC_A\": {\"trem\": 1}}"));
    assert_true(has_msg("unknown per-key setting 'trem' (did you mean 'term'?)"));
    assert_false(set("tapping.term", "{"));
    /* a syntax error inside the value: column counted from where the value starts */
    e = find_msg("unexpected end of file");
    assert_non_null(e);
    assert_int_equal(e->line, 7);
    assert_int_equal(e->col, 20); /* at the brace that is not closed */
}

static const char *KEYMAP =
    "{\n"
    "  \"keyboard\": \"test4x10\", \"keymap\": \"unit\", \"layout\": \"LAYOUT\",\n"
    "  \"config\": {\"tapping\": {\"term\": 190}, \"combo\": {\"term\": 40}},\n"
    "  \"macros\": [[\"hi\\n\", {\"action\": \"tap\", \"keycodes\": [\"LCTL\", \"C\"]},\n"
    "               {\"action\": \"delay\", \"duration\": 300}]],\n"
    "  \"layers\": [\n"
    "    [\"KC_A\", \"MO(1)\", \"MC_0\", \"KC_B\", \"KC_C\", \"KC_D\", \"KC_E\", \"KC_F\", \"KC_G\", \"KC_H\",\n"
    "     \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\",\n"
    "     \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\",\n"
    "     \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_A\", \"KC_Z\"],\n"
    "    [\"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\",\n"
    "     \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\",\n"
    "     \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\",\n"
    "     \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"_______\", \"KC_1\"]\n"
    "  ]\n"
    "}\n";

static void keymap_text(void **state)
{
    (void)state;
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "builtin:test4x10", &d));
    assert_true(cfg_load_keymap_text(&m, "km.json", KEYMAP, strlen(KEYMAP), &d));
    assert_true(cfg_finish(&m, &d));
    assert_int_equal(d.errors, 0);
    assert_int_equal(m.layers, 2);
    assert_int_equal(m.keymap[0][0], KC_A);
    assert_int_equal(m.keymap[0][1], KC_MO(1));
    assert_int_equal(m.keymap[0][39], KC_Z);
    assert_int_equal(m.keymap[1][0], KC_TRANSPARENT);
    assert_int_equal(m.keymap[1][39], KC_1);
    assert_int_equal(m.settings[CFG_TAPPING_TERM], 190);
    assert_int_equal(m.settings[CFG_COMBO_TERM], 40);
    assert_string_equal(m.keymap_name, "unit");
    /* macro 0: "hi\n", the chord LCTL+C as QMK generates a two-keycode tap (LCTL down, C tapped,
     * LCTL up), delay 300 */
    static const uint8_t want[] = {'h', 'i', '\n', 2, 0xE0, 0x00, 1, 0x06, 0x00, 3, 0xE0, 0x00, 4, 0x2C, 0x01};
    assert_int_equal(m.nmacros, 1);
    assert_int_equal(m.macro_len, sizeof want);
    assert_memory_equal(m.macro_bytes, want, sizeof want);
    /* in the image the text is typed keys (h, i, Enter) and the delay op 0 (core/cfg.h), at the
     * same offsets; text round-trips through cfg_macro_char */
    static const uint8_t image[] = {0x0B, 0x0C, 0x28, 2, 0xE0, 0x00, 1, 0x06, 0x00, 3, 0xE0, 0x00, 0, 0x2C, 0x01};
    size_t n = cfg_image_write(&m, img, sizeof img);
    assert_true(n > 0);
    cfg_t c;
    uint16_t cnt, len;
    assert_int_equal(cfg_open(&c, img, n), CFG_OK);
    const uint8_t *sec = cfg_section(&c, CFG_SEC_MACROS, &cnt, &len);
    assert_int_equal(cnt, 1);
    assert_int_equal(len, 4 + sizeof image); /* after the offset table: 0, then the end */
    assert_int_equal(cfg_rd16(sec + 2), len);
    assert_memory_equal(sec + 4, image, sizeof image);
    for (int ch = 0; ch < 0x80; ch++)
        if (ch == '\n' || ch == '\t' || (ch >= 0x20 && ch < 0x7F)) {
            uint8_t b = cfg_macro_key((char)ch);
            assert_true((b & 0x3Fu) >= 4u && !(b & 0x40u));
            assert_int_equal(cfg_macro_char(b), ch);
        }
    assert_int_equal(cfg_macro_key('\x01'), CFG_MOP_BEEP);
}

/* A keymap with one broken thing; returns the first error. */
static const diag_msg_t *keymap_error(const char *text)
{
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "builtin:test4x10", &d));
    assert_false(cfg_load_keymap_text(&m, "bad.json", text, strlen(text), &d));
    for (int i = 0; i < d.n; i++)
        if (d.msg[i].level == DIAG_ERROR) return &d.msg[i];
    fail_msg("no error reported");
    return NULL;
}

static void keymap_errors(void **state)
{
    (void)state;
    const diag_msg_t *e = keymap_error("{\"layout\": \"LAYOUT_nope\", \"layers\": [[]]}");
    assert_non_null(strstr(e->text, "layout LAYOUT_nope does not exist"));
    assert_int_equal(e->line, 1);
    assert_int_equal(e->col, 12);

    e = keymap_error("{\"layers\": [[\"KC_A\"]]}");
    assert_non_null(strstr(e->text, "layer 0 has 1 keycodes, but layout LAYOUT has 40 keys"));

    e = keymap_error("{\"layers\": [[\"KC_A\",\n  \"KC_A\"]\n  \"x\"]}");
    assert_non_null(strstr(e->text, "expected ',' or ']'"));
    assert_int_equal(e->line, 3);
    assert_int_equal(e->col, 3);

    e = keymap_error("{\"macros\": [[\"caf\xC3\xA9\"]], \"layers\": []}");
    assert_non_null(strstr(e->text, "US ASCII"));
    assert_int_equal(e->col, 18); /* the é itself */
}

/* Which optional behaviours an ATmega32U4 keymap uses, which image `kestrel build` picks for it,
 * and the warning when no image holds all of them. */
static const char *avr_keymap(const char *first_key, const char *second_key, const char *extra)
{
    static char text[1400];
    int n = snprintf(text, sizeof text, "{\"keyboard\": \"test4x10_avr\", \"layout\": \"LAYOUT\", %s"
                     "\"macros\": [[\"hi\"]], \"layers\": [[\"%s\", \"%s\"", extra, first_key, second_key);
    for (int i = 2; i < 40; i++) n += snprintf(text + n, sizeof text - (size_t)n, ", \"KC_A\"");
    snprintf(text + n, sizeof text - (size_t)n, "]]}");
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "builtin:test4x10_avr", &d));
    assert_true(cfg_load_keymap_text(&m, "avr.json", text, strlen(text), &d));
    assert_true(cfg_finish(&m, &d));
    assert_int_equal(d.errors, 0);
    uint32_t missing;
    const cfg_avr_image_t *im = cfg_avr_image_for(cfg_features_used(&m), &missing);
    assert_int_equal(missing != 0, has_msg("no ATmega32U4 image holds everything"));
    return im->suffix;
}

static void avr_images(void **state)
{
    (void)state;
    assert_string_equal(avr_keymap("KC_B", "KC_C", ""), "");
    assert_int_equal(cfg_features_used(&m), 0);
    assert_string_equal(avr_keymap("MC_0", "TD(0)", ""), "");
    assert_int_equal(cfg_features_used(&m), 1u << CFG_F_MACRO | 1u << CFG_F_TAP_DANCE);
    assert_string_equal(avr_keymap("QK_LEAD", "UC(0x00E9)", ""), "-seq");
    assert_int_equal(cfg_features_used(&m), 1u << CFG_F_LEADER | 1u << CFG_F_UNICODE);
    assert_string_equal(avr_keymap("QK_LEAD", "DM_PLY1", ""), "");
    assert_string_equal(avr_keymap("UC(0x00E9)", "KC_C", ""), "-seq");
    assert_string_equal(avr_keymap("UC(0x00E9)", "DM_PLY1", ""), "-seq");
    assert_string_equal(avr_keymap("AS_TOGG", "QK_LEAD", ""), "-mods");
    assert_string_equal(avr_keymap("AS_TOGG", "DM_PLY1", ""), "-mods");
    assert_string_equal(avr_keymap("AS_TOGG", "KC_C", ""), "-mods");
    /* two of the three the main image leaves out: the image that holds that pair */
    assert_string_equal(avr_keymap("UC(0x00E9)", "AS_TOGG", ""), "-seq-mods");
    assert_string_equal(avr_keymap("UC(0x00E9)", "KC_C", "\"config\": {\"mouse_key\": {\"mode\": \"kinetic\"}}, "),
                        "-seq-mouse");
    assert_string_equal(avr_keymap("AS_TOGG", "KC_C", "\"config\": {\"mouse_key\": {\"mode\": \"inertia\"}}, "),
                        "-mods-mouse");
    /* every image has all of the main image's behaviours: unicode, auto shift and dynamic macros
     * are the unicode + auto shift image's */
    assert_string_equal(avr_keymap("UC(0x00E9)", "DM_PLY1", "\"config\": {\"auto_shift\": {\"enabled\": true}}, "),
                        "-seq-mods");
    assert_false(has_msg("no ATmega32U4 image holds everything"));
    assert_string_equal(avr_keymap("KC_B", "KC_C", "\"key_overrides\": [{\"trigger\": \"KC_BSPC\", "
                                   "\"replacement\": \"KC_DEL\", \"trigger_mods\": \"MOD_MASK_SHIFT\"}], "),
                        ENGINE_AVR_KEY_OVERRIDE ? "" : "-mods");
    assert_int_equal(cfg_features_used(&m), 1u << CFG_F_KEY_OVERRIDE);
    assert_string_equal(avr_keymap("KC_B", "KC_C", "\"config\": {\"mouse_key\": {\"mode\": \"kinetic\"}}, "),
                        "-mouse");
    assert_int_equal(cfg_features_used(&m), 1u << CFG_F_MOUSE_MODES);
    /* all three of unicode, auto shift and the mouse modes: only the image with everything */
    assert_string_equal(avr_keymap("UC(0x00E9)", "AS_TOGG", "\"config\": {\"mouse_key\": {\"mode\": \"kinetic\"}}, "),
                        "-all");
    assert_false(has_msg("no ATmega32U4 image holds everything"));
    /* every behaviour alone, and every two of them, have an image before the last */
    const cfg_avr_image_t *im;
    size_t n = cfg_avr_images(&im);
    assert_int_equal(n, 8);
    for (unsigned f = 0; f < CFG_F_COUNT; f++)
        for (unsigned g = f; g < CFG_F_COUNT; g++) {
            uint32_t missing;
            const cfg_avr_image_t *pick = cfg_avr_image_for(1u << f | 1u << g, &missing);
            assert_int_equal(missing, 0);
            assert_true(pick < im + n - 1);
        }
    /* each further image holds all of the main image's behaviours */
    for (size_t i = 1; i < n; i++) assert_int_equal(im[0].features & ~im[i].features, 0);
    /* the last image holds every behaviour, so any keymap has one */
    assert_string_equal(im[n - 1].suffix, "-all");
    assert_int_equal(im[n - 1].features, (1u << CFG_F_COUNT) - 1u);
    uint32_t missing;
    cfg_avr_image_for((1u << CFG_F_COUNT) - 1u, &missing);
    assert_int_equal(missing, 0);
}

static void session_rules(void **state)
{
    (void)state;
    static cfg_model_t other;
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "builtin:test4x10", &d));
    /* a keymap for a model that was never given a keyboard */
    assert_false(cfg_load_keymap_text(&other, "km.json", KEYMAP, strlen(KEYMAP), &d));
    assert_true(has_msg("no keyboard loaded"));
    assert_false(cfg_apply_setting(&other, "tapping.term", "1", 1, NULL, 0, 0, &d));
    /* inline layers (a scenario's `layer` lines) are checked by cfg_finish */
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "builtin:test4x10", &d));
    m.layers = 2;
    m.keymap[1][5] = KC_MO(2);
    assert_false(cfg_finish(&m, &d));
    assert_true(has_msg("layer 1 key 5: MO(2) refers to layer 2, but the keymap has 2 layers"));
    /* a structural override rebuilds the keyboard: another layout, an unknown one */
    diag_init(&d);
    assert_true(cfg_load_keyboard(&m, "builtin:test4x10", &d));
    assert_true(set("layouts.LAYOUT_small.layout", "[{\"matrix\": [3, 9]}, {\"matrix\": [0, 0]}]"));
    assert_true(set("layout", "\"LAYOUT_small\""));
    assert_int_equal(m.nkeys, 2);
    assert_int_equal(m.layout[0], 39);
    assert_false(set("layout", "\"LAYOUT_big\""));
    assert_true(has_msg("layout LAYOUT_big does not exist in this keyboard (its layouts: LAYOUT, LAYOUT_small)"));
    assert_false(set("matrix_pins.cols", "[\"GP6\", \"GP2\"]"));
    assert_true(has_msg("pin GP2 is used twice"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtin_test4x10),
        cmocka_unit_test(settings_and_finish),
        cmocka_unit_test(setting_errors),
        cmocka_unit_test(keymap_text),
        cmocka_unit_test(keymap_errors),
        cmocka_unit_test(avr_images),
        cmocka_unit_test(session_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
