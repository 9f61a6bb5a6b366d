/* Mouse keys, QMK's modes chosen at run time by mouse_key.mode: accelerated (QMK's default: the
 * first report moves by move_delta, the next after delay ms, then one every interval ms, growing
 * linearly to move_delta * max_speed over time_to_max steps; the wheel alike with a delta of 1),
 * combined (the same, with ACL0 = 1 px and ACL2 = 127), kinetic (speed grows with the square of
 * the time held), constant (QMK's 3-speed mode: fixed offsets and intervals per MS_ACLn) and
 * inertia (velocity that builds up and coasts down with friction). Deadlines come from here; the
 * engine has no clock. */
#include <string.h>

#include "core/engine_int.h"

#define MOVE_MAX  127
#define WHEEL_MAX 127
#define WHEEL_DELTA 1u

static uint16_t st(const engine_t *e, enum cfg_setting_id id)
{
    return cfg_setting(e->cfg, id);
}

static uint8_t mode(const engine_t *e)
{
#if ENGINE_HAS_MOUSE_MODES
    return (uint8_t)st(e, CFG_MOUSE_MODE);
#else
    (void)e; /* the ATmega32U4 image has the default mode only (core/features.h) */
    return CFG_MOUSE_ACCELERATED;
#endif
}

static int8_t clamp_unit(uint32_t unit, int8_t max)
{
    if (unit > (uint32_t)max) return max;
    return unit == 0 ? 1 : (int8_t)unit;
}

/* QMK's accelerated and combined modes: a held MS_ACLn fixes the unit; *unit is unchanged (and
 * false returned) when none is held. */
static bool accel_unit(const engine_t *e, uint32_t full, int8_t max, uint32_t *unit)
{
    uint8_t a = e->mouse.accel;
    bool comb = mode(e) == CFG_MOUSE_COMBINED;
    if (a & 1u) *unit = comb ? 1u : full / 4u;
    else if (a & 2u) *unit = full / 2u;
    else if (a & 4u) *unit = comb ? (uint32_t)max : full;
    return (a & 7u) != 0;
}

#if ENGINE_HAS_MOUSE_MODES
/* Kinetic: t = whole 50 ms steps since the movement began (capped: the square must not overflow) */
static uint32_t kin_steps(const engine_t *e)
{
    uint32_t t = (e->now - e->mouse.kin_t0) / 50u;
    return t > 1000u ? 1000u : t;
}

/* speed (px/s) = initial + delta*t + delta*t*t/2, at most base_speed; one report every interval ms
 * moves speed / (1000 / interval), as QMK's MK_KINETIC_SPEED (with its 8-bit truncation) */
static int8_t kinetic_unit(const engine_t *e)
{
    const engine_mouse_state_t *m = &e->mouse;
    uint32_t speed = st(e, CFG_MOUSE_INITIAL_SPEED), delta = st(e, CFG_MOUSE_MOVE_DELTA);
    if (m->accel & 1u) {
        speed = st(e, CFG_MOUSE_DECELERATED_SPEED);
    } else if (m->accel & 4u) {
        speed = st(e, CFG_MOUSE_ACCELERATED_SPEED);
    } else if (m->repeat && m->kin_on) {
        uint32_t t = kin_steps(e), base = st(e, CFG_MOUSE_BASE_SPEED);
        speed += delta * t + delta * t * t / 2u;
        if (speed > base) speed = base;
    }
    uint32_t iv = st(e, CFG_MOUSE_INTERVAL), per = iv ? 1000u / iv : 1000u;
    return clamp_unit((uint8_t)(speed / (per ? per : 1u)), MOVE_MAX);
}

/* The kinetic wheel moves 1 per report; its speed (reports per second) sets the interval. */
static void kinetic_wheel(engine_t *e)
{
    engine_mouse_state_t *m = &e->mouse;
    uint32_t speed = st(e, CFG_MOUSE_WHEEL_INITIAL_MOVEMENTS);
    if (m->accel & 1u) {
        speed = st(e, CFG_MOUSE_WHEEL_DECELERATED_MOVEMENTS);
    } else if (m->accel & 4u) {
        speed = st(e, CFG_MOUSE_WHEEL_ACCELERATED_MOVEMENTS);
    } else if (m->wheel_repeat && m->kin_on) {
        uint32_t t = kin_steps(e), base = st(e, CFG_MOUSE_WHEEL_BASE_MOVEMENTS);
        speed += t + t * t / 2u;
        if (speed > base) speed = base;
    }
    m->kin_wheel_iv = (uint16_t)(1000u / (speed ? speed : 1u));
}

