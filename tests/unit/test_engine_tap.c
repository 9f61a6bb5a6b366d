/* Engine tap-hold options: quick tap, retro tapping, nesting and rolls of two and three dual-role
 * keys, chordal hold, flow tap, ZMK flavours and require-prior-idle. */
#include "tests/unit/engine_harness.h"

#define MT_A KC_MT(MOD_LSFT, KC_A)
#define MT_S KC_MT(MOD_LCTL, 0x16)
#define LT_D KC_LT(1, 0x07)
#define KC_B 0x05u
#define KC_C 0x06u
#define KC_X 0x1Bu

/* pos 0 MT_A, 1 MT_S, 2 LT_D, 3 B, 4 C (left hand); 7 X (right hand); 9 B ('*' hand) */
static void board(void)
{
    h_board(2);
    h_map(0, 0, MT_A);
    h_map(0, 1, MT_S);
    h_map(0, 2, LT_D);
    h_map(0, 3, KC_B);
    h_map(0, 4, KC_C);
    h_map(0, 7, KC_X);
    h_map(0, 9, KC_B);
    h_model.hand[9] = CFG_HAND_ANY;
    for (unsigned p = 0; p < 40; p++) h_map(1, p, KC_TRNS);
}

static void quick_tap_repeats(void **state)
{
    (void)state;
    board();
    h_start();
    h_press(0, 0);
    h_release(50, 0);
    h_press(100, 0); /* 50 ms after the tap's release: the tap again, held (OS auto-repeat) */
    h_release(400, 0);
    h_expect("50 kbd A\n50 kbd -\n100 kbd A\n400 kbd -\n");
    assert_int_equal(h_last_reason, ENGINE_REASON_QUICK_TAP);
    /* interrupted by another key: no repeat, the second press is a hold */
    h_press(1000, 0);
    h_release(1050, 0);
    h_press(1060, 3);
    h_release(1070, 3);
    h_press(1100, 0);
    h_release(1400, 0);
    h_expect("1050 kbd A\n1050 kbd -\n1060 kbd B\n1070 kbd -\n1300 kbd LSFT\n1400 kbd -\n");
    /* re-pressed after the term (measured from the release): a new key, hold */
    h_press(2000, 0);
    h_release(2050, 0);
    h_press(2250, 0);
    h_release(2500, 0);
    h_expect("2050 kbd A\n2050 kbd -\n2450 kbd LSFT\n2500 kbd -\n");
}

static void quick_tap_term_settings(void **state)
{
    (void)state;
    board();
    h_set(CFG_QUICK_TAP_TERM, 0); /* off: the second press holds */
    h_start();
    h_press(0, 0);
    h_release(50, 0);
    h_press(100, 0);
    h_release(400, 0);
    h_expect("50 kbd A\n50 kbd -\n300 kbd LSFT\n400 kbd -\n");

    board();
    h_perkey(MT_A, CFG_QUICK_TAP_TERM, 100);
    h_start();
    h_press(0, 0);
    h_release(50, 0);
    h_press(149, 0); /* 99 ms after release: repeat */
    h_release(400, 0);
    h_press(1000, 0);
    h_release(1050, 0);
    h_press(1150, 0); /* exactly 100 ms: not within, hold */
    h_release(1400, 0);
    h_expect("50 kbd A\n50 kbd -\n149 kbd A\n400 kbd -\n1050 kbd A\n1050 kbd -\n1350 kbd LSFT\n1400 kbd -\n");
}

static void retro_tapping(void **state)
{
    (void)state;
    board();
    h_set(CFG_RETRO_TAPPING, 1);
    h_start();
    /* held alone past the term: the mod, then the tap on release (QMK: [LSFT] [] [A] []) */
    h_press(0, 0);
    h_release(300, 0);
    h_expect("200 kbd LSFT\n300 kbd -\n300 kbd A\n300 kbd -\n");
    assert_int_equal(h_trace_count[ENGINE_TRACE_RETRO_TAP], 1);
    /* another key used during the hold: no retro tap */
    h_press(1000, 0);
    h_press(1250, 3);
    h_release(1260, 3);
    h_release(1300, 0);
    h_expect("1200 kbd LSFT\n1250 kbd LSFT B\n1260 kbd LSFT\n1300 kbd -\n");
    /* a key pressed before and released during the hold does not cancel it (QMK's
     * regular_to_mod_over_tap_term): [B LSFT] [LSFT] [] [A] [] */
    h_press(1500, 3);
    h_press(1510, 0);
    h_release(1750, 3);
    h_release(1800, 0);
    h_expect("1500 kbd B\n1710 kbd LSFT B\n1750 kbd LSFT\n1800 kbd -\n1800 kbd A\n1800 kbd -\n");
    /* layer-tap: the layer goes away, then the tap */
    h_press(2000, 2);
    h_release(2300, 2);
    h_expect("2300 kbd D\n2300 kbd -\n");
    /* off per key */
    board();
    h_set(CFG_RETRO_TAPPING, 1);
    h_perkey(MT_A, CFG_RETRO_TAPPING, 0);
    h_start();
    h_press(0, 0);
    h_release(300, 0);
    h_expect("200 kbd LSFT\n300 kbd -\n");
}

