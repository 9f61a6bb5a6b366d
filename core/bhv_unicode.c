/* Unicode input: UC(cp), and UM(i) / UP(i,j) with the keymap's unicode_map, typed with the key
 * sequences QMK sends for each input mode (macOS Unicode Hex Input, Linux IBus Ctrl+Shift+U,
 * Windows HexNumpad, WinCompose, Emacs), and the mode keys UC_NEXT .. UC_EMAC.
 * UC and UM/UP share the keycodes 0x8000-0xFFFF: a config with a unicode_map means UM/UP (QMK's
 * UNICODEMAP), one without means UC (QMK's UNICODE); the loader rejects a keymap that mixes them. */
#include "core/engine_int.h"
#include "core/rom.h"

#if ENGINE_HAS_UNICODE

#define KEY_U 0x18u /* KC_U */
#define KEY_X 0x1Bu /* KC_X */
#define KEY_8 0x25u /* KC_8 */
#define LED_NUM_LOCK  0x01u
#define LED_CAPS_LOCK 0x02u

/* unicode.selected_modes: the i-th mode of the list, or 0xFF past its end */
static uint8_t selected(const engine_t *e, uint8_t i)
{
    uint8_t m = (uint8_t)(eng_cfg(e, CFG_UNICODE_SELECTED_MODES) >> (3u * i) & 7u);
    return i < 5 && m && m <= CFG_UC_MODE_COUNT ? (uint8_t)(m - 1u) : 0xFFu;
}

static uint8_t nselected(const engine_t *e)
{
    uint8_t n = 0;
    while (selected(e, n) != 0xFFu) n++;
    return n;
}

/* QMK keeps the mode in EEPROM; Kestrel starts from unicode.input_mode, or the first selected mode
 * when the list does not hold it. */
void eng_unicode_init(engine_t *e)
{
    uint16_t m = eng_cfg(e, CFG_UNICODE_INPUT_MODE);
    e->uc_mode = m < CFG_UC_MODE_COUNT ? (uint8_t)m : CFG_UC_MACOS;
    e->uc_index = 0;
    uint8_t i = 0, s;
    for (; (s = selected(e, i)) != 0xFFu; i++)
        if (s == e->uc_mode) {
            e->uc_index = i;
            return;
        }
    if (i) e->uc_mode = selected(e, 0);
}

/* ---- the input sequence, as byte code for the player ------------------------------------------- */
/* Each mode's sequence as a template: player byte code, with these marks filled in by
 * eng_unicode_compile. */
enum {
    T_IF_CAPS = 0xF0, /* the next 3 bytes (a tap) only when Caps Lock is on */
    T_IF_NO_NUM,      /* the next 3 bytes only when Num Lock is off */
    T_DELAY,          /* unicode.type_delay as an ENG_OP_DELAY, when not 0 */
    T_HEX,            /* the code point's hex digits */
    T_END
};
#define TAP3(kc) ENG_OP_TAP, (uint8_t)(kc), (uint8_t)((kc) >> 8)
/* Alt held by the player: LALT(KC_NO) down and up (its own mods go out, the usage is none) */
#define ALT_DOWN ENG_OP_DOWN, 0x00, (uint8_t)(KC_MODS(MOD_LALT, KC_NO) >> 8)
#define ALT_UP   ENG_OP_UP, 0x00, (uint8_t)(KC_MODS(MOD_LALT, KC_NO) >> 8)

/* QMK's sequences: macOS holds Alt (Unicode Hex Input); Linux taps Ctrl+Shift+U and ends with a
 * space, with Caps Lock off meanwhile (or Ctrl+Shift+U would come out shifted); Windows
 * (HexNumpad) holds Alt over KP+ and the digits, with Num Lock on; BSD has no start sequence;
 * WinCompose taps Right Alt, u; Emacs C-x 8 RET. */
