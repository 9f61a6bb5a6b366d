/* Keycodes whose effect is outside the engine or on the whole report: QK_BOOT, QK_RBT and EE_CLR go
 * to the firmware through sink->action; NK_ON/NK_OFF/NK_TOGG switch between NKRO and 6KRO reports
 * (everything is released first, as QMK does, so no key is lost between the two forms). */
#include "core/engine_int.h"

static void system_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    kc_t kc = k->kc;
    if (kc >= NK_ON && kc <= NK_TOGG) {
        uint8_t on = kc == NK_ON ? 1 : kc == NK_OFF ? 0 : !e->nkro;
        eng_clear_keyboard(e);
        e->nkro = on;
        eng_trace(e, ENGINE_TRACE_NKRO, k->pos, kc, on, CFG_POS_NONE);
        return;
    }
    eng_trace(e, ENGINE_TRACE_ACTION, k->pos, kc, 0, CFG_POS_NONE);
    if (ENG_SINK(e)->action) ENG_SINK(e)->action(ENG_CTX(e), kc, e->now);
}

static void system_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    (void)e;
    (void)k;
}

ENG_BHV_DEFINE(system, system_press, system_release)
