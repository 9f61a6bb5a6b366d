/* Engine time on a wrapping clock (core/ktime.h): the helpers, and the engine across the wrap and
 * with a deadline that falls on the "no deadline" value. Written for either width: `make unit`
 * runs it with 32-bit time, `make test-scenarios-16` with 16-bit time (the ATmega32U4's). */
#include "core/debounce.h"
#include "core/engine_int.h"
#include "tests/unit/engine_harness.h"

/* Moves the engine's clock to t in steps it can tell apart (no more than KTIME_SPAN_MAX). */
static void walk_to(ktime_t t)
{
    while ((ktime_t)(t - h_now) > KTIME_SPAN_MAX) h_at((ktime_t)(h_now + KTIME_SPAN_MAX));
    h_at(t);
}

static const char *at(ktime_t t, const char *rest)
{
    static char buf[8][64];
    static unsigned n;
    char *b = buf[n++ % 8];
    snprintf(b, sizeof buf[0], "%u %s\n", (unsigned)t, rest);
    return b;
}

static void helpers(void **state)
{
    (void)state;
    ktime_t top = KTIME_NONE;
    assert_true(ktime_before((ktime_t)(top - 5u), top));
    assert_true(ktime_before(top, 3u)); /* 3 comes after the wrap */
    assert_false(ktime_before(3u, top));
    assert_int_equal(ktime_diff(3u, top), 4);
    assert_int_equal(ktime_diff(top, 3u), -4);
    /* a deadline never reads as "none": the one that would is taken 1 ms later */
    assert_int_equal(ktime_deadline(top), 0);
    assert_int_equal(ktime_deadline(7u), 7);
    /* an old timestamp is kept exactly KTIME_SPAN_MAX old; a recent one is left alone */
    ktime_t ts = 10u, now = (ktime_t)(10u + KTIME_SPAN_MAX + 100u);
    ktime_age(&ts, now, KTIME_SPAN_MAX);
    assert_int_equal((ktime_t)(now - ts), KTIME_SPAN_MAX);
    ts = (ktime_t)(now - 50u);
    ktime_age(&ts, now, KTIME_SPAN_MAX);
    assert_int_equal((ktime_t)(now - ts), 50);
}

/* A mod-tap pressed 200 ms before the last value of the clock: its term runs out exactly on the
 * value that means "no deadline". The engine asks for the tick 1 ms later (the first value after
 * the wrap), not never. */
/* The board of the mod-tap tests: MT(LSFT, A) at 0, B at 1; `id` set to `v` (id < 0: none). */
static void mt_board(int id, uint16_t v)
{
    h_board(1);
    h_map(0, 0, KC_MT(MOD_LSFT, KC_A));
    h_map(0, 1, 0x05);
    if (id >= 0) h_set((enum cfg_setting_id)id, v);
    h_start();
}

static void deadline_on_the_sentinel(void **state)
{
    (void)state;
    mt_board(-1, 0);
    ktime_t t0 = (ktime_t)(KTIME_NONE - 200u);
    walk_to(t0);
    h_press(t0, 0);
    ktime_t d = engine_next_deadline(&h_eng);
    assert_true(d != ENGINE_NO_DEADLINE);
    assert_int_equal(d, 0);
    h_settle(300);
    h_expect(at(0, "kbd LSFT"));
    h_press(20u, 1);
    h_release(30u, 1);
    h_release(40u, 0);
    char want[256];
    snprintf(want, sizeof want, "%s%s%s", at(20, "kbd LSFT B"), at(30, "kbd LSFT"), at(40, "kbd -"));
    h_expect(want);
    assert_true(engine_idle(&h_eng));
}

/* A tap across the wrap is a tap; a hold across it is a hold, on time. */
static void tap_and_hold_across_the_wrap(void **state)
{
    (void)state;
    mt_board(CFG_QUICK_TAP_TERM, 0);
    ktime_t t0 = (ktime_t)(KTIME_NONE - 99u);
    walk_to(t0);
    h_press(t0, 0);
    h_release(50u, 0); /* 150 ms later */
    char want[256];
    snprintf(want, sizeof want, "%s%s", at(50, "kbd A"), at(50, "kbd -"));
    h_expect(want);
    h_press(100u, 0);
    h_settle(1000);
    h_expect(at(300, "kbd LSFT"));
    h_release(310u, 0);
    h_expect(at(310, "kbd -"));
}

/* A key idle for longer than the clock's span (with the caller's calls in between, as the firmware
 * makes them) does not come back as recent: require-prior-idle lets the next mod-tap be a hold. */
