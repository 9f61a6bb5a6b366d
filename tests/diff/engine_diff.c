/* Differential check of the engine (tests/diff/run.sh): random key event sequences on the property
 * test's every-behaviour keymap, with more unicode, leader and combo keys and settings, printing
 * every report and trace line; two builds of the engine must print the same. Deterministic. */
#include <stdio.h>
#include <stdlib.h>

#include "tests/unit/property_keymap.h"
#include "../unit/random_events.h" /* (by its path from here: see run.sh) */

static FILE *out;
static void p_kbd(void *ctx, const kbd_report_t *r, uint32_t now)
{
    (void)ctx;
    fprintf(out, "%u kbd %02X", (unsigned)now, r->mods);
    for (int u = 0; u < 256; u++)
        if (r->keys[u >> 3] >> (u & 7) & 1) fprintf(out, " %02X", u);
    fprintf(out, "\n");
}
static void p_cons(void *ctx, uint16_t u, uint32_t now) { (void)ctx; fprintf(out, "%u cons %04X\n", (unsigned)now, u); }
static void p_sys(void *ctx, uint16_t u, uint32_t now) { (void)ctx; fprintf(out, "%u sys %04X\n", (unsigned)now, u); }
static void p_mouse(void *ctx, const mouse_report_t *r, uint32_t now)
{
    (void)ctx;
    fprintf(out, "%u mouse %u %d %d %d %d\n", (unsigned)now, r->buttons, r->x, r->y, r->v, r->h);
}
static void p_action(void *ctx, kc_t kc, uint32_t now) { (void)ctx; fprintf(out, "%u action %04X\n", (unsigned)now, kc); }
static void p_trace(void *ctx, const engine_trace_t *t)
{
    (void)ctx;
    if (getenv("NOTRACE")) return;
    fprintf(out, "%u T%u p%d k%04X a%u q%d\n", (unsigned)t->time, t->code, t->pos, t->kc, t->arg, t->pos2);
}
static const engine_sink_t sink = {p_kbd, p_cons, p_sys, p_mouse, p_action, p_trace};

static cfg_model_t model;
static uint8_t img[CFG_MAX_IMAGE];

/* extras: more unicode keys, a unicode map (variant bit 8), more leader sequences, more combos */
static void extras(cfg_model_t *m, unsigned v)
{
    static const uint32_t cps[] = {0x1F600, 0x10FFFF, 0x41, 0x0, 0xFFFF, 0x10000, 0x20AC, 0xE9};
    if (v & 8) {
        m->nunicode = 8;
        for (unsigned i = 0; i < 8; i++) m->unicode_map[i] = cps[i];
        m->keymap[1][23] = (kc_t)(QK_UNICODEMAP | 0u);
        m->keymap[2][26] = (kc_t)(QK_UNICODEMAP | 1u);
        m->keymap[3][26] = (kc_t)(QK_UNICODEMAP_PAIR | 2u | 3u << 7);
        m->keymap[1][26] = (kc_t)(QK_UNICODEMAP_PAIR | 5u | 4u << 7);
        m->keymap[1][27] = (kc_t)(QK_UNICODEMAP | 6u);
    } else {
        m->keymap[2][26] = (kc_t)(QK_UNICODE | 0x7FFFu);
        m->keymap[3][26] = (kc_t)(QK_UNICODE | 0x0u);
        m->keymap[1][26] = (kc_t)(QK_UNICODE | 0x1234u);
        m->keymap[1][27] = (kc_t)(QK_UNICODE | 0xABCu);
    }
    m->keymap[3][27] = QK_UNICODE_MODE_PREVIOUS;
    m->keymap[2][27] = QK_UNICODE_MODE_MACOS + (v % 6);
    m->keymap[3][23] = QK_UNICODE_MODE_NEXT;
    if (v % 4 == 1) m->keymap[0][15] = QK_LEADER, m->keymap[0][16] = QK_LEADER;
    m->keymap[3][28] = QK_COMBO_ON;
    m->keymap[2][28] = QK_COMBO_OFF;
    if (m->nleader < 6) {
        m->leader[m->nleader++] = (cfg_leader_seq_t){{0x0A, 0x0B, 0}, KC_MODS(MOD_LCTL, 0x06)};
        m->leader[m->nleader++] = (cfg_leader_seq_t){{0x0A, 0x0B, 0x0A, 0x0B, 0x0A}, 0x0A};
        m->leader[m->nleader++] = (cfg_leader_seq_t){{0x0B, 0}, KC_TG(2)};
        m->leader[m->nleader++] = (cfg_leader_seq_t){{0x0B, 0x0B, 0}, (kc_t)(QK_UNICODE | 0x263A)};
    }
    if (v & 16) {
        uint16_t *s = m->settings;
        s[CFG_UNICODE_SELECTED_MODES] = (CFG_UC_MACOS + 1) | (CFG_UC_BSD + 1) << 3 | (CFG_UC_WINDOWS + 1) << 6 |
                                        (CFG_UC_LINUX + 1) << 9 | (CFG_UC_EMACS + 1) << 12;
        s[CFG_UNICODE_INPUT_MODE] = (uint16_t)(v % 7);
        s[CFG_UNICODE_TYPE_DELAY] = (uint16_t)(v % 3 == 0 ? 0 : 7);
        s[CFG_COMBO_TERM] = 70;
        s[CFG_LEADER_STRICT_PROCESSING] = v & 1;
        s[CFG_LEADER_PER_KEY_TIMING] = !(v & 2);
        s[CFG_LEADER_NO_TIMEOUT] = !(v & 4);
        s[CFG_TAP_CODE_DELAY] = (uint16_t)(v & 4 ? 0 : 3);
    }
}

