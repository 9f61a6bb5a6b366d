/* A 4x10, 4-layer keymap that uses every behaviour the engine has, and a driver that checks the
 * no-stuck-keys property (SPEC §9) after any event sequence. Shared by tests/unit/test_property.c
 * and tests/fuzz/fuzz_engine.c; needs no test framework. */
#ifndef KESTREL_TESTS_PROPERTY_KEYMAP_H
#define KESTREL_TESTS_PROPERTY_KEYMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "config/model.h"
#include "core/engine.h"
#include "core/trace.h"

#define PK_ROWS 4
#define PK_COLS 10
#define PK_NPOS (PK_ROWS * PK_COLS)

static const kc_t pk_layer0[PK_NPOS] = {
    KC_MT(MOD_LSFT, KC_A), KC_MT(MOD_LCTL, 0x16 /* S */), KC_LT(1, 0x07 /* D */), KC_LT(2, 0x09 /* F */),
    0x0A /* G */, 0x0B /* H */, KC_MT(MOD_RSFT, 0x0D /* J */), KC_OSM(MOD_LSFT), KC_OSL(1), KC_TT(2),

    KC_MO(1), KC_TG(3), KC_LM(1, MOD_LALT), KC_MODS(MOD_LSFT, KC_EQUAL), KC_MODS(MOD_LCTL, 0x06 /* C */),
    KC_MODS(MOD_HYPR, KC_NO), 0xA9 /* VOLU */, 0xA5 /* PWR */, KC_OSM(MOD_LCTL | MOD_LALT), KC_LEFT_SHIFT,

    QK_MOUSE_CURSOR_UP, QK_MOUSE_CURSOR_LEFT, QK_MOUSE_BUTTON_1, QK_MOUSE_WHEEL_UP, QK_MOUSE_ACCELERATION_0,
    NK_TOGG, QK_ONE_SHOT_TOGGLE, KC_MT(MOD_LGUI, KC_SPACE), KC_LT(3, KC_ENTER), KC_NO,

    QK_BOOT, QK_CLEAR_EEPROM, KC_DF(0), KC_PDF(0), KC_TO(0), 0x1E /* 1 */, KC_MT(MOD_LALT, KC_CAPS_LOCK),
    QK_MOUSE_WHEEL_RIGHT, KC_MODS(MOD_RSFT | MOD_RALT, 0x1F), KC_LT(1, 0xAA /* VOLD */),
};

/* The sequence behaviours (macros, leader, unicode, dynamic macros) on layers 1 and 2, over keys
 * that are mouse keys on layer 0. Macro 0 types text, macro 1 a chord with a delay and a
 * down/up pair, so a macro still typing when the keys are released must finish cleanly. */
static void pk_fill_sequences(cfg_model_t *m)
{
    static const uint8_t mac0[] = {'H', 'i', '!', '\n'};
    static const uint8_t mac1[] = {2, 0xE0, 0, 1, 0x06, 0, 4, 40, 0, 3, 0xE0, 0, 1, 0xA9, 0x00 /* VOLU */};
    m->nmacros = 2;
    m->macro_off[0] = 0;
    memcpy(m->macro_bytes, mac0, sizeof mac0);
    m->macro_off[1] = sizeof mac0;
    memcpy(m->macro_bytes + sizeof mac0, mac1, sizeof mac1);
    m->macro_off[2] = m->macro_len = sizeof mac0 + sizeof mac1;
    m->nleader = 2;
    m->leader[0] = (cfg_leader_seq_t){{0x1F /* 2, layer 1 */, 0}, KC_MC(0)};
    m->leader[1] = (cfg_leader_seq_t){{KC_A, 0}, KC_MODS(MOD_LSFT, 0x1E)}; /* LSFT_T(KC_A) counts as A */
    m->keymap[1][21] = KC_MC(0);
    m->keymap[1][22] = QK_LEADER;
    m->keymap[1][23] = (kc_t)(QK_UNICODE | 0xE9u);
    m->keymap[1][24] = QK_DYNAMIC_MACRO_RECORD_START_1;
    m->keymap[1][25] = QK_DYNAMIC_MACRO_PLAY_1;
    m->keymap[2][21] = QK_DYNAMIC_MACRO_RECORD_STOP;
    m->keymap[2][22] = QK_DYNAMIC_MACRO_RECORD_START_2;
    m->keymap[2][23] = QK_DYNAMIC_MACRO_PLAY_2;
    m->keymap[2][24] = QK_UNICODE_MODE_NEXT;
    m->keymap[2][25] = KC_MC(1);
    m->keymap[3][21] = QK_UNICODE_MODE_MACOS + CFG_UC_WINDOWS;
    m->keymap[3][22] = QK_LEADER;
}