/* Two dual-role keys nested around a normal key, in the three QMK modes. */
static void nested_two(void **state)
{
    (void)state;
    const char *want[3] = {
        "190 kbd A\n190 kbd A S\n190 kbd A B S\n190 kbd A S\n190 kbd A\n190 kbd -\n",
        "110 kbd LSFT\n150 kbd LSFT S\n150 kbd LSFT B S\n150 kbd LSFT S\n150 kbd LSFT\n190 kbd -\n",
        "50 kbd LSFT\n100 kbd LCTL LSFT\n100 kbd LCTL LSFT B\n110 kbd LCTL LSFT\n150 kbd LSFT\n190 kbd -\n",
    };
    for (unsigned m = 0; m < 3; m++) {
        board();
        if (m == 1) h_set(CFG_PERMISSIVE_HOLD, 1);
        if (m == 2) h_set(CFG_HOLD_ON_OTHER_KEY_PRESS, 1);
        h_start();
        h_press(0, 0);
        h_press(50, 1);
        h_press(100, 3);
        h_release(110, 3);
        h_release(150, 1);
        h_release(190, 0);
        h_settle(5000);
        print_message("mode %u\n", m);
        h_expect(want[m]);
        assert_true(engine_idle(&h_eng));
    }
}

/* A fast roll over three dual-role keys: QMK releases a key pressed before the key being decided
 * as soon as it is seen, so A's release waits until S is decided. */
