/* The engine's entry points and its processing pipeline: an event enters with its time, passes the
 * combo stage (engine_combo.c) and the tap-hold stage (engine_tap.c), is resolved to a keycode on the layer it is pressed on, and goes to
 * the behaviour of that keycode (core/bhv_*.c). Timers are deadlines the caller honours. */
#include <stddef.h>
#include <string.h>

#include "core/engine_int.h"
#include "core/rom.h"

#ifdef __AVR__
engine_t engine_avr;
cfg_t engine_avr_cfg;
#endif

/* ---- small helpers ---------------------------------------------------------------------- */
#ifndef ENGINE_NO_TRACE
void eng_trace(engine_t *e, uint8_t code, uint8_t pos, kc_t kc, uint16_t arg, uint8_t pos2)
{
    if (!ENG_SINK(e)->trace) return;
    engine_trace_t t = {e->now, code, pos, kc, arg, pos2};
    ENG_SINK(e)->trace(ENG_CTX(e), &t);
}
#endif

uint16_t eng_setting(const engine_t *e, enum cfg_setting_id id, kc_t kc)
{
    /* Per-key overrides exist only for keycodes listed in PERKEY; skip the scan when there are none. */
    return ENG_CFG(e)->count[CFG_SEC_PERKEY] ? cfg_setting_kc(ENG_CFG(e), id, kc) : eng_cfg(e, id);
}

#ifdef __AVR__
uint16_t eng_cfg(const engine_t *e, enum cfg_setting_id id)
{
    return cfg_setting(ENG_CFG(e), id);
}
#endif

#define before ktime_before

#ifdef __AVR__ /* one copy each there (engine_int.h); inline elsewhere */
ktime_t ktime_earliest(ktime_t a, ktime_t b) /* core/ktime.h */
{
    return ktime_earliest_inline(a, b);
}

__attribute__((noinline)) ktime_t ktime_deadline(ktime_t t) /* core/ktime.h */
{
    return ktime_deadline_inline(t);
}

ktime_t eng_due_at(ktime_t d, ktime_t t)
{
    return eng_earliest(d, ktime_deadline(t));
}
#endif

engine_held_t *eng_held_find(engine_t *e, uint8_t pos)
{
    engine_held_t *h = e->held, *end = h + e->nheld;
    for (; h < end; h++)
        if (h->pos == pos) return h;
    return NULL;
}

static void held_remove(engine_t *e, uint8_t pos)
{
    engine_held_t *h = eng_held_find(e, pos);
    if (!h) return;
    engine_held_t *end = &e->held[--e->nheld];
    memmove(h, h + 1, (size_t)((uint8_t *)end - (uint8_t *)h));
}

/* ---- process_record / process_action ------------------------------------------------------ */

/* Flow tap's "previous key": not moved by releases of modifiers and held layer keys, one-shot keys,
 * mod-only keycodes or held dual-role keys, nor while a tap-hold decision is pending. */
static void flow_update(engine_t *e, const engine_rec_t *r, kc_t kc, uint8_t count)
{
    engine_t *E = ENG_SELF_AT(e, tk);
    if (count == 0 && (E->nwait || (E->tk.pos != CFG_POS_NONE && eng_rec_pressed(&E->tk) &&
                                    eng_rec_count(&E->tk) == 0)))
        return;
    if (!eng_rec_pressed(r)) {
        if (IS_MODIFIER_KC(kc) || KC_IN(kc, QK_MOMENTARY, QK_MOMENTARY_MAX) ||
            KC_IN(kc, QK_LAYER_TAP_TOGGLE, QK_LAYER_TAP_TOGGLE_MAX) ||
            KC_IN(kc, QK_ONE_SHOT_MOD, QK_ONE_SHOT_MOD_MAX) ||
            KC_IN(kc, QK_ONE_SHOT_LAYER, QK_ONE_SHOT_LAYER_MAX))
            return;
        if (KC_IN(kc, QK_MODS, QK_MODS_MAX) && QK_MODS_GET_BASIC(kc) == KC_NO) return;
        if (eng_is_mt_or_lt(kc) && count == 0) return;
    }
    E->flow_prev_kc = kc;
    E->flow_prev_time = r->time;
    E->flow_valid = 1;
}

