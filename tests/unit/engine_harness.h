/* Shared by the engine unit tests: builds a config image for the 4x10 test board (columns 0-4 left
 * hand, 5-9 right), runs the engine and records every report as a SPEC §6 line, so tests compare
 * whole report sequences as text. Header-only on purpose: each test binary includes it once. */
#ifndef KESTREL_TESTS_ENGINE_HARNESS_H
#define KESTREL_TESTS_ENGINE_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config/model.h"
#include "core/engine.h"
#include "core/trace.h"

#define H_ROWS 4
#define H_COLS 10
#define H_LOG_MAX 65536

static cfg_model_t h_model;
static uint8_t h_img[CFG_MAX_IMAGE];
static cfg_t h_cfg;
static engine_t h_eng;
static char h_log[H_LOG_MAX];
static size_t h_len;
static ktime_t h_now;
static unsigned h_actions;
static kc_t h_last_action;
static unsigned h_trace_count[ENGINE_TRACE_CODE_LIMIT];
static uint16_t h_last_reason;

static void h_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(h_log + h_len, sizeof h_log - h_len, fmt, ap);
    va_end(ap);
    if (n > 0) h_len += (size_t)n;
    if (h_len >= sizeof h_log) h_len = sizeof h_log - 1;
}

static const char *h_key_name(uint8_t u, char *buf)
{
    static const char *const misc[] = {"ENTER", "ESCAPE", "BACKSPACE", "TAB", "SPACE", "MINUS",
                                       "EQUAL", "LEFT_BRACKET", "RIGHT_BRACKET", "BACKSLASH"};
    if (u >= 0x04 && u <= 0x1D) { buf[0] = (char)('A' + u - 4); buf[1] = 0; return buf; }
    if (u >= 0x1E && u <= 0x26) { buf[0] = (char)('1' + u - 0x1E); buf[1] = 0; return buf; }
    if (u == 0x27) return "0";
    if (u >= 0x28 && u <= 0x31) return misc[u - 0x28];
    if (u == 0x33) return "SEMICOLON";
    if (u == 0x36) return "COMMA";
    if (u == 0x37) return "DOT";
    if (u == 0x38) return "SLASH";
    if (u == 0x39) return "CAPS_LOCK";
    if (u == 0x4F) return "RIGHT";
    snprintf(buf, 8, "0x%02X", u);
    return buf;
}

static void h_kbd(void *ctx, const kbd_report_t *r, ktime_t now)
{
    (void)ctx;
    static const char *const mods[8] = {"LCTL", "LSFT", "LALT", "LGUI", "RCTL", "RSFT", "RALT", "RGUI"};
    char buf[8];
    h_printf("%u kbd", (unsigned)now);
    bool any = false;
    for (int i = 0; i < 8; i++)
        if (r->mods >> i & 1) { h_printf(" %s", mods[i]); any = true; }
    for (int u = 0; u < 256; u++)
        if (r->keys[u >> 3] >> (u & 7) & 1) { h_printf(" %s", h_key_name((uint8_t)u, buf)); any = true; }
    h_printf(any ? "\n" : " -\n");
}

static void h_consumer(void *ctx, uint16_t usage, ktime_t now)
{
    (void)ctx;
    if (usage) h_printf("%u consumer 0x%03X\n", (unsigned)now, usage);
    else h_printf("%u consumer -\n", (unsigned)now);
}

static void h_system(void *ctx, uint16_t usage, ktime_t now)
{
    (void)ctx;
    if (usage) h_printf("%u system 0x%02X\n", (unsigned)now, usage);
    else h_printf("%u system -\n", (unsigned)now);
}

static void h_mouse(void *ctx, const mouse_report_t *r, ktime_t now)
{
    (void)ctx;
    h_printf("%u mouse b=%u x=%d y=%d v=%d h=%d\n", (unsigned)now, r->buttons, r->x, r->y, r->v, r->h);
}