/* Constant (3-speed): the speed index into the offset/interval settings, 0 = unmod, 1-3 = ACL0-2.
 * Without momentary_accel QMK starts at speed 1 (ACL1) and keeps the last ACL key's speed. */
static uint8_t c_speed(const engine_t *e)
{
    uint8_t s = e->mouse.speed;
    return s ? s : st(e, CFG_MOUSE_MOMENTARY_ACCEL) ? 0u : 2u;
}

static int8_t c_offset(const engine_t *e, bool wheel)
{
    uint16_t v = st(e, (enum cfg_setting_id)((wheel ? CFG_MOUSE_W_OFFSET_UNMOD : CFG_MOUSE_C_OFFSET_UNMOD) +
                                             2u * c_speed(e)));
    return (int8_t)(v > MOVE_MAX ? MOVE_MAX : v);
}

static uint16_t c_interval(const engine_t *e, bool wheel)
{
    return st(e, (enum cfg_setting_id)((wheel ? CFG_MOUSE_W_OFFSET_UNMOD : CFG_MOUSE_C_OFFSET_UNMOD) +
                                       2u * c_speed(e) + 1u));
}
#endif

static int8_t move_unit(const engine_t *e)
{
    const engine_mouse_state_t *m = &e->mouse;
#if ENGINE_HAS_MOUSE_MODES
    if (mode(e) == CFG_MOUSE_KINETIC) return kinetic_unit(e);
#endif
    uint32_t delta = st(e, CFG_MOUSE_MOVE_DELTA), max = st(e, CFG_MOUSE_MAX_SPEED);
    uint32_t ttm = st(e, CFG_MOUSE_TIME_TO_MAX), unit;
    if (accel_unit(e, delta * max, MOVE_MAX, &unit)) {
    } else if (m->repeat == 0) unit = delta;
    else if (m->repeat >= ttm) unit = delta * max;
    else unit = delta * max * m->repeat / ttm;
    return clamp_unit(unit, MOVE_MAX);
}

static int8_t wheel_unit(engine_t *e)
{
    const engine_mouse_state_t *m = &e->mouse;
#if ENGINE_HAS_MOUSE_MODES
    if (mode(e) == CFG_MOUSE_KINETIC) {
        kinetic_wheel(e);
        return 1;
    }
#endif
    uint32_t max = st(e, CFG_MOUSE_WHEEL_MAX_SPEED), ttm = st(e, CFG_MOUSE_WHEEL_TIME_TO_MAX), unit;
    if (accel_unit(e, WHEEL_DELTA * max, WHEEL_MAX, &unit)) {
    } else if (m->wheel_repeat == 0) unit = WHEEL_DELTA;
    else if (m->wheel_repeat >= ttm) unit = WHEEL_DELTA * max;
    else unit = WHEEL_DELTA * max * m->wheel_repeat / ttm;
    return clamp_unit(unit, WHEEL_MAX);
}

/* x / sqrt(2) as QMK computes it now (x * 181 / 256 rounded to the nearest, half away from zero;
 * older QMK rounded down), never 0. */
static int8_t diag(int8_t x)
{
    int16_t p = (int16_t)(x * 181);
    int16_t q = (int16_t)(p >= 0 ? (p + 128) / 256 : (p - 128) / 256);
    return q == 0 ? 1 : (int8_t)q;
}

#if ENGINE_HAS_MOUSE_MODES
/* Constant mode: a speed change rescales what is held to the new offsets (QMK's adjust_speed). */
static void c_adjust(engine_t *e)
{
    mouse_report_t *d = &e->mouse.dir;
    int8_t c = c_offset(e, false), w = c_offset(e, true);
    if (d->x) d->x = d->x > 0 ? c : (int8_t)-c;
    if (d->y) d->y = d->y > 0 ? c : (int8_t)-c;
    if (d->v) d->v = d->v > 0 ? w : (int8_t)-w;
    if (d->h) d->h = d->h > 0 ? w : (int8_t)-w;
    if (d->x && d->y) {
        d->x = diag(d->x);
        d->y = diag(d->y);
    }
    if (d->v && d->h) {
        d->v = diag(d->v);
        d->h = diag(d->h);
    }
}

/* Inertia: the velocity (at most time_to_max) slows by friction/256 per frame when its key is not
 * held, and grows by one per frame towards the key held (QMK's calc_inertia). */
