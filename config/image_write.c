/* Config image writer: the model -> the binary format described in core/cfg.h. */
#include "config/model.h"

#include <string.h>

#include "core/keycodes.h"
#include "usb/usb_desc_tmpl.h"

void cfg_model_init(cfg_model_t *m)
{
    memset(m, 0, sizeof *m);
    for (unsigned i = 0; i < CFG_SETTING_COUNT; i++)
        m->settings[i] = cfg_setting_default((enum cfg_setting_id)i);
    memset(m->direct_pins, CFG_PIN_NONE, sizeof m->direct_pins);
    m->io_delay_us = 30;
    m->poll_ms = 1;
    m->max_power_half = 250;
    m->bcd = 0x0100;
}

typedef struct {
    uint8_t *out;
    size_t cap, pos;
    bool overflow;
} wbuf;

static void put8(wbuf *w, uint8_t v)
{
    if (w->pos < w->cap) w->out[w->pos] = v;
    else w->overflow = true;
    w->pos++;
}
static void put16(wbuf *w, uint16_t v)
{
    put8(w, (uint8_t)v);
    put8(w, (uint8_t)(v >> 8));
}
static void put32(wbuf *w, uint32_t v)
{
    put16(w, (uint16_t)v);
    put16(w, (uint16_t)(v >> 16));
}
static void patch16(wbuf *w, size_t at, uint16_t v)
{
    if (at + 1 < w->cap) {
        w->out[at] = (uint8_t)v;
        w->out[at + 1] = (uint8_t)(v >> 8);
    }
}
static void put_str(wbuf *w, const char *s, size_t max)
{
    size_t n = strnlen(s, max - 1);
    for (size_t i = 0; i < n; i++) put8(w, (uint8_t)s[i]);
    put8(w, 0);
}

/* ---- MOUSE (core/cfg.h): QMK's accelerated, combined and kinetic speed curves evaluated here, once
 * per image, in plain 32-bit arithmetic, so the firmware reads one byte per step instead of
 * computing them (the engine's rules: core/bhv_mouse.c, docs/behaviours.md). The section is
 * written only when a keycode may move the cursor or the wheel. */
#define KINETIC_STEPS_MAX 1000u /* the kinetic clock counts 50 ms steps up to this */

/* A direction key's code, alone or as the basic key of a modded / dual-role keycode. Counting a
 * few other keycodes (their low byte alike) only writes a table no key reads. */
static bool moves(kc_t kc)
{
    uint8_t b = (uint8_t)kc;
    return (b >= QK_MOUSE_CURSOR_UP && b <= QK_MOUSE_CURSOR_RIGHT) ||
           (b >= QK_MOUSE_WHEEL_UP && b <= QK_MOUSE_WHEEL_RIGHT);
}

static bool mouse_used(const cfg_model_t *m)
{
    unsigned npos = (unsigned)m->rows * m->cols;
    for (unsigned l = 0; l < m->layers && l < CFG_MAX_LAYERS; l++) {
        for (unsigned p = 0; p < npos && p < CFG_MAX_POSITIONS; p++)
            if (moves(m->keymap[l][p])) return true;
        for (unsigned e = 0; e < m->nencoders && e < CFG_MAX_ENCODERS; e++)
            if (moves(m->enc_map[l][e][0]) || moves(m->enc_map[l][e][1])) return true;
    }
    for (unsigned i = 0; i < m->ncombos && i < CFG_MAX_COMBOS; i++)
        if (moves(m->combos[i].result)) return true;
    for (unsigned i = 0; i < m->ntap_dances && i < CFG_MAX_TAP_DANCES; i++) {
        const cfg_tap_dance_def_t *t = &m->tap_dances[i];
        if (moves(t->on_tap) || moves(t->on_hold) || moves(t->on_double_tap) || moves(t->on_tap_hold))
            return true;
    }
    for (unsigned i = 0; i < m->nleader && i < CFG_MAX_LEADER; i++)
        if (moves(m->leader[i].result)) return true;
    for (unsigned i = 0; i < m->nko && i < CFG_MAX_KEY_OVERRIDES; i++)
        if (moves(m->ko[i].trigger) || moves(m->ko[i].replacement)) return true;
    for (unsigned i = 0; i < m->nkcancel && i < CFG_MAX_KEY_CANCEL; i++)
        if (moves(m->kcancel[i].a) || moves(m->kcancel[i].b)) return true;
    /* macro byte code: any byte that could be a keycode argument's low byte (characters are
     * ASCII, below every direction code) */
    for (unsigned i = 0; i < m->macro_len && i < CFG_MAX_MACRO_BYTES; i++)
        if (moves(m->macro_bytes[i])) return true;
    return false;
}

