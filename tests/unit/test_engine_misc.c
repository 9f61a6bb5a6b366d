/* Engine: 6KRO and NKRO reports (the 7th key), consumer and system keys, mouse keys with QMK's
 * acceleration, firmware actions, TT, and the bounds (waiting buffer, held keys). */
#include "core/hid_usage.h"
#include "tests/unit/engine_harness.h"

static void seven_keys(void **state)
{
    (void)state;
    h_board(1);
    for (unsigned i = 0; i < 8; i++) h_map(0, i, (kc_t)(KC_A + i));
    h_map(0, 9, NK_TOGG);
    h_start();
    for (unsigned i = 0; i < 7; i++) h_press(i, i);
    /* the 7th key (G) is dropped: not sent now, not sent when a slot frees up */
    h_release(10, 0);
    h_release(11, 6);
    h_release(12, 1);
    h_expect("0 kbd A\n1 kbd A B\n2 kbd A B C\n3 kbd A B C D\n4 kbd A B C D E\n5 kbd A B C D E F\n"
             "10 kbd B C D E F\n12 kbd C D E F\n");
    assert_int_equal(h_trace_count[ENGINE_TRACE_KEY_DROPPED_6KRO], 1);
    for (unsigned i = 2; i < 6; i++) h_release(20 + i, i);
    h_expect("22 kbd D E F\n23 kbd E F\n24 kbd F\n25 kbd -\n");
    /* NKRO: all seven */
    h_press(100, 9);
    h_release(110, 9);
    for (unsigned i = 0; i < 7; i++) h_press(200 + i, i);
    assert_non_null(strstr(h_log, "206 kbd A B C D E F G\n"));
    h_len = 0;
    h_log[0] = 0;
    /* switching back releases everything first */
    h_press(300, 9);
    h_expect("300 kbd -\n");
    h_release(310, 9);
    for (unsigned i = 0; i < 7; i++) h_release(400 + i, i);
    h_expect("");
    assert_true(engine_idle(&h_eng));
}

static void nkro_default_setting(void **state)
{
    (void)state;
    h_board(1);
    for (unsigned i = 0; i < 8; i++) h_map(0, i, (kc_t)(KC_A + i));
    h_set(CFG_NKRO, 1);
    h_start();
    for (unsigned i = 0; i < 8; i++) h_press(i, i);
    assert_non_null(strstr(h_log, "7 kbd A B C D E F G H\n"));
}

static void consumer_system(void **state)
{
    (void)state;
    h_board(2);
    h_map(0, 0, 0xA9); /* VOLU */
    h_map(0, 1, 0xAA); /* VOLD */
    h_map(0, 2, 0xA6); /* SLEP */
    h_map(0, 3, KC_LT(1, 0xAE)); /* LT(1, MPLY) */
    h_start();
    h_press(0, 0);
    h_release(10, 0);
    h_press(20, 2);
    h_release(30, 2);
    h_press(40, 3);
    h_release(50, 3);
    /* QMK sends one consumer usage at a time: the last pressed wins, any release clears */
    h_press(60, 0);
    h_press(70, 1);
    h_release(80, 0);
    h_release(90, 1);
    h_expect("0 consumer 0x0E9\n10 consumer -\n20 system 0x82\n30 system -\n50 consumer 0x0CD\n50 consumer -\n"
             "60 consumer 0x0E9\n70 consumer 0x0EA\n80 consumer -\n");
    assert_true(engine_idle(&h_eng));
    /* the table works both ways, for report printers */
    for (unsigned kc = 0xA5; kc <= 0xA7; kc++) assert_int_equal(hid_usage_system_kc(hid_usage_system((uint8_t)kc)), kc);
    for (unsigned kc = 0xA8; kc <= 0xC2; kc++)
        assert_int_equal(hid_usage_consumer_kc(hid_usage_consumer((uint8_t)kc)), kc);
    assert_int_equal(hid_usage_consumer(0x04), 0);
    assert_int_equal(hid_usage_consumer_kc(0), 0);
}

