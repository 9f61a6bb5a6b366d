/* Engine benchmark workload: a few thousand words of generated English typed at about 60 wpm with
 * jitter and overlapping rolls, through a 4-layer keymap with home-row mod-taps (capitals with the
 * opposite hand's shift, digits through a layer-tap thumb, corrections with backspace). The
 * generator is deterministic (fixed seed), so every run feeds the engine the same events.
 *
 * bench/engine_bench.sh runs it twice under `valgrind --tool=callgrind`: once feeding the engine,
 * once with BENCH_BASELINE set, which generates and walks the same events without calling the
 * engine; the difference is the engine's cost. It prints "events=N ticks=N words=N ..." so the
 * script can divide. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/model.h"
#include "core/engine.h"
#include "tests/unit/random_events.h"

#define WORDS 3000u
#define ROWS 4
#define COLS 10


/* ---- the keymap: QWERTY with home-row mods, thumbs LT(1,SPC) LT(2,BSPC) MO(3) ENT ---------- */
#define K(c) ((kc_t)(KC_A + ((c) - 'a')))
static const char base_letters[3][11] = {"qwertyuiop", "asdfghjkl;", "zxcvbnm,./"};

static void build_keymap(cfg_model_t *m)
{
    cfg_model_init(m);
    m->processor = CFG_PROC_RP2040;
    m->rows = ROWS;
    m->cols = COLS;
    m->layers = 4;
    m->nkeys = ROWS * COLS;
    for (unsigned i = 0; i < ROWS * COLS; i++) {
        m->layout[i] = (uint8_t)i;
        m->hand[i] = (i % COLS) < 5 ? CFG_HAND_LEFT : CFG_HAND_RIGHT;
        for (unsigned l = 1; l < 4; l++) m->keymap[l][i] = KC_TRNS;
    }
    for (unsigned r = 0; r < 3; r++) {
        for (unsigned c = 0; c < COLS; c++) {
            char ch = base_letters[r][c];
            kc_t kc = ch >= 'a' && ch <= 'z' ? K(ch) : ch == ';' ? KC_SEMICOLON : ch == ',' ? KC_COMMA
                      : ch == '.' ? KC_DOT : KC_SLASH;
            m->keymap[0][r * COLS + c] = kc;
        }
    }
    static const uint8_t hrm[8] = {MOD_LGUI, MOD_LALT, MOD_LCTL, MOD_LSFT, MOD_RSFT, MOD_RCTL, MOD_RALT, MOD_RGUI};
    static const uint8_t hrm_pos[8] = {10, 11, 12, 13, 16, 17, 18, 19};
    for (unsigned i = 0; i < 8; i++) {
        uint8_t p = hrm_pos[i];
        m->keymap[0][p] = KC_MT(hrm[i], m->keymap[0][p]);
    }
    m->keymap[0][33] = KC_MO(3);
    m->keymap[0][34] = KC_LT(1, KC_SPACE);
    m->keymap[0][35] = KC_LT(2, KC_BACKSPACE);
    m->keymap[0][36] = KC_ENTER;
    m->keymap[0][30] = KC_ESCAPE;
    m->keymap[0][39] = KC_TAB;
    /* layer 1: digits, shifted digits, brackets */
    for (unsigned c = 0; c < COLS; c++) {
        m->keymap[1][c] = (kc_t)(KC_1 + c);
        m->keymap[1][10 + c] = KC_MODS(MOD_LSFT, KC_1 + c);
    }
    m->keymap[1][20] = KC_MINUS;
    m->keymap[1][21] = KC_EQUAL;
    m->keymap[1][22] = KC_LEFT_BRACKET;
    m->keymap[1][23] = KC_RIGHT_BRACKET;
    m->keymap[1][24] = KC_QUOTE;
    /* layer 2: navigation */
    m->keymap[2][15] = KC_LEFT;
    m->keymap[2][16] = KC_DOWN;
    m->keymap[2][17] = KC_UP;
    m->keymap[2][18] = KC_RIGHT;
    m->keymap[2][5] = KC_MODS(MOD_LCTL, 0x1D /* Z */);
    /* layer 3: function keys, media, mouse */
    for (unsigned c = 0; c < COLS; c++) m->keymap[3][c] = (kc_t)(KC_F1 + c);
    m->keymap[3][10] = 0xA9;
    m->keymap[3][11] = 0xAA;
    m->keymap[3][12] = 0xA8;
    m->keymap[3][15] = QK_MOUSE_CURSOR_LEFT;
    m->keymap[3][16] = QK_MOUSE_CURSOR_DOWN;
    m->keymap[3][17] = QK_MOUSE_CURSOR_UP;
    m->keymap[3][18] = QK_MOUSE_CURSOR_RIGHT;
    /* a typical home-row-mod setup */
    m->settings[CFG_TAPPING_TERM] = 200;
    m->settings[CFG_PERMISSIVE_HOLD] = 1;
    m->settings[CFG_CHORDAL_HOLD] = 1;
    m->settings[CFG_FLOW_TAP_TERM] = 150;
}

