/* Engine: basic keys, modded keycodes, layers and the QMK tap-hold timing table (qmk.md §4.3) in
 * its three modes, with mod-tap and layer-tap. */
#include "tests/unit/engine_harness.h"

#define MT_A KC_MT(MOD_LSFT, KC_A)
#define KC_B (KC_A + 1)
#define KC_C (KC_A + 2)
#define KC_D (KC_A + 3)
#define KC_E (KC_A + 4)
#define KC_F (KC_A + 5)
#define KC_L (KC_A + 11)
#define KC_P (KC_A + 15)
#define KC_X (KC_A + 23)

enum mode { DEFAULT, PERMISSIVE, HOOKP };

static void board_mt(enum mode m, kc_t dual)
{
    h_board(3);
    h_map(0, 0, dual);
    h_map(0, 1, KC_B);
    h_map(2, 1, KC_RIGHT); /* what the layer-tap variant reaches on its layer */
    if (m == PERMISSIVE) h_set(CFG_PERMISSIVE_HOLD, 1);
    if (m == HOOKP) h_set(CFG_HOLD_ON_OTHER_KEY_PRESS, 1);
    h_start();
}

/* One row of the table: events, then the expected reports for each mode. */
struct row {
    const char *name;
    uint32_t t[4];
    int ev[4]; /* +pos press, -(pos+1) release */
    const char *want[3];
};

static const struct row mt_rows[] = {
    {"distinct", {0, 199, 210, 220}, {0, -1, 1, -2},
     {"199 kbd A\n199 kbd -\n210 kbd B\n220 kbd -\n", "199 kbd A\n199 kbd -\n210 kbd B\n220 kbd -\n",
      "199 kbd A\n199 kbd -\n210 kbd B\n220 kbd -\n"}},
    {"distinct long", {0, 201, 205, 210}, {0, -1, 1, -2},
     {"200 kbd LSFT\n201 kbd -\n205 kbd B\n210 kbd -\n", "200 kbd LSFT\n201 kbd -\n205 kbd B\n210 kbd -\n",
      "200 kbd LSFT\n201 kbd -\n205 kbd B\n210 kbd -\n"}},
    {"nested", {0, 110, 120, 199}, {0, 1, -2, -1},
     {"199 kbd A\n199 kbd A B\n199 kbd A\n199 kbd -\n", "120 kbd LSFT\n120 kbd LSFT B\n120 kbd LSFT\n199 kbd -\n",
      "110 kbd LSFT\n110 kbd LSFT B\n120 kbd LSFT\n199 kbd -\n"}},
    {"nested long", {0, 110, 120, 210}, {0, 1, -2, -1},
     {"200 kbd LSFT\n200 kbd LSFT B\n200 kbd LSFT\n210 kbd -\n", "120 kbd LSFT\n120 kbd LSFT B\n120 kbd LSFT\n210 kbd -\n",
      "110 kbd LSFT\n110 kbd LSFT B\n120 kbd LSFT\n210 kbd -\n"}},
    {"nested after term", {0, 205, 210, 220}, {0, 1, -2, -1},
     {"200 kbd LSFT\n205 kbd LSFT B\n210 kbd LSFT\n220 kbd -\n", "200 kbd LSFT\n205 kbd LSFT B\n210 kbd LSFT\n220 kbd -\n",
      "200 kbd LSFT\n205 kbd LSFT B\n210 kbd LSFT\n220 kbd -\n"}},
    {"rolling", {0, 110, 130, 140}, {0, 1, -1, -2},
     {"130 kbd A\n130 kbd A B\n130 kbd B\n140 kbd -\n", "130 kbd A\n130 kbd A B\n130 kbd B\n140 kbd -\n",
      "110 kbd LSFT\n110 kbd LSFT B\n130 kbd B\n140 kbd -\n"}},
    {"rolling long", {0, 110, 205, 210}, {0, 1, -1, -2},
     {"200 kbd LSFT\n200 kbd LSFT B\n205 kbd B\n210 kbd -\n", "200 kbd LSFT\n200 kbd LSFT B\n205 kbd B\n210 kbd -\n",
      "110 kbd LSFT\n110 kbd LSFT B\n205 kbd B\n210 kbd -\n"}},
};

static void run_row(const struct row *r)
{
    for (int i = 0; i < 4; i++) {
        if (r->ev[i] >= 0) h_press(r->t[i], (unsigned)r->ev[i]);
        else h_release(r->t[i], (unsigned)(-r->ev[i] - 1));
    }
    h_settle(10000);
}

static void timing_table_mod_tap(void **state)
{
    (void)state;
    for (unsigned m = 0; m < 3; m++) {
        for (size_t i = 0; i < sizeof mt_rows / sizeof mt_rows[0]; i++) {
            print_message("mode %u: %s\n", m, mt_rows[i].name);
            board_mt((enum mode)m, MT_A);
            run_row(&mt_rows[i]);
            h_expect(mt_rows[i].want[m]);
            assert_true(engine_idle(&h_eng));
        }
    }
}

