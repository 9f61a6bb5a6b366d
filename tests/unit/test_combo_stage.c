/* The combo stage and tap dance through the engine API: keycode dispatch (the behaviour table is
 * scanned in keycode order, so a misplaced entry silently disables a range), deadlines and idleness
 * while presses are held back, the bound on active combos, and release-all in the middle of an
 * attempt or a dance. Timing rules themselves are in tests/scenarios/combos and tap_dance. */
#include "core/engine_int.h"
#include "tests/unit/engine_harness.h"

static void combo(unsigned i, uint8_t a, uint8_t b, kc_t result)
{
    cfg_combo_def_t *c = &h_model.combos[i];
    memset(c, 0, sizeof *c);
    c->result = result;
    c->layers = 0xFFFFFFFFu;
    c->nkeys = 2;
    memset(c->keys, 0xFF, sizeof c->keys);
    c->keys[0] = a;
    c->keys[1] = b;
    if (h_model.ncombos <= i) h_model.ncombos = (uint8_t)(i + 1);
}

static void dispatch(void **state)
{
    (void)state;
    /* CM_* and TD() sit between ranges of the other behaviours: each must reach its own */
    assert_int_equal(eng_bhv_for(QK_COMBO_ON), ENG_BHV_COMBO_CTL);
    assert_int_equal(eng_bhv_for(QK_COMBO_OFF), ENG_BHV_COMBO_CTL);
    assert_int_equal(eng_bhv_for(QK_COMBO_TOGGLE), ENG_BHV_COMBO_CTL);
    assert_int_equal(eng_bhv_for(KC_TD(0)), ENG_BHV_TAP_DANCE);
    assert_int_equal(eng_bhv_for(KC_TD(255)), ENG_BHV_TAP_DANCE);
    /* and their neighbours still reach theirs */
    assert_int_equal(eng_bhv_for(QK_ONE_SHOT_TOGGLE), ENG_BHV_OS_CTL);
    assert_int_equal(eng_bhv_for(QK_BOOT), ENG_BHV_SYSTEM);
    assert_int_equal(eng_bhv_for(KC_TT(1)), ENG_BHV_TAP_TOGGLE);
    assert_int_equal(eng_bhv_for(NK_ON), ENG_BHV_SYSTEM);
}

static void held_back_press_has_a_deadline(void **state)
{
    (void)state;
    h_board(1);
    for (unsigned i = 0; i < 4; i++) h_map(0, i, (kc_t)(KC_A + i));
    combo(0, 1, 2, KC_ESCAPE);
    h_set(CFG_COMBO_TERM, 40);
    h_start();
    h_press(10, 1);
    h_expect("");
    /* held back: the engine is busy and wants a tick when the term runs out */
    assert_false(engine_idle(&h_eng));
    assert_int_equal(engine_next_deadline(&h_eng), 50);
    h_settle(100);
    h_expect("50 kbd B\n");
    h_release(60, 1);
    h_expect("60 kbd -\n");
    assert_true(engine_idle(&h_eng));
    assert_int_equal(engine_next_deadline(&h_eng), ENGINE_NO_DEADLINE);
    /* a combo held is not idle either, until its keys are up */
    h_press(100, 1);
    h_press(105, 2);
    h_expect("105 kbd ESCAPE\n");
    h_release(120, 2);
    h_expect("120 kbd -\n");
    assert_false(engine_idle(&h_eng)); /* key 1 is still down, its release still to swallow */
    h_release(130, 1);
    h_expect("");
    assert_true(engine_idle(&h_eng));
}

static void active_combo_bound(void **state)
{
    (void)state;
    h_board(1);
    for (unsigned i = 0; i < 10; i++) h_map(0, i, (kc_t)(KC_A + i));
    static const kc_t res[5] = {KC_F1, KC_F1 + 1, KC_F1 + 2, KC_F1 + 3, KC_F1 + 4};
    for (unsigned i = 0; i < 5; i++) combo(i, (uint8_t)(2 * i), (uint8_t)(2 * i + 1), res[i]);
    h_start();
    for (unsigned i = 0; i < 5; i++) {
        h_press(10 * i, 2 * i);
        h_press(10 * i + 1, 2 * i + 1);
    }
    /* four fire; the fifth finds no free slot (ENGINE_COMBO_ACTIVE_MAX) and its keys are replayed */
    assert_int_equal(ENGINE_COMBO_ACTIVE_MAX, 4);
    assert_int_equal(h_trace_count[ENGINE_TRACE_COMBO_PRESS], 4);
    if (!strstr(h_log, "41 kbd I J 0x3A 0x3B 0x3C 0x3D\n")) fail_msg("log:\n%s", h_log);
    for (unsigned p = 0; p < 10; p++) h_release(100 + p, p);
    h_settle(1000);
    assert_true(engine_idle(&h_eng));
    assert_non_null(strstr(h_log, "109 kbd -\n"));
}

static void release_all_midway(void **state)
{
    (void)state;
    h_board(1);
    for (unsigned i = 0; i < 4; i++) h_map(0, i, (kc_t)(KC_A + i));
    h_map(0, 5, KC_TD(0));
    combo(0, 1, 2, KC_LEFT_SHIFT);
    h_model.ntap_dances = 1;
    h_model.tap_dances[0] = (cfg_tap_dance_def_t){KC_A + 23 /* X */, KC_LEFT_CTRL, KC_A + 24 /* Y */, KC_NO, 0};
    h_start();
    /* a press held back, then everything released by the firmware (e.g. on suspend) */
    h_press(0, 1);
    engine_release_all(&h_eng, 5);
    h_settle(1000);
    assert_true(engine_idle(&h_eng));
    /* a combo holding Shift, and a dance held past its term (Ctrl) */
    h_press(100, 1);
    h_press(100, 2);
    h_press(110, 5);
    h_at(400);
    assert_non_null(strstr(h_log, "310 kbd LCTL LSFT\n"));
    engine_release_all(&h_eng, 400);
    h_settle(1000);
    assert_true(engine_idle(&h_eng));
    assert_non_null(strstr(h_log, "400 kbd -\n"));
    /* the keys' real releases afterwards change nothing */
    size_t before = h_len;
    h_release(500, 1);
    h_release(500, 2);
    h_release(500, 5);
    assert_int_equal(h_len, before);
    assert_true(engine_idle(&h_eng));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dispatch),
        cmocka_unit_test(held_back_press_has_a_deadline),
        cmocka_unit_test(active_combo_bound),
        cmocka_unit_test(release_all_midway),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
