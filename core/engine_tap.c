/* The tap-hold stage: decides whether a dual-role key (MT, LT, TT, OSM, OSL) was tapped or held,
 * holding back later events in the waiting buffer until it knows. The rules are QMK's (tapping
 * term with "strictly less than", permissive hold, hold on other key press, quick tap, chordal
 * hold, flow tap; the order in which buffered events replay), plus ZMK's flavours and
 * require-prior-idle. Every option is read per key (the dual-role keycode's override, else global).
 *
 * States: no key being decided (tk.pos == CFG_POS_NONE); a key pressed and undecided (count 0);
 * pressed and decided tap (count > 0, e.g. a quick-tap repeat); released after a tap (it may be
 * tapped again within the quick tap term, counting taps). */
#include <string.h>

#include "core/engine_int.h"

#define OPT_PERMISSIVE 0x01u
#define OPT_HOOKP      0x02u /* hold on other key press */
#define OPT_TAP_ON_TERM 0x04u /* ZMK tap-unless-interrupted: tap when the term runs out */
#define OPT_CHORDAL    0x08u

#define FLOW_TAP_MAX 500u

/* ---- small queries ------------------------------------------------------------------------ */
static bool tk_active(const engine_t *e) { return e->tk.pos != CFG_POS_NONE; }
static bool is_tk(const engine_t *e, const engine_rec_t *r) { return r->pos == e->tk.pos; }

static bool within(ktime_t t, ktime_t from, uint16_t term)
{
    return (ktime_t)(t - from) < term; /* events are never older than the key they are compared to */
}

static bool within_term(const engine_t *e, const engine_rec_t *r)
{
    return within(r->time, e->tk.time, e->tk_term);
}

static bool within_quick_tap(const engine_t *e, const engine_rec_t *r)
{
    uint16_t q = eng_setting(e, CFG_QUICK_TAP_TERM, e->tk_kc);
    if (q == CFG_SAME_AS_TERM || q > e->tk_term) q = e->tk_term; /* QMK caps it at the term */
    return within(r->time, e->tk.time, q);
}

static bool is_tap_rec(const engine_t *e, const engine_rec_t *r)
{
    return eng_is_tap_hold_kc(eng_keymap_lookup(e, r->pos));
}

/* Is there, in the buffer, the opposite edge of this event's key (its press, for a release)? */
static bool typed(const engine_t *e, const engine_rec_t *r)
{
    const engine_t *E = ENG_SELF_AT(e, tk);
    for (uint8_t i = 0; i < E->nwait; i++)
        if (E->wait[i].pos == r->pos &&
            ((E->wait[i].flags ^ r->flags) & ENGINE_REC_PRESSED))
            return true;
    return false;
}

/* The buffer's front event, taken out of it (the waiting buffer's one way out). */
engine_rec_t eng_wait_pop(engine_t *e)
{
    engine_t *E = ENG_SELF_AT(e, tk);
    engine_rec_t r = E->wait[0];
    E->nwait--;
    memmove(&E->wait[0], &E->wait[1], E->nwait * sizeof E->wait[0]);
    return r;
}

ENG_SHARED void clear_tk(engine_t *e)
{
    e->tk.pos = CFG_POS_NONE;
    e->tk.flags = 0;
}

void eng_tap_reset(engine_t *e)
{
    clear_tk(e);
    e->nwait = 0;
    e->drain_pending = 0;
}

