/* Auto shift (QMK's rules): a letter, digit or symbol key sends nothing on press; released before
 * auto_shift.timeout it is tapped plain, held that long it is tapped with Shift (at the timeout);
 * another key's press settles it as plain first. auto_shift.repeat keeps a long-held key down
 * (the OS repeats it) and lets a tap-then-hold repeat the plain key. Retro shift gives dual-role
 * keys (MT, LT) the same treatment of their tap, and a hold released alone becomes a shifted tap.
 * AS_ON/AS_OFF/AS_TOGG switch it, AS_UP/AS_DOWN move the timeout by 5 ms, AS_RPT types it. */
#include "core/engine_int.h"

#if ENGINE_HAS_AUTO_SHIFT
#define AS_DOWN 0x7C10u /* QK_AUTO_SHIFT_DOWN ... QK_AUTO_SHIFT_TOGGLE, QMK's order */
#define AS_UP   0x7C11u
#define AS_RPT  0x7C12u
#define AS_ON   0x7C13u
#define AS_OFF  0x7C14u
#define AS_TOGG 0x7C15u

/* auto_shift.enabled at start (eng_mods_init), then as AS_ON / AS_OFF / AS_TOGG left it */
static bool enabled(const engine_t *e)
{
    return (e->mods.as_state & ENG_AS_ON) != 0;
}

/* auto_shift.timeout as AS_UP/AS_DOWN left it (eng_mods_init starts it from the setting) */
static uint16_t timeout(const engine_t *e)
{
    return e->mods.as_timeout;
}

/* QMK's default classes: alpha, numeric, special (Tab and - = [ ] \ # ; ' ` , . / and the ISO \) */
static bool eligible(const engine_t *e, uint8_t code)
{
    if (code >= KC_A && code <= KC_Z) return !eng_cfg(e, CFG_AUTO_SHIFT_NO_ALPHA);
    if (code >= KC_1 && code <= KC_0) return !eng_cfg(e, CFG_AUTO_SHIFT_NO_NUMERIC);
    if (code == KC_TAB || (code >= KC_MINUS && code <= KC_SLASH) || code == 0x64u)
        return !eng_cfg(e, CFG_AUTO_SHIFT_NO_SPECIAL);
    return false;
}

/* The weak Shift auto shift added goes, in a report of its own. */
static void shift_off(engine_t *e)
{
    engine_t *E = ENG_SELF(e);
    E->weak_mods &= (uint8_t)~MOD_BIT_LSHIFT;
    eng_send_kbd(e);
}

static void tap(engine_t *e, uint8_t code, bool shifted)
{
    engine_t *E = ENG_SELF(e);
    if (shifted) E->weak_mods |= MOD_BIT_LSHIFT;
    eng_register_code(e, code);
    eng_unregister_code(e, code);
    if (shifted) shift_off(e);
}

/* No key waits or repeats for auto shift any more. */
static void clear(engine_mods_t *m)
{
    m->as_pos = 0;
    m->as_state &= (uint8_t)~(ENG_AS_HELD | ENG_AS_SHIFT | ENG_AS_RETRO);
}

/* The waiting key is settled: by its release, another key's press, or the timer (by_timer). */
static void settle(engine_t *e, bool by_timer)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    uint8_t code = m->as_code;
    ktime_t held = (ktime_t)(E->now - m->as_time);
    bool shifted = (m->as_state & ENG_AS_SHIFT) || held >= timeout(e);
    if (m->as_state & ENG_AS_RETRO) {
        uint16_t limit = eng_cfg(e, CFG_AUTO_SHIFT_RETRO);
        if (limit != CFG_RETRO_SHIFT_ANY && held > limit) goto done; /* QMK: no tap at all */
    }
    eng_trace(e, ENGINE_TRACE_AUTO_SHIFT, (uint8_t)(m->as_pos - 1u), code, shifted, CFG_POS_NONE);
    m->as_last = code;
    m->as_last_time = E->now;
    m->as_state = (uint8_t)((m->as_state & ~ENG_AS_LAST_SHIFTED) | (shifted ? ENG_AS_LAST_SHIFTED : 0));
    if (by_timer && shifted && eng_cfg(e, CFG_AUTO_SHIFT_REPEAT)) {
        /* stays down (and shifted) until the key is released, so the host repeats it */
        E->weak_mods |= MOD_BIT_LSHIFT;
        eng_register_code(e, code);
        m->as_state |= ENG_AS_HELD | ENG_AS_SHIFT;
        return;
    }
    tap(e, code, shifted);