/* A step as the engine sends it: 1 to 127 px (or wheel clicks). */
static uint8_t step_of(uint32_t u)
{
    return u > 127u ? 127u : u == 0 ? 1u : (uint8_t)u;
}

/* The kinetic speed t 50 ms steps into a movement: initial + delta*t + delta*t*t/2, at most base
 * (t <= 1000: no overflow). */
static uint32_t kin_speed(const cfg_model_t *m, uint8_t w, uint32_t t)
{
    const uint16_t *s = m->settings;
    uint32_t init = s[w ? CFG_MOUSE_WHEEL_INITIAL_MOVEMENTS : CFG_MOUSE_INITIAL_SPEED];
    uint32_t base = s[w ? CFG_MOUSE_WHEEL_BASE_MOVEMENTS : CFG_MOUSE_BASE_SPEED];
    uint32_t d = w ? 1u : (uint8_t)s[CFG_MOUSE_MOVE_DELTA], speed = init + d * t * (t + 2u) / 2u;
    return speed > base ? base : speed;
}

/* Kinetic entries: the cursor's step is the speed per report (one every interval ms, with QMK's
 * MK_KINETIC_SPEED 8-bit truncation); the wheel moves 1 per report and its entries are the speed
 * (1..255 per second), the firmware's interval 1000 / speed. */
static uint8_t kin_entry(const cfg_model_t *m, uint8_t w, uint32_t speed)
{
    if (w) return speed > 255u ? 255u : speed == 0 ? 1u : (uint8_t)speed;
    uint32_t iv = m->settings[CFG_MOUSE_INTERVAL], per = iv ? 1000u / iv : 1000u;
    return step_of((uint8_t)(speed / (per ? per : 1u)));
}

/* Inertia mode's cursor block (its cursor reads nothing else of the table): entry 0 the first
 * frame's step, min(move_delta, 127); entry |v| for a velocity v of 1 .. time_to_max (at most 127)
 * the step sign(v) + max_speed * (v / time_to_max)^2 as QMK's calc_inertia gives it in 8.8 fixed
 * point, rounded towards minus infinity, within +-127: bits 0-6 the step towards plus, bit 7 set
 * when the step towards minus is one more (the product had a fraction). */
static uint8_t inertia_entry(const cfg_model_t *m, uint32_t i)
{
    const uint16_t *s = m->settings;
    uint32_t ttm = s[CFG_MOUSE_TIME_TO_MAX];
    if (i == 0) return s[CFG_MOUSE_MOVE_DELTA] > 127u ? 127u : (uint8_t)s[CFG_MOUSE_MOVE_DELTA];
    uint32_t p = (i << 8) / (ttm ? ttm : 1u), sq = p > 255u ? 256u : (p * p & 0xFFFFu) >> 8;
    uint32_t q = (uint8_t)s[CFG_MOUSE_MAX_SPEED] * sq, plus = q >> 8, minus = (q + 255u) >> 8;
    plus = plus >= 127u ? 127u : plus + 1u;
    minus = minus >= 127u ? 127u : minus + 1u;
    return (uint8_t)(plus | (minus != plus ? 0x80u : 0u));
}