/* Does pressing this key use up an active one-shot layer? Modifiers, one-shot mods and held
 * mod-taps do not (so they can combine with it); everything else does. */
static bool uses_oneshot_layer(kc_t kc, uint8_t count)
{
    if (kc <= 0xFFu) return !IS_MODIFIER_KC(kc);
    if (KC_IN(kc, QK_MODS, QK_MODS_MAX)) return !IS_MODIFIER_KC(QK_MODS_GET_BASIC(kc));
    if (KC_IN(kc, QK_MOD_TAP, QK_MOD_TAP_MAX))
        return count != 0 && QK_MOD_TAP_GET_TAP(kc) > KC_TRNS && !IS_MODIFIER_KC(QK_MOD_TAP_GET_TAP(kc));
    if (KC_IN(kc, QK_ONE_SHOT_MOD, QK_ONE_SHOT_MOD_MAX)) return false;
    return true;
}

/* Layer keys switch layers themselves: they end a one-shot layer but are not released at once. */
static bool is_layer_action(kc_t kc, uint8_t count)
{
    if (KC_IN(kc, QK_LAYER_TAP, QK_LAYER_TAP_MAX)) return count == 0;
    return eng_is_layer_kc(kc);
}

/* entry: the key's place in held[] (a copy is worked on: the behaviours may move the entries). */
static void process_action(engine_t *e, const engine_rec_t *r, const engine_held_t *entry)
{
    engine_held_t k = *entry;
    bool pressed = eng_rec_pressed(r);
    uint8_t count = k.count & ENGINE_REC_COUNT;
    bool release_now = false;

    for (;;) {
        /* The modifier features (caps word, auto shift, key overrides, repeat key, ...) see the
         * event first; they may take it, or rewrite the keycode (repeat key). */
#ifdef __AVR__
        bool hooked = eng_mods_event(e, &k, r, pressed);
#else /* two calls: the compiler then knows the direction on each path (make bench-engine) */
        bool hooked = pressed ? eng_mods_event(e, &k, r, true) : eng_mods_event(e, &k, r, false);
#endif
        if (pressed && hooked) k.count |= ENG_HELD_HOOKED;

        if (pressed && eng_osl_state(e) && !e->os_disabled && uses_oneshot_layer(k.kc, count)) {
            eng_osl_clear_state(e, ENG_OSL_OTHER_PRESSED);
            release_now = !hooked && !eng_osl_state(e) && !is_layer_action(k.kc, count);
        }

        if (pressed) {
            if (!hooked) {
                if (eng_is_mt_or_lt(k.kc)) k.aux = e->real_mods; /* for retro tapping */
                eng_bhv_act(e, &k, true);
            }
            engine_held_t *h = eng_held_find(e, k.pos);
            if (h) *h = k; /* keep what press() recorded for release() */
        } else if (!hooked) {
            eng_bhv_act(e, &k, false);
        }

        /* Retro tapping (QMK): a dual-role key held past its term and released with no other key
         * pressed since its press sends its tap after releasing the hold, with the modifiers that
         * were held when its hold began. Releases of other keys meanwhile do not matter. (A key
         * released at once below is no dual-role key held: none of this applies to it.) */
        if (eng_is_mt_or_lt(k.kc) && count == 0 && !hooked) {
            if (pressed) {
                if (e->retro_pos == k.pos) e->retro_primed = 1;
            } else if (e->retro_primed && e->retro_pos == k.pos && eng_setting(e, CFG_RETRO_TAPPING, k.kc)) {
                uint8_t weak = e->weak_mods;
                eng_trace(e, ENGINE_TRACE_RETRO_TAP, k.pos, k.kc, k.aux, CFG_POS_NONE);
                e->weak_mods |= (uint8_t)(k.aux & ~e->real_mods);
                eng_register_code(e, (uint8_t)k.kc);
                e->weak_mods = weak;
                eng_release_tap(e, (uint8_t)k.kc);
            }
        }
        if (!pressed && k.pos == e->retro_pos) e->retro_primed = 0;
        eng_mods_after(e, &k, pressed);

        if (!pressed) {
            held_remove(e, k.pos);
            return;
        }
        if (!release_now) return;
        /* QMK: the key that used a one-shot layer is pressed and released in the same instant */
        pressed = false;
    }
}