static void long_idle_then_fast_mod_tap(void **state)
{
    (void)state;
    mt_board(CFG_REQUIRE_PRIOR_IDLE, 150);
    h_press(0, 1);
    h_release(1, 1);
    h_expect("0 kbd B\n1 kbd -\n");
    /* 70 s later by the wall clock: 70,000 ms, which 16-bit time sees as 4,464 */
    ktime_t t = (ktime_t)70000u;
    walk_to(t);
    h_press(t, 0);
    h_settle(1000);
    h_expect(at((ktime_t)(t + 200u), "kbd LSFT"));
    h_release((ktime_t)(t + 300u), 0);
    h_expect(at((ktime_t)(t + 300u), "kbd -"));
}

/* The first time after engine_init may be any: a config switched after 24.8 days of 32-bit time
 * (or 32.7 s of 16-bit time) does not read as time going back, and nothing from before counts. */
static void first_call_far_from_zero(void **state)
{
    (void)state;
    mt_board(CFG_REQUIRE_PRIOR_IDLE, 150);
    ktime_t t = (ktime_t)(KTIME_SPAN_MAX + 1000u);
    h_now = t; /* the harness's own check; the engine has seen no time yet */
    h_press(t, 0);
    h_settle(1000);
    h_expect(at((ktime_t)(t + 200u), "kbd LSFT"));
    h_press((ktime_t)(t + 250u), 1);
    h_release((ktime_t)(t + 260u), 1);
    h_release((ktime_t)(t + 270u), 0);
    char want[256];
    snprintf(want, sizeof want, "%s%s%s", at((ktime_t)(t + 250u), "kbd LSFT B"),
             at((ktime_t)(t + 260u), "kbd LSFT"), at((ktime_t)(t + 270u), "kbd -"));
    h_expect(want);
}

/* The player after a long time away: the pause that followed the last sequence it played must
 * read as over, not as still to come once the clock has run more than half its span past it
 * (32.7 s of 16-bit time; 24.8 days of 32-bit time, where the second sequence used to wait up to
 * another 24.8 days). */
static void player_after_half_the_clock(void **state)
{
    (void)state;
    static const struct { ktime_t dt; const char *what; } hexnumpad[] = {
        {0, "kbd LALT"}, {1, "kbd LALT 0x57"}, {1, "kbd LALT"}, {3, "kbd LALT 0x62"}, {3, "kbd LALT"},
        {5, "kbd LALT 0x62"}, {5, "kbd LALT"}, {7, "kbd LALT B"}, {7, "kbd LALT"},
        {9, "kbd LALT 0x62"}, {9, "kbd LALT"}, {11, "kbd -"},
    };
    h_board(1);
    h_map(0, 0, (kc_t)(QK_UNICODE | 0xB0u));
    h_set(CFG_UNICODE_INPUT_MODE, CFG_UC_WINDOWS);
    h_set(CFG_UNICODE_TYPE_DELAY, 0);
    h_start();
    engine_set_host_leds(&h_eng, 0x01u); /* Num Lock on: no Num Lock taps around it */
    ktime_t starts[2] = {0, (ktime_t)(KTIME_SPAN_MAX + 1000u)};
    for (unsigned k = 0; k < 2; k++) {
        ktime_t t = starts[k];
        walk_to(t);
        h_press(t, 0);
        h_release((ktime_t)(t + 1u), 0);
        h_settle(1000);
        char want[512] = "";
        for (unsigned i = 0; i < sizeof hexnumpad / sizeof hexnumpad[0]; i++)
            strcat(want, at((ktime_t)(t + hexnumpad[i].dt), hexnumpad[i].what));
        h_expect(want);
        assert_true(engine_idle(&h_eng));
    }
}

static unsigned deb_changes;
static void deb_emit(void *ctx, uint8_t pos, bool pressed, ktime_t now)
{
    (void)ctx; (void)pos; (void)pressed; (void)now;
    deb_changes++;
}

/* The debouncer's deadline may fall on the sentinel too. */
static void debounce_deadline_on_the_sentinel(void **state)
{
    (void)state;
    static debounce_t d;
    debounce_init(&d, CFG_DEBOUNCE_SYM_DEFER_G, 5, 1, 1);
    uint8_t up = 0, down = 1;
    ktime_t t = (ktime_t)(KTIME_NONE - 5u);
    debounce_scan(&d, &up, (ktime_t)(t - 1u), deb_emit, NULL);
    debounce_scan(&d, &down, t, deb_emit, NULL);
    assert_int_equal(debounce_next_deadline(&d), 0);
    debounce_scan(&d, &down, 0, deb_emit, NULL);
    assert_int_equal(deb_changes, 1);
    assert_true(debounce_is_pressed(&d, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(helpers),
        cmocka_unit_test(deadline_on_the_sentinel),
        cmocka_unit_test(tap_and_hold_across_the_wrap),
        cmocka_unit_test(long_idle_then_fast_mod_tap),
        cmocka_unit_test(first_call_far_from_zero),
        cmocka_unit_test(player_after_half_the_clock),
        cmocka_unit_test(debounce_deadline_on_the_sentinel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
