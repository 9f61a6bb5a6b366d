/* Config image: writer and reader agree, and every corruption is rejected before use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config/model.h"
#include "core/cfg.h"

static cfg_model_t model;
static uint8_t img[CFG_MAX_IMAGE];

static size_t make_image(void)
{
    cfg_model_init(&model);
    model.processor = CFG_PROC_RP2040;
    model.rows = 4;
    model.cols = 10;
    model.layers = 3;
    model.nkeys = 40;
    for (unsigned i = 0; i < 40; i++) {
        model.layout[i] = (uint8_t)i;
        model.hand[i] = (i % 10) < 5 ? CFG_HAND_LEFT : CFG_HAND_RIGHT;
        for (unsigned l = 0; l < 3; l++) model.keymap[l][i] = (kc_t)(0x1000 * l + i);
    }
    for (unsigned r = 0; r < 4; r++) model.row_pins[r] = (uint8_t)r;
    for (unsigned c = 0; c < 10; c++) model.col_pins[c] = (uint8_t)(4 + c);
    model.settings[CFG_TAPPING_TERM] = 180;
    model.nperkey = 1;
    model.perkey[0] = (cfg_perkey_t){KC_MT(MOD_LSFT, KC_A), CFG_TAPPING_TERM, 250};
    strcpy(model.name, "test4x10");
    size_t n = cfg_image_write(&model, img, sizeof img);
    assert_true(n > CFG_HEADER_SIZE);
    return n;
}

static void roundtrip(void **state)
{
    (void)state;
    size_t n = make_image();
    cfg_t c;
    assert_int_equal(cfg_open(&c, img, n), CFG_OK);
    assert_int_equal(c.rows, 4);
    assert_int_equal(c.cols, 10);
    assert_int_equal(c.layers, 3);
    for (unsigned l = 0; l < 3; l++)
        for (unsigned p = 0; p < 40; p++) assert_int_equal(cfg_keycode(&c, (uint8_t)l, (uint8_t)p), 0x1000 * l + p);
    assert_int_equal(cfg_keycode(&c, 3, 0), KC_NO);
    assert_int_equal(cfg_setting(&c, CFG_TAPPING_TERM), 180);
    assert_int_equal(cfg_setting_kc(&c, CFG_TAPPING_TERM, KC_MT(MOD_LSFT, KC_A)), 250);
    assert_int_equal(cfg_setting_kc(&c, CFG_TAPPING_TERM, KC_A), 180);
    assert_int_equal(cfg_setting(&c, CFG_COMBO_TERM), 50);
    assert_int_equal(cfg_hand(&c, 7), CFG_HAND_RIGHT);
    assert_int_equal(cfg_pin(&c, 4), 4);
}

static void rejects_every_single_byte_corruption(void **state)
{
    (void)state;
    size_t n = make_image();
    cfg_t c;
    for (size_t i = 0; i < n; i++) {
        img[i] ^= 0x5A;
        assert_int_not_equal(cfg_open(&c, img, n), CFG_OK);
        assert_null(c.base); /* nothing of a rejected image is kept */
        img[i] ^= 0x5A;
    }
    assert_int_equal(cfg_open(&c, img, n), CFG_OK);
}

static void rejects_truncation(void **state)
{
    (void)state;
    size_t n = make_image();
    cfg_t c;
    for (size_t len = 0; len < n; len++) assert_int_not_equal(cfg_open(&c, img, len), CFG_OK);
}

static void writer_refuses_out_of_bounds(void **state)
{
    (void)state;
    make_image();
    model.layers = CFG_MAX_LAYERS + 1;
    assert_int_equal(cfg_image_write(&model, img, sizeof img), 0);
    model.layers = 1;
    model.rows = 16;
    model.cols = 16; /* 256 positions > CFG_MAX_POSITIONS */
    assert_int_equal(cfg_image_write(&model, img, sizeof img), 0);
    model.rows = 4;
    model.cols = 10;
    assert_int_equal(cfg_image_write(&model, img, 20), 0); /* buffer too small */
}

/* The defaults are stored one byte each (core/cfg.c): each decodes to the value in cfg_settings.h. */
static void defaults_decode(void **state)
{
    (void)state;
    static const uint16_t want[CFG_SETTING_COUNT] = {
#define X_DEFAULT(id, name, def) (uint16_t)(def),
        CFG_SETTINGS(X_DEFAULT)
#undef X_DEFAULT
    };
    for (unsigned id = 0; id < CFG_SETTING_COUNT; id++)
        assert_int_equal(cfg_setting_default((enum cfg_setting_id)id), want[id]);
    assert_int_equal(cfg_setting_default((enum cfg_setting_id)CFG_SETTING_COUNT), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roundtrip),
        cmocka_unit_test(rejects_every_single_byte_corruption),
        cmocka_unit_test(rejects_truncation),
        cmocka_unit_test(writer_refuses_out_of_bounds),
        cmocka_unit_test(defaults_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