void eng_process_record(engine_t *e, engine_rec_t *r)
{
    if (r->pos == CFG_POS_NONE) return;
    e->rec_time = r->time;
    if (eng_rec_pressed(r)) {
        if (eng_held_find(e, r->pos)) { /* a second press without release: release first */
            engine_rec_t rel = {r->time, r->pos, 0};
            eng_process_record(e, &rel);
            e->rec_time = r->time;
        }
        kc_t kc = eng_keymap_lookup(e, r->pos);
#if ENGINE_HAS_TAP_DANCE
        if (e->td_idx != 0xFFu && kc != KC_TD(e->td_idx)) {
            /* QMK: another key's press ends a tap dance first; it may have changed the layers */
            eng_td_interrupt(e);
            e->rec_time = r->time;
            e->weak_mods = 0; /* a held result's own mods do not apply to the interrupting key */
            kc = eng_keymap_lookup(e, r->pos);
        }
#endif
        flow_update(e, r, kc, eng_rec_count(r));
        if (eng_dm_recording(e)) eng_dm_record(e, r, kc);
        if (eng_leader_active(e) && eng_leader_take(e, kc)) return; /* the leader sequence took it */
        if (e->nheld >= ENGINE_HELD_MAX) {
            eng_trace(e, ENGINE_TRACE_KEY_DROPPED_HELD, r->pos, kc, 0, CFG_POS_NONE);
            return;
        }
        engine_held_t *h = &e->held[e->nheld++];
        h->kc = kc;
        h->pos = r->pos;
        h->count = r->flags & (ENGINE_REC_COUNT | ENGINE_REC_INTERRUPTED);
        h->aux = 0;
        process_action(e, r, h);
    } else {
        engine_held_t *h = eng_held_find(e, r->pos);
        if (!h) return; /* its press was dropped, taken by the leader key or already undone */
        if (eng_dm_recording(e)) eng_dm_record(e, r, h->kc);
        flow_update(e, r, h->kc, h->count & ENGINE_REC_COUNT);
        process_action(e, r, h);
    }
}

/* ---- the waiting buffer --------------------------------------------------------------------- */

/* Every held key released (the last pressed first), and no decision pending. */
static void release_held(engine_t *e)
{
    while (e->nheld) {
        engine_rec_t rel = {e->now, e->held[e->nheld - 1].pos, 0};
        eng_process_record(e, &rel);
    }
    eng_tap_reset(e);
}

/* Too many events waiting: undo every held key, drop the buffer and the pending decision and empty
 * every report. QMK clears the keyboard here too; releasing the held keys properly as well means no
 * layer or modifier can stay stuck. */
static void overflow(engine_t *e)
{
    eng_trace(e, ENGINE_TRACE_BUFFER_OVERFLOW, CFG_POS_NONE, KC_NO, e->nwait, CFG_POS_NONE);
    release_held(e);
    eng_clear_keyboard(e);
}

/* Replay what waited, in order, while the tap-hold stage accepts it. */
static void drain(engine_t *e)
{
    engine_t *E = ENG_SELF_AT(e, tk);
    E->drain_pending = 0;
    while (E->nwait) {
        engine_rec_t front = E->wait[0];
        uint8_t n = E->nwait;
        if (!eng_tap_process(e, &front)) {
            /* The front event was not taken; if the stage is now free, QMK takes it on its next
             * 1 ms tick. Keep the record updates the stage made (tap counts) when it is the same. */
            if (E->nwait == n) E->wait[0].flags = front.flags;
            if (E->tk.pos == CFG_POS_NONE || !eng_rec_pressed(&E->tk) || eng_rec_count(&E->tk))
                E->drain_pending = E->nwait != 0;
            return;
        }
        /* Consumed: it is the front unless the stage already took it out itself. */
        if (E->nwait == n) eng_wait_pop(e);
    }
}