static const uint8_t templates[] ROM_DATA = {
    /* CFG_UC_MACOS */
    ENG_OP_MASK, ALT_DOWN, T_DELAY, T_HEX, ALT_UP,
    ENG_OP_UNMASK, T_END,
    /* CFG_UC_LINUX */
    T_IF_CAPS, TAP3(KC_CAPS_LOCK), ENG_OP_MASK, TAP3(KC_MODS(MOD_LCTL | MOD_LSFT, KEY_U)), T_DELAY,
    T_HEX, KC_SPACE, T_IF_CAPS, TAP3(KC_CAPS_LOCK), ENG_OP_UNMASK, T_END,
    /* CFG_UC_WINDOWS */
    ENG_OP_MASK, T_IF_NO_NUM, TAP3(KC_NUM_LOCK), ALT_DOWN, T_DELAY,
    TAP3(KC_KP_PLUS), T_DELAY, T_HEX, ALT_UP, T_IF_NO_NUM, TAP3(KC_NUM_LOCK),
    ENG_OP_UNMASK, T_END,
    /* CFG_UC_BSD */
    ENG_OP_MASK, T_DELAY, T_HEX, ENG_OP_UNMASK, T_END,
    /* CFG_UC_WINCOMPOSE */
    ENG_OP_MASK, TAP3(KC_RIGHT_ALT), KEY_U, T_DELAY, T_HEX, KC_ENTER, ENG_OP_UNMASK, T_END,
    /* CFG_UC_EMACS */
    ENG_OP_MASK, TAP3(KC_MODS(MOD_LCTL, KEY_X)), KEY_8, KC_ENTER, T_DELAY, T_HEX, KC_ENTER, ENG_OP_UNMASK, T_END,
};

/* The longest sequence (Windows: Num Lock on and off around Alt, KP+ and four keypad digits, two
 * delays) is 35 bytes: the buffer holds every one, so the writes below need no bound. */
_Static_assert(ENGINE_SEQ_BUF >= 35, "a unicode input sequence fits the player's buffer");

static uint8_t *put3(uint8_t *p, uint8_t op, uint16_t v)
{
    p[0] = op;
    p[1] = (uint8_t)v;
    p[2] = (uint8_t)(v >> 8);
    return p + 3;
}

/* Hex digits as QMK's register_hex32 sends them: leading zeros dropped, but never fewer than four
 * digits; HexNumpad types 0-9 on the keypad. */
_Static_assert(KC_0 == KC_1 + 9u && KC_KP_0 == KC_KP_1 + 9u && KC_0 < 0x40u && KC_A + 5u < 0x40u &&
               (KC_KP_1 & 0x40u) != 0u && (KC_KP_0 & 0x40u) != 0u, "digit usages in a row; the keypad's beyond 6 bits");
static uint8_t *hex(uint8_t *p, uint8_t hi, uint16_t lo, bool numpad)
{
    /* hi:lo <= 0x10FFFF (the caller checks): six digits, three bytes, the top two digits dropped
     * when 0; byte by byte, as 32-bit shifts are dear on AVR */
    uint8_t b[3] = {hi, (uint8_t)(lo >> 8), (uint8_t)lo};
    for (uint8_t i = hi ? hi >> 4 ? 0 : 1 : 2; i < 6; i++) {
        uint8_t x = b[i >> 1], d = i & 1u ? x & 15u : x >> 4;
        /* (typed keys, core/cfg.h: 1-9 then 0, and a-f, are usages in a row; so are the keypad's
         * 1-9 then 0, but beyond a typed key's 6 bits: tapped) */
        uint8_t u = (uint8_t)(d >= 10 ? KC_A - 10u + d : (numpad ? KC_KP_1 : KC_1) + (d ? d - 1u : 9u));
        if (u & 0x40u) p = put3(p, ENG_OP_TAP, u);
        else *p++ = u;
    }
    return p;
}