static void h_action(void *ctx, kc_t kc, ktime_t now)
{
    (void)ctx;
    (void)now;
    h_actions++;
    h_last_action = kc;
}

static void h_trace(void *ctx, const engine_trace_t *t)
{
    (void)ctx;
    if (t->code < ENGINE_TRACE_CODE_LIMIT) h_trace_count[t->code]++;
    if (t->code == ENGINE_TRACE_TAPHOLD_TAP || t->code == ENGINE_TRACE_TAPHOLD_HOLD) h_last_reason = t->arg;
}

static const engine_sink_t h_sink = {h_kbd, h_consumer, h_system, h_mouse, h_action, h_trace};

/* A fresh 4x10 board with `layers` layers, all KC_NO, hands L/R by column. */
static void h_board(unsigned layers)
{
    cfg_model_init(&h_model);
    h_model.processor = CFG_PROC_RP2040;
    h_model.rows = H_ROWS;
    h_model.cols = H_COLS;
    h_model.layers = (uint8_t)layers;
    h_model.nkeys = H_ROWS * H_COLS;
    for (unsigned i = 0; i < H_ROWS * H_COLS; i++) {
        h_model.layout[i] = (uint8_t)i;
        h_model.hand[i] = (i % H_COLS) < 5 ? CFG_HAND_LEFT : CFG_HAND_RIGHT;
    }
    for (unsigned r = 0; r < H_ROWS; r++) h_model.row_pins[r] = (uint8_t)r;
    for (unsigned c = 0; c < H_COLS; c++) h_model.col_pins[c] = (uint8_t)(4 + c);
}

static inline void h_map(unsigned layer, unsigned pos, kc_t kc) { h_model.keymap[layer][pos] = kc; }
static inline void h_set(enum cfg_setting_id id, uint16_t v) { h_model.settings[id] = v; }
static inline void h_perkey(kc_t kc, enum cfg_setting_id id, uint16_t v)
{
    h_model.perkey[h_model.nperkey++] = (cfg_perkey_t){kc, (uint8_t)id, v};
}

/* Writes the image and starts the engine at time 0 with an empty log. */
static void h_start(void)
{
    size_t n = cfg_image_write(&h_model, h_img, sizeof h_img);
    assert_true(n > 0);
    assert_int_equal(cfg_open(&h_cfg, h_img, n), CFG_OK);
    engine_init(&h_eng, &h_cfg, &h_sink, NULL);
    h_len = 0;
    h_log[0] = 0;
    h_now = 0;
    h_actions = 0;
    memset(h_trace_count, 0, sizeof h_trace_count);
}

static void h_at(ktime_t t)
{
    assert_true(!ktime_before(t, h_now));
    engine_tick(&h_eng, t);
    h_now = t;
}
static void h_press(ktime_t t, unsigned pos) { h_at(t); engine_key_event(&h_eng, (uint8_t)pos, true, t); }
static void h_release(ktime_t t, unsigned pos) { h_at(t); engine_key_event(&h_eng, (uint8_t)pos, false, t); }

/* Ticks through every deadline (as the simulator does), at most `limit` ms ahead. */
static inline void h_settle(ktime_t limit)
{
    ktime_t end = (ktime_t)(h_now + limit);
    for (;;) {
        ktime_t d = engine_next_deadline(&h_eng);
        if (d == ENGINE_NO_DEADLINE || ktime_diff(d, end) > 0) break;
        h_at(d);
    }
}

/* The log so far must equal `want` exactly (lines "T kbd ...\n"); clears it. */
#define h_expect(want)                                                                  \
    do {                                                                                \
        if (strcmp(h_log, (want)) != 0) {                                               \
            print_message("expected:\n%s---\ngot:\n%s---\n", (want), h_log);            \
            fail();                                                                     \
        }                                                                               \
        h_len = 0;                                                                      \
        h_log[0] = 0;                                                                   \
    } while (0)

#endif
