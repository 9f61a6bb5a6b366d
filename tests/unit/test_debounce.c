/* Debounce: each QMK algorithm's timing on a 2x4 matrix (DEBOUNCE 5 ms): when a press and a release
 * reach the output, that bounces are filtered, and that scanning only at changes and at
 * debounce_next_deadline() gives the same output as scanning every millisecond. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/debounce.h"

/* A timeline: at time t, key pos becomes raw-pressed (down=1) or raw-released (down=0). */
struct edge {
    uint32_t t;
    uint8_t pos, down;
};

static char out[512];
static size_t outlen;

static void emit(void *ctx, uint8_t pos, bool pressed, uint32_t now)
{
    (void)ctx;
    outlen += (size_t)snprintf(out + outlen, sizeof out - outlen, "%u:%u%c ", (unsigned)now, pos, pressed ? '+' : '-');
}

static void apply(uint8_t *raw, const struct edge *e, size_t n, uint32_t t)
{
    for (size_t i = 0; i < n && e[i].t <= t; i++) {
        if (e[i].t != t) continue;
        if (e[i].down) raw[e[i].pos >> 3] |= (uint8_t)(1u << (e[i].pos & 7));
        else raw[e[i].pos >> 3] &= (uint8_t)~(1u << (e[i].pos & 7));
    }
}

/* Scans every ms from 0 to end. */
static const char *run_every_ms(uint8_t type, const struct edge *e, size_t n, uint32_t end)
{
    debounce_t d;
    uint8_t raw[DEBOUNCE_BITMAP_BYTES] = {0};
    debounce_init(&d, type, 5, 2, 4);
    outlen = 0;
    out[0] = 0;
    for (uint32_t t = 0; t <= end; t++) {
        apply(raw, e, n, t);
        debounce_scan(&d, raw, t, emit, NULL);
    }
    assert_int_equal(debounce_next_deadline(&d), DEBOUNCE_NO_DEADLINE);
    return out;
}

/* Scans only when the raw state changes or the module asks for it. */
static const char *run_on_demand(uint8_t type, const struct edge *e, size_t n, uint32_t end)
{
    debounce_t d;
    uint8_t raw[DEBOUNCE_BITMAP_BYTES] = {0};
    debounce_init(&d, type, 5, 2, 4);
    outlen = 0;
    out[0] = 0;
    for (uint32_t t = 0; t <= end; t++) {
        bool edge_now = false;
        for (size_t i = 0; i < n; i++) edge_now |= e[i].t == t;
        if (!edge_now && debounce_next_deadline(&d) != t) continue;
        apply(raw, e, n, t);
        debounce_scan(&d, raw, t, emit, NULL);
    }
    return out;
}

static void check(uint8_t type, const struct edge *e, size_t n, const char *want)
{
    char every[512];
    snprintf(every, sizeof every, "%s", run_every_ms(type, e, n, 200));
    if (strcmp(every, want) != 0) {
        print_message("type %u every ms: want '%s' got '%s'\n", type, want, every);
        fail();
    }
    const char *demand = run_on_demand(type, e, n, 200);
    if (strcmp(demand, want) != 0) {
        print_message("type %u on demand: want '%s' got '%s'\n", type, want, demand);
        fail();
    }
}

#define CHECK(type, edges, want) check(type, edges, sizeof edges / sizeof edges[0], want)

static const struct edge clean[] = {{10, 1, 1}, {50, 1, 0}};
static const struct edge bouncy_press[] = {{10, 1, 1}, {11, 1, 0}, {12, 1, 1}, {13, 1, 0}, {14, 1, 1}, {50, 1, 0}};
static const struct edge bouncy_release[] = {{10, 1, 1}, {50, 1, 0}, {52, 1, 1}, {53, 1, 0}};
static const struct edge quick_release[] = {{10, 1, 1}, {12, 1, 0}};
static const struct edge same_row[] = {{10, 0, 1}, {12, 1, 1}, {40, 0, 0}, {40, 1, 0}};
static const struct edge other_rows[] = {{10, 0, 1}, {12, 5, 1}, {40, 0, 0}, {40, 5, 0}};