static int8_t inertia_step(const engine_t *e, int8_t dir, int8_t v)
{
    int16_t keep = (int16_t)(256 - (st(e, CFG_MOUSE_FRICTION) & 0xFFu)), ttm = (int16_t)st(e, CFG_MOUSE_TIME_TO_MAX);
    if (ttm > 127) ttm = 127;
    if (dir > -1 && v < 0) v = (int8_t)((v + 1) * keep / 256);
    else if (dir < 1 && v > 0) v = (int8_t)(v * keep / 256);
    if (dir > 0 && v < ttm) v++;
    else if (dir < 0 && v > -ttm) v--;
    return v;
}

/* First frame: move_delta towards the key; then sign(v) + max_speed * (v / time_to_max)^2. */
static int8_t inertia_unit(const engine_t *e, int8_t dir, int8_t v)
{
    int32_t unit;
    if (e->mouse.frame < 2) {
        unit = dir * (int32_t)st(e, CFG_MOUSE_MOVE_DELTA);
    } else {
        int32_t ttm = st(e, CFG_MOUSE_TIME_TO_MAX) ? st(e, CFG_MOUSE_TIME_TO_MAX) : 1;
        int32_t pct = v * 256 / ttm;
        pct = pct * pct / 256;
        int32_t q = (int32_t)st(e, CFG_MOUSE_MAX_SPEED) * (v < 0 ? -pct : pct);
        unit = (v > 0) - (v < 0) + (q >= 0 ? q / 256 : -((-q + 255) / 256));
    }
    return (int8_t)(unit > MOVE_MAX ? MOVE_MAX : unit < -MOVE_MAX ? -MOVE_MAX : unit);
}

static void inertia_on(engine_t *e, uint8_t code)
{
    engine_mouse_state_t *m = &e->mouse;
    bool vertical = code == QK_MOUSE_CURSOR_UP || code == QK_MOUSE_CURSOR_DOWN;
    int8_t dir = code == QK_MOUSE_CURSOR_DOWN || code == QK_MOUSE_CURSOR_RIGHT ? 1 : -1;
    if (vertical) m->ydir = dir;
    else m->xdir = dir;
    if (m->frame < 2) { /* a new gesture: its first report moves at once */
        m->frame = 1;
        if (vertical) m->dir.y = inertia_unit(e, dir, 0);
        else m->dir.x = inertia_unit(e, dir, 0);
    }
}
#endif

void eng_mouse_on(engine_t *e, uint8_t code)
{
    engine_mouse_state_t *m = &e->mouse;
    mouse_report_t *d = &m->dir;
    uint8_t md = mode(e);
    (void)md;
#if ENGINE_HAS_MOUSE_MODES
    uint8_t old = c_speed(e);
    if (!m->kin_on) { /* QMK's kinetic clock starts with any mouse key */
        m->kin_on = 1;
        m->kin_t0 = e->now;
    }
    if (md == CFG_MOUSE_INERTIA && code >= QK_MOUSE_CURSOR_UP && code <= QK_MOUSE_CURSOR_RIGHT) {
        inertia_on(e, code);
        return;
    }
#endif
    int8_t u = 0;
    if (code >= QK_MOUSE_CURSOR_UP && code <= QK_MOUSE_CURSOR_RIGHT) {
#if ENGINE_HAS_MOUSE_MODES
        if (md == CFG_MOUSE_CONSTANT) u = c_offset(e, false);
        else
#endif
            u = move_unit(e);
    } else if (code >= QK_MOUSE_WHEEL_UP && code <= QK_MOUSE_WHEEL_RIGHT) {
#if ENGINE_HAS_MOUSE_MODES
        if (md == CFG_MOUSE_CONSTANT) u = c_offset(e, true);
        else
#endif
            u = wheel_unit(e);
    }
    switch (code) {
    case QK_MOUSE_CURSOR_UP: d->y = (int8_t)-u; break;
    case QK_MOUSE_CURSOR_DOWN: d->y = u; break;
    case QK_MOUSE_CURSOR_LEFT: d->x = (int8_t)-u; break;
    case QK_MOUSE_CURSOR_RIGHT: d->x = u; break;
    case QK_MOUSE_WHEEL_UP: d->v = u; break;
    case QK_MOUSE_WHEEL_DOWN: d->v = (int8_t)-u; break;
    case QK_MOUSE_WHEEL_LEFT: d->h = (int8_t)-u; break;
    case QK_MOUSE_WHEEL_RIGHT: d->h = u; break;
    default:
        if (code >= QK_MOUSE_BUTTON_1 && code <= QK_MOUSE_BUTTON_8) {
            d->buttons |= (uint8_t)(1u << (code - QK_MOUSE_BUTTON_1));
        } else if (code >= QK_MOUSE_ACCELERATION_0 && code <= QK_MOUSE_ACCELERATION_2) {
            m->accel |= (uint8_t)(1u << (code - QK_MOUSE_ACCELERATION_0));
#if ENGINE_HAS_MOUSE_MODES
            m->speed = (uint8_t)(code - QK_MOUSE_ACCELERATION_0 + 1u);
#endif
        }
        break;
    }
#if ENGINE_HAS_MOUSE_MODES
    if (md == CFG_MOUSE_CONSTANT && c_speed(e) != old) c_adjust(e);
#endif
}