/* The modifier behaviours (caps word, auto shift, key overrides, repeat key, layer lock,
 * tri-layer, grave escape, space cadet, key cancellation) on layer 3, reached by TG(3) and LT(3);
 * the overrides and cancellation pairs use G and H of layer 0 and the arrows of layer 2. */
static void pk_fill_modifiers(cfg_model_t *m)
{
    static const kc_t l3[10] = {QK_CAPS_WORD_TOGGLE, QK_REPEAT_KEY, QK_ALT_REPEAT_KEY, QK_LAYER_LOCK, 0,
                                QK_GRAVE_ESCAPE, 0x7C1A /* SC_LSPO */, QK_TRI_LAYER_LOWER,
                                QK_TRI_LAYER_UPPER, 0x7C15 /* AS_TOGG */};
    for (unsigned i = 0; i < 10; i++)
        if (l3[i]) m->keymap[3][i] = l3[i];
    m->keymap[3][12] = 0x7C5D;                /* KO_TOGG */
    m->keymap[3][13] = 0x7C19;                /* SC_RCPC */
    m->keymap[3][14] = 0x7C1E;                /* SC_SENT */
    m->keymap[3][15] = 0x7C11;                /* AS_UP */
    m->nko = 2;
    m->ko[0] = (cfg_key_override_t){0x0A /* G */, KC_DELETE, 0xFFFFFFFFu, MOD_BIT_LSHIFT | MOD_BIT_RSHIFT,
                                    0, MOD_BIT_LSHIFT | MOD_BIT_RSHIFT, CFG_KO_DEFAULT | CFG_KO_ENABLED};
    m->ko[1] = (cfg_key_override_t){0x0B /* H */, KC_MODS(MOD_LALT, 0x3D /* F4 */), 0x3u, MOD_BIT_LCTRL,
                                    MOD_BIT_LGUI, MOD_BIT_LCTRL,
                                    CFG_KO_DEFAULT | CFG_KO_ONE_MOD | CFG_KO_NO_UNREG_ON_OTHER | CFG_KO_ENABLED};
    m->nkcancel = 2;
    m->kcancel[0] = (cfg_key_cancel_t){0x0A, 0x0B, CFG_KEY_CANCEL_LAST};
    m->kcancel[1] = (cfg_key_cancel_t){KC_LEFT, KC_RIGHT, CFG_KEY_CANCEL_NEUTRAL};
}

/* Combos and tap dances over the same keys: overlapping combos (longest match), combos on
 * home-row mod-taps and layer keys, results that are a mod-tap, a tap dance, a one-shot mod and a
 * layer key; dances with every entry, with dual-role and layer entries, with their own term. */
