/* Caps word, with QMK's rules: while it is on, letters and '-' get a weak Shift; digits, Backspace,
 * Delete and '_' keep it on unshifted; layer keys and AltGr are ignored; any other key (or a held
 * Ctrl/Alt/GUI/Shift mod-tap, or a modifier other than Shift/AltGr) ends it. Settings: idle
 * timeout, both shifts / double-tapped left shift turn it on, invert on shift. */
#include "core/engine_int.h"
#include "core/rom.h"

#if ENGINE_HAS_CAPS_WORD
static void eng_cw_on(engine_t *e)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    if (m->cw & ENG_CW_ON) return;
    m->cw |= ENG_CW_ON;
    m->cw_time = E->now;
    /* QMK clears every modifier, held and one-shot, as caps word starts; the next report shows it
     * (no report of its own) */
    E->real_mods = 0;
    E->os_mods = 0;
    m->sc_kc = 0; /* a space cadet shift that turned it on must not type its parenthesis */
    eng_trace(e, ENGINE_TRACE_CAPS_WORD, CFG_POS_NONE, KC_NO, 1, CFG_POS_NONE);
}

static void eng_cw_off(engine_t *e)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    if (!(m->cw & ENG_CW_ON)) return;
    m->cw &= (uint8_t)~ENG_CW_ON;
    /* shifts held under invert_on_shift were kept out of the report: they count again */
    E->real_mods |= m->cw_held;
    m->cw_held = 0;
    E->weak_mods &= (uint8_t)~MOD_MASK_SHIFT;
    eng_trace(e, ENGINE_TRACE_CAPS_WORD, CFG_POS_NONE, KC_NO, 0, CFG_POS_NONE);
    eng_send_kbd(e);
}

/* The Shift a key stands for under invert_on_shift (QMK: plain, one-shot and held mod-tap
 * shifts), as a report bit; 0 for other keys. */
static uint8_t shift_key(kc_t kc, uint8_t count)
{
    if (kc == KC_LEFT_SHIFT || kc == KC_OSM(MOD_LSFT)) return MOD_BIT_LSHIFT;
    if (kc == KC_RIGHT_SHIFT || kc == KC_OSM(MOD_RSFT)) return MOD_BIT_RSHIFT;
    if (KC_IN(kc, QK_MOD_TAP, QK_MOD_TAP_MAX) && count == 0) {
        uint8_t m5 = QK_MOD_TAP_GET_MODS(kc);
        if (m5 == MOD_LSFT) return MOD_BIT_LSHIFT;
        if (m5 == MOD_RSFT) return MOD_BIT_RSHIFT;
    }
    return 0;
}

/* Keys caps word lets through without a decision: layer switches and AltGr (inclusive ranges, as
 * first, last pairs in one flat table: the loop steps a pointer through it). */
static const kc_t ignored_kc[] ROM_DATA = {
    QK_TO, QK_MOMENTARY_MAX, QK_TOGGLE_LAYER, QK_ONE_SHOT_LAYER_MAX,
    QK_LAYER_TAP_TOGGLE, QK_LAYER_TAP_TOGGLE_MAX, QK_TRI_LAYER_LOWER, QK_TRI_LAYER_UPPER,
    QK_LAYER_LOCK, QK_LAYER_LOCK, KC_RIGHT_ALT, KC_RIGHT_ALT, KC_OSM(MOD_RALT), KC_OSM(MOD_RALT),
};

static bool ignored(kc_t kc)
{
    for (const kc_t *r = ignored_kc; r < ignored_kc + sizeof ignored_kc / sizeof ignored_kc[0]; r += 2)
        if (kc >= ROM_RD16(r) && kc <= ROM_RD16(r + 1)) return true;
    return false;
}