static void roll_three(void **state)
{
    (void)state;
    board();
    h_start();
    h_press(0, 0);
    h_press(20, 1);
    h_press(40, 2);
    h_release(100, 0);
    h_release(110, 1);
    h_release(120, 2);
    h_settle(5000);
    h_expect("100 kbd A\n110 kbd A S\n110 kbd S\n110 kbd -\n120 kbd D\n120 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

/* Three dual-role keys held together past the term: all three holds (a chord of modifiers and a
 * layer), then a key on the layer. */
static void hold_three(void **state)
{
    (void)state;
    board();
    h_map(1, 7, 0x4F); /* RIGHT */
    h_start();
    h_press(0, 0);
    h_press(20, 1);
    h_press(40, 2);
    h_press(300, 7);
    h_release(310, 7);
    h_release(400, 2);
    h_release(410, 1);
    h_release(420, 0);
    h_settle(5000);
    h_expect("200 kbd LSFT\n220 kbd LCTL LSFT\n300 kbd LCTL LSFT RIGHT\n310 kbd LCTL LSFT\n410 kbd LSFT\n420 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

static void chordal_hold(void **state)
{
    (void)state;
    board();
    h_set(CFG_CHORDAL_HOLD, 1);
    h_set(CFG_PERMISSIVE_HOLD, 1);
    h_start();
    /* same hand: settled as tap as soon as the other key is pressed */
    h_press(0, 0);
    h_press(50, 4);
    h_release(60, 4);
    h_release(100, 0);
    h_expect("50 kbd A\n50 kbd A C\n60 kbd A\n100 kbd -\n");
    assert_int_equal(h_last_reason, ENGINE_REASON_CHORDAL_SAME_HAND);
    /* opposite hand: the configured mode (permissive hold) decides */
    h_press(1000, 0);
    h_press(1050, 7);
    h_release(1060, 7);
    h_release(1100, 0);
    h_expect("1060 kbd LSFT\n1060 kbd LSFT X\n1060 kbd LSFT\n1100 kbd -\n");
    /* a '*' key is exempt */
    h_press(2000, 0);
    h_press(2050, 9);
    h_release(2060, 9);
    h_release(2100, 0);
    h_expect("2060 kbd LSFT\n2060 kbd LSFT B\n2060 kbd LSFT\n2100 kbd -\n");
    /* no effect after the term */
    h_press(3000, 0);
    h_press(3250, 4);
    h_release(3260, 4);
    h_release(3300, 0);
    h_expect("3200 kbd LSFT\n3250 kbd LSFT C\n3260 kbd LSFT\n3300 kbd -\n");
    /* per key: off for MT_A */
    board();
    h_set(CFG_CHORDAL_HOLD, 1);
    h_set(CFG_PERMISSIVE_HOLD, 1);
    h_perkey(MT_A, CFG_CHORDAL_HOLD, 0);
    h_start();
    h_press(0, 0);
    h_press(50, 4);
    h_release(60, 4);
    h_release(100, 0);
    h_expect("60 kbd LSFT\n60 kbd LSFT C\n60 kbd LSFT\n100 kbd -\n");
}

/* Chordal hold with two same-hand dual-role keys and an opposite-hand key: the streak rule. */
static void chordal_streak(void **state)
{
    (void)state;
    board();
    h_set(CFG_CHORDAL_HOLD, 1);
    h_set(CFG_PERMISSIVE_HOLD, 1);
    h_start();
    /* A and S (same hand) then X (other hand) tapped inside: S may chord with X, so A and S both
     * hold (A->S is same hand, but the streak ends at the last allowed chord) */
    h_press(0, 0);
    h_press(20, 1);
    h_press(40, 7);
    h_release(50, 7);
    h_release(100, 1);
    h_release(110, 0);
    h_settle(5000);
    h_expect("50 kbd LSFT\n50 kbd LCTL LSFT\n50 kbd LCTL LSFT X\n50 kbd LCTL LSFT\n100 kbd LSFT\n110 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

static void flow_tap(void **state)
{
    (void)state;
    board();
    h_set(CFG_FLOW_TAP_TERM, 150);
    h_start();
    /* typing: B then the dual-role key 80 ms later is a tap at once, even when held */
    h_press(0, 3);
    h_release(20, 3);
    h_press(100, 0);
    h_release(400, 0);
    h_expect("0 kbd B\n20 kbd -\n100 kbd A\n400 kbd -\n");
    assert_int_equal(h_last_reason, ENGINE_REASON_FLOW_TAP);
    /* after a pause longer than the term: a normal dual-role key */
    h_press(1000, 3);
    h_release(1020, 3);
    h_press(1200, 0);
    h_release(1500, 0);
    h_expect("1000 kbd B\n1020 kbd -\n1400 kbd LSFT\n1500 kbd -\n");
    /* the previous key is not a flow-tap key (Enter): normal */
    h_map(0, 5, KC_ENTER);
    board();
    h_map(0, 5, KC_ENTER);
    h_set(CFG_FLOW_TAP_TERM, 150);
    h_start();
    h_press(0, 5);
    h_release(20, 5);
    h_press(100, 0);
    h_release(400, 0);
    h_expect("0 kbd ENTER\n20 kbd -\n300 kbd LSFT\n400 kbd -\n");
    /* a hotkey mod held (Ctrl from MT_S): no flow tap */
    h_press(1000, 1);
    h_press(1300, 3); /* Ctrl held by now */
    h_release(1310, 3);
    h_press(1350, 0);
    h_release(1600, 0);
    h_release(1700, 1);
    h_expect("1200 kbd LCTL\n1300 kbd LCTL B\n1310 kbd LCTL\n1550 kbd LCTL LSFT\n1600 kbd LCTL\n1700 kbd -\n");
}

static void zmk_flavors(void **state)
{
    (void)state;
    /* hold-preferred = hold on other key press */
    board();
    h_set(CFG_TAPPING_FLAVOR, CFG_FLAVOR_HOLD_PREFERRED);
    h_start();
    h_press(0, 0);
    h_press(110, 3);
    h_release(130, 0);
    h_release(140, 3);
    h_expect("110 kbd LSFT\n110 kbd LSFT B\n130 kbd B\n140 kbd -\n");
    /* balanced = permissive hold: nested tap holds, roll taps */
    board();
    h_set(CFG_TAPPING_FLAVOR, CFG_FLAVOR_BALANCED);
    h_start();
    h_press(0, 0);
    h_press(110, 3);
    h_release(120, 3);
    h_release(199, 0);
    h_press(1000, 0);
    h_press(1110, 3);
    h_release(1130, 0);
    h_release(1140, 3);
    h_expect("120 kbd LSFT\n120 kbd LSFT B\n120 kbd LSFT\n199 kbd -\n"
             "1130 kbd A\n1130 kbd A B\n1130 kbd B\n1140 kbd -\n");
    /* tap-preferred = QMK default */
    board();
    h_set(CFG_TAPPING_FLAVOR, CFG_FLAVOR_TAP_PREFERRED);
    h_set(CFG_HOLD_ON_OTHER_KEY_PRESS, 1); /* ignored: the flavour decides */
    h_start();
    h_press(0, 0);
    h_press(110, 3);
    h_release(120, 3);
    h_release(199, 0);
    h_expect("199 kbd A\n199 kbd A B\n199 kbd A\n199 kbd -\n");
    /* tap-unless-interrupted: the term running out gives a tap; another key gives a hold */
    board();
    h_set(CFG_TAPPING_FLAVOR, CFG_FLAVOR_TAP_UNLESS_INTERRUPTED);
    h_start();
    h_press(0, 0);
    h_release(300, 0);
    h_press(1000, 0);
    h_press(1250, 3);
    h_release(1260, 3);
    h_release(1300, 0);
    h_press(2000, 0);
    h_press(2050, 3);
    h_release(2060, 3);
    h_release(2100, 0);
    h_expect("200 kbd A\n300 kbd -\n1200 kbd A\n1250 kbd A B\n1260 kbd A\n1300 kbd -\n"
             "2050 kbd LSFT\n2050 kbd LSFT B\n2060 kbd LSFT\n2100 kbd -\n");
    /* per key: LT_D tap-preferred while the rest is hold-preferred */
    board();
    h_set(CFG_TAPPING_FLAVOR, CFG_FLAVOR_HOLD_PREFERRED);
    h_perkey(LT_D, CFG_TAPPING_FLAVOR, CFG_FLAVOR_TAP_PREFERRED);
    h_start();
    h_press(0, 2);
    h_press(50, 3);
    h_release(60, 3);
    h_release(100, 2);
    h_expect("100 kbd D\n100 kbd B D\n100 kbd D\n100 kbd -\n");
}

static void require_prior_idle(void **state)
{
    (void)state;
    board();
    h_set(CFG_REQUIRE_PRIOR_IDLE, 100);
    h_start();
    h_press(0, 3);
    h_release(10, 3);
    h_press(50, 0); /* 50 ms after B was pressed: tap at once */
    h_release(300, 0);
    h_press(1000, 0); /* idle long enough: a normal dual-role key */
    h_release(1300, 0);
    h_expect("0 kbd B\n10 kbd -\n50 kbd A\n300 kbd -\n1200 kbd LSFT\n1300 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

/* QMK's tap delays: the release of a tapped Caps Lock waits qmk.tap_capslock_delay (80 ms), other
 * taps qmk.tap_keycode_delay (0); a later event sends the waiting release first. */
static void tap_delays(void **state)
{
    (void)state;
    board();
    h_map(0, 5, KC_MT(MOD_LCTL, KC_CAPS_LOCK));
    h_start();
    h_press(0, 5);
    h_release(50, 5);
    h_settle(1000);
    h_press(1000, 5);
    h_release(1050, 5);
    h_press(1060, 3);
    h_release(1070, 3);
    h_expect("50 kbd CAPS_LOCK\n130 kbd -\n1050 kbd CAPS_LOCK\n1060 kbd -\n1060 kbd B\n1070 kbd -\n");
    assert_true(engine_idle(&h_eng));
    board();
    h_set(CFG_TAP_CODE_DELAY, 10);
    h_start();
    h_press(0, 0);
    h_release(50, 0);
    h_settle(1000);
    h_expect("50 kbd A\n60 kbd -\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quick_tap_repeats),  cmocka_unit_test(quick_tap_term_settings),
        cmocka_unit_test(retro_tapping),      cmocka_unit_test(nested_two),
        cmocka_unit_test(roll_three),         cmocka_unit_test(hold_three),
        cmocka_unit_test(chordal_hold),       cmocka_unit_test(chordal_streak),
        cmocka_unit_test(flow_tap),           cmocka_unit_test(zmk_flavors),
        cmocka_unit_test(require_prior_idle), cmocka_unit_test(tap_delays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
