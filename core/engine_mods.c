/* Where the modifier features (caps word, auto shift, key overrides, repeat key, layer lock, space
 * cadet) see each processed key event, and in which order: QMK's where the order shows. Each
 * feature lives in its own core/bhv_*.c; this file only sequences them and merges their timers. */
#include "core/engine_int.h"

#if ENGINE_HAS_MODS
#include <string.h>

static uint32_t sooner(uint32_t a, uint32_t b)
{
    if (a == ENGINE_NO_DEADLINE) return b;
    if (b == ENGINE_NO_DEADLINE) return a;
    return (int32_t)(a - b) < 0 ? a : b;
}

bool eng_mods_press(engine_t *e, engine_held_t *k, const engine_rec_t *r)
{
    eng_cw_before(e);
    /* A key waiting for auto shift, or a retro-shift hold, is settled before any other press. */
    eng_as_interrupt(e);
    /* Repeat key turns into the key it repeats: every later feature sees that key. */
    if (eng_rep_press(e, k)) return true;
    if (eng_ll_event(e, k, true)) return true;
    if (eng_ko_event(e, k, true)) return true;
    if (eng_as_retro_hold(e, k, r)) return true;
    if (eng_cw_press(e, k, r)) return true;
    if (eng_as_press(e, k, r)) return true;
    return eng_sc_event(e, k, true);
}

bool eng_mods_release(engine_t *e, engine_held_t *k)
{
    eng_cw_before(e);
    bool taken = eng_cw_release(e, k);
    taken |= eng_ll_event(e, k, false);
    taken |= eng_ko_event(e, k, false);
    if (eng_as_release(e, k)) return true; /* it may also give the key back to its behaviour */
    taken |= eng_sc_event(e, k, false);
    /* a key whose press was taken never reaches its behaviour */
    return taken || (k->count & ENG_HELD_HOOKED);
}

void eng_mods_after(engine_t *e, const engine_held_t *k, bool pressed)
{
    if (!pressed && k->kc <= QK_MODS_MAX && k->aux) {
        /* the mods a repeated key was pressed with go after it */
        e->weak_mods &= (uint8_t)~k->aux;
        eng_send_kbd(e);
    }
    if (!pressed && (k->count & ENG_HELD_SHIFTED)) {
        /* caps word's Shift goes after the key it shifted, unless another such key still holds it */
        for (uint8_t i = 0; i < e->nheld; i++)
            if (e->held[i].pos != k->pos && (e->held[i].count & ENG_HELD_SHIFTED)) return;
        e->weak_mods &= (uint8_t)~MOD_BIT_LSHIFT;
        eng_send_kbd(e);
    }
}

uint32_t eng_mods_deadline(const engine_t *e)
{
    const engine_mods_t *m = &e->mods;
    uint32_t d = sooner(eng_as_deadline(e), eng_cw_deadline(e));
    if (m->ll_layers) {
        uint16_t t = cfg_setting(e->cfg, CFG_LAYER_LOCK_TIMEOUT);
        if (t) d = sooner(d, m->ll_time + t + 1u); /* QMK: strictly more than the timeout */
    }
    if (m->ko_deferred) d = sooner(d, m->ko_defer_at);
    return d;
}

void eng_mods_task(engine_t *e)
{
    eng_cw_task(e);
    eng_as_task(e);
    eng_ll_task(e);
    eng_ko_task(e);
}

uint8_t eng_mods_report(const engine_t *e, uint8_t mods)
{
    return (uint8_t)((mods & ~e->mods.ko_suppressed) | e->mods.ko_weak);
}

void eng_mods_reset(engine_t *e)
{
    memset(&e->mods, 0, sizeof e->mods);
}
#endif