static void mouse_acceleration(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, QK_MOUSE_CURSOR_RIGHT);
    h_map(0, 1, QK_MOUSE_CURSOR_DOWN);
    h_map(0, 2, QK_MOUSE_BUTTON_1);
    h_map(0, 3, QK_MOUSE_WHEEL_UP);
    h_map(0, 4, QK_MOUSE_ACCELERATION_2);
    h_start();
    /* move_delta 8, delay 10, interval 16, max_speed 10, time_to_max 30:
     * 8 at once, then 8*10*n/30 for repeat n, every >16 ms after a first >10 ms */
    h_press(0, 0);
    h_settle(100);
    h_release(100, 0);
    h_expect("0 mouse b=0 x=8 y=0 v=0 h=0\n11 mouse b=0 x=2 y=0 v=0 h=0\n28 mouse b=0 x=5 y=0 v=0 h=0\n"
             "45 mouse b=0 x=8 y=0 v=0 h=0\n62 mouse b=0 x=10 y=0 v=0 h=0\n79 mouse b=0 x=13 y=0 v=0 h=0\n"
             "96 mouse b=0 x=16 y=0 v=0 h=0\n100 mouse b=0 x=0 y=0 v=0 h=0\n");
    /* reaches move_delta * max_speed = 80 at repeat 30 and stays there */
    h_press(1000, 0);
    h_settle(11 + 17 * 29);
    assert_non_null(strstr(h_log, "1504 mouse b=0 x=80 "));
    h_settle(17);
    assert_non_null(strstr(h_log, "1521 mouse b=0 x=80 "));
    h_release(1600, 0);
    h_len = 0;
    /* diagonal: each axis times 181/256 */
    h_press(2000, 0);
    h_press(2000, 1);
    h_settle(12);
    h_release(2020, 0);
    h_release(2020, 1);
    h_expect("2000 mouse b=0 x=8 y=0 v=0 h=0\n2000 mouse b=0 x=8 y=8 v=0 h=0\n2011 mouse b=0 x=1 y=1 v=0 h=0\n"
             "2020 mouse b=0 x=0 y=8 v=0 h=0\n2020 mouse b=0 x=0 y=0 v=0 h=0\n");
    /* buttons and wheel (delta 1; wheel delay 10, interval 80) */
    h_press(3000, 2);
    h_release(3010, 2);
    h_press(3100, 3);
    h_settle(100);
    h_release(3200, 3);
    h_expect("3000 mouse b=1 x=0 y=0 v=0 h=0\n3010 mouse b=0 x=0 y=0 v=0 h=0\n3100 mouse b=0 x=0 y=0 v=1 h=0\n"
             "3111 mouse b=0 x=0 y=0 v=1 h=0\n3192 mouse b=0 x=0 y=0 v=1 h=0\n3200 mouse b=0 x=0 y=0 v=0 h=0\n");
    /* ACL2: full speed at once */
    h_press(4000, 4);
    h_press(4010, 0);
    h_release(4020, 0);
    h_release(4030, 4);
    h_expect("4010 mouse b=0 x=80 y=0 v=0 h=0\n4020 mouse b=0 x=0 y=0 v=0 h=0\n");
    assert_true(engine_idle(&h_eng));
}

static void mouse_settings(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, QK_MOUSE_CURSOR_LEFT);
    h_set(CFG_MOUSE_MOVE_DELTA, 4);
    h_set(CFG_MOUSE_DELAY, 50);
    h_set(CFG_MOUSE_INTERVAL, 20);
    h_start();
    h_press(0, 0);
    h_settle(80);
    h_release(80, 0);
    h_expect("0 mouse b=0 x=-4 y=0 v=0 h=0\n51 mouse b=0 x=-1 y=0 v=0 h=0\n72 mouse b=0 x=-2 y=0 v=0 h=0\n"
             "80 mouse b=0 x=0 y=0 v=0 h=0\n");
}

static void firmware_actions(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, QK_BOOT);
    h_map(0, 1, QK_REBOOT);
    h_map(0, 2, QK_CLEAR_EEPROM);
    h_start();
    h_press(0, 0);
    assert_int_equal(h_actions, 1);
    assert_int_equal(h_last_action, QK_BOOT);
    h_release(10, 0);
    h_press(20, 1);
    h_release(30, 1);
    assert_int_equal(h_last_action, QK_REBOOT);
    h_press(40, 2);
    assert_int_equal(h_last_action, QK_CLEAR_EEPROM);
    assert_int_equal(h_actions, 3);
    h_expect("");
}

