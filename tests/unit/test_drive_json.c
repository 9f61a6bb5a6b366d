/* The drive's JSON writer (drive/cfgjson.c): for every example keyboard and the drive's own
 * fixtures (split, direct pins, encoders, macros, per-key settings, flavors, a hidden drive),
 * the keyboard.json + keymap.json it writes from a config image load back, without an error or a
 * warning the original files did not have, into the very same image. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/load.h"
#include "config/model.h"
#include "drive/cfgjson.h"

static cfg_model_t model;
static diag_t diag;
static uint8_t img_a[CFG_MAX_IMAGE], img_b[CFG_MAX_IMAGE];
static char kb_text[65536], km_text[65536];

static void show(const diag_t *d)
{
    static char buf[16384];
    diag_format_all(d, buf, sizeof buf);
    fprintf(stderr, "%s", buf);
}

static size_t build_files(const char *kb, const char *km, uint8_t *img)
{
    diag_init(&diag);
    if (!cfg_load_keyboard(&model, kb, &diag) || !cfg_load_keymap(&model, km, &diag) ||
        !cfg_finish(&model, &diag)) {
        show(&diag);
        fail_msg("%s + %s do not load", kb, km);
    }
    size_t n = cfg_image_write(&model, img, CFG_MAX_IMAGE);
    assert_true(n > 0);
    return n;
}

static void round_trip(const char *kb, const char *km)
{
    size_t na = build_files(kb, km, img_a);
    int orig_warnings = diag.warnings; /* e.g. keycodes not implemented yet: said again, fine */
    cfg_t c;
    assert_int_equal(cfg_open(&c, img_a, na), CFG_OK);
    size_t lk = cfgjson_keyboard(&c, kb_text, sizeof kb_text);
    size_t lm = cfgjson_keymap(&c, km_text, sizeof km_text);
    if (!lk || !lm) fail_msg("%s: the writer gave up", kb);
    diag_init(&diag);
    bool ok = cfg_load_keyboard_text(&model, "keyboard.json", kb_text, lk, &diag) &&
              cfg_load_keymap_text(&model, "keymap.json", km_text, lm, &diag) &&
              cfg_finish(&model, &diag);
    if (!ok || diag.warnings > orig_warnings) {
        show(&diag);
        fprintf(stderr, "---- keyboard.json\n%s---- keymap.json\n%s", kb_text, km_text);
        fail_msg("%s: the written files %s", kb, ok ? "give warnings" : "do not load");
    }
    size_t nb = cfg_image_write(&model, img_b, sizeof img_b);
    if (na != nb || memcmp(img_a, img_b, na)) {
        fprintf(stderr, "---- keyboard.json\n%s---- keymap.json\n%s", kb_text, km_text);
        for (size_t i = 0; i < na && i < nb; i++)
            if (img_a[i] != img_b[i]) {
                fprintf(stderr, "first difference at byte %zu: %02x vs %02x\n", i, img_a[i], img_b[i]);
                break;
            }
        fail_msg("%s: image of %zu bytes came back as %zu bytes, different", kb, na, nb);
    }
    /* and a second pass writes the same text: the writer is a fixed point */
    cfg_t c2;
    static char again[65536];
    assert_int_equal(cfg_open(&c2, img_b, nb), CFG_OK);
    assert_int_equal(cfgjson_keymap(&c2, again, sizeof again), lm);
    assert_string_equal(again, km_text);
}

static void examples(void **st)
{
    (void)st;
    static const char *const kbs[][2] = {
        {"keyboards/test4x10", "keyboards/test4x10/keymap.json"},
        {"keyboards/test4x10_avr", "keyboards/test4x10/keymap.json"},
        {"keyboards/pico_macropad", "keyboards/pico_macropad/keymap.json"},
        {"keyboards/pico2_5x12", "keyboards/pico2_5x12/keymap.json"},
        {"keyboards/promicro_4x12", "keyboards/promicro_4x12/keymap.json"},
    };
    for (size_t i = 0; i < sizeof kbs / sizeof kbs[0]; i++) round_trip(kbs[i][0], kbs[i][1]);
}