void eng_mouse_off(engine_t *e, uint8_t code)
{
    engine_mouse_state_t *m = &e->mouse;
    mouse_report_t *d = &m->dir;
#if ENGINE_HAS_MOUSE_MODES
    uint8_t md = mode(e), old = c_speed(e);
    if (md == CFG_MOUSE_INERTIA) { /* a release stops the push unless the opposite key took over */
        if ((code == QK_MOUSE_CURSOR_UP && m->ydir < 1) || (code == QK_MOUSE_CURSOR_DOWN && m->ydir > -1))
            m->ydir = 0;
        if ((code == QK_MOUSE_CURSOR_LEFT && m->xdir < 1) || (code == QK_MOUSE_CURSOR_RIGHT && m->xdir > -1))
            m->xdir = 0;
    }
#endif
    switch (code) {
    case QK_MOUSE_CURSOR_UP: if (d->y < 0 && mode(e) != CFG_MOUSE_INERTIA) d->y = 0; break;
    case QK_MOUSE_CURSOR_DOWN: if (d->y > 0 && mode(e) != CFG_MOUSE_INERTIA) d->y = 0; break;
    case QK_MOUSE_CURSOR_LEFT: if (d->x < 0 && mode(e) != CFG_MOUSE_INERTIA) d->x = 0; break;
    case QK_MOUSE_CURSOR_RIGHT: if (d->x > 0 && mode(e) != CFG_MOUSE_INERTIA) d->x = 0; break;
    case QK_MOUSE_WHEEL_UP: if (d->v > 0) d->v = 0; break;
    case QK_MOUSE_WHEEL_DOWN: if (d->v < 0) d->v = 0; break;
    case QK_MOUSE_WHEEL_LEFT: if (d->h < 0) d->h = 0; break;
    case QK_MOUSE_WHEEL_RIGHT: if (d->h > 0) d->h = 0; break;
    default:
        if (code >= QK_MOUSE_BUTTON_1 && code <= QK_MOUSE_BUTTON_8) {
            d->buttons &= (uint8_t)~(1u << (code - QK_MOUSE_BUTTON_1));
        } else if (code >= QK_MOUSE_ACCELERATION_0 && code <= QK_MOUSE_ACCELERATION_2) {
            e->mouse.accel &= (uint8_t)~(1u << (code - QK_MOUSE_ACCELERATION_0));
#if ENGINE_HAS_MOUSE_MODES
            /* QMK's MK_MOMENTARY_ACCEL: releasing the ACL key in use goes back to unmod */
            if (st(e, CFG_MOUSE_MOMENTARY_ACCEL) && m->speed == code - QK_MOUSE_ACCELERATION_0 + 1u) m->speed = 0;
#endif
        }
        break;
    }
    if (d->x == 0 && d->y == 0) {
        m->repeat = 0;
#if ENGINE_HAS_MOUSE_MODES
        m->kin_on = 0;
#endif
    }
    if (d->v == 0 && d->h == 0) m->wheel_repeat = 0;
#if ENGINE_HAS_MOUSE_MODES
    if (md == CFG_MOUSE_CONSTANT && c_speed(e) != old) c_adjust(e);
#endif
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
    bool later = m->repeat != 0;
#if ENGINE_HAS_MOUSE_MODES
    if (mode(e) == CFG_MOUSE_CONSTANT) return m->timer_c + c_interval(e, false) + 1u;
    if (mode(e) == CFG_MOUSE_INERTIA) later = m->frame > 1;
#endif
    uint32_t wait = later ? st(e, CFG_MOUSE_INTERVAL) : st(e, CFG_MOUSE_DELAY);
    return m->timer_c + wait + 1u;
}