bool eng_cw_press(engine_t *e, engine_held_t *k, const engine_rec_t *r)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    kc_t kc = k->kc;
    uint8_t n = k->count & ENGINE_REC_COUNT;
    bool on = (m->cw & ENG_CW_ON) != 0;

    if (kc == QK_CAPS_WORD_TOGGLE) {
        if (on) eng_cw_off(e);
        else eng_cw_on(e);
        return true;
    }
    if (!on) {
        if (eng_cfg(e, CFG_CAPS_WORD_DOUBLE_TAP_SHIFT)) {
            if (kc == KC_LEFT_SHIFT || kc == KC_OSM(MOD_LSFT)) {
                /* QMK: two presses of left Shift within the tapping term (press to press) */
                if ((m->cw & ENG_CW_DTAP) && ktime_before(r->time, m->cw_dtap_time)) eng_cw_on(e);
                m->cw |= ENG_CW_DTAP;
                m->cw_dtap_time = r->time + eng_setting(e, CFG_TAPPING_TERM, kc);
            } else {
                m->cw &= (uint8_t)~ENG_CW_DTAP;
            }
        }
        return false;
    }
    uint8_t sh = shift_key(kc, n);
    if (sh && eng_cfg(e, CFG_CAPS_WORD_INVERT_ON_SHIFT)) {
        /* the Shift is not sent: it inverts the shift of the keys typed while it is held */
        m->cw_held |= sh;
        m->cw_time = E->now;
        return true;
    }
    m->cw_time = E->now;
    if (!((E->real_mods | E->os_mods) & ~(MOD_MASK_SHIFT | MOD_BIT_RALT))) {
        if (ignored(kc)) return false;
        if (eng_is_mt_or_lt(kc)) {
            if (n == 0) {
                /* a held layer-tap or AltGr mod-tap is ignored; any other held mod-tap ends it */
                if (kc >= QK_LAYER_TAP || QK_MOD_TAP_GET_MODS(kc) == MOD_RALT) return false;
                eng_cw_off(e);
                return false;
            }
            kc = (uint8_t)kc; /* a tapped dual-role key counts as its tap keycode */
        }
        uint8_t shift = 0;
        if ((kc >= KC_A && kc <= KC_Z) || kc == KC_MINUS) shift = MOD_BIT_LSHIFT;
        else if (!((kc >= KC_1 && kc <= KC_0) || kc == KC_BACKSPACE || kc == KC_DELETE ||
                   kc == KC_MODS(MOD_LSFT, KC_MINUS)))
            goto off;
        if (m->cw_held) shift ^= MOD_BIT_LSHIFT;
        E->weak_mods = (uint8_t)((E->weak_mods & ~MOD_BIT_LSHIFT) | shift);
        if (shift) k->count |= ENG_HELD_SHIFTED;
        return false;
    }
off:
    eng_cw_off(e);
    return false;
}

bool eng_cw_release(engine_t *e, engine_held_t *k)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    if (m->cw & ENG_CW_ON) m->cw_time = E->now;
    if (!(k->count & ENG_HELD_HOOKED)) return false; /* (every release: before the Shift test) */
    uint8_t sh = shift_key(k->kc, k->count & ENGINE_REC_COUNT);
    if (!sh || m->as_retro_pos == k->pos + 1u) return false;
    /* a Shift taken by invert_on_shift: still kept out, or made real when caps word ended */
    if (m->cw_held & sh) {
        m->cw_held &= (uint8_t)~sh;
    } else {
        E->real_mods &= (uint8_t)~sh;
        eng_send_kbd(e);
    }
    return true;
}

/* Both shifts held (and nothing else) turn caps word on, as QMK's BOTH_SHIFTS_TURNS_ON_CAPS_WORD:
 * checked as each key event arrives, before it is processed, so it starts with the event after
 * the second Shift went down (usually the release of one of them). The caller (engine_mods.c)
 * calls it only then: caps word off, both shifts and nothing else held. */
void eng_cw_before(engine_t *e)
{
    if (eng_cfg(e, CFG_CAPS_WORD_BOTH_SHIFTS)) eng_cw_on(e);
}

ktime_t eng_cw_deadline(const engine_t *e)
{
    if (!(e->mods.cw & ENG_CW_ON)) return ENGINE_NO_DEADLINE; /* (asked often: the setting after) */
    uint16_t t = eng_cfg(e, CFG_CAPS_WORD_IDLE_TIMEOUT);
    return t ? ktime_deadline((ktime_t)(e->mods.cw_time + t)) : ENGINE_NO_DEADLINE;
}

void eng_cw_task(engine_t *e)
{
    ktime_t d = eng_cw_deadline(e);
    if (d != ENGINE_NO_DEADLINE && !ktime_before(e->now, d)) eng_cw_off(e);
}
#endif