void eng_exec(engine_t *e, uint8_t pos, bool pressed, ktime_t t)
{
    engine_rec_t r = {t, pos, (uint8_t)(pressed ? ENGINE_REC_PRESSED : 0)};
    bool is_event = pos != CFG_POS_NONE;
    if (pressed) {
        e->retro_pos = pos;
        e->retro_primed = 0;
    }
    if (pressed) e->weak_mods = 0; /* weak mods of an earlier key never leak into a new press */
    if (eng_osl_expired(e, t)) {
        eng_trace(e, ENGINE_TRACE_ONESHOT_TIMEOUT, CFG_POS_NONE, KC_NO,
                  (uint16_t)(0x100u | eng_osl_layer(e)), CFG_POS_NONE);
        eng_osl_clear_state(e, ENG_OSL_OTHER_PRESSED);
    }
    if (eng_oneshot_mods_expired(e, t)) {
        eng_trace(e, ENGINE_TRACE_ONESHOT_TIMEOUT, CFG_POS_NONE, KC_NO, e->os_mods, CFG_POS_NONE);
        eng_clear_oneshot_mods(e);
    }
    if (e->flow_valid && (ktime_t)(t - e->flow_prev_time) >= 500u) e->flow_valid = 0;
#if ENGINE_TIME_BITS > 16 /* 16 bits: eng_age() keeps the time from growing older than this */
    if (e->idle_valid && t - e->idle_prev_time > 0xFFFFu) e->idle_valid = 0;
#endif

    /* Events that wait for QMK's next 1 ms tick go before a new event: processing the new one
     * first could release a key whose press is still waiting. */
    while (is_event && e->drain_pending) drain(e);
    if (is_event) eng_flush_tap_release(e);

    e->drain_pending = 0;
    if (!eng_tap_process(e, &r) && is_event) {
        if (e->nwait >= ENGINE_WAIT_MAX) {
            overflow(e);
            return;
        }
        e->wait[e->nwait++] = r;
    }
    drain(e);
}

/* ---- the public API --------------------------------------------------------------------------- */

void engine_init(engine_t *e, const cfg_t *cfg, const engine_sink_t *sink, void *ctx)
{
    engine_t *E = ENG_SELF_AT(e, now);
    static const engine_sink_t no_sink = {NULL, NULL, NULL, NULL, NULL, NULL};
    memset(e, 0, sizeof *e);
    e->cfg = cfg;
    e->sink = sink ? sink : &no_sink;
    e->ctx = ctx;
    E->default_layer_state = 1;
    e->tk.pos = CFG_POS_NONE;
    e->nkro = cfg_setting(cfg, CFG_NKRO) != 0;
    eng_mods_init(e);
    eng_unicode_init(e);
    eng_combo_reset(e);
    eng_td_reset(e);
}

/* One tick at time t: what QMK does on a scan without key changes. */
static void run_timers(engine_t *e, ktime_t t)
{
    e->now = t;
    if (e->tap_release && !before(t, e->tap_release_at)) eng_flush_tap_release(e);
    eng_combo_tick(e, t);
    eng_exec(e, CFG_POS_NONE, false, t);
    eng_td_tick(e, t);
    eng_leader_task(e);
    eng_seq_task(e);
    eng_mods_task(e);
    eng_mouse_task(e);
}

/* A timestamp that no timer watches could grow older than half the clock's span and then read as
 * recent again: after 32.7 s with 16-bit time (the ATmega32U4), after 24.8 days with 32 bits (a
 * keyboard left on for a month: the first macro after that waited up to another 24.8 days, its
 * pause read as still to come). Such times are kept at most ENG_AGE_SPAN old (older than any
 * setting) or what they stood for is dropped. With 16 bits this runs on every call and the
 * caller calls at least every KTIME_SPAN_MAX ms (core/ktime.h), so none is ever more than 65,534
 * ms old; with 32 bits it runs once every ENG_AGE_EVERY ms of clock, so none is older than
 * 2^30 + 2^24 ms < 2^31. What this changes is never visible: each check below gives what the
 * comparison it replaces would. */
#if ENGINE_TIME_BITS < 32
#define ENG_AGE_SPAN KTIME_SPAN_MAX
#else
#define ENG_AGE_SPAN ((ktime_t)1 << 30)
#define ENG_AGE_EVERY ((ktime_t)1 << 24)
#endif
/* The timestamps that are kept no older than ENG_AGE_SPAN: what they time has a setting, so at
 * that age it is over. Offsets into engine_t, read from flash on the ATmega32U4. */