static uint32_t wheel_due(const engine_t *e)
{
    const engine_mouse_state_t *m = &e->mouse;
    uint32_t wait = m->wheel_repeat ? st(e, CFG_MOUSE_WHEEL_INTERVAL) : st(e, CFG_MOUSE_WHEEL_DELAY);
#if ENGINE_HAS_MOUSE_MODES
    if (mode(e) == CFG_MOUSE_CONSTANT) wait = c_interval(e, true);
    else if (mode(e) == CFG_MOUSE_KINETIC && m->wheel_repeat) wait = m->kin_wheel_iv;
#endif
    return m->timer_w + wait + 1u;
}

/* The cursor moves while a direction is held (in inertia mode: while a gesture lasts). */
static bool cursor_active(const engine_t *e)
{
#if ENGINE_HAS_MOUSE_MODES
    if (mode(e) == CFG_MOUSE_INERTIA) return e->mouse.frame != 0;
#endif
    return e->mouse.dir.x || e->mouse.dir.y;
}

uint32_t eng_mouse_deadline(const engine_t *e)
{
    const mouse_report_t *d = &e->mouse.dir;
    uint32_t best = ENGINE_NO_DEADLINE;
    if (cursor_active(e)) best = cursor_due(e);
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
    uint8_t md = mode(e);
    (void)md;
    if (cursor_active(e) && (int32_t)(e->now - cursor_due(e)) >= 0) {
#if ENGINE_HAS_MOUSE_MODES
        if (md == CFG_MOUSE_INERTIA) {
            m->xvel = inertia_step(e, m->xdir, m->xvel);
            m->yvel = inertia_step(e, m->ydir, m->yvel);
            out.x = inertia_unit(e, m->xdir, m->xvel);
            out.y = inertia_unit(e, m->ydir, m->yvel);
            if (!m->xdir && !m->xvel) m->dir.x = 0; /* QMK: no drift once an axis is still */
            if (!m->ydir && !m->yvel) m->dir.y = 0;
            if (m->frame < 2) m->frame++;
        } else if (md == CFG_MOUSE_CONSTANT) {
            out.x = dir.x;
            out.y = dir.y;
        } else
#endif
        {
            if (m->repeat != 0xFFu) m->repeat++;
            int8_t u = move_unit(e);
            if (dir.x) out.x = dir.x > 0 ? u : (int8_t)-u;
            if (dir.y) out.y = dir.y > 0 ? u : (int8_t)-u;
            if (out.x && out.y) {
                out.x = diag(out.x);
                out.y = diag(out.y);
            }
        }
    }
    bool ended = false;
#if ENGINE_HAS_MOUSE_MODES
    if (md == CFG_MOUSE_INERTIA && !m->xdir && !m->ydir && !m->xvel && !m->yvel) {
        /* The gesture is over. QMK's last report then still shows movement; an empty one ends it
         * here, as a key release does in the other modes, so the host's last report is still. */
        ended = m->frame != 0;
        m->frame = 0;
        m->dir.x = m->dir.y = 0;
    }
#endif
    if ((dir.v || dir.h) && (int32_t)(e->now - wheel_due(e)) >= 0) {
#if ENGINE_HAS_MOUSE_MODES
        if (md == CFG_MOUSE_CONSTANT) {
            out.v = dir.v;
            out.h = dir.h;
        } else
#endif
        {
            if (m->wheel_repeat != 0xFFu) m->wheel_repeat++;
            int8_t u = wheel_unit(e);
            if (dir.v) out.v = dir.v > 0 ? u : (int8_t)-u;
            if (dir.h) out.h = dir.h > 0 ? u : (int8_t)-u;
            if (out.v && out.h) {
                out.v = diag(out.v);
                out.h = diag(out.h);
            }
        }
    }
    if (out.x || out.y || out.v || out.h || ended) send(e, &out);
}

void eng_mouse_clear(engine_t *e)
{
    engine_mouse_state_t *m = &e->mouse;
    memset(&m->dir, 0, sizeof m->dir);
    m->repeat = m->wheel_repeat = m->accel = 0;
#if ENGINE_HAS_MOUSE_MODES
    m->kin_on = m->frame = 0; /* the constant mode's speed stays, as QMK's mk_speed does */
    m->xdir = m->ydir = m->xvel = m->yvel = 0;
#endif
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