/* Make r the key being decided and read its options once. */
static void set_tk(engine_t *e, const engine_rec_t *r, bool announce)
{
    kc_t kc = eng_keymap_lookup(e, r->pos);
    e->tk = *r;
    e->tk_kc = kc;
    e->tk_term = eng_setting(e, CFG_TAPPING_TERM, kc);
    uint8_t o = 0;
    switch (eng_setting(e, CFG_TAPPING_FLAVOR, kc)) {
    case CFG_FLAVOR_HOLD_PREFERRED: o = OPT_HOOKP; break;
    case CFG_FLAVOR_BALANCED: o = OPT_PERMISSIVE; break;
    case CFG_FLAVOR_TAP_PREFERRED: o = 0; break;
    case CFG_FLAVOR_TAP_UNLESS_INTERRUPTED: o = OPT_HOOKP | OPT_TAP_ON_TERM; break;
    default:
        if (eng_setting(e, CFG_PERMISSIVE_HOLD, kc)) o |= OPT_PERMISSIVE;
        if (eng_setting(e, CFG_HOLD_ON_OTHER_KEY_PRESS, kc)) o |= OPT_HOOKP;
        break;
    }
    if (eng_is_mt_or_lt(kc) && eng_setting(e, CFG_CHORDAL_HOLD, kc)) o |= OPT_CHORDAL;
    e->tk_opts = o;
    if (announce) eng_trace(e, ENGINE_TRACE_TAPHOLD_PRESSED, r->pos, kc, e->tk_term, CFG_POS_NONE);
}

static void decide(engine_t *e, const engine_rec_t *r, kc_t kc, bool tap, uint16_t reason, uint8_t other)
{
    eng_trace(e, tap ? ENGINE_TRACE_TAPHOLD_TAP : ENGINE_TRACE_TAPHOLD_HOLD, r->pos, kc, reason, other);
}

/* The tapping key is settled: process its press (as hold when count is 0). */
static void settle_tk(engine_t *e, bool tap, uint16_t reason, uint8_t other)
{
    engine_t *E = ENG_SELF_AT(e, tk);
    if (tap) eng_rec_set_count(&E->tk, 1);
    decide(e, &E->tk, E->tk_kc, tap, reason, other);
    engine_rec_t k = E->tk;
    eng_process_record(e, &k);
}

/* ---- chordal hold ----------------------------------------------------------------------- */
/* May the dual-role key at th_pos (keycode th_kc) be held in a chord with the key at other_pos?
 * Opposite hands may; the same hand may not; '*' keys always may. */
static bool chord_ok(const engine_t *e, uint8_t th_pos, kc_t th_kc, uint8_t other_pos)
{
    if (!eng_is_mt_or_lt(th_kc) || !eng_setting(e, CFG_CHORDAL_HOLD, th_kc)) return true;
    uint8_t a = cfg_hand(ENG_CFG(e), th_pos), b = cfg_hand(ENG_CFG(e), other_pos);
    return a == CFG_HAND_ANY || b == CFG_HAND_ANY || a != b;
}

/* In a run of buffered presses after the tapping key, everything up to the last key that forms an
 * allowed chord with the key before it is held; the rest are taps. Returns the index of the first
 * tap (nwait when none is found; QMK's "one past the latest hold"). */
static uint8_t chordal_first_tap(const engine_t *e)
{
    uint8_t prev_pos = e->tk.pos, first = ENGINE_WAIT_MAX;
    kc_t prev_kc = e->tk_kc;
    for (uint8_t i = 0; i < e->nwait; i++) {
        const engine_rec_t *cur = &e->wait[i];
        kc_t cur_kc = eng_keymap_lookup(e, cur->pos);
        if (!eng_rec_pressed(cur) || !eng_is_mt_or_lt(prev_kc)) break;
        if (chord_ok(e, prev_pos, prev_kc, cur->pos)) first = i;
        prev_pos = cur->pos;
        prev_kc = cur_kc;
    }
    return first;
}

/* ---- flow tap and require-prior-idle: settle as tap on press, with no waiting ---------------- */
static bool is_flow_tap_key(const engine_t *e, kc_t kc)
{
    if (e->real_mods & (MOD_MASK_CTRL | MOD_MASK_GUI | MOD_BIT_LALT)) return false; /* hotkeys */
    if (eng_is_mt_or_lt(kc)) kc = (uint8_t)kc;
    return kc == KC_SPACE || (kc >= KC_A && kc <= KC_Z) || kc == KC_DOT || kc == KC_COMMA ||
           kc == KC_SEMICOLON || kc == KC_SLASH;
}

