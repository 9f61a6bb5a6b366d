/* Key overrides (keymap.json "key_overrides"), QMK's rules: a trigger key pressed while the trigger
 * mods are held (and no negative mod, on one of the override's layers) sends the replacement
 * instead, with the suppressed mods kept out of the report; it ends when the trigger is released,
 * when a trigger mod is released (the trigger comes back after QMK's repeat delay, unless
 * no_reregister_trigger), or when another key is pressed (unless no_unregister_on_other_key_down).
 * Activation by a modifier's press or release sends the replacement after the same delays QMK
 * uses (500 ms after the trigger's press, or 50 ms). Unlike QMK, one-shot mods that trigger an
 * override are suppressed and used up like held ones. KO_ON / KO_OFF / KO_TOGG switch them. */
#include "core/engine_int.h"

#if ENGINE_HAS_KEY_OVERRIDE
#define KO_TOGG 0x7C5Du
#define KO_ON   0x7C5Eu
#define KO_OFF  0x7C5Fu

#define REPEAT_DELAY 500u /* QMK's KEY_OVERRIDE_REPEAT_DELAY */
#define MOD_DELAY    50u

enum { NONE, KEEP, SUPPRESS };

/* One record of the image (core/cfg.h), copied to RAM: every target is little-endian. */
typedef struct ko {
    kc_t trigger, repl;
    uint8_t layers[4], trig, neg, supp, opt;
} ko_t;
_Static_assert(sizeof(ko_t) == CFG_KO_SIZE && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "ko_t is the record");

__attribute__((noinline)) static void entry(const engine_t *e, uint8_t i, ko_t *o)
{
    CFG_COPY(o, ENG_CFG(e)->base + ENG_CFG(e)->off[CFG_SEC_KEY_OVERRIDES] + CFG_KO_SIZE * i, CFG_KO_SIZE);
}

static bool mods_match(const ko_t *o, uint8_t mods)
{
    uint8_t trig = o->trig, neg = o->neg, opt = o->opt;
    if (neg & mods) return false;
    if (!trig) return true;
    if (opt & CFG_KO_ONE_MOD) return (trig & mods) != 0;
    /* every trigger mod, on either side when both sides are named */
    uint8_t need = (trig | trig >> 4) & 0x0Fu, have = trig & mods;
    return ((have | have >> 4) & 0x0Fu) == need;
}

__attribute__((noinline)) static void defer(engine_t *e, uint8_t code, uint8_t trigger_flag)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    m->ko_flags = (uint8_t)((m->ko_flags & ~ENG_KO_DEFER_TRIGGER) | trigger_flag);
    /* like a key held and then a modifier pressed: the host would wait its repeat delay */
    if ((ktime_t)(E->now - m->ko_last_time) < REPEAT_DELAY) m->ko_defer_at = m->ko_last_time + REPEAT_DELAY;
    else m->ko_defer_at = E->now + MOD_DELAY;
    m->ko_deferred = code;
}

static void deactivate(engine_t *e, bool reregister)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    if (!m->ko_active) return;
    ko_t o;
    entry(e, (uint8_t)(m->ko_active - 1u), &o);
    uint8_t trigger = (uint8_t)o.trigger, code = (uint8_t)o.repl;
    m->ko_deferred = 0;
    m->ko_suppressed = 0;
    m->ko_weak = 0;
    if (code) eng_unregister_code(e, code);
    if (reregister && !(o.opt & CFG_KO_NO_REREGISTER) && (m->ko_flags & ENG_KO_TRIGGER_DOWN) && trigger)
        defer(e, trigger, ENG_KO_DEFER_TRIGGER);
    eng_send_kbd(e);
    m->ko_active = 0;
    m->ko_flags &= (uint8_t)~ENG_KO_TRIGGER_DOWN;
    eng_trace(e, ENGINE_TRACE_KEY_OVERRIDE, CFG_POS_NONE, KC_NO, 0, CFG_POS_NONE);
}