static const uint16_t aged[] ROM_DATA = {
    offsetof(engine_t, idle_prev_time),  /* require-prior-idle */
    offsetof(engine_t, flow_prev_time),  /* flow tap: eng_exec drops it once 500 ms old */
    offsetof(engine_t, tk.time),         /* a tapped key waits for more taps with no timer */
    offsetof(engine_t, mouse.timer[0]),  /* a mouse axis at rest moves at once when it starts */
    offsetof(engine_t, mouse.timer[1]),
#if ENGINE_HAS_MOUSE_MODES
    offsetof(engine_t, mouse.kin_t0),    /* kinetic speed stops growing after 32.7 s, not 50 s */
#endif
#if ENGINE_HAS_LEADER
    offsetof(engine_t, leader.time),     /* leader_key.no_timeout: no timer before the first key */
#endif
#if ENGINE_HAS_MODS
    /* auto shift's key waiting for retro shift, its tap-then-hold window, the hold of a retro
     * shift, space cadet's and key overrides' last keys */
    offsetof(engine_t, mods.as_time),
    offsetof(engine_t, mods.as_last_time),
    offsetof(engine_t, mods.as_retro_time),
    offsetof(engine_t, mods.sc_time),
    offsetof(engine_t, mods.ko_last_time),
#endif
};

/* all: the first call after engine_init, whose times (0) may be any distance from now. */
static void eng_age(engine_t *e, bool all)
{
    ktime_t now = e->now;
#if ENGINE_TIME_BITS == 32
    if (!all && now - e->aged_at < ENG_AGE_EVERY) return;
    e->aged_at = now;
#endif
    for (uint8_t i = 0; i < sizeof aged / sizeof aged[0]; i++) {
        ktime_t *ts = (ktime_t *)(void *)((uint8_t *)e + ROM_RD16(&aged[i]));
        if (all) *ts = (ktime_t)(now - ENG_AGE_SPAN);
        else ktime_age(ts, now, ENG_AGE_SPAN);
    }
#if ENGINE_HAS_PLAYER
    /* the pause after the last job played is over */
    if (!eng_seq_busy(e) && (all || before(e->seq.due, now))) e->seq.due = now;
#endif
#if ENGINE_HAS_MODS
    /* caps word's double-tap window is over */
    engine_mods_t *m = &e->mods;
    if ((m->cw & ENG_CW_DTAP) && !before(now, m->cw_dtap_time)) m->cw &= (uint8_t)~ENG_CW_DTAP;
#endif
}

void engine_tick(engine_t *e, ktime_t now_ms)
{
    /* The first time after engine_init is taken as it is, however far from 0 (a config switched
     * after 24.8 days of 32-bit time, or 32.7 s of 16-bit time, is not "time going back"). */
    bool first = !e->started;
    if (first) {
        e->now = now_ms;
        e->started = 1;
        eng_age(e, true);
    }
    if (before(now_ms, e->now)) now_ms = e->now;
    /* Run every deadline up to now in order, each at its own time, so a caller that ticks late
     * (or not at all before the next event) sees the same reports as one that ticks exactly.
     * Every run moves its deadline forward; the bound only guards against a broken invariant. */
    for (uint16_t guard = 0; guard < 60000u; guard++) {
        ktime_t d = engine_next_deadline(e);
        if (d == ENGINE_NO_DEADLINE || before(now_ms, d)) break;
        run_timers(e, before(d, e->now) ? e->now : d);
    }
    e->now = now_ms;
    eng_age(e, false);
}

void engine_key_event(engine_t *e, uint8_t pos, bool pressed, ktime_t now_ms)
{
    engine_tick(e, now_ms);
    if (pos >= ENG_CFG(e)->npos) return;
    eng_combo_event(e, pos, pressed, e->now);
}

/* engine_next_deadline's running minimum: on the ATmega32U4 one static and two small helpers, so
 * that each of the dozen sources costs a load and a call (-60 B); a local elsewhere. */