int main(int argc, char **argv)
{
    unsigned variants = argc > 1 ? (unsigned)atoi(argv[1]) : 32, seqs = argc > 2 ? (unsigned)atoi(argv[2]) : 300;
    out = stdout;
    (void)pk_finish; /* (the property test's own finish checks; this prints instead) */
    static engine_t e;
    for (unsigned v = 0; v < variants; v++) {
        rng_state = 0x12345678u ^ (v * 0x9E3779B9u);
        pk_fill(&model);
        pk_variant(&model, v % 6);
        extras(&model, v);
        size_t n = cfg_image_write(&model, img, sizeof img);
        cfg_t cfg;
        if (!n || cfg_open(&cfg, img, n) != CFG_OK) {
            fprintf(out, "variant %u: image error\n", v);
            continue;
        }
        fprintf(out, "==== variant %u\n", v);
        uint32_t now = 0;
        for (unsigned s = 0; s < seqs; s++) {
            if (s % 25 == 0) {
                engine_init(&e, &cfg, &sink, NULL);
                now = 0;
            }
            fprintf(out, "-- seq %u\n", s);
            bool down[PK_NPOS] = {false};
            uint8_t pool[6];
            for (unsigned i = 0; i < 6; i++) pool[i] = (uint8_t)(rng() % PK_NPOS);
            unsigned events = 1 + rng() % 60;
            for (unsigned i = 0; i < events; i++) {
                now += gap();
                uint8_t p = (rng() % 4) ? pool[rng() % 6] : (uint8_t)(rng() % PK_NPOS);
                if (rng() % 8 == 0) {
                    const cfg_combo_def_t *c = &model.combos[rng() % model.ncombos];
                    for (unsigned k = 0; k + 1 < c->nkeys; k++) {
                        uint8_t q = c->keys[k];
                        down[q] = !down[q];
                        engine_key_event(&e, q, down[q], now);
                        now += rng() % 3 ? 0 : rng() % 60;
                    }
                    p = c->keys[c->nkeys - 1];
                }
                if (rng() % 10 == 0) engine_set_host_leds(&e, (uint8_t)(rng() & 3));
                down[p] = !down[p];
                engine_key_event(&e, p, down[p], now);
                if (rng() % 16 == 0) {
                    now += rng() % 300;
                    engine_tick(&e, now);
                }
            }
            now += gap();
            for (unsigned p = 0; p < PK_NPOS; p++)
                if (down[p]) engine_key_event(&e, (uint8_t)p, false, now);
            uint32_t end = now + 60000u;
            for (;;) {
                uint32_t d = engine_next_deadline(&e);
                if (d == ENGINE_NO_DEADLINE) break;
                if ((int32_t)(d - end) > 0) {
                    fprintf(out, "timers never run out\n");
                    break;
                }
                now = d;
                engine_tick(&e, d);
            }
            fprintf(out, "idle %d\n", engine_idle(&e));
        }
    }
    return 0;
}
