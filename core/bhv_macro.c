/* The sequence player and MC_n. Keymap macros, unicode input, leader results and dynamic macro
 * playback are jobs, played one after another as timed steps from the engine's deadlines, so other
 * keys keep working while a long macro types (QMK blocks the keyboard instead).
 *
 * Timing of a step (docs/behaviours.md, "Macros"): a typed character or tapped key is pressed and
 * released in one step (or released qmk.tap_keycode_delay ms later); the next step waits
 * macro.tap_delay ms (QMK's SEND_STRING interval) plus one USB polling interval for each report the
 * step sent. QMK's sends wait for the host the same way; here the wait keeps the firmware's report
 * queue from overflowing, and the same run gives the same times on the host and on every chip. */
#include "core/engine_int.h"

#if ENGINE_HAS_PLAYER
#include <string.h>

#define before ktime_before
_Static_assert(CFG_MOP_SHIFTED >> 6 == MOD_BIT_LSHIFT, "a typed key's Shift bit");

static uint8_t rd(const engine_t *e, uint16_t i)
{
#if ENGINE_HAS_UNICODE || ENGINE_HAS_LEADER /* the only ones that play from RAM */
    /* (what plays from RAM is generated whole, each op with its argument: i < end <= the buffer) */
    if (e->seq.src == ENG_SEQ_SRC_RAM) return e->seq.buf[i];
#endif
    return CFG_RD8(ENG_CFG(e)->base + ENG_CFG(e)->off[CFG_SEC_MACROS] + i);
}

static uint16_t rd16(const engine_t *e, uint16_t i)
{
    return (uint16_t)(rd(e, i) | rd(e, (uint16_t)(i + 1)) << 8);
}

static uint8_t own_mods(kc_t kc)
{
    return kc > 0xFFu ? kc_mods5_to_bits(QK_MODS_GET_MODS(kc)) : 0;
}

/* A key's own mods go out first in a report of their own, and leave after it (SPEC §6). */
static void key_down(engine_t *e, uint8_t code, uint8_t mods)
{
    if (mods) {
        e->seq.mods |= mods;
        eng_send_kbd(e);
    }
    eng_register_code(e, code);
}

static void key_up(engine_t *e, uint8_t code, uint8_t mods)
{
    eng_unregister_code(e, code);
    if (mods) {
        e->seq.mods &= (uint8_t)~mods;
        eng_send_kbd(e);
    }
}

/* Ends the tap of a key just pressed: released at once, or after QMK's tap delay (then *wait says
 * how long). */
static bool tap_end(engine_t *e, uint8_t code, uint8_t mods, uint16_t *wait)
{
    uint16_t d = eng_cfg(e, code == KC_CAPS_LOCK ? CFG_TAP_HOLD_CAPS_DELAY : CFG_TAP_CODE_DELAY);
    if (d && code != KC_NO) {
        e->seq.rel = code;
        e->seq.rel_mods = mods;
        *wait = d;
        return true;
    }
    key_up(e, code, mods);
    return false;
}

static void finish(engine_t *e)
{
    engine_seq_t *s = ENG_NEAR(&e->seq);
#if ENGINE_HAS_DYNMACRO
    if (s->src == ENG_SEQ_SRC_DM) eng_dm_play_end(e);
#endif
    s->src = 0;
#if ENGINE_HAS_UNICODE
    if (s->mask) { /* a unicode sequence cut short: show the held mods again */
        s->mask = 0;
        eng_send_kbd(e);
    }
#endif
    eng_trace(e, ENGINE_TRACE_SEQ_END, CFG_POS_NONE, KC_NO, 0, CFG_POS_NONE);
}

/* Takes the next job; sets what plays (nothing when the job had nothing to play). */
static void start(engine_t *e)
{
    engine_seq_t *s = ENG_NEAR(&e->seq);
    engine_seq_job_t j = s->job[0];
    s->njobs--;
    memmove(&s->job[0], &s->job[1], sizeof s->job - sizeof s->job[0]); /* (the slots past njobs: unused) */
    s->pc = 0;
    s->end = 0;
    switch (j.kind) {
    case ENG_JOB_MACRO: {
        uint16_t n = ENG_CFG(e)->count[CFG_SEC_MACROS]; /* (no macros: 0) */
        const uint8_t *t = ENG_CFG(e)->base + ENG_CFG(e)->off[CFG_SEC_MACROS];
        if (j.arg >= n) return; /* a macro the keymap does not define (or no macros: n = 0): nothing, as QMK */
        s->src = ENG_SEQ_SRC_CFG;
        s->pc = cfg_rd16(t + 2u * j.arg);
        s->end = cfg_rd16(t + 2u * j.arg + 2u);
        break;
    }
#if ENGINE_HAS_UNICODE
    case ENG_JOB_UNICODE:
        s->src = ENG_SEQ_SRC_RAM;
        s->end = eng_unicode_compile(e, j.hi, j.arg);
        break;
#endif
#if ENGINE_HAS_LEADER
    case ENG_JOB_KEY:
        if (j.arg <= QK_MODS_MAX) {
            s->src = ENG_SEQ_SRC_RAM;
            s->buf[0] = ENG_OP_TAP;
            s->buf[1] = (uint8_t)j.arg;
            s->buf[2] = (uint8_t)(j.arg >> 8);
            s->end = 3;
        } else {
            /* Any other keycode is tapped through its behaviour, with the tap count of a tap. */
            eng_tap_kc(e, j.arg, CFG_POS_NONE);
            return;
        }
        break;
#endif
#if ENGINE_HAS_DYNMACRO
    case ENG_JOB_DM:
        s->dm_slot = (uint8_t)j.arg;
        if (!eng_dm_play_start(e, (uint8_t)j.arg)) return;
        s->src = ENG_SEQ_SRC_DM;
        break;
#endif
    default:
        return;
    }
    eng_trace(e, ENGINE_TRACE_SEQ_START, CFG_POS_NONE, j.kind == ENG_JOB_MACRO ? KC_MC(j.arg) : KC_NO,
              j.kind, CFG_POS_NONE);
}