done:
    clear(m);
}

static bool waiting(const engine_mods_t *m)
{
    return m->as_pos && !(m->as_state & ENG_AS_HELD);
}

/* AS_RPT: t in decimal, most significant digit first (at most five levels deep). */
static void type_number(engine_t *e, uint16_t t)
{
    if (t >= 10u) type_number(e, t / 10u);
    uint8_t d = (uint8_t)(t % 10u);
    tap(e, d ? (uint8_t)(KC_1 + d - 1u) : KC_0, false);
}

static void control(engine_t *e, kc_t kc)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    bool on = enabled(e);
    uint8_t op = (uint8_t)(kc - AS_DOWN); /* QMK's order: DOWN UP RPT ON OFF TOGG */
    if (op == 0) {
        m->as_timeout = m->as_timeout > 5u ? (uint16_t)(m->as_timeout - 5u) : 0;
    } else if (op == 1) {
        if (m->as_timeout < 65530u) m->as_timeout += 5u;
    } else if (op == 2) {
        type_number(e, timeout(e));
        return;
    } else {
        on = op == 3 || (op == 5 && !on);
    }
    m->as_state = (uint8_t)((m->as_state & ~ENG_AS_ON) | (on ? ENG_AS_ON : 0));
    eng_trace(e, ENGINE_TRACE_AUTO_SHIFT_STATE, CFG_POS_NONE, kc, on ? timeout(e) : 0, CFG_POS_NONE);
}

bool eng_as_press(engine_t *e, engine_held_t *k, const engine_rec_t *r)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    kc_t kc = k->kc;
    if (KC_IN(kc, AS_DOWN, AS_TOGG)) {
        control(e, kc);
        return true;
    }
    if (kc > QK_LAYER_TAP_MAX || (kc > 0xFFu && !eng_is_mt_or_lt(kc)) || !enabled(e)) return false;
    uint8_t code = (uint8_t)kc, flags = 0;
    if (!eligible(e, code)) return false;
    if (eng_is_mt_or_lt(kc)) {
        if (!eng_cfg(e, CFG_AUTO_SHIFT_RETRO) || (k->count & ENGINE_REC_COUNT) == 0) return false;
        flags = ENG_AS_RETRO;
    }
    uint8_t mods = E->real_mods | E->os_mods;
    if (mods & ~MOD_MASK_SHIFT) return false; /* a shortcut: sent as it is */
    if (mods || (k->count & ENG_HELD_SHIFTED)) flags |= ENG_AS_SHIFT;
    if (k->count & ENG_HELD_SHIFTED) { /* caps word's Shift goes out with the key, when settled */
        E->weak_mods &= (uint8_t)~MOD_BIT_LSHIFT;
        k->count &= (uint8_t)~ENG_HELD_SHIFTED;
    }
    E->os_mods = 0; /* a one-shot Shift is used by this key */
    m->as_pos = (uint8_t)(k->pos + 1u);
    m->as_code = code;
    m->as_time = r->time;
    m->as_state = (uint8_t)((m->as_state & (ENG_AS_ON | ENG_AS_LAST_SHIFTED)) | flags);
    if (!(flags & ENG_AS_RETRO) && code == m->as_last && !(m->as_state & ENG_AS_LAST_SHIFTED) &&
        eng_cfg(e, CFG_AUTO_SHIFT_REPEAT) &&
        (ktime_t)(r->time - m->as_last_time) < eng_setting(e, CFG_TAPPING_TERM, kc)) {
        /* tap then hold: the plain key goes down at once and stays, for the host to repeat */
        if (flags & ENG_AS_SHIFT) E->weak_mods |= MOD_BIT_LSHIFT;
        eng_register_code(e, code);
        m->as_state |= ENG_AS_HELD;
    }
    return true;
}

/* Retro shift: a dual-role key held past its term is not a hold yet; it waits for another key
 * (then it is one) or its release alone (then it is a shifted tap). Runs before caps word, which
 * would end on a held Ctrl mod-tap: QMK does not decide the hold before either happens. */