/* BENCH_COMBOS=1: eight combos of the kind people use (neighbours on the top and bottom rows, two
 * on home-row mod-taps, a three-key one), so every press of those keys is held back first. */
static void add_combos(cfg_model_t *m)
{
    static const uint8_t keys[8][3] = {{1, 2, 0xFF}, {2, 3, 0xFF}, {7, 8, 0xFF}, {21, 22, 0xFF},
                                       {22, 23, 0xFF}, {12, 13, 0xFF}, {16, 17, 0xFF}, {0, 1, 2}};
    static const kc_t result[8] = {KC_ESCAPE, KC_TAB, KC_BACKSPACE, KC_MODS(MOD_LCTL, 0x06),
                                   KC_MODS(MOD_LCTL, 0x19), KC_LT(2, KC_ENTER), KC_MT(MOD_RCTL, KC_ENTER),
                                   KC_CAPS_LOCK};
    for (unsigned i = 0; i < 8; i++) {
        cfg_combo_def_t *c = &m->combos[i];
        c->result = result[i];
        c->layers = 0xFFFFFFFFu;
        c->nkeys = keys[i][2] == 0xFF ? 2 : 3;
        memset(c->keys, 0xFF, sizeof c->keys);
        memcpy(c->keys, keys[i], c->nkeys);
    }
    m->ncombos = 8;
}

/* ---- text: pseudo-English from a list of common words ------------------------------------- */
static const char *const words[] = {
    "the", "of", "and", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on", "are", "as",
    "with", "his", "they", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but",
    "not", "what", "all", "were", "we", "when", "your", "can", "said", "there", "use", "an", "each",
    "which", "she", "do", "how", "their", "if", "will", "up", "other", "about", "out", "many", "then",
    "them", "these", "so", "some", "her", "would", "make", "like", "him", "into", "time", "has", "look",
    "two", "more", "write", "go", "see", "number", "no", "way", "could", "people", "my", "than",
    "first", "water", "been", "call", "who", "oil", "its", "now", "find", "long", "down", "day", "did",
    "get", "come", "made", "may", "part", "keyboard", "layer", "switch", "firmware", "typing", "quick",
    "brown", "fox", "jumps", "over", "lazy", "dog", "small", "large", "world", "house", "again",
    "place", "where", "after", "back", "little", "only", "round", "man", "year", "came", "show",
    "every", "good", "me", "give", "our", "under", "name", "very", "through", "just", "form",
    "sentence", "great", "think", "say", "help", "low", "line", "differ", "turn", "cause", "much",
    "mean", "before", "move", "right", "boy", "old", "too", "same", "tell", "does", "set", "three",
    "want", "air", "well", "also", "play", "home", "read", "hand", "port", "spell", "add", "even",
    "land", "here", "must", "big", "high", "such", "follow", "act", "why", "ask", "men", "change",
    "went", "light", "kind", "off", "need", "picture", "try", "us", "animal", "point", "mother",
};

/* ---- events ---------------------------------------------------------------------------------- */
typedef struct ev {
    uint32_t t;
    uint8_t pos, down;
} ev_t;

static ev_t *evs;
static size_t nevs, capevs;

static void add(uint32_t t, uint8_t pos, uint8_t down)
{
    if (nevs == capevs) {
        capevs = capevs ? capevs * 2 : 4096;
        evs = realloc(evs, capevs * sizeof *evs);
        if (!evs) abort();
    }
    evs[nevs++] = (ev_t){t, pos, down};
}

static int pos_of(char ch)
{
    for (int r = 0; r < 3; r++)
        for (int c = 0; c < COLS; c++)
            if (base_letters[r][c] == ch) return r * COLS + c;
    return -1;
}

static uint32_t clock_ms = 1000;

/* A key stroke: pressed at the current time, held 70-130 ms; the next press comes 120-280 ms later
 * (60 wpm on average), so fast pairs overlap (rolls). */
static void stroke(int pos)
{
    uint32_t hold = 70 + rng() % 60;
    add(clock_ms, (uint8_t)pos, 1);
    add(clock_ms + hold, (uint8_t)pos, 0);
    clock_ms += 120 + rng() % 160;
}

/* A held modifier or layer key around some strokes, held past the tapping term first. */
static void hold_around(int mod_pos, void (*inner)(void *), void *arg)
{
    clock_ms += 160; /* a beat before a held key (a faster one is a flow tap, as intended) */
    add(clock_ms, (uint8_t)mod_pos, 1);
    clock_ms += 230 + rng() % 60;
    inner(arg);
    add(clock_ms - 60, (uint8_t)mod_pos, 0);
    clock_ms += 60;
}