static void pk_fill_combos(cfg_model_t *m)
{
    static const cfg_combo_def_t combos[] = {
        {0x29 /* ESC */, 0, 0, 0xFFFFFFFFu, 0, 2, {4, 5}},
        {KC_MT(MOD_LALT, 0x2B /* TAB */), 0, 0, 0xFFFFFFFFu, 0, 2, {0, 1}},
        {QK_TAP_DANCE | 0, 0, 0, 0xFFFFFFFFu, 0, 3, {4, 5, 6}},
        {KC_OSM(MOD_LGUI), 80, 0, 0xFFFFFFFFu, CFG_CB_SLOW_RELEASE, 2, {10, 11}},
        {KC_MO(2), 0, 150, 0x1u, 0, 2, {2, 3}},
        {0x1E /* 1 */, 30, 0, 0x6u, 0, 3, {0, 4, 5}},
    };
    static const cfg_tap_dance_def_t dances[] = {
        {KC_A, KC_MO(1), 0x05 /* B */, KC_MT(MOD_LSFT, 0x06 /* C */), 0},
        {KC_OSM(MOD_LCTL), KC_NO, KC_TG(2), KC_NO, 0},
        {0x1B /* X */, KC_NO, KC_NO, KC_NO, 0},
        {KC_NO, KC_LT(3, 0x1C /* Y */), 0x1D /* Z */, KC_NO, 120},
    };
    m->ncombos = sizeof combos / sizeof combos[0];
    memcpy(m->combos, combos, sizeof combos);
    for (unsigned i = 0; i < m->ncombos; i++)
        for (unsigned k = m->combos[i].nkeys; k < CFG_COMBO_KEYS_MAX; k++) m->combos[i].keys[k] = 0xFF;
    m->ntap_dances = sizeof dances / sizeof dances[0];
    memcpy(m->tap_dances, dances, sizeof dances);
    m->keymap[0][29] = QK_TAP_DANCE | 0;
    m->keymap[1][7] = QK_TAP_DANCE | 1;
    m->keymap[2][7] = QK_TAP_DANCE | 2;
    m->keymap[3][29] = QK_TAP_DANCE | 3;
    m->keymap[3][35] = QK_COMBO_TOGGLE;
}

/* Upper layers: mostly transparent, with layer keys and keys that differ, so source-layer rules,
 * KC_TRNS and KC_NO all matter. */
static void pk_fill(cfg_model_t *m)
{
    cfg_model_init(m);
    m->processor = CFG_PROC_RP2040;
    m->rows = PK_ROWS;
    m->cols = PK_COLS;
    m->layers = 4;
    m->nkeys = PK_NPOS;
    for (unsigned i = 0; i < PK_NPOS; i++) {
        m->layout[i] = (uint8_t)i;
        unsigned col = i % PK_COLS;
        m->hand[i] = col == 9 ? CFG_HAND_ANY : col < 5 ? CFG_HAND_LEFT : CFG_HAND_RIGHT;
        m->keymap[0][i] = pk_layer0[i];
        for (unsigned l = 1; l < 4; l++) m->keymap[l][i] = KC_TRNS;
    }
    for (unsigned r = 0; r < PK_ROWS; r++) m->row_pins[r] = (uint8_t)r;
    for (unsigned c = 0; c < PK_COLS; c++) m->col_pins[c] = (uint8_t)(4 + c);
    /* layer 1: digits and media over the home row, a nested LT and OSL */
    m->keymap[1][4] = 0x1F;                   /* 2 */
    m->keymap[1][5] = KC_MT(MOD_RCTL, 0x20);  /* 3 */
    m->keymap[1][6] = KC_NO;
    m->keymap[1][10] = KC_MO(2);
    m->keymap[1][16] = 0xAE;                  /* MPLY */
    m->keymap[1][20] = QK_MOUSE_CURSOR_RIGHT;
    m->keymap[1][29] = KC_OSL(2);
    /* layer 2: navigation, a TG back, a DF */
    m->keymap[2][4] = KC_LEFT;
    m->keymap[2][5] = KC_RIGHT;
    m->keymap[2][11] = KC_TG(2);
    m->keymap[2][0] = KC_MT(MOD_LCTL | MOD_LSFT, 0x2A /* BSPC */);
    m->keymap[2][32] = KC_DF(1);
    /* layer 3: reached by TG(3) and LT(3): a way back and more modded keys */
    m->keymap[3][11] = KC_TG(3);
    m->keymap[3][4] = KC_MODS(MOD_LGUI, 0x1B /* X */);
    m->keymap[3][34] = KC_TO(0);
    m->keymap[3][10] = KC_OSM(MOD_RSFT);
    pk_fill_sequences(m);
    pk_fill_modifiers(m);
    pk_fill_combos(m);
}