/* Entry i of block w (0 cursor, 1 wheel): i < 3 the step with MS_ACL0/1/2, then the curve.
 * Accelerated and combined (and the wheel in inertia mode): move_delta before the first repeat,
 * growing linearly to move_delta * max_speed over time_to_max repeats; MS_ACL0/1/2 a quarter,
 * half, all of it (combined: 1 px and 127 for ACL0 and ACL2); the wheel's delta is 1.
 * Kinetic: index 0 before a repeat (the initial speed, not limited by base), then 1 + t; MS_ACL0
 * and ACL2 fix the decelerated and accelerated speeds, ACL1 does nothing.
 * Constant: the offset at each speed (unmod, ACL0, ACL1, ACL2; the firmware picks the speed). */
static uint8_t entry(const cfg_model_t *m, uint8_t w, uint32_t i)
{
    const uint16_t *s = m->settings;
    uint32_t d = w ? 1u : (uint8_t)s[CFG_MOUSE_MOVE_DELTA];
    if (!w && s[CFG_MOUSE_MODE] == CFG_MOUSE_INERTIA) return inertia_entry(m, i);
    if (s[CFG_MOUSE_MODE] == CFG_MOUSE_CONSTANT) { /* no ACL entries; the offset per speed */
        uint16_t v = i < 3 ? 0 : s[(w ? CFG_MOUSE_W_OFFSET_UNMOD : CFG_MOUSE_C_OFFSET_UNMOD) + 2u * (i - 3u)];
        return (uint8_t)(v > 127u ? 127u : v);
    }
    if (s[CFG_MOUSE_MODE] == CFG_MOUSE_KINETIC) {
        if (i == 1) return 0;
        if (i == 0) return kin_entry(m, w, s[w ? CFG_MOUSE_WHEEL_DECELERATED_MOVEMENTS : CFG_MOUSE_DECELERATED_SPEED]);
        if (i == 2) return kin_entry(m, w, s[w ? CFG_MOUSE_WHEEL_ACCELERATED_MOVEMENTS : CFG_MOUSE_ACCELERATED_SPEED]);
        if (i == 3) return kin_entry(m, w, s[w ? CFG_MOUSE_WHEEL_INITIAL_MOVEMENTS : CFG_MOUSE_INITIAL_SPEED]);
        return kin_entry(m, w, kin_speed(m, w, i - 4u));
    }
    uint32_t full = d * (uint8_t)s[w ? CFG_MOUSE_WHEEL_MAX_SPEED : CFG_MOUSE_MAX_SPEED];
    uint32_t ttm = (uint8_t)s[w ? CFG_MOUSE_WHEEL_TIME_TO_MAX : CFG_MOUSE_TIME_TO_MAX];
    bool combined = s[CFG_MOUSE_MODE] == CFG_MOUSE_COMBINED;
    if (i == 0) return combined ? 1u : step_of(full / 4u);
    if (i == 1) return step_of(full / 2u);
    if (i == 2) return combined ? 127u : step_of(full);
    if (i == 3) return step_of(d);
    uint32_t rep = i - 3u;
    return step_of(rep >= ttm ? full : full * rep / ttm);
}

/* Block w's length: up to where the curve stops changing (the firmware holds the last entry). */
static uint32_t block_len(const cfg_model_t *m, uint8_t w)
{
    uint32_t n;
    if (!w && m->settings[CFG_MOUSE_MODE] == CFG_MOUSE_INERTIA) {
        uint32_t ttm = m->settings[CFG_MOUSE_TIME_TO_MAX];
        n = 1u + (ttm > 127u ? 127u : ttm); /* velocities 0 .. time_to_max, and 4 at least */
        if (n < 4u) n = 4u;
    } else
    if (m->settings[CFG_MOUSE_MODE] == CFG_MOUSE_CONSTANT) {
        n = 3u + 4u; /* unmod, ACL0, ACL1, ACL2 */
    } else if (m->settings[CFG_MOUSE_MODE] == CFG_MOUSE_KINETIC) {
        uint32_t base = m->settings[w ? CFG_MOUSE_WHEEL_BASE_MOVEMENTS : CFG_MOUSE_BASE_SPEED], t = 0;
        while (t < KINETIC_STEPS_MAX && kin_speed(m, w, t) < base) t++;
        n = 4u + t + 1u;
    } else {
        uint32_t ttm = (uint8_t)m->settings[w ? CFG_MOUSE_WHEEL_TIME_TO_MAX : CFG_MOUSE_TIME_TO_MAX];
        n = 4u + (ttm ? ttm : 1u);
    }
    while (n > 4u && entry(m, w, n - 1u) == entry(m, w, n - 2u)) n--; /* (inertia: its entries) */
    return n;
}