/* The same table with LT(2, KC_A): the hold is layer 2, where key 1 is KC_RIGHT. A layer change
 * sends nothing, and key 1 pressed on layer 2 stays RIGHT until released (source layer). */
static const char *const lt_want[7][3] = {
    {"199 kbd A\n199 kbd -\n210 kbd B\n220 kbd -\n", "199 kbd A\n199 kbd -\n210 kbd B\n220 kbd -\n",
     "199 kbd A\n199 kbd -\n210 kbd B\n220 kbd -\n"},
    {"205 kbd B\n210 kbd -\n", "205 kbd B\n210 kbd -\n", "205 kbd B\n210 kbd -\n"},
    {"199 kbd A\n199 kbd A B\n199 kbd A\n199 kbd -\n", "120 kbd RIGHT\n120 kbd -\n", "110 kbd RIGHT\n120 kbd -\n"},
    {"200 kbd RIGHT\n200 kbd -\n", "120 kbd RIGHT\n120 kbd -\n", "110 kbd RIGHT\n120 kbd -\n"},
    {"205 kbd RIGHT\n210 kbd -\n", "205 kbd RIGHT\n210 kbd -\n", "205 kbd RIGHT\n210 kbd -\n"},
    {"130 kbd A\n130 kbd A B\n130 kbd B\n140 kbd -\n", "130 kbd A\n130 kbd A B\n130 kbd B\n140 kbd -\n",
     "110 kbd RIGHT\n140 kbd -\n"},
    {"200 kbd RIGHT\n210 kbd -\n", "200 kbd RIGHT\n210 kbd -\n", "110 kbd RIGHT\n210 kbd -\n"},
};

static void timing_table_layer_tap(void **state)
{
    (void)state;
    for (unsigned m = 0; m < 3; m++) {
        for (size_t i = 0; i < sizeof mt_rows / sizeof mt_rows[0]; i++) {
            print_message("mode %u: %s\n", m, mt_rows[i].name);
            board_mt((enum mode)m, KC_LT(2, KC_A));
            run_row(&mt_rows[i]);
            h_expect(lt_want[i][m]);
            assert_true(engine_idle(&h_eng));
        }
    }
}

/* Exactly `term` ms held is a hold; term - 1 is a tap (strictly less than). */
static void term_edges(void **state)
{
    (void)state;
    board_mt(DEFAULT, MT_A);
    h_press(0, 0);
    h_release(199, 0);
    h_expect("199 kbd A\n199 kbd -\n");
    h_press(1000, 0);
    h_release(1200, 0);
    h_expect("1200 kbd LSFT\n1200 kbd -\n");
    h_press(2000, 0);
    h_release(2201, 0);
    h_expect("2200 kbd LSFT\n2201 kbd -\n");
}

/* A per-key term overrides the global one for that keycode only. */
static void per_key_term(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, MT_A);
    h_map(0, 1, KC_MT(MOD_LCTL, KC_B));
    h_perkey(MT_A, CFG_TAPPING_TERM, 300);
    h_start();
    h_press(0, 0);
    h_release(250, 0);
    h_expect("250 kbd A\n250 kbd -\n");
    h_press(1000, 1);
    h_release(1250, 1);
    h_expect("1200 kbd LCTL\n1250 kbd -\n");
}