/* Out of line: inlined into the player's loop it costs the ATmega32U4 image 24 bytes more. */
__attribute__((noinline)) uint8_t eng_unicode_compile(engine_t *e, uint8_t hi, uint16_t lo)
{
    uint8_t *p = e->seq.buf;
    uint8_t mode = e->uc_mode;
    bool caps = (e->host_leds & LED_CAPS_LOCK) != 0, num = (e->host_leds & LED_NUM_LOCK) != 0;
    uint16_t delay = eng_cfg(e, CFG_UNICODE_TYPE_DELAY);
    /* QMK types nothing for these */
    if (hi > 0x10u || (hi && mode == CFG_UC_WINDOWS)) return 0;

    const uint8_t *t = templates;
    /* (uc_mode is always a mode: eng_unicode_init, uc_mode_press) */
    for (uint8_t m = mode; m; t++)
        if (ROM_RD8(t) == T_END) m--;
    for (uint8_t c; (c = ROM_RD8(t)) != T_END; t++) {
        if (c == T_IF_CAPS || c == T_IF_NO_NUM) {
            if (c == T_IF_CAPS ? !caps : num) t += 3;
        } else if (c == T_DELAY) {
            if (delay) p = put3(p, ENG_OP_DELAY, delay);
        } else if (c == T_HEX) {
            if (hi && mode == CFG_UC_MACOS) { /* UTF-16 surrogate pair */
                /* (cp - 0x10000) >> 10 and & 0x3FF, in 16 bits: cp >> 8 fits them */
                p = hex(p, 0, (uint16_t)(0xD800u - 0x40u + ((uint16_t)(hi << 8 | lo >> 8) >> 2)), false);
                p = hex(p, 0, (uint16_t)(0xDC00u + (lo & 0x3FFu)), false);
            } else {
                p = hex(p, hi, lo, mode == CFG_UC_WINDOWS);
            }
        } else {
            *p++ = c;
        }
    }
    return (uint8_t)(p - e->seq.buf);
}

/* ---- UC() UM() UP(): type on press ----------------------------------------------------------------- */
static void unicode_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    kc_t kc = k->kc;
    const cfg_t *c = ENG_CFG(e);
    uint16_t n = c->count[CFG_SEC_UNICODE_MAP]; /* (no map: 0) */
    uint16_t lo = kc & 0x7FFFu;
    uint8_t hi = 0;
    if (n) {
        uint16_t i = kc & 0x3FFFu;
        if (kc >= QK_UNICODEMAP_PAIR) {
            /* UP(i, j): j when Shift (any kind, one-shot included) xor Caps Lock, as QMK */
            uint8_t mods = (uint8_t)(e->real_mods | e->weak_mods | e->os_mods);
            bool shift = (mods & MOD_MASK_SHIFT) != 0, caps = (e->host_leds & LED_CAPS_LOCK) != 0;
            i = shift != caps ? (kc >> 7) & 0x7Fu : kc & 0x7Fu;
        }
        if (i >= n) return; /* the loader does not let this happen */
        const uint8_t *p = c->base + c->off[CFG_SEC_UNICODE_MAP] + 3u * i;
        lo = cfg_rd16(p);
        hi = CFG_RD8(p + 2);
    }
    eng_seq_push(e, ENG_JOB_UNICODE, lo, hi);
}

static void nothing(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    (void)e;
    (void)k;
}

ENG_BHV_DEFINE(unicode, unicode_press, nothing)

/* ---- UC_NEXT UC_PREV (cycle through unicode.selected_modes; Shift reverses), UC_MAC .. UC_EMAC ---- */
static void uc_mode_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    kc_t kc = k->kc;
    if (kc >= QK_UNICODE_MODE_MACOS) {
        e->uc_mode = (uint8_t)(kc - QK_UNICODE_MODE_MACOS);
    } else {
        uint8_t n = nselected(e);
        if (!n) return; /* QMK: without UNICODE_SELECTED_MODES the cycle keys do nothing */
        bool forward = (kc == QK_UNICODE_MODE_NEXT) != ((e->real_mods & MOD_MASK_SHIFT) != 0);
        uint8_t i = (uint8_t)(e->uc_index + (forward ? 1u : n - 1u)); /* uc_index < n: below 2n */
        e->uc_index = i >= n ? (uint8_t)(i - n) : i;
        e->uc_mode = selected(e, e->uc_index);
    }
    eng_trace(e, ENGINE_TRACE_UNICODE_MODE, k->pos, kc, e->uc_mode, CFG_POS_NONE);
}

ENG_BHV_DEFINE(uc_mode, uc_mode_press, nothing)

#endif /* ENGINE_HAS_UNICODE */