static void tap_toggle(void **state)
{
    (void)state;
    h_board(2);
    h_map(0, 0, KC_TT(1));
    h_map(0, 1, KC_A);
    h_map(1, 1, 0x05);
    h_set(CFG_TAPPING_TOGGLE, 3);
    h_start();
    /* held: momentary */
    h_press(0, 0);
    h_press(250, 1);
    h_release(260, 1);
    h_release(300, 0);
    h_press(400, 1);
    h_release(410, 1);
    h_expect("250 kbd B\n260 kbd -\n400 kbd A\n410 kbd -\n");
    /* three quick taps: the layer stays on */
    for (unsigned i = 0; i < 3; i++) {
        h_press(1000 + 40 * i, 0);
        h_release(1010 + 40 * i, 0);
    }
    h_press(1300, 1);
    h_release(1310, 1);
    h_expect("1300 kbd B\n1310 kbd -\n");
    assert_int_equal(h_eng.layer_state, 2);
}

/* More events than the waiting buffer holds behind an undecided key: everything is released
 * cleanly and nothing stays stuck afterwards. */
static void buffer_overflow(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, KC_MT(MOD_LSFT, KC_A));
    h_map(0, 1, KC_MO(0));
    for (unsigned i = 2; i < 20; i++) h_map(0, i, (kc_t)(KC_A + i));
    h_start();
    h_press(0, 0);
    for (unsigned i = 2; i < 2 + ENGINE_WAIT_MAX + 1; i++) h_press(i, i);
    assert_int_equal(h_trace_count[ENGINE_TRACE_BUFFER_OVERFLOW], 1);
    for (unsigned i = 2; i < 2 + ENGINE_WAIT_MAX + 1; i++) h_release(20 + i, i);
    h_release(40, 0);
    h_settle(1000);
    h_press(100, 2);
    h_release(110, 2);
    h_expect("100 kbd C\n110 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

static void held_limit(void **state)
{
    (void)state;
    h_board(1);
    for (unsigned i = 0; i < 20; i++) h_map(0, i, (kc_t)(KC_A + i));
    h_set(CFG_NKRO, 1);
    h_start();
    for (unsigned i = 0; i < ENGINE_HELD_MAX + 2; i++) h_press(i, i);
    assert_int_equal(h_trace_count[ENGINE_TRACE_KEY_DROPPED_HELD], 2);
    for (unsigned i = 0; i < ENGINE_HELD_MAX + 2; i++) h_release(100 + i, i);
    assert_non_null(strstr(h_log, "115 kbd -\n"));
    assert_true(engine_idle(&h_eng));
}

static void release_all(void **state)
{
    (void)state;
    h_board(2);
    h_map(0, 0, KC_MO(1));
    h_map(0, 1, KC_LEFT_CTRL);
    h_map(1, 2, KC_A);
    h_map(0, 3, 0xA9);
    h_map(1, 1, KC_TRNS);
    h_map(1, 3, KC_TRNS);
    h_start();
    h_press(0, 0);
    h_press(10, 1);
    h_press(20, 2);
    h_press(30, 3);
    engine_release_all(&h_eng, 40);
    h_expect("10 kbd LCTL\n20 kbd LCTL A\n30 consumer 0x0E9\n40 consumer -\n40 kbd LCTL\n40 kbd -\n");
    assert_true(engine_idle(&h_eng));
    assert_int_equal(h_eng.layer_state, 0);
    /* the physical releases that follow change nothing */
    h_release(50, 2);
    h_release(60, 1);
    h_release(70, 0);
    h_release(80, 3);
    h_expect("");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seven_keys),        cmocka_unit_test(nkro_default_setting),
        cmocka_unit_test(consumer_system),   cmocka_unit_test(mouse_acceleration),
        cmocka_unit_test(mouse_settings),    cmocka_unit_test(firmware_actions),
        cmocka_unit_test(tap_toggle),        cmocka_unit_test(buffer_overflow),
        cmocka_unit_test(held_limit),        cmocka_unit_test(release_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