static void fixtures(void **st)
{
    (void)st;
    round_trip("tests/drive/json/rich/keyboard.json", "tests/drive/json/rich/keymap.json");
    round_trip("tests/drive/json/split/keyboard.json", "tests/drive/json/split/keymap.json");
    /* the hidden-drive setting went through */
    cfg_t c;
    size_t n = build_files("tests/drive/json/split/keyboard.json", "tests/drive/json/split/keymap.json", img_a);
    assert_int_equal(cfg_open(&c, img_a, n), CFG_OK);
    assert_true(cfg_info8(&c, CFG_INFO_FLAGS) & CFG_FLAG_DRIVE_HIDDEN);
}

/* combos (every field, positions and layout indexes) and tap dances (every entry, own terms) */
static void combos_and_tap_dances(void **st)
{
    (void)st;
    round_trip("keyboards/test4x10", "tests/fuzz/seeds/combos-tap-dances.json");
    assert_true(strstr(km_text, "\"combos\"") && strstr(km_text, "\"slow_release\": true") &&
                strstr(km_text, "\"layers\": [0, 2]") && strstr(km_text, "\"require_prior_idle\": 150"));
    assert_true(strstr(km_text, "\"tap_dances\"") && strstr(km_text, "\"on_tap_hold\": \"MO(1)\"") &&
                strstr(km_text, "\"term\": 150"));
}

/* leader sequences (one to five keys, keycode results) and the unicode map (UM, UP keys) */
static void sequences(void **st)
{
    (void)st;
    round_trip("keyboards/test4x10", "tests/drive/json/sequences/keymap.json");
    assert_true(strstr(km_text, "\"leader_sequences\"") &&
                strstr(km_text, "{\"sequence\": [\"KC_C\", \"KC_A\", \"KC_B\", \"KC_D\", \"KC_F\"]"));
    assert_true(strstr(km_text, "\"unicode_map\"") && strstr(km_text, "\"U+1F600\"") &&
                strstr(km_text, "\"U+03BB\""));
    /* a unicode input mode other than the default, and the cycle list, as names the loader reads */
    assert_true(strstr(km_text, "\"input_mode\": \"linux\"") &&
                strstr(km_text, "\"selected_modes\": [\"linux\", \"wincompose\", \"windows\"]"));
}

/* key overrides (every field and option, a disabled one, KC_NO trigger), key cancellation pairs
 * and the modifier settings whose values are not plain numbers (retro shift on, grave_esc names) */
static void modifiers(void **st)
{
    (void)st;
    round_trip("keyboards/test4x10", "tests/drive/json/modifiers/keymap.json");
    assert_true(strstr(km_text, "\"key_overrides\"") && strstr(km_text, "\"enabled\": false") &&
                strstr(km_text, "\"one_mod\", \"no_reregister_trigger\"]") &&
                strstr(km_text, "\"layers\": [0, 2]"));
    assert_true(strstr(km_text, "\"key_cancellation\"") && strstr(km_text, "\"mode\": \"neutral\""));
    assert_true(strstr(km_text, "\"retro_shift\": true") && strstr(km_text, "[\"ctrl\", \"shift\"]"));
}

static void too_small_a_buffer(void **st)
{
    (void)st;
    size_t n = build_files("keyboards/test4x10", "keyboards/test4x10/keymap.json", img_a);
    cfg_t c;
    assert_int_equal(cfg_open(&c, img_a, n), CFG_OK);
    size_t full = cfgjson_keymap(&c, km_text, sizeof km_text);
    assert_true(full > 100);
    for (size_t cap = 0; cap <= full; cap += full / 7 + 1) assert_int_equal(cfgjson_keymap(&c, km_text, cap), 0);
    assert_int_equal(cfgjson_keymap(&c, km_text, full + 1), full);
    assert_int_equal(cfgjson_keymap(&c, km_text, full), 0); /* no room for the NUL */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(examples),
        cmocka_unit_test(modifiers),
        cmocka_unit_test(fixtures),
        cmocka_unit_test(combos_and_tap_dances),
        cmocka_unit_test(sequences),
        cmocka_unit_test(too_small_a_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