static size_t mouse_table(const cfg_model_t *m, uint8_t *out, size_t cap, uint16_t *cursor_len)
{
    size_t n = 0;
    for (uint8_t w = 0; w < 2; w++) {
        uint32_t len = block_len(m, w);
        for (uint32_t i = 0; i < len; i++, n++)
            if (n < cap) out[n] = entry(m, w, i);
        if (!w) *cursor_len = (uint16_t)n;
    }
    return n;
}

/* A USB string descriptor (core/cfg.h USB_STRINGS) from UTF-8 text, so that the chip only
 * serves it: malformed bytes become U+FFFD, characters beyond the BMP too (they would need
 * surrogate pairs that some hosts mishandle); at most 126 characters, USB's limit. */
static void put_usb_string(wbuf *w, const char *s, size_t max)
{
    uint16_t u[126];
    unsigned n = 0;
    const uint8_t *p = (const uint8_t *)s, *end = p + strnlen(s, max - 1);
    while (p < end && n < 126u) {
        uint8_t b0 = *p++;
        uint16_t c = b0;
        if (b0 >= 0x80u) {
            /* 110xxxxx, 1110xxxx and 1111xxxx lead 1, 2 and 3 more bytes; 10xxxxxx is no lead */
            uint8_t m = 0x40u, more = 0;
            while ((b0 & m) && more < 3u) {
                more++;
                m >>= 1;
            }
            c &= (uint8_t)(m - 1u);
            bool bad = !more;
            while (more--) {
                if (p == end || (*p & 0xC0u) != 0x80u) {
                    bad = true;
                    break;
                }
                if (c > 0x3FFu) bad = true; /* past U+FFFF */
                c = (uint16_t)(c << 6 | (*p++ & 0x3Fu));
            }
            if (bad || (c & 0xF800u) == 0xD800u) c = 0xFFFDu;
        }
        u[n++] = c;
    }
    put8(w, (uint8_t)(2u + 2u * n));
    put8(w, 3); /* STRING */
    for (unsigned i = 0; i < n; i++) put16(w, u[i]);
}

/* Sections always written; the optional ones (KEY_OVERRIDES, KEY_CANCEL, COMBOS, TAP_DANCES, MOUSE) follow only when they have
 * entries, so a config without them costs nothing (the ATmega32U4's fallback image sits in its
 * flash). */
enum { NSEC = 13 };

/* US layout: ASCII 0x20-0x7E -> keyboard usage, bit 7 = with Shift (CFG_MOP_SHIFTED). */
static const uint8_t ascii_key[95] = {
    0x2C, 0x9E, 0xB4, 0xA0, 0xA1, 0xA2, 0xA4, 0x34, 0xA6, 0xA7, 0xA5, 0xAE,
    0x36, 0x2D, 0x37, 0x38, 0x27, 0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24,
    0x25, 0x26, 0xB3, 0x33, 0xB6, 0x2E, 0xB7, 0xB8, 0x9F, 0x84, 0x85, 0x86,
    0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x91, 0x92,
    0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x2F,
    0x31, 0x30, 0xA3, 0xAD, 0x35, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A,
    0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
    0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0xAF, 0xB1, 0xB0, 0xB5,
};

uint8_t cfg_macro_key(char c)
{
    unsigned char u = (unsigned char)c;
    if (c == '\n') return KC_ENTER;
    if (c == '\t') return KC_TAB;
    /* (the loader lets no other byte through; one would be a step that does nothing, as before) */
    return u >= 0x20 && u < 0x7F ? ascii_key[u - 0x20] : CFG_MOP_BEEP;
}

