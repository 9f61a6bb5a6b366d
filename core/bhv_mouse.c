/* Mouse keys with QMK's default acceleration (not kinetic, not inertia): the first report moves by
 * mouse_key.move_delta, the next after mouse_key.delay ms, then one every mouse_key.interval ms,
 * growing linearly to move_delta * max_speed over time_to_max steps. The wheel works the same with
 * its own settings and a delta of 1. Deadlines come from here; the engine has no clock. */
#include <string.h>

#include "core/engine_int.h"

#define MOVE_MAX  127
#define WHEEL_MAX 127
#define WHEEL_DELTA 1u

static uint16_t st(const engine_t *e, enum cfg_setting_id id)
{
    return cfg_setting(e->cfg, id);
}

static int8_t clamp_unit(uint32_t unit, int8_t max)
{
    if (unit > (uint32_t)max) return max;
    return unit == 0 ? 1 : (int8_t)unit;
}

static int8_t move_unit(const engine_t *e)
{
    const engine_mouse_state_t *m = &e->mouse;
    uint32_t delta = st(e, CFG_MOUSE_MOVE_DELTA), max = st(e, CFG_MOUSE_MAX_SPEED);
    uint32_t ttm = st(e, CFG_MOUSE_TIME_TO_MAX), unit;
    if (m->accel & 1u) unit = delta * max / 4u;
    else if (m->accel & 2u) unit = delta * max / 2u;
    else if (m->accel & 4u) unit = delta * max;
    else if (m->repeat == 0) unit = delta;
    else if (m->repeat >= ttm) unit = delta * max;
    else unit = delta * max * m->repeat / ttm;
    return clamp_unit(unit, MOVE_MAX);
}

static int8_t wheel_unit(const engine_t *e)
{
    const engine_mouse_state_t *m = &e->mouse;
    uint32_t max = st(e, CFG_MOUSE_WHEEL_MAX_SPEED), ttm = st(e, CFG_MOUSE_WHEEL_TIME_TO_MAX), unit;
    if (m->accel & 1u) unit = WHEEL_DELTA * max / 4u;
    else if (m->accel & 2u) unit = WHEEL_DELTA * max / 2u;
    else if (m->accel & 4u) unit = WHEEL_DELTA * max;
    else if (m->wheel_repeat == 0) unit = WHEEL_DELTA;
    else if (m->wheel_repeat >= ttm) unit = WHEEL_DELTA * max;
    else unit = WHEEL_DELTA * max * m->wheel_repeat / ttm;
    return clamp_unit(unit, WHEEL_MAX);
}

/* x / sqrt(2) as QMK computes it (x * 181 / 256, rounded towards minus infinity), never 0. */
static int8_t diag(int8_t x)
{
    int16_t p = (int16_t)(x * 181);
    int16_t q = (int16_t)(p >= 0 ? p / 256 : -((-p + 255) / 256));
    return q == 0 ? 1 : (int8_t)q;
}

void eng_mouse_on(engine_t *e, uint8_t code)
{
    mouse_report_t *d = &e->mouse.dir;
    switch (code) {
    case QK_MOUSE_CURSOR_UP: d->y = (int8_t)-move_unit(e); break;
    case QK_MOUSE_CURSOR_DOWN: d->y = move_unit(e); break;
    case QK_MOUSE_CURSOR_LEFT: d->x = (int8_t)-move_unit(e); break;
    case QK_MOUSE_CURSOR_RIGHT: d->x = move_unit(e); break;
    case QK_MOUSE_WHEEL_UP: d->v = wheel_unit(e); break;
    case QK_MOUSE_WHEEL_DOWN: d->v = (int8_t)-wheel_unit(e); break;
    case QK_MOUSE_WHEEL_LEFT: d->h = (int8_t)-wheel_unit(e); break;
    case QK_MOUSE_WHEEL_RIGHT: d->h = wheel_unit(e); break;
    default:
        if (code >= QK_MOUSE_BUTTON_1 && code <= QK_MOUSE_BUTTON_8)
            d->buttons |= (uint8_t)(1u << (code - QK_MOUSE_BUTTON_1));
        else if (code >= QK_MOUSE_ACCELERATION_0 && code <= QK_MOUSE_ACCELERATION_2)
            e->mouse.accel |= (uint8_t)(1u << (code - QK_MOUSE_ACCELERATION_0));
        break;
    }
}

