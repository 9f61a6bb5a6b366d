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

/* QMK's inertia step for a frame after the first (the firmware's arithmetic before the loader
 * computed it): sign(v) + max_speed * (v / time_to_max)^2 in 8.8 fixed point, rounded towards
 * minus infinity, within +-127. The reference the table must equal. */
static int ref_inertia(unsigned ttm, unsigned max_speed, int v)
{
    int minus = v < 0;
    unsigned p = (unsigned)((minus ? -v : v) << 8) / (ttm ? ttm : 1u);
    unsigned sq = p > 255u ? 256u : (p * p & 0xFFFFu) >> 8, q = (max_speed & 0xFFu) * sq;
    if (minus) q += 255u;
    q >>= 8;
    unsigned u = q >= 127u ? 127u : q + 1u;
    return minus ? -(int)u : (int)u;
}

/* Inertia mode: the cursor's block is the step per velocity, entry 0 the first frame's move_delta;
 * every velocity either way, over a sweep of time_to_max and max_speed, decoded as the firmware
 * does (bits 0-6, bit 7 one more towards minus), equals QMK's arithmetic. */
static void inertia_steps(void **state)
{
    (void)state;
    static const unsigned ttms[] = {0, 1, 2, 3, 7, 32, 100, 127, 128, 255, 1000};
    static const unsigned speeds[] = {0, 1, 2, 5, 13, 80, 127, 200, 255};
    unsigned checked = 0;
    for (unsigned a = 0; a < sizeof ttms / sizeof ttms[0]; a++)
        for (unsigned b = 0; b < sizeof speeds / sizeof speeds[0]; b++) {
            uint16_t count, len;
            h_board(1);
            h_map(0, 0, QK_MOUSE_CURSOR_RIGHT);
            h_set(CFG_MOUSE_MODE, CFG_MOUSE_INERTIA);
            h_set(CFG_MOUSE_TIME_TO_MAX, (uint16_t)ttms[a]);
            h_set(CFG_MOUSE_MAX_SPEED, (uint16_t)speeds[b]);
            h_set(CFG_MOUSE_MOVE_DELTA, (uint16_t)(a * 37u % 200u));
            const uint8_t *p = section(&count, &len);
            assert_non_null(p);
            assert_true(count >= 4 && count <= 128);
            assert_int_equal(p[0], a * 37u % 200u > 127u ? 127u : a * 37u % 200u);
            unsigned top = ttms[a] > 127u ? 127u : ttms[a];
            for (unsigned v = 1; v <= top; v++) {
                uint8_t t = p[v < count ? v : count - 1u];
                assert_int_equal(t & 0x7F, ref_inertia(ttms[a], speeds[b], (int)v));
                assert_int_equal(-((t & 0x7F) + (t >> 7)), ref_inertia(ttms[a], speeds[b], -(int)v));
                checked++;
            }
        }
    assert_true(checked > 1000);
}

/* Ticks through every deadline up to `until`, each after the tick before it (one that is not
 * would have the engine asked for the same instant for ever), at most `most` ticks; returns how
 * many. */
static unsigned ticks_progressing(ktime_t until, unsigned most)
{
    unsigned ticks = 0;
    for (;;) {
        ktime_t d = engine_next_deadline(&h_eng);
        if (d == ENGINE_NO_DEADLINE || ktime_diff(d, until) > 0) return ticks;
        assert_true(ktime_diff(d, h_now) > 0);
        h_at(d);
        assert_true(++ticks <= most);
    }
}

/* A crafted image (the loader refuses both, load.c's check_inertia) with inertia's time_to_max 0
 * and friction 0: the firmware treats them as 1. Held, the pointer still moves (velocity 1) and
 * every deadline lies ahead of the tick that asked, so the engine cannot spin on one instant;
 * released, the pointer stops (velocity 1 * 255 / 256 = 0) and the gesture ends. */
