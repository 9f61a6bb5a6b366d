/* HID report state: modifiers (real, weak, one-shot), the key set in 6KRO or NKRO form, consumer and
 * system usages. A report goes to the sink only when it differs from the last one of its kind. */
#include <string.h>

#include "core/engine_int.h"
#include "core/hid_usage.h"

#define KRO6_LIMIT 6u

#ifdef __AVR__ /* a helper with several callers, which LTO copied into each there */
#define ENG_NOINLINE_AVR __attribute__((noinline))
#else
#define ENG_NOINLINE_AVR
#endif

#ifdef __AVR__
__attribute__((noinline)) uint8_t eng_code_bit(uint8_t code)
{
    uint8_t m = 1; /* an 8-bit loop */
    for (code &= 7u; code; code--) m = (uint8_t)(m << 1);
    return m;
}
#endif

static inline bool key_bit(const engine_t *e, uint8_t code)
{
    return (e->kbd.keys[code >> 3] & eng_code_bit(code)) != 0;
}

static void add_key(engine_t *e, uint8_t code)
{
    engine_t *E = ENG_SELF_AT(e, nkro);
    if (key_bit(e, code)) return;
    /* 6KRO as QMK builds it: a new key takes a free slot; with six taken it is dropped, not queued,
     * and it stays dropped even when a slot frees up (its release then does nothing). */
    if (!E->nkro && E->nkeys >= KRO6_LIMIT) {
        eng_trace(e, ENGINE_TRACE_KEY_DROPPED_6KRO, CFG_POS_NONE, code, 0, CFG_POS_NONE);
        return;
    }
    E->kbd.keys[code >> 3] |= eng_code_bit(code);
    E->nkeys++;
}

static void del_key(engine_t *e, uint8_t code)
{
    if (!key_bit(e, code)) return;
    e->kbd.keys[code >> 3] &= (uint8_t)~eng_code_bit(code);
    e->nkeys--;
}

bool eng_oneshot_timed_out(const engine_t *e, const ktime_t *since, ktime_t now)
{
    uint16_t timeout = eng_cfg(e, CFG_ONESHOT_TIMEOUT);
    return timeout && (ktime_t)(now - *since) >= timeout;
}

bool eng_oneshot_mods_expired(const engine_t *e, ktime_t now)
{
    return e->os_mods && eng_oneshot_timed_out(e, &e->os_mods_time, now);
}

void eng_clear_oneshot_mods(engine_t *e)
{
    e->os_mods = 0;
}

void eng_add_oneshot_mods(engine_t *e, uint8_t mods)
{
    engine_t *E = ENG_SELF_AT(e, now);
    if ((E->os_mods & mods) != mods) {
        e->os_mods_time = E->now;
        E->os_mods |= mods;
        eng_trace(e, ENGINE_TRACE_ONESHOT_MODS, CFG_POS_NONE, KC_NO, E->os_mods, CFG_POS_NONE);
    }
}

ENG_NOINLINE_AVR void eng_del_oneshot_mods(engine_t *e, uint8_t mods)
{
    engine_t *E = ENG_SELF_AT(e, now);
    if (E->os_mods & mods) {
        E->os_mods &= (uint8_t)~mods;
        e->os_mods_time = E->now;
    }
}

#if ENGINE_HAS_PLAYER && defined(__AVR__)
__attribute__((noinline)) void eng_seq_count_report(engine_t *e)
{
    e->seq.reports++;
}
#endif

void eng_send_kbd(engine_t *e)
{
    uint8_t mods = (uint8_t)(e->real_mods | e->weak_mods);
    if (e->os_mods) {
        if (eng_oneshot_mods_expired(e, e->now)) {
            eng_trace(e, ENGINE_TRACE_ONESHOT_TIMEOUT, CFG_POS_NONE, KC_NO, e->os_mods, CFG_POS_NONE);
            e->os_mods = 0;
        }
        /* One-shot mods go out with the first report that carries a key, and are spent by it.
         * Unlike QMK they never go out alone (SPEC §6): a key-less report sent meanwhile (another
         * key's release) would show the host a modifier that nothing releases. */
        if (e->nkeys && e->os_mods) {
            mods |= e->os_mods;
            eng_trace(e, ENGINE_TRACE_ONESHOT_USED, CFG_POS_NONE, KC_NO, e->os_mods, CFG_POS_NONE);
            e->os_mods = 0;
        }
    }
    /* The sequence player's own mods (a typed capital's Shift) are its alone; while a unicode
     * sequence types, everyone else's are hidden (bhv_macro.c). Key overrides' suppressed and
     * added mods apply to everyone else's. */
    e->kbd.mods = eng_seq_mods(e, eng_mods_report(e, mods));
    const kbd_report_t *out = &e->kbd;
#if ENGINE_HAS_KEY_CANCEL
    /* The report sent is the state minus what key cancellation holds back (the state keeps both
     * keys of a pair, so the other one comes back when one is released). */
    kbd_report_t filtered;
    if (ENG_CFG(e)->count[CFG_SEC_KEY_CANCEL]) {
        filtered = e->kbd;
        eng_socd_filter(e, &filtered);
        out = &filtered;
    }
#endif
    if (memcmp(out, &e->kbd_sent, sizeof *out) == 0) return;
    e->kbd_sent = *out;
    eng_seq_count_report(e);
    if (ENG_SINK(e)->kbd) ENG_SINK(e)->kbd(ENG_CTX(e), &e->kbd_sent, e->now);
}

