/* Engine one-shot keys: OSM and OSL tapped, chained, held as a plain mod/layer, timing out,
 * locked by tap toggle, and switched off with OS_OFF. */
#include "tests/unit/engine_harness.h"

#define OSM_SFT KC_OSM(MOD_LSFT)
#define OSM_CTL KC_OSM(MOD_LCTL)
#define KC_B 0x05u

/* pos 0 OSM(LSFT), 1 OSM(LCTL), 2 A (layer 1: B), 3 OSL(1), 4 OS_TOGG, 5 KC_PLUS, 6 MO(1) */
static void board(void)
{
    h_board(2);
    h_map(0, 0, OSM_SFT);
    h_map(0, 1, OSM_CTL);
    h_map(0, 2, KC_A);
    h_map(1, 2, KC_B);
    h_map(0, 3, KC_OSL(1));
    h_map(0, 4, QK_ONE_SHOT_TOGGLE);
    h_map(0, 5, KC_MODS(MOD_LSFT, KC_EQUAL));
    h_map(0, 6, KC_MO(1));
    for (unsigned p = 0; p < 40; p++)
        if (p != 2) h_map(1, p, KC_TRNS);
}

static void tap(uint32_t t, unsigned pos)
{
    h_press(t, pos);
    h_release(t + 10, pos);
}

static void osm_applies_to_next_key(void **state)
{
    (void)state;
    board();
    h_start();
    tap(0, 0);
    tap(100, 2);
    tap(200, 2);
    h_expect("100 kbd LSFT A\n110 kbd -\n200 kbd A\n210 kbd -\n");
    /* chained */
    tap(1000, 0);
    tap(1100, 1);
    tap(1200, 2);
    h_expect("1200 kbd LCTL LSFT A\n1210 kbd -\n");
    /* with a modded key: its own shift first, the one-shot ctrl with the key (SPEC §6) */
    tap(2000, 1);
    tap(2100, 5);
    h_expect("2100 kbd LSFT\n2100 kbd LCTL LSFT EQUAL\n2110 kbd LSFT\n2110 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

/* QMK's OSMAsRegularModifierWithAdditionalKeypress: a key inside the OSM press, all within the
 * term, comes out with the mod when the OSM is released. */
static void osm_held_with_key(void **state)
{
    (void)state;
    board();
    h_start();
    h_press(0, 0);
    h_press(10, 2);
    h_release(20, 2);
    h_release(30, 0);
    h_expect("30 kbd LSFT A\n30 kbd -\n");
    /* held past the term: a plain modifier for as long as it is held */
    h_press(1000, 0);
    tap(1250, 2);
    tap(1270, 2);
    h_release(1300, 0);
    tap(1400, 2);
    h_expect("1200 kbd LSFT\n1250 kbd LSFT A\n1260 kbd LSFT\n1270 kbd LSFT A\n1280 kbd LSFT\n1300 kbd -\n"
             "1400 kbd A\n1410 kbd -\n");
    /* a pending one-shot joins a held OSM and ends with it (QMK OSMHoldNotLockingOSMs) */
    tap(2000, 0);
    h_press(2100, 1);
    tap(2400, 2);
    h_release(2500, 1);
    tap(2600, 2);
    h_expect("2300 kbd LCTL LSFT\n2400 kbd LCTL LSFT A\n2410 kbd LCTL LSFT\n2500 kbd -\n2600 kbd A\n2610 kbd -\n");
}

static void osm_timeout(void **state)
{
    (void)state;
    board();
    h_set(CFG_ONESHOT_TIMEOUT, 500);
    h_start();
    tap(0, 0);
    tap(400, 2);
    tap(1000, 0);
    h_settle(5000);
    tap(6000, 2);
    h_expect("400 kbd LSFT A\n410 kbd -\n6000 kbd A\n6010 kbd -\n");
    assert_int_equal(h_trace_count[ENGINE_TRACE_ONESHOT_TIMEOUT], 1);
}

static void osm_tap_toggle(void **state)
{
    (void)state;
    board();
    h_set(CFG_ONESHOT_TAP_TOGGLE, 2);
    h_start();
    tap(0, 0);
    tap(30, 0); /* second quick tap locks */
    tap(100, 2);
    tap(200, 2);
    h_expect("30 kbd LSFT\n100 kbd LSFT A\n110 kbd LSFT\n200 kbd LSFT A\n210 kbd LSFT\n");
    assert_true(engine_idle(&h_eng)); /* a lock is a chosen state, not a stuck key */
    tap(1000, 0); /* a single tap later unlocks */
    tap(1100, 2);
    h_expect("1010 kbd -\n1100 kbd A\n1110 kbd -\n");
}

static void osl(void **state)
{
    (void)state;
    board();
    h_start();
    tap(0, 3);
    h_press(100, 2); /* on layer 1: B, pressed and released at once, layer off */
    h_release(150, 2);
    tap(200, 2);
    h_expect("100 kbd B\n100 kbd -\n200 kbd A\n210 kbd -\n");
    assert_int_equal(h_eng.layer_state, 0);
    /* held past the term: like MO while held */
    h_press(1000, 3);
    tap(1250, 2);
    tap(1300, 2);
    h_release(1400, 3);
    tap(1500, 2);
    h_expect("1250 kbd B\n1260 kbd -\n1300 kbd B\n1310 kbd -\n1500 kbd A\n1510 kbd -\n");
    /* one-shot mod on the one-shot layer: both apply to the next key */
    tap(2000, 3);
    tap(2100, 0);
    tap(2200, 2);
    h_expect("2200 kbd LSFT B\n2200 kbd -\n");
    /* a layer key on the one-shot layer ends it but works as itself */
    tap(3000, 3);
    h_press(3100, 6);
    tap(3200, 2);
    h_release(3300, 6);
    tap(3400, 2);
    h_expect("3200 kbd B\n3210 kbd -\n3400 kbd A\n3410 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

static void osl_timeout_and_toggle(void **state)
{
    (void)state;
    board();
    h_set(CFG_ONESHOT_TIMEOUT, 300);
    h_start();
    tap(0, 3);
    h_settle(1000);
    tap(1000, 2);
    h_expect("1000 kbd A\n1010 kbd -\n");
    board();
    h_set(CFG_ONESHOT_TAP_TOGGLE, 2);
    h_start();
    tap(0, 3);
    tap(30, 3); /* locked on */
    tap(100, 2);
    tap(200, 2);
    tap(1000, 3); /* unlock */
    tap(1100, 2);
    h_expect("100 kbd B\n110 kbd -\n200 kbd B\n210 kbd -\n1100 kbd A\n1110 kbd -\n");
}

static void oneshot_off(void **state)
{
    (void)state;
    board();
    h_start();
    tap(0, 4); /* OS_TOGG: off */
    tap(100, 0);
    tap(200, 2);
    h_expect("110 kbd LSFT\n110 kbd -\n200 kbd A\n210 kbd -\n");
    tap(300, 3); /* OSL acts as MO */
    tap(400, 2);
    /* switched back on while an OSM is held: it still releases as a plain mod */
    h_press(1000, 0);
    h_settle(300);
    tap(1300, 4);
    h_release(1400, 0);
    h_expect("400 kbd A\n410 kbd -\n1200 kbd LSFT\n1400 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(osm_applies_to_next_key), cmocka_unit_test(osm_held_with_key),
        cmocka_unit_test(osm_timeout),             cmocka_unit_test(osm_tap_toggle),
        cmocka_unit_test(osl),                     cmocka_unit_test(osl_timeout_and_toggle),
        cmocka_unit_test(oneshot_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