static bool settle_on_press(engine_t *e, engine_rec_t *r, ktime_t prev_time)
{
    kc_t kc = eng_keymap_lookup(e, r->pos);
    if (!eng_is_mt_or_lt(kc)) return false;
    uint16_t reason = 0;
    ktime_t idle = (ktime_t)(r->time - prev_time);
    if (e->flow_valid && idle < FLOW_TAP_MAX && is_flow_tap_key(e, kc) &&
        is_flow_tap_key(e, e->flow_prev_kc)) {
        uint16_t term = eng_setting(e, CFG_FLOW_TAP_TERM, kc);
        if (term > FLOW_TAP_MAX) term = FLOW_TAP_MAX;
        if (idle < term) reason = ENGINE_REASON_FLOW_TAP;
    }
    if (!reason && e->idle_valid) {
        uint16_t rpi = eng_setting(e, CFG_REQUIRE_PRIOR_IDLE, kc);
        ktime_t since = (ktime_t)(r->time - e->idle_prev_time);
        if (rpi && since < rpi) reason = ENGINE_REASON_PRIOR_IDLE;
    }
    if (!reason) return false;
    eng_rec_set_count(r, 1);
    decide(e, r, kc, true, reason, CFG_POS_NONE);
    eng_process_record(e, r);
    return true;
}

/* The waiting buffer's events taken out front first and processed, in one of three ways (one loop
 * for all, one copy on the ATmega32U4):
 * REPLAY_REGULAR: up to the first event of a dual-role key;
 * REPLAY_FLOW: the presses after a first tap; flow tap and require-prior-idle may settle the
 *   dual-role ones (prev: the time of the press before), up to the first that they do not;
 * REPLAY_CHORDAL: the first `holds` events held (chordal streak), then taps up to and including
 *   the press of `pos` (every dual-role key pressed before a same-hand key is a tap). */
enum { REPLAY_REGULAR, REPLAY_FLOW, REPLAY_CHORDAL };

static void replay(engine_t *e, uint8_t how, uint8_t holds, uint8_t pos, ktime_t prev)
{
    while (e->nwait) {
        engine_rec_t c = e->wait[0];
        bool pressed = eng_rec_pressed(&c), tap = is_tap_rec(e, &c), streak = holds != 0;
        if (how == REPLAY_REGULAR) {
            if (tap) return;
        } else if (how == REPLAY_FLOW) {
            if (!pressed) return;
            ktime_t t = c.time;
            if (tap) {
                if (!settle_on_press(e, &c, prev)) return;
                eng_wait_pop(e);
                prev = t;
                continue;
            }
            prev = t;
        } else if (streak) {
            holds--;
            if (pressed)
                decide(e, &c, eng_keymap_lookup(e, c.pos), false, ENGINE_REASON_CHORDAL_STREAK, pos);
        } else if (pressed && tap) {
            eng_rec_set_count(&c, 1);
            decide(e, &c, eng_keymap_lookup(e, c.pos), true, ENGINE_REASON_CHORDAL_SAME_HAND, pos);
        }
        eng_wait_pop(e);
        eng_process_record(e, &c);
        if (how == REPLAY_CHORDAL && !streak && c.pos == pos && pressed) return;
    }
}

/* A new tapping key from the buffer may already have its release buffered within its term. */
static void scan_tap(engine_t *e)
{
    if (eng_rec_count(&e->tk) || !eng_rec_pressed(&e->tk)) return;
    for (uint8_t i = 0; i < e->nwait; i++) {
        engine_rec_t *c = &e->wait[i];
        if (c->pos == e->tk.pos && !eng_rec_pressed(c) && within_term(e, c)) {
            eng_rec_set_count(c, 1);
            settle_tk(e, true, ENGINE_REASON_NEXT_TAP_KEY, CFG_POS_NONE);
            return;
        }
    }
}

/* Releases that come while a key is being decided, of keys pressed before it, are processed at
 * once, except modifiers and layer keys, which must stay in effect until the decision (QMK). */