/* The consumer and the system report: one body for both (one copy on the ATmega32U4). */
ENG_SHARED void send_usage(engine_t *e, bool sys, uint16_t usage)
{
    uint16_t *last = sys ? &e->system : &e->consumer;
    if (usage == *last) return;
    *last = usage;
    eng_seq_count_report(e);
    void (*send)(void *ctx, uint16_t usage, ktime_t now) = sys ? ENG_SINK(e)->system : ENG_SINK(e)->consumer;
    if (send) send(ENG_CTX(e), usage, e->now);
}

void eng_consumer_send(engine_t *e, uint16_t usage)
{
    send_usage(e, false, usage);
}

void eng_system_send(engine_t *e, uint16_t usage)
{
    send_usage(e, true, usage);
}

/* Keys that appear in the report remember when they were last pressed, for require-prior-idle
 * (ZMK counts presses of non-modifier usages only). */
static void note_key_press(engine_t *e)
{
    e->idle_prev_time = e->rec_time;
    e->idle_valid = 1;
}

/* One body for both directions: the class tests and the report calls are shared on the
 * ATmega32U4. Usages outside every class do nothing. */
ENG_SHARED void set_code(engine_t *e, uint8_t code, bool down)
{
    if (IS_BASIC_KEYBOARD(code)) {
        if (down) {
            /* The same usage pressed again (another key, other mods): release it first so the
             * host sees a new press (QMK does the same). */
            if (key_bit(e, code)) {
                del_key(e, code);
                eng_send_kbd(e);
            }
            add_key(e, code);
            if (ENG_CFG(e)->count[CFG_SEC_KEY_CANCEL]) eng_socd_note_press(e, code);
            note_key_press(e);
        } else {
            del_key(e, code);
        }
        eng_send_kbd(e);
        return;
    }
    if (IS_MODIFIER_KC(code)) {
        eng_mods_set(e, &e->real_mods, eng_code_bit(code), down);
        return;
    }
    bool sys = IS_SYSTEM_KC(code), cons = IS_CONSUMER_KC(code), mouse = IS_MOUSE_KC(code);
    if (!(sys | cons | mouse)) return;
    if (down) note_key_press(e);
    if (mouse) {
        eng_mouse_key(e, code, down);
        eng_mouse_send(e);
    } else if (sys) {
        eng_system_send(e, down ? hid_usage_system(code) : 0);
    } else {
        eng_consumer_send(e, down ? hid_usage_consumer(code) : 0);
    }
}

void eng_register_code(engine_t *e, uint8_t code)
{
    set_code(e, code, true);
}

void eng_unregister_code(engine_t *e, uint8_t code)
{
    set_code(e, code, false);
}

void eng_flush_tap_release(engine_t *e)
{
    uint8_t code = e->tap_release;
    if (!code) return;
    e->tap_release = 0;
    eng_unregister_code(e, code);
}

/* QMK waits (blocking the whole keyboard) between a tapped key's press and release; here only the
 * release waits, and it goes out before any later event is processed, so nothing is reordered. */
void eng_release_tap(engine_t *e, uint8_t code)
{
    uint16_t delay = eng_cfg(e, code == KC_CAPS_LOCK ? CFG_TAP_HOLD_CAPS_DELAY : CFG_TAP_CODE_DELAY);
    eng_flush_tap_release(e);
    if (!delay || code == KC_NO) {
        eng_unregister_code(e, code);
        return;
    }
    e->tap_release = code;
    e->tap_release_at = e->now + delay;
}

void eng_tap_code(engine_t *e, uint8_t code)
{
    eng_register_code(e, code);
    eng_release_tap(e, code);
}

ENG_NOINLINE_AVR void eng_mods_set(engine_t *e, uint8_t *m, uint8_t mods, bool down)
{
    if (!mods) return;
    *m = (uint8_t)(down ? *m | mods : *m & ~mods);
    eng_send_kbd(e);
}

void eng_register_mods(engine_t *e, uint8_t mods)
{
    eng_mods_set(e, &e->real_mods, mods, true);
}

void eng_unregister_mods(engine_t *e, uint8_t mods)
{
    eng_mods_set(e, &e->real_mods, mods, false);
}

void eng_clear_keyboard(engine_t *e)
{
    e->tap_release = 0;
    e->real_mods = e->weak_mods = e->os_mods = e->os_locked_mods = 0;
    eng_seq_clear_mods(e);
    memset(e->kbd.keys, 0, sizeof e->kbd.keys);
    e->nkeys = 0;
    eng_system_send(e, 0);
    eng_consumer_send(e, 0);
    eng_send_kbd(e);
    eng_mouse_clear(e);
}