int cfg_macro_char(uint8_t b)
{
    if (b == KC_ENTER) return '\n';
    if (b == KC_TAB) return '\t';
    for (unsigned i = 0; i < sizeof ascii_key; i++)
        if (ascii_key[i] == b) return (int)(0x20 + i);
    return -1;
}

size_t cfg_image_write(const cfg_model_t *m, uint8_t *out, size_t cap)
{
    unsigned npos = (unsigned)m->rows * m->cols;
    if (m->rows == 0 || m->cols == 0 || m->rows > CFG_MAX_ROWS || m->cols > CFG_MAX_COLS ||
        npos > CFG_MAX_POSITIONS || m->layers == 0 || m->layers > CFG_MAX_LAYERS ||
        m->nkeys > CFG_MAX_KEYS || m->nperkey > CFG_MAX_PERKEY ||
        m->nencoders > CFG_MAX_ENCODERS || m->nmacros > CFG_MAX_MACROS ||
        m->macro_len > CFG_MAX_MACRO_BYTES || m->nleader > CFG_MAX_LEADER ||
        m->nunicode > CFG_MAX_UNICODE_MAP || m->nko > CFG_MAX_KEY_OVERRIDES ||
        m->nkcancel > CFG_MAX_KEY_CANCEL || m->ncombos > CFG_MAX_COMBOS ||
        (m->ncombos && npos + m->ncombos >= CFG_POS_NONE) || m->ntap_dances > CFG_MAX_TAP_DANCES)
        return 0;

    wbuf w = {out, cap, 0, false};
    put32(&w, CFG_MAGIC);
    put16(&w, CFG_VERSION);
    bool mouse = mouse_used(m);
    unsigned nsec = NSEC + (m->nko ? 1u : 0u) + (m->nkcancel ? 1u : 0u) + (m->ncombos ? 1u : 0u) +
                    (m->ntap_dances ? 1u : 0u) + (mouse ? 1u : 0u);
    put16(&w, (uint16_t)nsec);
    put32(&w, 0); /* size, patched */
    put32(&w, 0); /* crc, patched */
    size_t table = w.pos;
    for (unsigned i = 0; i < nsec * CFG_SECTION_ENTRY_SIZE; i++) put8(&w, 0);

    unsigned sec = 0;
    size_t start = 0;
#define BEGIN() (start = w.pos)
#define END(id, count)                                                              \
    do {                                                                            \
        size_t e = table + sec++ * CFG_SECTION_ENTRY_SIZE;                          \
        if (w.pos > CFG_MAX_IMAGE) return 0;                                        \
        if (e + 7 < cap) {                                                          \
            out[e] = (uint8_t)(id);                                                 \
            out[e + 1] = 0;                                                         \
        }                                                                           \
        patch16(&w, e + 2, (uint16_t)start);                                        \
        patch16(&w, e + 4, (uint16_t)(w.pos - start));                              \
        patch16(&w, e + 6, (uint16_t)(count));                                      \
    } while (0)

    BEGIN();
    put8(&w, m->processor);
    put8(&w, m->bootloader);
    put8(&w, m->rows);
    put8(&w, m->cols);
    put8(&w, m->layers);
    put8(&w, m->diode);
    put8(&w, m->matrix_kind);
    put8(&w, m->flags);
    put16(&w, m->nkeys);
    put16(&w, m->io_delay_us);
    put16(&w, m->vid);
    put16(&w, m->pid);
    put16(&w, m->bcd);
    put8(&w, m->poll_ms);
    put8(&w, m->max_power_half);
    put8(&w, m->nencoders);
    put8(&w, m->dev_board);
    put16(&w, 0);
    END(CFG_SEC_INFO, 1);

    BEGIN();
    if (m->matrix_kind == CFG_MATRIX_DIRECT) {
        for (unsigned p = 0; p < npos; p++) put8(&w, m->direct_pins[p]);
    } else {
        for (unsigned r = 0; r < m->rows; r++) put8(&w, m->row_pins[r]);
        for (unsigned c = 0; c < m->cols; c++) put8(&w, m->col_pins[c]);
    }
    END(CFG_SEC_PINS, 1);

    BEGIN();
    for (unsigned k = 0; k < m->nkeys; k++) put8(&w, m->layout[k]);
    END(CFG_SEC_LAYOUT, m->nkeys);

    BEGIN();
    for (unsigned p = 0; p < npos; p++) put8(&w, m->hand[p]);
    END(CFG_SEC_HAND, npos);

    BEGIN();
    for (unsigned l = 0; l < m->layers; l++)
        for (unsigned p = 0; p < npos; p++) put16(&w, m->keymap[l][p]);
    END(CFG_SEC_KEYMAP, m->layers);

    BEGIN();
    for (unsigned i = 0; i < CFG_SETTING_COUNT; i++) put16(&w, m->settings[i]);
    END(CFG_SEC_SETTINGS, CFG_SETTING_COUNT);

    BEGIN();
    for (unsigned i = 0; i < m->nperkey; i++) {
        put16(&w, m->perkey[i].kc);
        put8(&w, m->perkey[i].id);
        put8(&w, 0);
        put16(&w, m->perkey[i].value);
    }
    END(CFG_SEC_PERKEY, m->nperkey);

    BEGIN();
    put_str(&w, m->name, sizeof m->name);
    put_str(&w, m->manufacturer, sizeof m->manufacturer);
    put_str(&w, m->keymap_name, sizeof m->keymap_name);
    END(CFG_SEC_STRINGS, 3);

    BEGIN();
    /* the names the firmware showed when a keyboard had none */
    put_usb_string(&w, m->manufacturer[0] ? m->manufacturer : "Kestrel", sizeof m->manufacturer);
    put_usb_string(&w, m->name[0] ? m->name : "Kestrel keyboard", sizeof m->name);
    /* The device and configuration descriptors with the keyboard's IDs, power and polling
     * interval, which the ATmega32U4 serves as they are (usb/usb_desc_tmpl.h). */
    static const uint8_t usb_tmpl[] = {USB_TMPL_BYTES};
    for (unsigned i = 0; i < sizeof usb_tmpl; i++) {
        uint8_t b = usb_tmpl[i];
        unsigned k = i - USB_TMPL_IDS; /* idVendor, idProduct, bcdDevice: little-endian */
        if (k < 6u) {
            uint16_t v = k < 2u ? m->vid : k < 4u ? m->pid : m->bcd;
            b = (uint8_t)(k & 1u ? v >> 8 : v);
        }
        if (i == USB_TMPL_MAX_POWER) b = m->max_power_half ? m->max_power_half : 250u;
        if (i == USB_TMPL_POLL(USB_IF_KBD) || i == USB_TMPL_POLL(USB_IF_EXTRA))
            b = m->poll_ms ? m->poll_ms : 1u;
        put8(&w, b);
    }
    END(CFG_SEC_USB_STRINGS, 4);

    BEGIN();
    for (unsigned l = 0; l < m->layers; l++)
        for (unsigned e = 0; e < m->nencoders; e++) {
            put16(&w, m->enc_map[l][e][0]);
            put16(&w, m->enc_map[l][e][1]);
        }
    for (unsigned e = 0; e < m->nencoders; e++) {
        put8(&w, m->enc[e].pin_a);
        put8(&w, m->enc[e].pin_b);
        put8(&w, m->enc[e].resolution);
        put8(&w, 0);
    }
    END(CFG_SEC_ENCODERS, m->nencoders);

    BEGIN();
    {
        uint16_t head = (uint16_t)(2u * (m->nmacros + 1u));
        for (unsigned i = 0; i <= m->nmacros; i++)
            put16(&w, (uint16_t)(head + (m->nmacros ? m->macro_off[i] : 0)));
        /* the model's byte code (docs/keymap-format.md) with its text as typed keys, and the
         * delay and beep ops renumbered: the same length, so the offsets hold */
        for (unsigned i = 0; i < m->macro_len; i++) {
            uint8_t b = m->macro_bytes[i];
            if (b >= 1 && b <= 4) { /* an op with a u16 argument: copied as is */
                put8(&w, b == 4 ? CFG_MOP_DELAY : b);
                for (unsigned j = 0; j < 2 && i + 1 < m->macro_len; j++) put8(&w, m->macro_bytes[++i]);
            } else {
                put8(&w, cfg_macro_key((char)b)); /* (beep, 5, included) */
            }
        }
    }
    END(CFG_SEC_MACROS, m->nmacros);

    BEGIN();
    for (unsigned i = 0; i < m->nleader; i++) {
        for (unsigned k = 0; k < 5; k++) put16(&w, m->leader[i].seq[k]);
        put16(&w, m->leader[i].result);
    }
    END(CFG_SEC_LEADER, m->nleader);

    BEGIN();
    for (unsigned i = 0; i < m->nunicode; i++) {
        put16(&w, (uint16_t)m->unicode_map[i]);
        put8(&w, (uint8_t)(m->unicode_map[i] >> 16));
    }
    END(CFG_SEC_UNICODE_MAP, m->nunicode);

    if (m->nko) {
        BEGIN();
        for (unsigned i = 0; i < m->nko; i++) {
            const cfg_key_override_t *o = &m->ko[i];
            put16(&w, o->trigger);
            put16(&w, o->replacement);
            put32(&w, o->layers);
            put8(&w, o->trigger_mods);
            put8(&w, o->negative_mods);
            put8(&w, o->suppressed_mods);
            put8(&w, o->options);
        }
        END(CFG_SEC_KEY_OVERRIDES, m->nko);
    }

    if (m->nkcancel) {
        BEGIN();
        for (unsigned i = 0; i < m->nkcancel; i++) {
            put16(&w, m->kcancel[i].a);
            put16(&w, m->kcancel[i].b);
            put8(&w, m->kcancel[i].mode);
            put8(&w, 0);
        }
        END(CFG_SEC_KEY_CANCEL, m->nkcancel);
    }

    if (m->ncombos) {
        BEGIN();
        for (unsigned i = 0; i < m->ncombos; i++) {
            const cfg_combo_def_t *c = &m->combos[i];
            if (c->nkeys < 2 || c->nkeys > CFG_COMBO_KEYS_MAX) return 0;
            put16(&w, c->result);
            put16(&w, c->term);
            put16(&w, c->idle);
            put32(&w, c->layers);
            put8(&w, c->flags);
            put8(&w, c->nkeys);
            for (unsigned k = 0; k < CFG_COMBO_KEYS_MAX; k++)
                put8(&w, k < c->nkeys ? c->keys[k] : CFG_POS_NONE);
        }
        END(CFG_SEC_COMBOS, m->ncombos);
    }

    if (m->ntap_dances) {
        BEGIN();
        for (unsigned i = 0; i < m->ntap_dances; i++) {
            const cfg_tap_dance_def_t *t = &m->tap_dances[i];
            put16(&w, t->on_tap);
            put16(&w, t->on_hold);
            put16(&w, t->on_double_tap);
            put16(&w, t->on_tap_hold);
            put16(&w, t->term);
        }
        END(CFG_SEC_TAP_DANCES, m->ntap_dances);
    }

    if (mouse) {
        BEGIN();
        uint16_t cursor_len = 0;
        size_t room = w.pos < w.cap ? w.cap - w.pos : 0;
        size_t n = mouse_table(m, w.out + (room ? w.pos : 0), room, &cursor_len);
        if (n > room) w.overflow = true;
        w.pos += n;
        END(CFG_SEC_MOUSE, cursor_len);
    }
#undef BEGIN
#undef END

    if (w.overflow || w.pos > CFG_MAX_IMAGE) return 0;
    uint32_t size = (uint32_t)w.pos;
    out[8] = (uint8_t)size;
    out[9] = (uint8_t)(size >> 8);
    out[10] = (uint8_t)(size >> 16);
    out[11] = (uint8_t)(size >> 24);
    uint32_t crc = cfg_crc32(0, out + 16, size - 16);
    for (int i = 0; i < 4; i++) out[12 + i] = (uint8_t)(crc >> (8 * i));
    return size;
}