bool eng_release_must_wait(engine_t *e, const engine_rec_t *r)
{
    engine_held_t *h = eng_held_find(e, r->pos);
    kc_t kc = h ? h->kc : eng_keymap_lookup(e, r->pos);
    uint8_t count = h ? (h->count & ENGINE_REC_COUNT) : eng_rec_count(r);
    if (kc <= 0xFFu) return IS_MODIFIER_KC(kc);
    if (KC_IN(kc, QK_MODS, QK_MODS_MAX)) {
        uint8_t code = QK_MODS_GET_BASIC(kc);
        return code == KC_NO || IS_MODIFIER_KC(code);
    }
    if (KC_IN(kc, QK_MOD_TAP, QK_MOD_TAP_MAX))
        return (QK_MOD_TAP_GET_MODS(kc) && count == 0) || IS_MODIFIER_KC(QK_MOD_TAP_GET_TAP(kc));
    if (KC_IN(kc, QK_ONE_SHOT_MOD, QK_ONE_SHOT_MOD_MAX)) return count == 0;
    if (KC_IN(kc, QK_LAYER_TAP, QK_LAYER_TAP_MAX)) return true;
    return KC_IN(kc, QK_MOMENTARY, QK_MOMENTARY_MAX);
}

/* A dual-role key pressed with no key being decided, after a tap, or (held) while a key decided
 * tap is still down. Flow tap and require-prior-idle may settle it at once, except in the last
 * case; else it becomes the key being decided. */
static void new_tap_key(engine_t *e, engine_rec_t *r, bool held)
{
    engine_t *E = ENG_SELF_AT(e, tk);
    if (held) {
        if (eng_rec_count(&E->tk) > 1) {
            /* a repeating quick-tap key lets go of its tap keycode when the next dual-role key starts */
            engine_rec_t rel = {r->time, E->tk.pos, (uint8_t)(E->tk.flags & ~ENGINE_REC_PRESSED)};
            eng_process_record(e, &rel);
        }
    } else if (settle_on_press(e, r, E->flow_prev_time)) {
        clear_tk(e); /* (nothing to clear when no key was being decided) */
        return;
    }
    set_tk(e, r, true);
    scan_tap(e);
}

/* ---- the state machine ---------------------------------------------------------------------- */
static bool pressed_undecided(engine_t *e, engine_rec_t *r)
{
    bool pressed = eng_rec_pressed(r);
    uint8_t opts = e->tk_opts;

    if (is_tk(e, r) && !pressed) {
        /* first tap: released within the term */
        settle_tk(e, true, ENGINE_REASON_RELEASED_BEFORE_TERM, CFG_POS_NONE);
        r->flags = (uint8_t)((r->flags & ENGINE_REC_PRESSED) | (e->tk.flags & ~ENGINE_REC_PRESSED));
        /* Now that it is a tap, flow tap may settle the dual-role keys pressed after it. */
        replay(e, REPLAY_FLOW, 0, 0, e->tk.time);
        return false;
    }

    if ((opts & OPT_CHORDAL) && !pressed && typed(e, r) && !chord_ok(e, e->tk.pos, e->tk_kc, r->pos)) {
        /* a same-hand key tapped inside: the chord is a tap, and so is every dual-role key
         * pressed before that key */
        settle_tk(e, true, ENGINE_REASON_CHORDAL_SAME_HAND, r->pos);
        clear_tk(e);
        replay(e, REPLAY_CHORDAL, 0, r->pos, 0);
        return false;
    }

    if (!pressed && typed(e, r) && (opts & OPT_PERMISSIVE)) {
        settle_tk(e, false, ENGINE_REASON_PERMISSIVE_HOLD, r->pos);
        if (opts & OPT_CHORDAL) {
            uint8_t first = chordal_first_tap(e);
            replay(e, REPLAY_CHORDAL, first < ENGINE_WAIT_MAX ? first : 0, r->pos, 0);
        }
        clear_tk(e);
        return false;
    }

    if (!pressed && !typed(e, r)) {
        if (eng_release_must_wait(e, r)) return false;
        eng_process_record(e, r);
        return true;
    }

    if (pressed) {
        e->tk.flags |= ENGINE_REC_INTERRUPTED;
        if ((opts & OPT_CHORDAL) && !chord_ok(e, e->tk.pos, e->tk_kc, r->pos)) {
            e->tk.flags &= (uint8_t)~ENGINE_REC_INTERRUPTED;
            if (!is_tap_rec(e, r)) {
                settle_tk(e, true, ENGINE_REASON_CHORDAL_SAME_HAND, r->pos);
                clear_tk(e);
            }
        } else if (opts & OPT_HOOKP) {
            settle_tk(e, false, ENGINE_REASON_HOLD_ON_OTHER_KEY, r->pos);
            if ((opts & OPT_CHORDAL) && e->nwait && eng_rec_pressed(&e->wait[0]) && is_tap_rec(e, &e->wait[0])) {
                engine_rec_t next = eng_wait_pop(e);
                set_tk(e, &next, true);
            } else {
                clear_tk(e);
            }
            if (opts & OPT_CHORDAL) replay(e, REPLAY_REGULAR, 0, 0, 0);
        }
    }
    return false;
}