void eng_mouse_off(engine_t *e, uint8_t code)
{
    mouse_report_t *d = &e->mouse.dir;
    switch (code) {
    case QK_MOUSE_CURSOR_UP: if (d->y < 0) d->y = 0; break;
    case QK_MOUSE_CURSOR_DOWN: if (d->y > 0) d->y = 0; break;
    case QK_MOUSE_CURSOR_LEFT: if (d->x < 0) d->x = 0; break;
    case QK_MOUSE_CURSOR_RIGHT: if (d->x > 0) d->x = 0; break;
    case QK_MOUSE_WHEEL_UP: if (d->v > 0) d->v = 0; break;
    case QK_MOUSE_WHEEL_DOWN: if (d->v < 0) d->v = 0; break;
    case QK_MOUSE_WHEEL_LEFT: if (d->h < 0) d->h = 0; break;
    case QK_MOUSE_WHEEL_RIGHT: if (d->h > 0) d->h = 0; break;
    default:
        if (code >= QK_MOUSE_BUTTON_1 && code <= QK_MOUSE_BUTTON_8)
            d->buttons &= (uint8_t)~(1u << (code - QK_MOUSE_BUTTON_1));
        else if (code >= QK_MOUSE_ACCELERATION_0 && code <= QK_MOUSE_ACCELERATION_2)
            e->mouse.accel &= (uint8_t)~(1u << (code - QK_MOUSE_ACCELERATION_0));
        break;
    }
    if (d->x == 0 && d->y == 0) e->mouse.repeat = 0;
    if (d->v == 0 && d->h == 0) e->mouse.wheel_repeat = 0;
}

/* Movement reports are sent every time (each one moves the pointer); others only on change. */
static void send(engine_t *e, const mouse_report_t *r)
{
    engine_mouse_state_t *m = &e->mouse;
    bool moves = r->x || r->y || r->v || r->h;
    if (r->x || r->y) m->timer_c = e->now;
    if (r->v || r->h) m->timer_w = e->now;
    /* the host starts from the empty report: an unchanged report without movement is no news */
    if (!moves && memcmp(r, &m->last, sizeof *r) == 0) return;
    m->last = *r;
    eng_seq_count_report(e);
    if (e->sink->mouse) e->sink->mouse(e->ctx, r, e->now);
}

void eng_mouse_send(engine_t *e)
{
    send(e, &e->mouse.dir);
}

static uint32_t cursor_due(const engine_t *e)
{
    const engine_mouse_state_t *m = &e->mouse;
    /* QMK moves again once strictly more than the delay/interval has passed */
    uint32_t wait = m->repeat ? st(e, CFG_MOUSE_INTERVAL) : st(e, CFG_MOUSE_DELAY);
    return m->timer_c + wait + 1u;
}

static uint32_t wheel_due(const engine_t *e)
{
    const engine_mouse_state_t *m = &e->mouse;
    uint32_t wait = m->wheel_repeat ? st(e, CFG_MOUSE_WHEEL_INTERVAL) : st(e, CFG_MOUSE_WHEEL_DELAY);
    return m->timer_w + wait + 1u;
}

uint32_t eng_mouse_deadline(const engine_t *e)
{
    const mouse_report_t *d = &e->mouse.dir;
    uint32_t best = ENGINE_NO_DEADLINE;
    if (d->x || d->y) best = cursor_due(e);
    if (d->v || d->h) {
        uint32_t w = wheel_due(e);
        if (best == ENGINE_NO_DEADLINE || (int32_t)(w - best) < 0) best = w;
    }
    return best;
}

void eng_mouse_task(engine_t *e)
{
    engine_mouse_state_t *m = &e->mouse;
    const mouse_report_t dir = m->dir;
    mouse_report_t out = {dir.buttons, 0, 0, 0, 0};
    if ((dir.x || dir.y) && (int32_t)(e->now - cursor_due(e)) >= 0) {
        if (m->repeat != 0xFFu) m->repeat++;
        int8_t u = move_unit(e);
        if (dir.x) out.x = dir.x > 0 ? u : (int8_t)-u;
        if (dir.y) out.y = dir.y > 0 ? u : (int8_t)-u;
        if (out.x && out.y) {
            out.x = diag(out.x);
            out.y = diag(out.y);
        }
    }
    if ((dir.v || dir.h) && (int32_t)(e->now - wheel_due(e)) >= 0) {
        if (m->wheel_repeat != 0xFFu) m->wheel_repeat++;
        int8_t u = wheel_unit(e);
        if (dir.v) out.v = dir.v > 0 ? u : (int8_t)-u;
        if (dir.h) out.h = dir.h > 0 ? u : (int8_t)-u;
        if (out.v && out.h) {
            out.v = diag(out.v);
            out.h = diag(out.h);
        }
    }
    if (out.x || out.y || out.v || out.h) send(e, &out);
}

void eng_mouse_clear(engine_t *e)
{
    memset(&e->mouse.dir, 0, sizeof e->mouse.dir);
    e->mouse.repeat = e->mouse.wheel_repeat = e->mouse.accel = 0;
    eng_mouse_send(e);
}

static void mouse_press(engine_t *e, engine_held_t *k)
{
    eng_register_code(e, (uint8_t)k->kc);
}

static void mouse_release(engine_t *e, engine_held_t *k)
{
    eng_unregister_code(e, (uint8_t)k->kc);
}

const engine_bhv_t eng_bhv_mouse = {mouse_press, mouse_release, 0};
