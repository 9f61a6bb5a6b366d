/* The MOUSE section (core/cfg.h): written only for keymaps with mouse movement keys, its tables
 * hold QMK's curves as the engine steps through them, and an image without it moves by 1. */
#include "engine_harness.h"

static const uint8_t *section(uint16_t *count, uint16_t *len)
{
    size_t n = cfg_image_write(&h_model, h_img, sizeof h_img);
    assert_true(n > 0);
    assert_int_equal(cfg_open(&h_cfg, h_img, n), CFG_OK);
    return cfg_section(&h_cfg, CFG_SEC_MOUSE, count, len);
}

/* Only keycodes that can move the pointer bring the table: a button or an ACL key alone does not,
 * a direction reached only through a tap dance, a combo or a mod-tap does. */
static void written_when_something_moves(void **state)
{
    (void)state;
    uint16_t count, len;
    h_board(1);
    h_map(0, 0, KC_A);
    h_map(0, 1, QK_MOUSE_BUTTON_1);
    h_map(0, 2, QK_MOUSE_ACCELERATION_0);
    assert_null(section(&count, &len));
    h_model.tap_dances[0] = (cfg_tap_dance_def_t){KC_A, QK_MOUSE_WHEEL_LEFT, KC_NO, KC_NO, 0};
    h_model.ntap_dances = 1;
    assert_non_null(section(&count, &len));
    h_board(1);
    h_map(0, 0, KC_MT(MOD_LCTL, QK_MOUSE_CURSOR_UP));
    assert_non_null(section(&count, &len));
}

/* QMK's defaults, accelerated: ACL0/1/2 = 80/4, 80/2, 80; then 8 and 80 * rep / 30 up to 80
 * (repeats 30 and later: the last entry); the wheel 8/4, 8/2, 8, then 1 and 8 * rep / 40. */
static void accelerated_curve(void **state)
{
    (void)state;
    uint16_t count, len;
    h_board(1);
    h_map(0, 0, QK_MOUSE_CURSOR_RIGHT);
    const uint8_t *p = section(&count, &len);
    assert_non_null(p);
    assert_int_equal(count, 3 + 31);
    assert_int_equal(p[0], 20);
    assert_int_equal(p[1], 40);
    assert_int_equal(p[2], 80);
    assert_int_equal(p[3], 8);
    assert_int_equal(p[4], 2);   /* 80 / 30 */
    assert_int_equal(p[3 + 15], 40);
    assert_int_equal(p[count - 1], 80);
    const uint8_t *wh = p + count;
    assert_int_equal(len - count, 3 + 41); /* 8 * rep / 40 first reaches 8 at 40 */
    assert_int_equal(wh[0], 2);
    assert_int_equal(wh[3], 1);
    assert_int_equal(wh[3 + 4], 1 /* 8*4/40 = 0 -> 1 */);
    assert_int_equal(wh[len - count - 1], 8);
}

/* Kinetic, QMK's defaults: the curve stops where the speed reaches base (1000 px/s, 16 ms
 * reports: 1000 / (1000 / 16) = 16 px), the wheel's entries are speeds. */
static void kinetic_curve(void **state)
{
    (void)state;
    uint16_t count, len;
    h_board(1);
    h_map(0, 0, QK_MOUSE_WHEEL_UP);
    h_set(CFG_MOUSE_MODE, CFG_MOUSE_KINETIC);
    const uint8_t *p = section(&count, &len);
    assert_non_null(p);
    assert_int_equal(p[1], 0);            /* ACL1: the curve */
    assert_int_equal(p[0], 400 / 62);     /* decelerated speed per report */
    assert_int_equal(p[3], 100 / 62);     /* initial */
    assert_int_equal(p[count - 1], 1000 / 62);
    assert_true(count < 3 + 40);          /* 100 + 8 t (t + 2) reaches 1000 at t = 10 */
    const uint8_t *wh = p + count;
    assert_int_equal(wh[0], 8);
    assert_int_equal(wh[2], 48);
    assert_int_equal(wh[3], 16);
    assert_int_equal(wh[len - count - 1], 32);
}

/* Constant: no ACL entries (the speed picks the entry), the offsets unmod, ACL0, ACL1, ACL2; the
 * wheel's four 1s are one entry. */
static void constant_offsets(void **state)
{
    (void)state;
    uint16_t count, len;
    h_board(1);
    h_map(0, 0, QK_MOUSE_CURSOR_DOWN);
    h_set(CFG_MOUSE_MODE, CFG_MOUSE_CONSTANT);
    h_set(CFG_MOUSE_C_OFFSET_2, 300); /* past the report's 127 */
    static const uint8_t want[] = {0, 0, 0, 16, 1, 4, 127, 0, 0, 0, 1};
    const uint8_t *p = section(&count, &len);
    assert_non_null(p);
    assert_int_equal(count, 7);
    assert_int_equal(len, sizeof want);
    assert_memory_equal(p, want, sizeof want);
}

/* An image without the table (a writer that left it out) still moves, by 1. */
static void missing_table_moves_by_one(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, QK_MOUSE_CURSOR_RIGHT);
    h_start();
    h_cfg.off[CFG_SEC_MOUSE] = 0;
    h_cfg.len[CFG_SEC_MOUSE] = 0;
    h_cfg.count[CFG_SEC_MOUSE] = 0;
    h_press(0, 0);
    h_release(5, 0);
    h_expect("0 mouse b=0 x=1 y=0 v=0 h=0\n5 mouse b=0 x=0 y=0 v=0 h=0\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(written_when_something_moves),
        cmocka_unit_test(accelerated_curve),
        cmocka_unit_test(kinetic_curve),
        cmocka_unit_test(constant_offsets),
        cmocka_unit_test(missing_table_moves_by_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