bool eng_tap_process(engine_t *e, engine_rec_t *r)
{
    bool is_event = r->pos != CFG_POS_NONE;
    bool pressed = eng_rec_pressed(r);

    /* A key settled as tap and still held releases as a tap (QMK's registered taps). */
    if (is_event && !pressed) {
        engine_held_t *h = eng_held_find(e, r->pos);
        if (h && (h->count & ENGINE_REC_COUNT)) eng_rec_set_count(r, h->count & ENGINE_REC_COUNT);
    }

    bool held = false; /* the key being decided is down, decided tap */
    if (tk_active(e)) {
        if (eng_rec_pressed(&e->tk)) {
            bool in_term = within_term(e, r);
            if (eng_rec_count(&e->tk) == 0) {
                if (in_term) return is_event ? pressed_undecided(e, r) : true;
                /* past the term */
                if (e->tk_opts & OPT_TAP_ON_TERM) {
                    settle_tk(e, true, ENGINE_REASON_TERM_EXPIRED_TAP, CFG_POS_NONE);
                    return false; /* stays the tapping key: pressed, decided tap */
                }
                settle_tk(e, false, ENGINE_REASON_TERM_EXPIRED, CFG_POS_NONE);
                clear_tk(e);
                return false;
            }
            /* decided tap, still held (quick-tap repeat, tap-unless-interrupted), within its term
             * or past it: one body, only its own release differs */
            if (is_event && is_tk(e, r) && !pressed) {
                if (in_term) r->flags = (uint8_t)(e->tk.flags & ~ENGINE_REC_PRESSED);
                else eng_rec_set_count(r, eng_rec_count(&e->tk));
                eng_process_record(e, r);
                if (in_term) e->tk = *r; /* released after a tap: counts further taps */
                else clear_tk(e);
                return true;
            }
            held = true;
        } else {
            /* released after a tap: the term counts from the release */
            if (!within_term(e, r)) {
                clear_tk(e);
                return false;
            }
            if (is_event && pressed) {
                if (is_tk(e, r)) {
                    if (within_quick_tap(e, r) && !(e->tk.flags & ENGINE_REC_INTERRUPTED) && eng_rec_count(&e->tk)) {
                        uint8_t n = eng_rec_count(&e->tk);
                        eng_rec_set_count(r, n < 15 ? (uint8_t)(n + 1) : 15);
                        decide(e, r, e->tk_kc, true, ENGINE_REASON_QUICK_TAP, CFG_POS_NONE);
                        eng_process_record(e, r);
                        set_tk(e, r, false);
                        return true;
                    }
                    set_tk(e, r, true); /* a fresh press of the same key */
                    return true;
                }
                if (!is_tap_rec(e, r)) e->tk.flags |= ENGINE_REC_INTERRUPTED;
            }
        }
    }
    if (!is_event) return true;
    if (pressed && is_tap_rec(e, r)) new_tap_key(e, r, held);
    else eng_process_record(e, r);
    return true;
}