#ifdef __AVR__
static ktime_t nd_d;
__attribute__((noinline)) static void nd_min(ktime_t d) { nd_d = eng_earliest(nd_d, d); }
__attribute__((noinline)) static void nd_at(ktime_t t) { nd_min(ktime_deadline(t)); }
#define ND_DECL nd_d = ENGINE_NO_DEADLINE
#define ND_RESULT nd_d
#else
#define ND_DECL ktime_t nd_d = ENGINE_NO_DEADLINE
#define nd_min(x) (nd_d = eng_earliest(nd_d, (x)))
#define nd_at(t) (nd_d = eng_due_at(nd_d, (t)))
#define ND_RESULT nd_d
#endif

ktime_t engine_next_deadline(const engine_t *e)
{
    const engine_t *E = ENG_SELF_AT(e, tk);
    ND_DECL;
    if (E->tk.pos != CFG_POS_NONE && eng_rec_pressed(&E->tk) && eng_rec_count(&E->tk) == 0)
        nd_at((ktime_t)(E->tk.time + E->tk_term));
    if (E->drain_pending) nd_at((ktime_t)(e->now + 1u));
    uint8_t st = eng_osl_state(e);
    bool osl_waits = (st & ENG_OSL_OTHER_PRESSED) && !(st & ENG_OSL_TOGGLED);
    if (e->os_mods || osl_waits) {
        uint16_t timeout = eng_cfg(e, CFG_ONESHOT_TIMEOUT);
        if (timeout) {
            if (e->os_mods) nd_at((ktime_t)(e->os_mods_time + timeout));
            if (osl_waits) nd_at((ktime_t)(e->os_layer_time + timeout));
        }
    }
    if (e->tap_release) nd_at(e->tap_release_at);
    nd_min(eng_mods_deadline(e));
#if ENGINE_HAS_COMBO
    if (e->cb_n) nd_at(e->cb_deadline);
#endif
#if ENGINE_HAS_TAP_DANCE
    if (e->td_idx != 0xFFu) nd_at(e->td_deadline);
#endif
    nd_min(eng_mouse_deadline(e)); /* none unless moving (or coasting, in inertia mode) */
    nd_min(eng_seq_deadline(e));
    if (eng_leader_active(e)) nd_min(eng_leader_deadline(e));
    return ND_RESULT;
}

static bool all_zero(const void *p, uint8_t n)
{
    const uint8_t *b = p;
    while (n--)
        if (*b++) return false;
    return true;
}

static bool combos_idle(const engine_t *e)
{
#if !ENGINE_HAS_COMBO
    (void)e;
    return true;
#else
    for (uint8_t s = 0; s < ENGINE_COMBO_ACTIVE_MAX; s++)
        if (e->cb_act[s].idx != 0xFFu) return false;
    return e->cb_n == 0;
#endif
}

bool engine_idle(const engine_t *e)
{
    /* A one-shot mod locked on purpose (oneshot.tap_toggle) is a state the user chose, like a
     * toggled layer, not a stuck key. */
    return e->nheld == 0 && e->nwait == 0 && engine_next_deadline(e) == ENGINE_NO_DEADLINE &&
           !(e->tk.pos != CFG_POS_NONE && eng_rec_pressed(&e->tk)) &&
           !(e->kbd_sent.mods & ~e->os_locked_mods) && all_zero(e->kbd_sent.keys, sizeof e->kbd_sent.keys) &&
           (e->consumer | e->system) == 0 && all_zero(&e->mouse.dir, sizeof e->mouse.dir) &&
           e->mouse.last.buttons == 0 && combos_idle(e);
}

void engine_release_all(engine_t *e, ktime_t now_ms)
{
    engine_tick(e, now_ms);
    eng_flush_tap_release(e);
    release_held(e);
    eng_combo_reset(e);
    eng_td_reset(e);
    eng_seq_reset(e);
#if ENGINE_HAS_LEADER
    e->leader.active = 0;
#endif
    e->os_layer = 0;
    eng_layer_state_set(e, 0);
    eng_mods_reset(e);
    eng_clear_keyboard(e);
}

void engine_set_host_leds(engine_t *e, uint8_t leds)
{
    e->host_leds = leds; /* unicode input reads Caps Lock and Num Lock (HID LED bits 2 and 1) */
}