static void none(void **state)
{
    (void)state;
    debounce_t d;
    uint8_t raw[DEBOUNCE_BITMAP_BYTES] = {0};
    debounce_init(&d, CFG_DEBOUNCE_ASYM_EAGER_DEFER_PK, 0, 2, 4);
    outlen = 0;
    raw[0] = 0x02;
    debounce_scan(&d, raw, 10, emit, NULL);
    raw[0] = 0;
    debounce_scan(&d, raw, 11, emit, NULL);
    raw[0] = 0x02;
    debounce_scan(&d, raw, 12, emit, NULL);
    assert_string_equal(out, "10:1+ 11:1- 12:1+ ");
    assert_true(debounce_is_pressed(&d, 1));
    assert_false(debounce_is_pressed(&d, 0));
    assert_false(debounce_is_pressed(&d, 200)); /* outside the matrix */
    assert_int_equal(debounce_next_deadline(&d), DEBOUNCE_NO_DEADLINE);
}

static void asym_eager_defer_pk(void **state)
{
    (void)state;
    uint8_t t = CFG_DEBOUNCE_ASYM_EAGER_DEFER_PK;
    CHECK(t, clean, "10:1+ 55:1- ");          /* press in the same scan, release 5 ms later */
    CHECK(t, bouncy_press, "10:1+ 55:1- ");   /* press bounces ignored while locked */
    CHECK(t, bouncy_release, "10:1+ 58:1- "); /* the release waits for 5 ms of stability */
    CHECK(t, quick_release, "10:1+ 20:1- ");  /* released inside the press lock: 15 + 5 */
    CHECK(t, same_row, "10:0+ 12:1+ 45:0- 45:1- ");
}

static void sym_defer_pk(void **state)
{
    (void)state;
    uint8_t t = CFG_DEBOUNCE_SYM_DEFER_PK;
    CHECK(t, clean, "15:1+ 55:1- ");
    CHECK(t, bouncy_press, "19:1+ 55:1- ");   /* the timer restarts after bouncing back at 13 */
    CHECK(t, bouncy_release, "15:1+ 58:1- ");
    CHECK(t, quick_release, "");              /* shorter than 5 ms: never reported */
    CHECK(t, same_row, "15:0+ 17:1+ 45:0- 45:1- ");
}

static void sym_defer_pr(void **state)
{
    (void)state;
    uint8_t t = CFG_DEBOUNCE_SYM_DEFER_PR;
    CHECK(t, clean, "15:1+ 55:1- ");
    CHECK(t, same_row, "15:0+ 15:1+ 45:0- 45:1- "); /* one timer for the row, started at 10 */
    CHECK(t, other_rows, "15:0+ 17:5+ 45:0- 45:5- ");
    CHECK(t, quick_release, "");
}

static void sym_defer_g(void **state)
{
    (void)state;
    uint8_t t = CFG_DEBOUNCE_SYM_DEFER_G;
    CHECK(t, clean, "15:1+ 55:1- ");
    CHECK(t, bouncy_press, "19:1+ 55:1- ");
    CHECK(t, other_rows, "17:0+ 17:5+ 45:0- 45:5- "); /* any change anywhere restarts the timer */
    CHECK(t, quick_release, "");
}

static void sym_eager_pk(void **state)
{
    (void)state;
    uint8_t t = CFG_DEBOUNCE_SYM_EAGER_PK;
    CHECK(t, clean, "10:1+ 50:1- ");
    CHECK(t, bouncy_press, "10:1+ 50:1- ");
    CHECK(t, bouncy_release, "10:1+ 50:1- ");  /* locked 50..55; back up at 52, down at 53 */
    CHECK(t, quick_release, "10:1+ 15:1- ");   /* applied when the lock ends */
    CHECK(t, same_row, "10:0+ 12:1+ 40:0- 40:1- ");
}

static void sym_eager_pr(void **state)
{
    (void)state;
    uint8_t t = CFG_DEBOUNCE_SYM_EAGER_PR;
    CHECK(t, clean, "10:1+ 50:1- ");
    CHECK(t, same_row, "10:0+ 15:1+ 40:0- 40:1- "); /* the row is locked from 10 to 15 */
    CHECK(t, other_rows, "10:0+ 12:5+ 40:0- 40:5- ");
    CHECK(t, quick_release, "10:1+ 15:1- ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(none),
        cmocka_unit_test(asym_eager_defer_pk),
        cmocka_unit_test(sym_defer_pk),
        cmocka_unit_test(sym_defer_pr),
        cmocka_unit_test(sym_defer_g),
        cmocka_unit_test(sym_eager_pk),
        cmocka_unit_test(sym_eager_pr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