static void basic_and_modded(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, KC_A);
    h_map(0, 1, KC_MODS(MOD_LSFT, KC_EQUAL)); /* KC_PLUS */
    h_map(0, 2, KC_LEFT_SHIFT);
    h_map(0, 3, KC_MODS(MOD_HYPR, KC_NO));    /* KC_HYPR: real mods */
    h_map(0, 4, KC_MODS(MOD_LCTL, KC_C));
    h_start();
    h_press(0, 0);
    h_release(10, 0);
    h_expect("0 kbd A\n10 kbd -\n");
    /* modifier first, key after; on release key first, then modifier */
    h_press(20, 1);
    h_release(30, 1);
    h_expect("20 kbd LSFT\n20 kbd LSFT EQUAL\n30 kbd LSFT\n30 kbd -\n");
    /* a held shift goes out with the key: the mods-only report is unchanged, so not sent */
    h_press(40, 2);
    h_press(50, 1);
    h_release(60, 1);
    h_release(70, 2);
    h_expect("40 kbd LSFT\n50 kbd LSFT EQUAL\n60 kbd LSFT\n70 kbd -\n");
    h_press(80, 3);
    h_release(90, 3);
    h_expect("80 kbd LCTL LSFT LALT LGUI\n90 kbd -\n");
    /* weak mods of a held modded key do not leak into the next key press */
    h_press(100, 4);
    h_press(110, 0);
    h_release(120, 4);
    h_release(130, 0);
    h_expect("100 kbd LCTL\n100 kbd LCTL C\n110 kbd A C\n120 kbd A\n130 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

/* The same usage from two keys: QMK releases it before pressing it again. */
static void same_usage_twice(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, KC_A);
    h_map(0, 1, KC_A);
    h_start();
    h_press(0, 0);
    h_press(10, 1);
    h_release(20, 0);
    h_release(30, 1);
    h_expect("0 kbd A\n10 kbd -\n10 kbd A\n20 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

static void layers_and_source_layer(void **state)
{
    (void)state;
    h_board(4);
    h_map(0, 0, KC_MO(1));
    h_map(0, 1, KC_A);
    h_map(1, 1, KC_B);
    h_map(0, 2, KC_C);
    h_map(1, 2, KC_TRNS); /* falls through to C */
    h_map(0, 3, KC_D);
    h_map(1, 3, KC_NO);   /* stops */
    h_map(0, 4, KC_TG(2));
    h_map(2, 1, KC_E);
    h_map(2, 4, KC_TRNS);
    h_map(0, 5, KC_TO(3));
    h_map(3, 5, KC_TO(0));
    h_map(3, 1, KC_TRNS);
    h_start();
    /* MO held: B; released while B held: B's release still releases B (source layer) */
    h_press(0, 0);
    h_press(10, 1);
    h_release(20, 0);
    h_release(30, 1);
    h_expect("10 kbd B\n30 kbd -\n");
    h_press(40, 0);
    h_press(50, 2);
    h_release(55, 2);
    h_press(60, 3);
    h_release(65, 3);
    h_release(70, 0);
    h_expect("50 kbd C\n55 kbd -\n");
    /* TG acts on release; layer 2 stays until toggled again */
    h_press(100, 4);
    h_press(105, 1);
    h_release(106, 1);
    h_release(110, 4);
    h_press(120, 1);
    h_release(130, 1);
    h_press(140, 4);
    h_release(150, 4);
    h_press(160, 1);
    h_release(170, 1);
    h_expect("105 kbd A\n106 kbd -\n120 kbd E\n130 kbd -\n160 kbd A\n170 kbd -\n");
    /* TO(3): only layer 3 (plus the default); TRNS on 3 falls to layer 0 */
    h_press(200, 5);
    h_release(210, 5);
    h_press(220, 1);
    h_release(230, 1);
    h_press(240, 5);
    h_release(250, 5);
    h_expect("220 kbd A\n230 kbd -\n");
    assert_int_equal(h_eng.layer_state, 1);
    assert_true(engine_idle(&h_eng));
}

/* qmk.md §4.9: LT(1,P) held, A pressed (B on layer 1), LT released, A released -> B released. */
static void layer_tap_source_layer(void **state)
{
    (void)state;
    h_board(2);
    h_map(0, 0, KC_LT(1, KC_P));
    h_map(0, 1, KC_A);
    h_map(1, 1, KC_B);
    h_start();
    h_press(0, 0);
    h_press(250, 1);
    h_release(300, 0);
    h_release(350, 1);
    h_expect("250 kbd B\n350 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

static void default_layer(void **state)
{
    (void)state;
    h_board(2);
    h_map(0, 0, KC_DF(1));
    h_map(1, 0, KC_DF(0));
    h_map(0, 1, KC_A);
    h_map(1, 1, KC_B);
    h_start();
    h_press(0, 0);
    h_press(5, 1);
    h_release(6, 1);
    h_release(10, 0); /* DF acts on release */
    h_press(20, 1);
    h_release(30, 1);
    h_expect("5 kbd A\n6 kbd -\n20 kbd B\n30 kbd -\n");
    assert_int_equal(h_eng.default_layer_state, 2);
}

static void layer_mod(void **state)
{
    (void)state;
    h_board(2);
    h_map(0, 0, KC_LM(1, MOD_LCTL));
    h_map(0, 1, KC_A);
    h_map(1, 1, KC_B);
    h_start();
    h_press(0, 0);
    h_press(10, 1);
    h_release(20, 1);
    h_release(30, 0);
    h_expect("0 kbd LCTL\n10 kbd LCTL B\n20 kbd LCTL\n30 kbd -\n");
    assert_int_equal(h_eng.layer_state, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timing_table_mod_tap),
        cmocka_unit_test(timing_table_layer_tap),
        cmocka_unit_test(term_edges),
        cmocka_unit_test(per_key_term),
        cmocka_unit_test(basic_and_modded),
        cmocka_unit_test(same_usage_twice),
        cmocka_unit_test(layers_and_source_layer),
        cmocka_unit_test(layer_tap_source_layer),
        cmocka_unit_test(default_layer),
        cmocka_unit_test(layer_mod),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