static void inner_letter(void *arg) { stroke(pos_of(*(const char *)arg)); }
static void inner_digits(void *arg)
{
    unsigned n = *(const unsigned *)arg;
    for (unsigned i = 0; i < n; i++) stroke((int)(rng() % COLS));
}

static unsigned generate(void)
{
    unsigned nwords = 0, in_sentence = 0, sentence_len = 0;
    while (nwords < WORDS) {
        if (in_sentence == 0) sentence_len = 6 + rng() % 9;
        const char *w = words[rng() % (sizeof words / sizeof words[0])];
        for (size_t i = 0; w[i]; i++) {
            char ch = w[i];
            if (in_sentence == 0 && i == 0) {
                /* capital: hold the shift of the other hand */
                int p = pos_of(ch);
                int shift = (p % COLS) < 5 ? 16 : 13;
                hold_around(shift, inner_letter, &ch);
            } else {
                stroke(pos_of(ch));
            }
            if (rng() % 100 == 0) { /* a typo, corrected */
                stroke(pos_of(words[rng() % 20][0]));
                stroke(35);
            }
        }
        nwords++;
        in_sentence++;
        if (rng() % 40 == 0) { /* a number, through the space thumb's layer */
            stroke(34);
            unsigned n = 1 + rng() % 4;
            hold_around(34, inner_digits, &n);
        }
        if (in_sentence == sentence_len) {
            stroke(pos_of('.'));
            in_sentence = 0;
            if (rng() % 5 == 0) {
                stroke(36); /* Enter: a new paragraph */
                clock_ms += 1500 + rng() % 2000;
                continue;
            }
        } else if (rng() % 12 == 0) {
            stroke(pos_of(','));
        }
        stroke(34); /* space */
        if (rng() % 30 == 0) clock_ms += 400 + rng() % 1200; /* a pause to think */
    }
    return nwords;
}

static int by_time(const void *a, const void *b)
{
    const ev_t *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return 0;
}

/* ---- the run ---------------------------------------------------------------------------------- */
static unsigned long reports;
static void s_kbd(void *c, const kbd_report_t *r, uint32_t t) { (void)c; (void)r; (void)t; reports++; }
static void s_u16(void *c, uint16_t u, uint32_t t) { (void)c; (void)u; (void)t; reports++; }
static void s_mouse(void *c, const mouse_report_t *r, uint32_t t) { (void)c; (void)r; (void)t; reports++; }
static const engine_sink_t sink = {s_kbd, s_u16, s_u16, s_mouse, NULL, NULL};

static cfg_model_t model;
static uint8_t img[CFG_MAX_IMAGE];
static cfg_t cfg;
static engine_t eng;

int main(void)
{
    rng_state = 0x5EED1234u;
    build_keymap(&model);
    if (getenv("BENCH_COMBOS")) add_combos(&model);
    size_t n = cfg_image_write(&model, img, sizeof img);
    if (!n || cfg_open(&cfg, img, n) != CFG_OK) {
        fprintf(stderr, "engine_bench: cannot build the config image\n");
        return 1;
    }
    unsigned nwords = generate();
    qsort(evs, nevs, sizeof *evs, by_time); /* stable enough: equal times keep no meaning */

    if (getenv("BENCH_BASELINE")) {
        unsigned long sum = 0;
        for (size_t i = 0; i < nevs; i++) sum += evs[i].pos + evs[i].t + evs[i].down;
        printf("events=%zu baseline=%lu\n", nevs, sum & 1u);
        free(evs);
        return 0;
    }
    engine_init(&eng, &cfg, &sink, NULL);
    unsigned long ticks = 0;
    for (size_t i = 0; i < nevs; i++) {
        /* the firmware ticks the engine at its deadlines between key events */
        for (;;) {
            uint32_t d = engine_next_deadline(&eng);
            if (d == ENGINE_NO_DEADLINE || (int32_t)(d - evs[i].t) >= 0) break;
            engine_tick(&eng, d);
            ticks++;
        }
        engine_key_event(&eng, evs[i].pos, evs[i].down, evs[i].t);
    }
    for (;;) {
        uint32_t d = engine_next_deadline(&eng);
        if (d == ENGINE_NO_DEADLINE) break;
        engine_tick(&eng, d);
        ticks++;
    }
    printf("events=%zu ticks=%lu words=%u reports=%lu ms=%u idle=%d\n", nevs, ticks, nwords, reports,
           (unsigned)(evs[nevs - 1].t - evs[0].t), engine_idle(&eng));
    free(evs);
    return engine_idle(&eng) ? 0 : 1;
}
