/* Dynamic macros (DM_REC1 DM_REC2 DM_RSTP DM_PLY1 DM_PLY2), QMK's rules: recording starts on the
 * release of DM_REC1/2 and keeps every key event after the tap-hold decision (so a replayed
 * mod-tap is the same tap or hold); DM_RSTP's press or the REC key's release stops it, dropping
 * trailing presses (the keys held to reach the stop key). DM_PLY1/2 play on release through the
 * sequence player, on the default layer, keyboard cleared before and after. The two recordings
 * share ENGINE_DM_MAX events (slot 1 from the start, slot 2 from the end). Play keys are not
 * recorded (QMK's DYNAMIC_MACRO_NO_NESTING). */
#include "core/engine_int.h"

#if ENGINE_HAS_DYNMACRO

static uint8_t idx(uint8_t slot, uint8_t i)
{
    return slot == 1 ? i : (uint8_t)(ENGINE_DM_MAX - 1u - i);
}

static bool is_dm_key(kc_t kc)
{
    return kc >= QK_DYNAMIC_MACRO_RECORD_START_1 && kc <= QK_DYNAMIC_MACRO_PLAY_2;
}

void eng_dm_record(engine_t *e, const engine_rec_t *r, kc_t kc)
{
    engine_dynmacro_t *d = &e->dm;
    if (is_dm_key(kc) || e->seq.src == ENG_SEQ_SRC_DM) return;
    if (!eng_rec_pressed(r) && d->n == 0) return; /* a leading release: its press came before */
    if (d->n >= ENGINE_DM_MAX - d->len[2 - d->recording]) {
        eng_trace(e, ENGINE_TRACE_DM_FULL, r->pos, kc, d->recording, CFG_POS_NONE);
        return;
    }
    uint8_t i = idx(d->recording, d->n++);
    d->ev[i].pos = r->pos;
    d->ev[i].flags = r->flags;
}

static void record_start(engine_t *e, uint8_t slot)
{
    engine_dynmacro_t *d = &e->dm;
    eng_trace(e, ENGINE_TRACE_DM_RECORD_START, CFG_POS_NONE, KC_NO, slot, CFG_POS_NONE);
    eng_clear_keyboard(e);
    eng_layer_state_set(e, 0);
    d->recording = slot;
    d->n = 0;
    d->len[slot - 1] = 0;
}

static void record_stop(engine_t *e)
{
    engine_dynmacro_t *d = ENG_NEAR(&e->dm);
    uint8_t slot = d->recording;
    while (d->n && (d->ev[idx(slot, (uint8_t)(d->n - 1))].flags & ENGINE_REC_PRESSED)) d->n--;
    d->len[slot - 1] = d->n;
    d->recording = 0;
    eng_trace(e, ENGINE_TRACE_DM_RECORD_STOP, CFG_POS_NONE, KC_NO, (uint16_t)(slot << 8 | d->n),
              CFG_POS_NONE);
}

bool eng_dm_play_start(engine_t *e, uint8_t slot)
{
    engine_dynmacro_t *d = &e->dm;
    if (slot < 1 || slot > 2 || !d->len[slot - 1]) return false;
    e->seq.saved_layers = e->layer_state;
    e->seq.saved_layers_on = 1;
    e->seq.end = d->len[slot - 1];
    eng_clear_keyboard(e);
    eng_layer_state_set(e, 0);
    return true;
}

void eng_dm_play_event(engine_t *e, uint16_t i)
{
    uint8_t k = idx(e->seq.dm_slot, (uint8_t)i);
    engine_rec_t r = {e->now, e->dm.ev[k].pos, e->dm.ev[k].flags};
    eng_process_record(e, &r);
}

/* Keys the recording pressed and did not release (held across the stop key) are released here,
 * in position order, so nothing stays held once the keyboard is cleared. A position's last event
 * among those played says whether it is down (a scan per position: small code, and it runs once
 * per playback). */
void eng_dm_play_end(engine_t *e)
{
    engine_dynmacro_t *d = ENG_NEAR(&e->dm);
    uint8_t slot = e->seq.dm_slot, n = d->len[slot - 1];
    if (e->seq.pc < n) n = (uint8_t)e->seq.pc;
    for (uint8_t p = 0; p < 255; p++) {
        uint8_t down = 0;
        for (uint8_t i = 0; i < n; i++) {
            uint8_t k = idx(slot, i);
            if (d->ev[k].pos == p) down = d->ev[k].flags;
        }
        if (down & ENGINE_REC_PRESSED) {
            engine_rec_t r = {e->now, p, 0};
            eng_process_record(e, &r);
        }
    }
    eng_clear_keyboard(e);
    if (e->seq.saved_layers_on) eng_layer_state_set(e, e->seq.saved_layers);
    e->seq.saved_layers_on = 0;
}

/* QMK: recording starts and playing happens on release; DM_RSTP stops on press, a REC key on its
 * release; while recording, play keys do nothing. */
static void dm_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    if (e->seq.src != ENG_SEQ_SRC_DM && e->dm.recording && k->kc == QK_DYNAMIC_MACRO_RECORD_STOP) record_stop(e);
}

static void dm_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    kc_t kc = k->kc;
    /* A replayed key can land on a dynamic macro key (the recording is of positions, and the
     * default layer may have changed since): playback never starts, records or plays again. */
    if (e->seq.src == ENG_SEQ_SRC_DM) return;
    bool rec = kc == QK_DYNAMIC_MACRO_RECORD_START_1 || kc == QK_DYNAMIC_MACRO_RECORD_START_2;
    if (e->dm.recording) {
        if (rec) record_stop(e);
    } else if (rec) {
        record_start(e, (uint8_t)(kc - QK_DYNAMIC_MACRO_RECORD_START_1 + 1u));
    } else if (kc != QK_DYNAMIC_MACRO_RECORD_STOP) {
        eng_seq_push(e, ENG_JOB_DM, (uint16_t)(kc - QK_DYNAMIC_MACRO_PLAY_1 + 1u), 0);
    }
}

ENG_BHV_DEFINE(dynmacro, dm_press, dm_release)

#endif /* ENGINE_HAS_DYNMACRO */