/* Settings variants: each exercises a different part of the tap-hold stage. */
static void pk_variant(cfg_model_t *m, unsigned v)
{
    uint16_t *s = m->settings;
    switch (v % 6) {
    case 0: /* QMK defaults */
        break;
    case 1:
        s[CFG_MACRO_TAP_DELAY] = 5;
        s[CFG_LEADER_PER_KEY_TIMING] = 1;
        s[CFG_UNICODE_SELECTED_MODES] = (CFG_UC_LINUX + 1) | (CFG_UC_WINDOWS + 1) << 3 | (CFG_UC_EMACS + 1) << 6;
        s[CFG_PERMISSIVE_HOLD] = 1;
        s[CFG_RETRO_TAPPING] = 1;
        s[CFG_CHORDAL_HOLD] = 1;
        s[CFG_FLOW_TAP_TERM] = 150;
        s[CFG_ONESHOT_TAP_TOGGLE] = 2;
        s[CFG_ONESHOT_TIMEOUT] = 500;
        s[CFG_AUTO_SHIFT_ENABLED] = 1;
        s[CFG_AUTO_SHIFT_RETRO] = CFG_RETRO_SHIFT_ANY;
        s[CFG_CAPS_WORD_BOTH_SHIFTS] = 1;
        s[CFG_CAPS_WORD_INVERT_ON_SHIFT] = 1;
        s[CFG_LAYER_LOCK_TIMEOUT] = 300;
        break;
    case 2:
        s[CFG_MOUSE_MODE] = CFG_MOUSE_INERTIA;
        s[CFG_HOLD_ON_OTHER_KEY_PRESS] = 1;
        s[CFG_CHORDAL_HOLD] = 1;
        s[CFG_QUICK_TAP_TERM] = 120;
        s[CFG_TAPPING_TOGGLE] = 2;
        s[CFG_NKRO] = 1;
        s[CFG_AUTO_SHIFT_ENABLED] = 1;
        s[CFG_AUTO_SHIFT_REPEAT] = 1;
        s[CFG_CAPS_WORD_DOUBLE_TAP_SHIFT] = 1;
        s[CFG_GRAVE_ESC_OVERRIDE] = CFG_GESC_SHIFT;
        break;
    case 3:
        s[CFG_MOUSE_MODE] = CFG_MOUSE_COMBINED;
        s[CFG_TAP_CODE_DELAY] = 10;
        s[CFG_DYNAMIC_MACRO_DELAY] = 15;
        s[CFG_LEADER_NO_TIMEOUT] = 1;
        s[CFG_UNICODE_INPUT_MODE] = CFG_UC_WINCOMPOSE;
        s[CFG_TAPPING_FLAVOR] = CFG_FLAVOR_BALANCED;
        s[CFG_REQUIRE_PRIOR_IDLE] = 100;
        s[CFG_ONESHOT_TAP_TOGGLE] = 3;
        s[CFG_AUTO_SHIFT_ENABLED] = 1;
        s[CFG_AUTO_SHIFT_RETRO] = 400;
        s[CFG_AUTO_SHIFT_TIMEOUT] = 120;
        s[CFG_CAPS_WORD_IDLE_TIMEOUT] = 0;
        break;
    case 4:
        s[CFG_MOUSE_MODE] = CFG_MOUSE_KINETIC;
        s[CFG_TAPPING_FLAVOR] = CFG_FLAVOR_TAP_UNLESS_INTERRUPTED;
        s[CFG_QUICK_TAP_TERM] = 0;
        s[CFG_ONESHOT_TIMEOUT] = 300;
        s[CFG_TAPPING_TERM] = 150;
        s[CFG_TRI_LAYER_LOWER] = 2;
        s[CFG_TRI_LAYER_UPPER] = 1;
        s[CFG_TRI_LAYER_ADJUST] = 3;
        s[CFG_CAPS_WORD_BOTH_SHIFTS] = 1;
        break;
    case 5:
        s[CFG_MOUSE_MODE] = CFG_MOUSE_CONSTANT;
        s[CFG_MOUSE_MOMENTARY_ACCEL] = 1;
        s[CFG_TAPPING_FLAVOR] = CFG_FLAVOR_HOLD_PREFERRED;
        s[CFG_RETRO_TAPPING] = 1;
        s[CFG_FLOW_TAP_TERM] = 100;
        s[CFG_AUTO_SHIFT_ENABLED] = 1;
        s[CFG_AUTO_SHIFT_NO_ALPHA] = 1;
        s[CFG_AUTO_SHIFT_REPEAT] = 1;
        s[CFG_AUTO_SHIFT_RETRO] = CFG_RETRO_SHIFT_ANY;
        s[CFG_CAPS_WORD_INVERT_ON_SHIFT] = 1;
        m->perkey[m->nperkey++] = (cfg_perkey_t){KC_MT(MOD_LSFT, KC_A), CFG_TAPPING_TERM, 250};
        m->perkey[m->nperkey++] = (cfg_perkey_t){KC_LT(1, 0x07), CFG_TAPPING_FLAVOR, CFG_FLAVOR_TAP_PREFERRED};
        m->perkey[m->nperkey++] = (cfg_perkey_t){KC_MT(MOD_LCTL, 0x16), CFG_CHORDAL_HOLD, 1};
        m->perkey[m->nperkey++] = (cfg_perkey_t){KC_LT(2, 0x09), CFG_PERMISSIVE_HOLD, 1};
        break;
    }
}