static void inertia_zero_settings_clamped(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, QK_MOUSE_CURSOR_RIGHT);
    h_set(CFG_MOUSE_MODE, CFG_MOUSE_INERTIA);
    h_set(CFG_MOUSE_TIME_TO_MAX, 0);
    h_set(CFG_MOUSE_FRICTION, 0);
    h_set(CFG_MOUSE_MAX_SPEED, 0);
    h_set(CFG_MOUSE_MOVE_DELTA, 3);
    h_start();
    h_press(0, 0);
    unsigned moves = 0;
    ticks_progressing(200, 99);
    for (const char *l = h_log; (l = strstr(l, " x=1 ")) != NULL; l++) moves++;
    assert_true(moves >= 5);
    h_len = 0;
    h_log[0] = 0;
    h_release(200, 0);
    h_settle(1000);
    assert_int_equal(engine_next_deadline(&h_eng), ENGINE_NO_DEADLINE);
    const char *last = strrchr(h_log, '\n');
    assert_non_null(last);
    while (last > h_log && last[-1] != '\n') last--;
    assert_non_null(strstr(last, "x=0 y=0"));
}

/* The MOUSE section's bytes as a crafted image may have them (cfg_open checks its shape, not its
 * values): the table as the harness wrote it, writable. */
static uint8_t *crafted_table(uint16_t *count, uint16_t *len)
{
    return (uint8_t *)(uintptr_t)cfg_section(&h_cfg, CFG_SEC_MOUSE, count, len);
}

/* A step above 127 (the loader's are 1..127) is taken as 127: it used to turn negative, and the
 * direction key's release, which stops its axis only if it still moves its way, left the pointer
 * moving for ever. */
static void crafted_step_above_127(void **state)
{
    (void)state;
    uint16_t count, len;
    h_board(1);
    h_map(0, 0, QK_MOUSE_CURSOR_LEFT);
    h_start();
    uint8_t *p = crafted_table(&count, &len);
    assert_non_null(p);
    memset(p + 3, 200, count - 3u);
    h_press(0, 0);
    h_settle(100);
    h_release(100, 0);
    h_settle(1000);
    assert_int_equal(engine_next_deadline(&h_eng), ENGINE_NO_DEADLINE);
    assert_non_null(strstr(h_log, "0 mouse b=0 x=-127 y=0"));
    assert_null(strstr(h_log, "x=127"));
    const char *last = strrchr(h_log, '\n');
    while (last > h_log && last[-1] != '\n') last--;
    assert_string_equal(last, "100 mouse b=0 x=0 y=0 v=0 h=0\n");
}

/* Inertia steps of 0 for a velocity (the loader's are at least 1): a frame that moves nothing is
 * due again the next millisecond, not at the same tick for ever. */
static void crafted_inertia_steps_zero(void **state)
{
    (void)state;
    uint16_t count, len;
    h_board(1);
    h_map(0, 0, QK_MOUSE_CURSOR_RIGHT);
    h_set(CFG_MOUSE_MODE, CFG_MOUSE_INERTIA);
    h_start();
    uint8_t *p = crafted_table(&count, &len);
    assert_non_null(p);
    memset(p + 1, 0, count - 1u);
    h_press(0, 0);
    assert_true(ticks_progressing(300, 300) >= 10);
    h_release(300, 0);
    h_settle(5000);
    assert_int_equal(engine_next_deadline(&h_eng), ENGINE_NO_DEADLINE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(written_when_something_moves),
        cmocka_unit_test(accelerated_curve),
        cmocka_unit_test(kinetic_curve),
        cmocka_unit_test(constant_offsets),
        cmocka_unit_test(missing_table_moves_by_one),
        cmocka_unit_test(inertia_steps),
        cmocka_unit_test(inertia_zero_settings_clamped),
        cmocka_unit_test(crafted_step_above_127),
        cmocka_unit_test(crafted_inertia_steps_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