/* One step. Returns how long the next one waits (besides the reports' pacing); *half is set when
 * a tap's press went out and its release is the next step. */
static uint16_t step(engine_t *e, bool *half)
{
    engine_seq_t *s = ENG_NEAR(&e->seq);
    uint16_t interval = eng_cfg(e, CFG_MACRO_TAP_DELAY), wait = 0;
    if (s->rel) {
        uint8_t code = s->rel;
        s->rel = 0;
        key_up(e, code, s->rel_mods);
        return interval;
    }
    if (s->pc >= s->end) {
        finish(e);
        return 0;
    }
#if ENGINE_HAS_DYNMACRO
    if (s->src == ENG_SEQ_SRC_DM) {
        eng_dm_play_event(e, s->pc++);
        return eng_cfg(e, CFG_DYNAMIC_MACRO_DELAY);
    }
#endif
    uint8_t op = rd(e, s->pc++);
    kc_t kc = 0;
    if (op <= ENG_OP_UP) { /* the ops with a 16-bit argument */
        kc = rd16(e, s->pc);
        s->pc += 2;
    }
    uint8_t code = (uint8_t)kc, mods = own_mods(kc);
    if (!(op & 0x40u) && (op & 0x3Fu) >= 4u) { /* a typed key (core/cfg.h): tapped */
        code = op & 0x3Fu;
        mods = (uint8_t)((op & CFG_MOP_SHIFTED) >> 6); /* MOD_BIT_LSHIFT */
        op = ENG_OP_TAP;
    }
    switch (op) {
    case ENG_OP_TAP:
    case ENG_OP_DOWN:
        key_down(e, code, mods);
        if (op == ENG_OP_DOWN) break;
        *half = tap_end(e, code, mods, &wait);
        return *half ? wait : interval;
    case ENG_OP_UP:
        key_up(e, code, mods);
        break;
    case ENG_OP_DELAY:
        wait = kc;
        break;
#if ENGINE_HAS_UNICODE /* ops only unicode input generates */
    case ENG_OP_MASK:
        /* QMK clears the mods before typing a code point; hiding them (instead of clearing) lets
         * a key released meanwhile stay released. Pending one-shot mods are used up here. */
        s->mask = (uint8_t)(e->real_mods | e->weak_mods);
        eng_clear_oneshot_mods(e);
        break;
    case ENG_OP_UNMASK:
        s->mask = 0;
        eng_send_kbd(e);
        break;
#endif
    default:
        break; /* ENG_OP_BEEP: no audio */
    }
    return (uint16_t)(wait + interval < wait ? 0xFFFFu : wait + interval);
}

void eng_seq_task(engine_t *e)
{
    engine_seq_t *s = &e->seq;
    if (s->running) return;
    s->running = 1;
    uint8_t poll = cfg_info8(ENG_CFG(e), CFG_INFO_POLL_MS);
    if (!poll) poll = 1;
    while ((s->src || s->njobs) && !before(e->now, s->due)) {
        if (!s->src) {
            start(e);
            continue;
        }
        uint8_t r0 = s->reports;
        bool half = false;
        uint16_t wait = step(e, &half);
        /* 16-bit on purpose (32-bit arithmetic is dear on the ATmega32U4): at most 255 x 255 */
        uint16_t pace = (uint16_t)((uint8_t)(s->reports - r0) * poll);
        s->due = e->now + (half ? (pace > wait ? pace : wait) : (ktime_t)((ktime_t)pace + wait));
    }
    s->running = 0;
}

void eng_seq_push(engine_t *e, uint8_t kind, uint16_t arg, uint8_t hi)
{
    engine_seq_t *s = ENG_NEAR(&e->seq);
    if (s->njobs >= ENGINE_SEQ_JOBS) {
        eng_trace(e, ENGINE_TRACE_SEQ_DROPPED, CFG_POS_NONE, KC_NO, kind, CFG_POS_NONE);
        return;
    }
    if (!s->src && !s->njobs && before(s->due, e->now)) s->due = e->now;
    s->job[s->njobs++] = (engine_seq_job_t){kind, hi, arg};
    eng_seq_task(e);
}

bool eng_seq_busy(const engine_t *e)
{
    return e->seq.src || e->seq.njobs;
}

ktime_t eng_seq_deadline(const engine_t *e)
{
    return eng_seq_busy(e) ? ktime_deadline(e->seq.due) : ENGINE_NO_DEADLINE;
}

void eng_seq_reset(engine_t *e)
{
    engine_seq_t *s = &e->seq;
    if (s->rel) eng_unregister_code(e, s->rel);
#if ENGINE_HAS_DYNMACRO
    if (s->src == ENG_SEQ_SRC_DM) eng_dm_play_end(e);
#endif
    s->rel = 0;
    s->src = 0;
    s->njobs = 0;
    s->mods = 0;
    s->mask = 0;
    eng_send_kbd(e);
}

/* ---- MC_n: plays keymap macro n on press (QMK's generated process_record_user) ------------------ */
static void macro_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    eng_seq_push(e, ENG_JOB_MACRO, (uint16_t)(k->kc - QK_MACRO), 0);
}

static void macro_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    (void)e;
    (void)k;
}

ENG_BHV_DEFINE(macro, macro_press, macro_release)

#endif /* ENGINE_HAS_PLAYER */
