/* Repeat key (QK_REP) and alternate repeat key (QK_AREP), QMK's rules: the last key pressed is
 * remembered with the modifiers active then (modifier keys, layer keys, one-shot keys and held
 * dual-role keys are not "keys" for this; a tapped dual-role key counts as its tap keycode).
 * QK_REP presses it again with those modifiers added; QK_AREP presses its opposite from QMK's
 * default table (navigation, editing, media, mouse and a few Vim/Emacs hotkeys). Either works by
 * turning the held key into the keycode it sends, so every later feature sees that keycode and the
 * release undoes exactly the press. */
#include "core/engine_int.h"
#include "core/rom.h"

#if ENGINE_HAS_REPEAT_KEY
/* Pairs that swap both ways; first match wins (so W -> B, E -> B, B -> W, as QMK). */
static const uint8_t pairs_mod[][2] ROM_DATA = { /* with Ctrl, Alt or GUI */
    {0x09, 0x05}, {0x07, 0x18}, {0x11, 0x13}, {0x04, 0x08}, {0x12, 0x0C}, /* F B, D U, N P, A E, O I */
};
static const uint8_t pairs_plain[][2] ROM_DATA = { /* no mods or Shift only */
    {0x0D, 0x0E}, {0x0B, 0x0F}, {0x1A, 0x05}, {0x08, 0x05}, /* J K, H L, W B, E B */
};
static const uint8_t pairs_any[][2] ROM_DATA = {
    {KC_LEFT, KC_RIGHT}, {KC_UP, KC_DOWN}, {0x4A, 0x4D}, {0x4B, 0x4E}, /* Home End, PgUp PgDn */
    {KC_BACKSPACE, KC_DELETE}, {KC_LEFT_BRACKET, KC_RIGHT_BRACKET},
    {0xB6, 0xB7}, {0xAB, 0xAC}, {0xBB, 0xBC}, {0xA9, 0xAA}, {0xBD, 0xBE}, /* browser, media, volume, brightness */
    {QK_MOUSE_CURSOR_LEFT, QK_MOUSE_CURSOR_RIGHT}, {QK_MOUSE_CURSOR_UP, QK_MOUSE_CURSOR_DOWN},
    {QK_MOUSE_WHEEL_LEFT, QK_MOUSE_WHEEL_RIGHT}, {QK_MOUSE_WHEEL_UP, QK_MOUSE_WHEEL_DOWN},
};

static uint8_t opposite(const uint8_t (*t)[2], uint8_t n, uint8_t code)
{
    for (; n; n--, t++) {
        if (ROM_RD8(&(*t)[0]) == code) return ROM_RD8(&(*t)[1]);
        if (ROM_RD8(&(*t)[1]) == code) return ROM_RD8(&(*t)[0]);
    }
    return 0;
}

/* QMK's get_alt_repeat_key_keycode() default: the remembered key's opposite, keeping its mods. */
__attribute__((noinline)) static kc_t alt_keycode(kc_t kc, uint8_t mods8)
{
    uint8_t m5 = (uint8_t)(((mods8 & 0xF0u) ? 0x10u : 0u) | ((mods8 | mods8 >> 4) & 0x0Fu));
    if (kc > 0xFFu) {
        m5 |= QK_MODS_GET_MODS(kc);
        kc = QK_MODS_GET_BASIC(kc);
    }
    uint8_t alt;
    if (m5 & (MOD_LCTL | MOD_LALT | MOD_LGUI))
        alt = opposite(pairs_mod, sizeof pairs_mod / sizeof pairs_mod[0], (uint8_t)kc);
    else
        alt = opposite(pairs_plain, sizeof pairs_plain / sizeof pairs_plain[0], (uint8_t)kc);
    if (!alt) alt = opposite(pairs_any, sizeof pairs_any / sizeof pairs_any[0], (uint8_t)kc);
    return alt ? KC_MODS(m5, alt) : KC_NO;
}

/* The keycode a press leaves as "the last key", or KC_NO when it leaves it alone. */
static kc_t rememberable(kc_t kc, uint8_t count)
{
    if (eng_is_mt_or_lt(kc)) return count ? (uint8_t)kc : KC_NO;
    if (kc > QK_MODS_MAX) return KC_NO; /* layer, one-shot and quantum keys */
    uint8_t code = (uint8_t)kc;
    if (code <= KC_TRNS || IS_MODIFIER_KC(code)) return KC_NO;
    return kc;
}

bool eng_rep_press(engine_t *e, engine_held_t *k)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    kc_t kc = k->kc;
    if (kc != QK_REPEAT_KEY && kc != QK_ALT_REPEAT_KEY) {
        kc_t last = rememberable(kc, k->count & ENGINE_REC_COUNT);
        if (last) {
            m->rep_kc = last;
            m->rep_mods = (uint8_t)(E->real_mods | E->weak_mods | E->os_mods);
        }
        return false;
    }
    if (!m->rep_kc) return true;
    if (kc == QK_REPEAT_KEY) {
        k->kc = m->rep_kc;
        /* the remembered mods, on top of the current ones, go with the key and after it */
        k->aux = (uint8_t)(m->rep_mods & ~E->real_mods);
        E->weak_mods |= k->aux;
    } else {
        k->kc = alt_keycode(m->rep_kc, m->rep_mods);
        k->aux = 0;
        if (!k->kc) return true;
    }
    k->count &= (uint8_t)~ENGINE_REC_COUNT;
    eng_trace(e, ENGINE_TRACE_REPEAT, k->pos, k->kc, kc == QK_ALT_REPEAT_KEY, CFG_POS_NONE);
    return false;
}
#endif