bool eng_as_retro_hold(engine_t *e, engine_held_t *k, const engine_rec_t *r)
{
    engine_mods_t *m = &e->mods;
    if (!eng_is_mt_or_lt(k->kc) || (k->count & ENGINE_REC_COUNT) || !enabled(e) ||
        !eng_cfg(e, CFG_AUTO_SHIFT_RETRO) || !eligible(e, (uint8_t)k->kc))
        return false;
    m->as_retro_pos = (uint8_t)(k->pos + 1u);
    m->as_retro_time = r->time;
    return true;
}

/* Another key is pressed: the waiting key is settled, a waiting retro-shift hold is applied. */
void eng_as_interrupt(engine_t *e)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    if (m->as_retro_pos) {
        engine_held_t *h = eng_held_find(e, (uint8_t)(m->as_retro_pos - 1u));
        m->as_retro_pos = 0;
        if (h) {
            engine_held_t c = *h;
            engine_rec_t r = {E->now, c.pos, ENGINE_REC_PRESSED};
            c.count &= (uint8_t)~ENG_HELD_HOOKED;
            if (eng_cw_press(e, &c, &r)) {
                c.count |= ENG_HELD_HOOKED; /* a Shift taken by caps word's invert_on_shift */
            } else {
                c.aux = E->real_mods;
                eng_bhv_act(e, &c, true);
            }
            *h = c;
        }
    }
    if (waiting(m)) {
        settle(e, false);
    } else if (m->as_pos) {
        /* a repeating key stays down until its own release; auto shift is free for the next key */
        engine_held_t *h = eng_held_find(e, (uint8_t)(m->as_pos - 1u));
        if (h) h->count |= ENG_HELD_AS_DOWN;
        /* QMK: pressing another key while a shifted key repeats drops the Shift */
        if (m->as_state & ENG_AS_SHIFT) E->weak_mods &= (uint8_t)~MOD_BIT_LSHIFT;
        clear(m);
    }
}

bool eng_as_release(engine_t *e, engine_held_t *k)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    uint8_t pos1 = (uint8_t)(k->pos + 1u);
    if ((k->count & ENG_HELD_AS_DOWN) && (k->kc <= 0xFFu || eng_is_mt_or_lt(k->kc))) {
        eng_unregister_code(e, (uint8_t)k->kc);
        return true;
    }
    if (m->as_retro_pos == pos1) {
        m->as_retro_pos = 0;
        uint16_t limit = eng_cfg(e, CFG_AUTO_SHIFT_RETRO);
        if (limit != CFG_RETRO_SHIFT_ANY && (ktime_t)(E->now - m->as_retro_time) > limit) {
            /* held past retro_shift's limit: it was a hold after all (press, then the release) */
            k->count &= (uint8_t)~ENG_HELD_HOOKED;
            eng_bhv_act(e, k, true);
            return false;
        }
        engine_held_t t = {(uint8_t)k->kc, k->pos, 1, 0};
        engine_rec_t r = {E->now, k->pos, ENGINE_REC_PRESSED};
        eng_cw_press(e, &t, &r); /* caps word sees the tap keycode */
        E->weak_mods &= (uint8_t)~MOD_BIT_LSHIFT;
        eng_trace(e, ENGINE_TRACE_AUTO_SHIFT, k->pos, (uint8_t)k->kc, 1, CFG_POS_NONE);
        tap(e, (uint8_t)k->kc, true);
        return true;
    }
    if (m->as_pos != pos1) return false;
    if (m->as_state & ENG_AS_HELD) {
        eng_unregister_code(e, m->as_code);
        if (m->as_state & ENG_AS_SHIFT) shift_off(e);
        clear(m);
        m->as_last_time = E->now;
        return true;
    }
    settle(e, false);
    return true;
}

ktime_t eng_as_deadline(const engine_t *e)
{
    const engine_t *E = ENG_SELF(e);
    const engine_mods_t *m = &E->mods;
    if (!waiting(m) || (m->as_state & ENG_AS_RETRO)) return ENGINE_NO_DEADLINE;
    return ktime_deadline((ktime_t)(m->as_time + timeout(e)));
}

void eng_as_task(engine_t *e)
{
    ktime_t d = eng_as_deadline(e);
    if (d != ENGINE_NO_DEADLINE && !ktime_before(e->now, d)) settle(e, true);
}
#endif
