/* The sequence behaviours where a scenario cannot reach: unicode input with the host's Caps Lock and
 * Num Lock LEDs, the player's job queue bound, engine_release_all() in the middle of a macro, and
 * the dynamic macro buffer shared by the two slots. */
#include "core/engine_int.h"
#include "tests/unit/engine_harness.h"

#define LED_NUM_LOCK  0x01u
#define LED_CAPS_LOCK 0x02u

/* Macro bytes as the MACROS section stores them (docs/keymap-format.md). */
static void h_macros(const uint8_t *const *mac, const uint16_t *len, unsigned n)
{
    h_model.nmacros = (uint8_t)n;
    h_model.macro_len = 0;
    for (unsigned i = 0; i < n; i++) {
        h_model.macro_off[i] = h_model.macro_len;
        memcpy(h_model.macro_bytes + h_model.macro_len, mac[i], len[i]);
        h_model.macro_len = (uint16_t)(h_model.macro_len + len[i]);
    }
    h_model.macro_off[n] = h_model.macro_len;
}

/* Linux mode with the host's Caps Lock on: it is tapped off first (or Ctrl+Shift+U would come
 * out shifted) and back on at the end, as QMK does. */
static void linux_mode_caps_lock(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, (kc_t)(QK_UNICODE | 0x41u));
    h_set(CFG_UNICODE_INPUT_MODE, CFG_UC_LINUX);
    h_set(CFG_UNICODE_TYPE_DELAY, 0);
    h_set(CFG_TAP_HOLD_CAPS_DELAY, 0);
    h_start();
    engine_set_host_leds(&h_eng, LED_CAPS_LOCK);
    h_press(0, 0);
    h_release(1, 0);
    h_settle(1000);
    h_expect("0 kbd CAPS_LOCK\n0 kbd -\n2 kbd LCTL LSFT\n2 kbd LCTL LSFT U\n2 kbd LCTL LSFT\n2 kbd -\n"
             "6 kbd 0\n6 kbd -\n8 kbd 0\n8 kbd -\n10 kbd 4\n10 kbd -\n12 kbd 1\n12 kbd -\n"
             "14 kbd SPACE\n14 kbd -\n16 kbd CAPS_LOCK\n16 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

/* Windows HexNumpad with Num Lock already on: no Num Lock taps around the sequence. */
static void windows_mode_num_lock_on(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, (kc_t)(QK_UNICODE | 0xB0u));
    h_set(CFG_UNICODE_INPUT_MODE, CFG_UC_WINDOWS);
    h_set(CFG_UNICODE_TYPE_DELAY, 0);
    h_start();
    engine_set_host_leds(&h_eng, LED_NUM_LOCK);
    h_press(0, 0);
    h_release(1, 0);
    h_settle(1000);
    h_expect("0 kbd LALT\n1 kbd LALT 0x57\n1 kbd LALT\n3 kbd LALT 0x62\n3 kbd LALT\n5 kbd LALT 0x62\n"
             "5 kbd LALT\n7 kbd LALT B\n7 kbd LALT\n9 kbd LALT 0x62\n9 kbd LALT\n11 kbd -\n");
    assert_true(engine_idle(&h_eng));
}

/* UP(i,j): Caps Lock on the host picks j like Shift does; Shift and Caps Lock together pick i. */
static void pair_caps_lock(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, (kc_t)(QK_UNICODEMAP_PAIR | 0u | 1u << 7));
    h_map(0, 1, KC_LEFT_SHIFT);
    h_model.nunicode = 2;
    h_model.unicode_map[0] = 0xE9;
    h_model.unicode_map[1] = 0xC9;
    h_set(CFG_UNICODE_TYPE_DELAY, 0);
    h_start();
    engine_set_host_leds(&h_eng, LED_CAPS_LOCK);
    h_press(0, 0);
    h_release(1, 0);
    h_settle(1000);
    assert_non_null(strstr(h_log, "kbd LALT C\n"));
    assert_null(strstr(h_log, "kbd LALT E\n"));
    h_len = 0;
    h_log[0] = 0;
    h_press(100, 1);
    h_press(110, 0);
    h_release(111, 0);
    h_settle(1000);
    h_release(500, 1);
    assert_non_null(strstr(h_log, "kbd LALT E\n"));
    assert_null(strstr(h_log, "kbd LALT C\n"));
    assert_true(engine_idle(&h_eng));
}

/* One job plays and ENGINE_SEQ_JOBS wait; one more is dropped (traced), and the rest play out. */
static void job_queue_bound(void **state)
{
    (void)state;
    static const uint8_t m0[] = {'a', 'b', 'c'};
    const uint8_t *mac[] = {m0};
    const uint16_t len[] = {sizeof m0};
    h_board(1);
    h_map(0, 0, KC_MC(0));
    h_macros(mac, len, 1);
    h_start();
    for (unsigned i = 0; i < ENGINE_SEQ_JOBS + 2; i++) {
        h_press(i, 0);
        h_release(i, 0);
    }
    assert_int_equal(h_trace_count[ENGINE_TRACE_SEQ_DROPPED], 1);
    h_settle(10000);
    unsigned as = 0;
    for (const char *p = h_log; (p = strstr(p, "kbd A\n")) != NULL; p++) as++;
    assert_int_equal(as, ENGINE_SEQ_JOBS + 1);
    assert_true(engine_idle(&h_eng));
}