/* What the last report of each kind was. */
typedef struct pk_state {
    kbd_report_t kbd;
    uint16_t consumer, system;
    mouse_report_t mouse;
    unsigned reports;
    unsigned seq_kinds[5];     /* sequence player jobs started, by kind (ENGINE_TRACE_SEQ_START) */
    unsigned leaders, dm_plays_recorded; /* leader sequences started; dynamic macro recordings kept */
    unsigned mods_seen[5];     /* caps word on, auto shift settled, key override on, repeat, lock */
    unsigned combos, dances[3]; /* combos fired; tap dances ended by tap, hold, interruption */
} pk_state_t;

static void pk_kbd(void *ctx, const kbd_report_t *r, uint32_t now)
{
    (void)now;
    pk_state_t *s = ctx;
    s->kbd = *r;
    s->reports++;
}
static void pk_consumer(void *ctx, uint16_t u, uint32_t now) { (void)now; ((pk_state_t *)ctx)->consumer = u; }
static void pk_system(void *ctx, uint16_t u, uint32_t now) { (void)now; ((pk_state_t *)ctx)->system = u; }
static void pk_mouse(void *ctx, const mouse_report_t *r, uint32_t now) { (void)now; ((pk_state_t *)ctx)->mouse = *r; }
static void pk_action(void *ctx, kc_t kc, uint32_t now) { (void)ctx; (void)kc; (void)now; }

/* Counts what the sequence behaviours did, so a test can show they were exercised. */
static void pk_trace(void *ctx, const engine_trace_t *t)
{
    pk_state_t *s = ctx;
    if (t->code == ENGINE_TRACE_SEQ_START && t->arg < 5) s->seq_kinds[t->arg]++;
    if (t->code == ENGINE_TRACE_LEADER_START) s->leaders++;
    if (t->code == ENGINE_TRACE_DM_RECORD_STOP && (t->arg & 0xFFu)) s->dm_plays_recorded++;
    if (t->code == ENGINE_TRACE_CAPS_WORD && t->arg) s->mods_seen[0]++;
    if (t->code == ENGINE_TRACE_AUTO_SHIFT) s->mods_seen[1]++;
    if (t->code == ENGINE_TRACE_KEY_OVERRIDE && t->arg) s->mods_seen[2]++;
    if (t->code == ENGINE_TRACE_REPEAT) s->mods_seen[3]++;
    if (t->code == ENGINE_TRACE_LAYER_LOCK && (t->arg & 0x100u)) s->mods_seen[4]++;
    if (t->code == ENGINE_TRACE_COMBO_PRESS) s->combos++;
    if (t->code == ENGINE_TRACE_TAP_DANCE && (t->arg >> 8) < 3) s->dances[t->arg >> 8]++;
}