static uint8_t try_activate(engine_t *e, kc_t kc, uint8_t pos, bool down, bool is_mod, uint8_t mods)
{
    engine_mods_t *m = &e->mods;
    uint8_t n = (uint8_t)ENG_CFG(e)->count[CFG_SEC_KEY_OVERRIDES], layer;
    eng_keymap_lookup_at(e, pos, &layer); /* QMK checks the override's layers against it */
    /* the activation this event is (the same for every override) */
    uint8_t act = is_mod ? (down ? CFG_KO_REQUIRED_MOD_DOWN : CFG_KO_NEGATIVE_MOD_UP) : CFG_KO_TRIGGER_DOWN;
    for (uint8_t i = 0; i < n; i++) {
        ko_t o;
        entry(e, i, &o);
        uint8_t opt = o.opt;
        uint8_t acts = (opt & CFG_KO_DEFAULT) ? (opt & CFG_KO_DEFAULT) : CFG_KO_DEFAULT;
        kc_t trigger = o.trigger;
        if (!(opt & CFG_KO_ENABLED) || !(o.layers[layer >> 3] & eng_code_bit(layer))) continue;
        if (!(acts & act)) continue;
        if (m->ko_active == i + 1u || !mods_match(&o, mods)) continue;
        bool trigger_down = trigger == kc && down;
        if (!(trigger == KC_NO || trigger_down || m->ko_last_kc == trigger)) continue;

        deactivate(e, false);
        m->ko_active = (uint8_t)(i + 1u);
        m->ko_flags |= ENG_KO_TRIGGER_DOWN;
        m->ko_suppressed = o.supp;
        eng_trace(e, ENGINE_TRACE_KEY_OVERRIDE, pos, trigger, m->ko_active, CFG_POS_NONE);
        if (!trigger_down && trigger) eng_unregister_code(e, (uint8_t)trigger);
        kc_t repl = o.repl;
        uint8_t code = (uint8_t)repl;
        m->ko_weak = repl > 0xFFu ? kc_mods5_to_bits(QK_MODS_GET_MODS(repl)) : 0;
        /* a replacement's own modifiers go first, in a report of their own (SPEC §6); suppressed
         * mods go in the same report as the replacement key, as in QMK */
        if (m->ko_weak || is_mod || !code) eng_send_kbd(e);
        if (code) {
            if (is_mod) defer(e, code, 0);
            else eng_register_code(e, code);
        }
        return trigger_down ? SUPPRESS : KEEP;
    }
    return NONE;
}

bool eng_ko_event(engine_t *e, engine_held_t *k, bool pressed)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    kc_t kc = k->kc;
    if (pressed && KC_IN(kc, KO_TOGG, KO_OFF)) {
        uint8_t op = (uint8_t)(kc - KO_TOGG); /* TOGG ON OFF */
        bool off = op == 2 || (op == 0 && !(m->ko_flags & ENG_KO_OFF));
        m->ko_flags = (uint8_t)((m->ko_flags & ~ENG_KO_OFF) | (off ? ENG_KO_OFF : 0));
        if (off) deactivate(e, false);
        return true;
    }
    if (!ENG_CFG(e)->count[CFG_SEC_KEY_OVERRIDES] || (m->ko_flags & ENG_KO_OFF)) return false;

    bool is_mod = kc <= 0xFFu && IS_MODIFIER_KC(kc);
    uint8_t mods = E->real_mods | E->os_mods;
    if (is_mod) {
        uint8_t bit = eng_code_bit((uint8_t)kc);
        mods = pressed ? (uint8_t)(mods | bit) : (uint8_t)(mods & ~bit);
    } else if (pressed) {
        m->ko_last_kc = kc;
        m->ko_last_time = E->now;
        m->ko_deferred = 0;
    } else if (kc == m->ko_last_kc || kc == m->ko_deferred) {
        /* the key that was sending input is up, or the trigger waiting to be sent again: nothing
         * registers later (QMK checks only the former, and can leave the trigger down for good) */
        if (kc == m->ko_last_kc) m->ko_last_kc = 0;
        m->ko_deferred = 0;
    }

    uint8_t r = (is_mod || pressed) ? try_activate(e, kc, k->pos, pressed, is_mod, mods) : NONE;
    if (r == NONE && m->ko_active) {
        ko_t o;
        entry(e, (uint8_t)(m->ko_active - 1u), &o);
        if (is_mod) {
            if (!mods_match(&o, mods)) deactivate(e, true);
        } else if ((kc == o.trigger && !pressed) || (pressed && !(o.opt & CFG_KO_NO_UNREG_ON_OTHER))) {
            if (!pressed) m->ko_flags &= (uint8_t)~ENG_KO_TRIGGER_DOWN;
            deactivate(e, false);
        }
    }
    return r == SUPPRESS;
}

void eng_ko_task(engine_t *e)
{
    engine_t *E = ENG_SELF(e);
    engine_mods_t *m = &E->mods;
    if (m->ko_deferred && !ktime_before(E->now, m->ko_defer_at)) {
        uint8_t code = (uint8_t)m->ko_deferred;
        m->ko_deferred = 0;
        eng_register_code(e, code);
        if (!(m->ko_flags & ENG_KO_DEFER_TRIGGER)) return;
        /* The trigger is down again, so its release must take it out: also when its press went
         * to the override (replaced) or to auto shift (tapped at once), which would otherwise
         * keep that release from the key's behaviour and leave the trigger in the report. */
        for (uint8_t i = 0; i < E->nheld; i++)
            if (E->held[i].kc == code) E->held[i].count &= (uint8_t)~ENG_HELD_HOOKED;
    }
}
#endif
