/* The leader key (QK_LEAD), QMK's rules: after it, the next key presses (up to five) are taken
 * into a sequence instead of doing anything; the sequence ends when leader_key.timeout passes
 * (from QK_LEAD, or from the last key with leader_key.timing) or a sixth key comes, and the
 * keymap's leader_sequences entry that equals it is tapped. A dual-role key counts as its tap
 * keycode unless leader_key.strict_processing. */
#include "core/engine_int.h"

#if ENGINE_HAS_LEADER
#include <string.h>

#define ENTRY_SIZE 12u /* 5 keycodes (0 = unused) + the result */
_Static_assert(ENTRY_SIZE == 2u * (ENGINE_LEADER_KEYS + 1u) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "an entry is the sequence's keycodes and the result, as in RAM");

static void leader_end(engine_t *e)
{
    engine_leader_t *l = &e->leader;
    uint8_t n = (uint8_t)ENG_CFG(e)->count[CFG_SEC_LEADER]; /* at most CFG_MAX_LEADER (no section: 0) */
    const uint8_t *p = ENG_CFG(e)->base + ENG_CFG(e)->off[CFG_SEC_LEADER];
    l->active = 0;
    for (uint8_t i = 0; i < n; i++, p += ENTRY_SIZE) { /* (no section: n = 0) */
        /* the keys past the sequence's are 0 in both (leader_press), as in the image */
        const uint8_t *seq = (const uint8_t *)l->seq;
        uint8_t j = 0;
        while (j < sizeof l->seq && CFG_RD8(p + j) == seq[j]) j++;
        if (j == sizeof l->seq) { /* the first entry that equals it */
            eng_trace(e, ENGINE_TRACE_LEADER_END, CFG_POS_NONE, KC_NO, i, CFG_POS_NONE);
            eng_seq_push(e, ENG_JOB_KEY, cfg_rd16(p + sizeof l->seq), 0);
            return;
        }
    }
    eng_trace(e, ENGINE_TRACE_LEADER_END, CFG_POS_NONE, KC_NO, 0xFFFFu, CFG_POS_NONE);
}

bool eng_leader_take(engine_t *e, kc_t kc)
{
    engine_leader_t *l = &e->leader;
    if (l->n >= ENGINE_LEADER_KEYS) {
        leader_end(e); /* a sixth key ends the sequence and is processed as usual */
        return false;
    }
    if (eng_is_mt_or_lt(kc) && !eng_cfg(e, CFG_LEADER_STRICT_PROCESSING)) kc &= 0xFFu;
    /* the timer restarts at every key with per-key timing, at the first without a timeout before it */
    if (eng_cfg(e, CFG_LEADER_PER_KEY_TIMING) || (l->n == 0 && eng_cfg(e, CFG_LEADER_NO_TIMEOUT)))
        l->time = e->now;
    l->seq[l->n++] = kc;
    eng_trace(e, ENGINE_TRACE_LEADER_KEY, CFG_POS_NONE, kc, l->n, CFG_POS_NONE);
    return true;
}

/* QMK ends the sequence once strictly more than the timeout has passed. */
ktime_t eng_leader_deadline(const engine_t *e)
{
    const engine_leader_t *l = ENG_NEAR(&e->leader);
    if (!l->active || (l->n == 0 && eng_cfg(e, CFG_LEADER_NO_TIMEOUT))) return ENGINE_NO_DEADLINE;
    return ktime_deadline((ktime_t)(l->time + eng_cfg(e, CFG_LEADER_TIMEOUT) + 1u));
}

void eng_leader_task(engine_t *e)
{
    ktime_t d = eng_leader_deadline(e);
    if (d != ENGINE_NO_DEADLINE && !ktime_before(e->now, d)) leader_end(e);
}

static void leader_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    engine_leader_t *l = ENG_NEAR(&e->leader);
    if (l->active) return;
    l->active = 1;
    l->n = 0;
    memset(l->seq, 0, sizeof l->seq);
    l->time = e->now;
    eng_trace(e, ENGINE_TRACE_LEADER_START, k->pos, k->kc, 0, CFG_POS_NONE);
}

static void leader_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    (void)e;
    (void)k;
}

ENG_BHV_DEFINE(leader, leader_press, leader_release)

#endif /* ENGINE_HAS_LEADER */