static const engine_sink_t pk_sink = {pk_kbd, pk_consumer, pk_system, pk_mouse, pk_action, pk_trace};

/* A tick runs everything due by its time, so the engine's next deadline must lie after it: one that
 * does not would have the firmware's loop call the engine again at once, for ever. */
#define PK_SPIN "a deadline not after the tick that ran it"

/* Runs the timers as the firmware's loop does, from `from` (the engine's latest time) up to `to`:
 * a tick at each deadline on the way (an overdue one at `from`), each reported to `ticked` when
 * given, and checked as PK_SPIN says. Returns NULL, or what is wrong. */
static const char *pk_run_until(engine_t *e, uint32_t from, uint32_t to, void (*ticked)(uint32_t))
{
    uint32_t last = from;
    for (bool first = true;; first = false) {
        uint32_t d = engine_next_deadline(e);
        if (d == ENGINE_NO_DEADLINE || (int32_t)(d - to) > 0) return NULL;
        if ((int32_t)(d - last) < 0) d = last;
        if (!first && d == last) return PK_SPIN;
        engine_tick(e, d);
        if (ticked) ticked(d);
        last = d;
    }
}

/* Plays a fuzzer's bytes on the engine: two per event, a key byte (its position modulo PK_NPOS
 * toggles; 0xF0 and above runs the timers instead, as pk_run_until) and the gap before it (high
 * bit: in 8 ms steps). `down` tracks which keys are held. Returns NULL, or what is wrong. */
static inline const char *pk_play(engine_t *e, const uint8_t *data, size_t size, bool *down, uint32_t *now)
{
    for (size_t i = 0; i + 1 < size; i += 2) {
        uint8_t k = data[i], g = data[i + 1];
        uint32_t was = *now;
        *now += (g & 0x80u) ? (uint32_t)(g & 0x7Fu) * 8u : g & 0x7Fu;
        if (k >= 0xF0u) {
            const char *why = pk_run_until(e, was, *now, NULL);
            if (why) return why;
            engine_tick(e, *now);
            continue;
        }
        uint8_t p = (uint8_t)(k % PK_NPOS);
        down[p] = !down[p];
        engine_key_event(e, p, down[p], *now);
    }
    return NULL;
}

/* Releases every key still down, then runs the timers out (at most 60 s of simulated time).
 * Returns NULL when every report is empty and the engine is idle, else what is wrong. */
static const char *pk_finish(engine_t *e, pk_state_t *s, const bool *down, uint32_t *now)
{
    for (unsigned p = 0; p < PK_NPOS; p++)
        if (down[p]) engine_key_event(e, (uint8_t)p, false, *now);
    uint32_t end = *now + 60000u;
    bool ticked = false;
    for (;;) {
        uint32_t d = engine_next_deadline(e);
        if (d == ENGINE_NO_DEADLINE) break;
        if ((int32_t)(d - end) > 0) return "timers never run out";
        if (ticked && (int32_t)(d - *now) <= 0) return PK_SPIN;
        ticked = true;
        *now = d;
        engine_tick(e, d);
    }
    for (unsigned i = 0; i < sizeof s->kbd.keys; i++)
        if (s->kbd.keys[i]) return "a key is still in the keyboard report";
    if (s->kbd.mods & ~e->os_locked_mods) return "a modifier is still in the keyboard report";
    if (s->consumer) return "consumer report not empty";
    if (s->system) return "system report not empty";
    if (s->mouse.buttons || s->mouse.x || s->mouse.y || s->mouse.v || s->mouse.h) return "mouse report not empty";
    if (!engine_idle(e)) return "engine not idle";
    return NULL;
}

#endif