/* engine_release_all() stops a macro that holds Shift and waits: nothing stays pressed, no
 * deadline is left, and the rest of the macro never comes. */
static void release_all_stops_macro(void **state)
{
    (void)state;
    static const uint8_t m0[] = {2, 0xE1, 0x00, 'a', 4, 100, 0, 'b', 3, 0xE1, 0x00};
    const uint8_t *mac[] = {m0};
    const uint16_t len[] = {sizeof m0};
    h_board(1);
    h_map(0, 0, KC_MC(0));
    h_macros(mac, len, 1);
    h_start();
    h_press(0, 0);
    h_release(1, 0);
    h_at(10);
    h_expect("0 kbd LSFT\n1 kbd LSFT A\n1 kbd LSFT\n");
    engine_release_all(&h_eng, 20);
    h_expect("20 kbd -\n");
    assert_int_equal(engine_next_deadline(&h_eng), ENGINE_NO_DEADLINE);
    assert_true(engine_idle(&h_eng));
    h_at(500);
    h_expect("");
}

/* The two dynamic macro slots share ENGINE_DM_MAX events: slot 2 keeps its recording, slot 1 gets
 * what is left, and events beyond it are not recorded (traced). Both still play back cleanly. */
static void dynamic_macro_buffer_shared(void **state)
{
    (void)state;
    h_board(1);
    h_map(0, 0, QK_DYNAMIC_MACRO_RECORD_START_1);
    h_map(0, 1, QK_DYNAMIC_MACRO_RECORD_START_2);
    h_map(0, 2, QK_DYNAMIC_MACRO_PLAY_1);
    h_map(0, 3, QK_DYNAMIC_MACRO_PLAY_2);
    h_map(0, 4, KC_A);
    h_map(0, 5, (kc_t)(KC_A + 1));
    h_start();
    uint32_t t = 0;
    h_press(t++, 1);
    h_release(t++, 1);
    for (unsigned i = 0; i < 5; i++) { /* slot 2: 10 events */
        h_press(t++, 5);
        h_release(t++, 5);
    }
    h_press(t++, 1);
    h_release(t++, 1);
    h_press(t++, 0);
    h_release(t++, 0);
    for (unsigned i = 0; i < ENGINE_DM_MAX; i++) { /* slot 1: more than is left */
        h_press(t++, 4);
        h_release(t++, 4);
    }
    h_press(t++, 0);
    h_release(t++, 0);
    assert_true(h_trace_count[ENGINE_TRACE_DM_FULL] > 0);
    h_len = 0;
    h_log[0] = 0;
    h_press(t++, 3);
    h_release(t++, 3);
    h_settle(100000);
    unsigned bs = 0;
    for (const char *p = h_log; (p = strstr(p, "kbd B\n")) != NULL; p++) bs++;
    assert_int_equal(bs, 5);
    assert_true(engine_idle(&h_eng));
    h_len = 0;
    h_log[0] = 0;
    t = h_now + 10;
    h_press(t++, 2);
    h_release(t++, 2);
    h_settle(100000);
    unsigned as = 0;
    for (const char *p = h_log; (p = strstr(p, "kbd A\n")) != NULL; p++) as++;
    /* ENGINE_DM_MAX - 10 events left: that many / 2 taps (a trailing press is trimmed) */
    assert_int_equal(as, (ENGINE_DM_MAX - 10u) / 2u);
    assert_true(engine_idle(&h_eng));
}

/* eng_unicode_compile writes into the player's buffer without a bound (bhv_unicode.c): the longest
 * sequence any mode, LED state, delay and code point gives must be the 35 bytes it is sized for. */
static void unicode_sequence_fits_buffer(void **state)
{
    (void)state;
    static const uint32_t cps[] = {0x41u, 0xE9u, 0xFFFFu, 0x10000u, 0x1F600u, 0x10FFFFu};
    unsigned longest = 0;
    for (unsigned delay = 0; delay < 2; delay++) {
        h_board(1);
        h_set(CFG_UNICODE_TYPE_DELAY, (uint16_t)(delay * 300u));
        h_start();
        for (uint8_t mode = 0; mode < CFG_UC_MODE_COUNT; mode++)
            for (uint8_t leds = 0; leds < 4; leds++)
                for (unsigned i = 0; i < sizeof cps / sizeof cps[0]; i++) {
                    h_eng.uc_mode = mode;
                    h_eng.host_leds = leds;
                    unsigned n = eng_unicode_compile(&h_eng, (uint8_t)(cps[i] >> 16), (uint16_t)cps[i]);
                    assert_true(n <= ENGINE_SEQ_BUF);
                    if (n > longest) longest = n;
                }
    }
    assert_int_equal(longest, 35);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linux_mode_caps_lock),    cmocka_unit_test(windows_mode_num_lock_on),
        cmocka_unit_test(pair_caps_lock),          cmocka_unit_test(job_queue_bound),
        cmocka_unit_test(release_all_stops_macro), cmocka_unit_test(dynamic_macro_buffer_shared),
        cmocka_unit_test(unicode_sequence_fits_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
