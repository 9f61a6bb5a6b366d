/* Mouse keys, QMK's modes chosen at run time by mouse_key.mode: accelerated (QMK's default: the
 * first report moves by move_delta, the next after delay ms, then one every interval ms, growing
 * linearly to move_delta * max_speed over time_to_max steps; the wheel alike with a delta of 1),
 * combined (the same, with ACL0 = 1 px and ACL2 = 127), kinetic (speed grows with the square of
 * the time held), constant (QMK's 3-speed mode: fixed offsets and intervals per MS_ACLn) and
 * inertia (velocity that builds up and coasts down with friction). Deadlines come from here; the
 * engine has no clock. The step sizes of the accelerated, combined and kinetic curves come from a
 * table the loader computes from the settings (core/cfg.h, section MOUSE; config/image_write.c):
 * the chip indexes it instead of doing the curves' arithmetic.
 *
 * The cursor and the wheel share every helper (w = 0 cursor, 1 wheel; their settings come from
 * one table): one copy of each rule keeps the ATmega32U4 image small. */
#include <stddef.h>
#include <string.h>

#include "core/engine_int.h"
#include "core/rom.h"


/* Out of line: one call per read (the id only) costs less than cfg_setting's two arguments at
 * each of its many uses. */
__attribute__((noinline)) static uint16_t st(const engine_t *e, uint8_t id)
{
    return cfg_setting(ENG_CFG(e), (enum cfg_setting_id)id);
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

/* The settings of the cursor [0] and of the wheel [1], as setting ids (all below 256). */
enum { P_DELAY, P_INTERVAL,
#if ENGINE_HAS_MOUSE_MODES
       P_CONST,
#endif
       P_COUNT };
_Static_assert(CFG_SETTING_COUNT <= 256, "setting ids are stored as bytes");
static const uint8_t params[2][P_COUNT] ROM_DATA = {
    {CFG_MOUSE_DELAY, CFG_MOUSE_INTERVAL,
#if ENGINE_HAS_MOUSE_MODES
     CFG_MOUSE_C_OFFSET_UNMOD
#endif
    },
    {CFG_MOUSE_WHEEL_DELAY, CFG_MOUSE_WHEEL_INTERVAL,
#if ENGINE_HAS_MOUSE_MODES
     CFG_MOUSE_W_OFFSET_UNMOD
#endif
    },
};

static uint16_t par(const engine_t *e, uint8_t w, uint8_t p)
{
    return st(e, ROM_RD8(&params[w][p]));
}

static uint8_t repeat(const engine_t *e, uint8_t w)
{
    return e->mouse.repeat[w];
}

#define DIR_MINUS 0x65u /* bit i: direction i counts down (up, left, wheel down, wheel left) */

#if ENGINE_HAS_MOUSE_MODES
/* Constant (3-speed): the speed index into the offset/interval settings, 0 = unmod, 1-3 = ACL0-2.
 * Without momentary_accel QMK starts at speed 1 (ACL1) and keeps the last ACL key's speed. */
static uint8_t c_speed(const engine_t *e)
{
    uint8_t s = e->mouse.speed;
    return s ? s : st(e, CFG_MOUSE_MOMENTARY_ACCEL) ? 0u : 2u;
}

/* The interval at the current speed (the offsets are in the MOUSE table) */
static uint16_t c_interval(const engine_t *e, uint8_t w)
{
    return st(e, (uint8_t)(ROM_RD8(&params[w][P_CONST]) + 2u * c_speed(e) + 1u));
}
#endif

/* Entry i of block w (0 cursor, 1 wheel) of the table the loader computed from the settings
 * (core/cfg.h, section MOUSE), the last one past the block's end; 1 when the block is missing or
 * shorter than 4 bytes. */
static uint8_t table(const engine_t *e, uint8_t w, ktime_t i)
{
    const cfg_t *c = ENG_CFG(e);
    const uint8_t *p = c->base + c->off[CFG_SEC_MOUSE];
    uint16_t n = c->count[CFG_SEC_MOUSE], len = c->len[CFG_SEC_MOUSE];
    if (w) { /* the wheel's block follows the cursor's */
        p += n;
        n = (uint16_t)(len - n);
    }
    if (n < 4u || n > len) return 1;
    return CFG_RD8(p + (i < n ? i : (ktime_t)(n - 1u)));
}

/* The size of one step of the cursor or the wheel in every mode but inertia's cursor: a held
 * MS_ACLn's entry, else the curve's at the repeats so far (kinetic: 1 + the 50 ms steps since the
 * movement began; constant: the speed, c_speed). The kinetic wheel moves 1 per report; its entry
 * is the speed that sets the interval instead. */
static int8_t unit(engine_t *e, uint8_t w)
{
    engine_mouse_state_t *m = &e->mouse;
    uint8_t md = mode(e);
    (void)md;
    uint8_t v = 0;
    /* (accel holds bits 0-2 only: MS_ACL0-2) */
    for (uint8_t a = m->accel, i = 0; a && !v; a >>= 1, i++)
        if (a & 1u) v = table(e, w, i);
    if (!v) {
        /* kinetic: past the curve's end (t > 1000 included) the last entry holds */
        ktime_t idx = repeat(e, w);
#if ENGINE_HAS_MOUSE_MODES
        if (md == CFG_MOUSE_KINETIC) idx = idx && m->kin_on ? (ktime_t)(e->now - m->kin_t0) / 50u + 1u : 0;
        else if (md == CFG_MOUSE_CONSTANT) idx = c_speed(e);
#endif
        v = table(e, w, (ktime_t)(idx + 3u));
    }
#if ENGINE_HAS_MOUSE_MODES
    if (w && md == CFG_MOUSE_KINETIC) {
        m->kin_wheel_iv = (uint16_t)(1000u / (v ? v : 1u));
        return 1;
    }
#endif
    /* The loader's entries are 1..127; one above (a crafted image) would turn negative, and a
     * direction key's release, which stops its axis only if it still moves its way, would then
     * leave the pointer moving for ever. */
    return (int8_t)(v > 127u ? 127u : v);
}

/* A pair of axes (x y, or v h) moving by u (0..127: every step is) in the directions of a and b
 * (an axis at 0 stays). Diagonal moves are scaled down by sqrt(2) as QMK does now: u * 181 / 256
 * rounded to the nearest (older QMK rounded down), for u >= 1 never 0. Scaling u before the
 * signs is the same as QMK's scaling of each signed axis (its rounding is symmetric). */
static void pair(int8_t u, int8_t a, int8_t b, int8_t *oa, int8_t *ob)
{
    if (a && b && u) u = (int8_t)((uint16_t)((uint8_t)u * 181u + 128u) >> 8); /* (a constant offset may be 0) */
    if (a) *oa = a > 0 ? u : (int8_t)-u;
    if (b) *ob = b > 0 ? u : (int8_t)-u;
}

#if ENGINE_HAS_MOUSE_MODES
/* Constant mode: a speed change rescales what is held to the new offsets (QMK's adjust_speed). */
static void c_adjust(engine_t *e)
{
    mouse_report_t *d = &e->mouse.dir;
    pair(unit(e, 0), d->x, d->y, &d->x, &d->y);
    pair(unit(e, 1), d->v, d->h, &d->v, &d->h);
}

/* Inertia: the velocity (at most time_to_max) slows by friction/256 per frame when its key is not
 * held, and grows by one per frame towards the key held (QMK's calc_inertia). The loader refuses
 * time_to_max 0 and friction 0 here; an image crafted with them gets 1 for each, so the velocity
 * still grows (with 0 the frame timer would fall due at every tick, nothing ever sent) and a
 * released pointer stops. */
static int8_t inertia_step(const engine_t *e, int8_t dir, int8_t v)
{
    uint8_t f = (uint8_t)st(e, CFG_MOUSE_FRICTION);
    uint16_t keep = (uint16_t)(256u - (f ? f : 1u)), t = st(e, CFG_MOUSE_TIME_TO_MAX);
    int8_t ttm = t > 127u ? 127 : t ? (int8_t)t : 1;
    /* (v + 1) * keep / 256 below zero and v * keep / 256 above, truncated towards zero, on the
     * magnitudes (16-bit unsigned: cheap on AVR) */
    if (dir > -1 && v < 0) v = (int8_t)-(int8_t)((uint16_t)(uint8_t)(-1 - v) * keep >> 8);
    else if (dir < 1 && v > 0) v = (int8_t)((uint16_t)v * keep >> 8);
    if (dir > 0 && v < ttm) v++;
    else if (dir < 0 && v > -ttm) v--;
    return v;
}

/* The step of a frame: the first moves by move_delta towards the key, the next by the velocity's
 * entry in the table the loader computed (core/cfg.h, section MOUSE: inertia mode's cursor
 * block, QMK's sign(v) + max_speed * (v / time_to_max)^2): bits 0-6 towards plus, bit 7 one more
 * towards minus. */
__attribute__((noinline)) static int8_t inertia_unit(const engine_t *e, int8_t dir, int8_t v)
{
    uint8_t a = 0;
    bool minus = dir < 0;
    if (e->mouse.frame < 2) {
        if (!dir) return 0;
    } else {
        if (!v) return 0;
        minus = v < 0;
        a = (uint8_t)(minus ? -v : v);
    }
    uint8_t t = table(e, 0, a); /* (|v| <= time_to_max: within the block) */
    uint8_t u = (uint8_t)((t & 0x7Fu) + (minus && (t & 0x80u)));
    return minus ? (int8_t)-u : (int8_t)u;
}

/* A cursor key (direction index i < 4, see dir_index) pushes its axis (1: y, 0: x). */
static void inertia_on(engine_t *e, uint8_t i, bool minus)
{
    engine_mouse_state_t *m = &e->mouse;
    uint8_t ax = i < 2;
    int8_t dir = minus ? -1 : 1;
    m->idir[ax] = dir;
    if (m->frame < 2) { /* a new gesture: its first report moves at once */
        m->frame = 1;
        int8_t u = inertia_unit(e, dir, 0);
        if (ax) m->dir.y = u;
        else m->dir.x = u;
    }
}
#endif

/* The 8 direction keys (cursor up down left right, wheel up down left right): the index, 0-7, or
 * 8 for any other key; the axis each moves and whether towards minus. */
static uint8_t dir_index(uint8_t code)
{
    if (code >= QK_MOUSE_CURSOR_UP && code <= QK_MOUSE_CURSOR_RIGHT) return (uint8_t)(code - QK_MOUSE_CURSOR_UP);
    if (code >= QK_MOUSE_WHEEL_UP && code <= QK_MOUSE_WHEEL_RIGHT) return (uint8_t)(code - QK_MOUSE_WHEEL_UP + 4u);
    return 8;
}

static const uint8_t dir_axis[4] ROM_DATA = {
    offsetof(mouse_report_t, y), offsetof(mouse_report_t, x),
    offsetof(mouse_report_t, v), offsetof(mouse_report_t, h),
};

static int8_t *dir_field(mouse_report_t *d, uint8_t i)
{
    return (int8_t *)((uint8_t *)d + ROM_RD8(&dir_axis[i >> 1]));
}

/* The two axes of the cursor (w = 0: x y) or of the wheel (w = 1: v h), as an array. */
static int8_t *axes(mouse_report_t *r, uint8_t w)
{
    return (int8_t *)((uint8_t *)r + offsetof(mouse_report_t, x) + 2u * w);
}

static bool moving(const mouse_report_t *r, uint8_t w)
{
    const int8_t *a = axes((mouse_report_t *)r, w);
    return (a[0] | a[1]) != 0;
}

/* A button or MS_ACLn key (any mouse key but a direction: set_code passes mouse keys only): its
 * bit set (on) or cleared. True for an MS_ACLn key. */
static bool flag_key(engine_t *e, uint8_t code, bool on)
{
    engine_mouse_state_t *m = ENG_NEAR(&e->mouse);
    bool acl = code >= QK_MOUSE_ACCELERATION_0;
    uint8_t *f = acl ? &m->accel : &m->dir.buttons;
    uint8_t bit = (uint8_t)(1u << ((code - (acl ? QK_MOUSE_ACCELERATION_0 : QK_MOUSE_BUTTON_1)) & 7u));
    *f = on ? (uint8_t)(*f | bit) : (uint8_t)(*f & ~bit);
    return acl;
}

/* A mouse key goes down or up (its report is sent by the caller). */
void eng_mouse_key(engine_t *e, uint8_t code, bool down)
{
    engine_mouse_state_t *m = &e->mouse;
    mouse_report_t *d = &m->dir;
    uint8_t md = mode(e), i = dir_index(code);
    bool minus = DIR_MINUS >> i & 1u; /* (i = 8: false) */
    (void)md;
#if ENGINE_HAS_MOUSE_MODES
    uint8_t old = c_speed(e);
    if (down && !m->kin_on) { /* QMK's kinetic clock starts with any mouse key */
        m->kin_on = 1;
        m->kin_t0 = e->now;
    }
    if (md == CFG_MOUSE_INERTIA && i < 4) {
        if (down) {
            inertia_on(e, i, minus);
            return;
        }
        /* a release stops the push unless the opposite key took over */
        int8_t *p = &m->idir[i < 2];
        if (minus ? *p < 1 : *p > -1) *p = 0;
    }
#endif
    if (i < 8) {
        int8_t *f = dir_field(d, i);
        if (down) {
            int8_t u = unit(e, i >> 2);
            *f = minus ? (int8_t)-u : u;
        } else if ((minus ? *f < 0 : *f > 0) && (i >= 4 || md != CFG_MOUSE_INERTIA)) {
            *f = 0; /* the axis stops if it still moves this key's way (inertia coasts on its own) */
        }
    } else if (flag_key(e, code, down)) {
#if ENGINE_HAS_MOUSE_MODES
        uint8_t speed = (uint8_t)(code - QK_MOUSE_ACCELERATION_0 + 1u);
        if (down) m->speed = speed;
        /* QMK's MK_MOMENTARY_ACCEL: releasing the ACL key in use goes back to unmod */
        else if (st(e, CFG_MOUSE_MOMENTARY_ACCEL) && m->speed == speed) m->speed = 0;
#endif
    }
    if (!down) {
        if (!moving(d, 0)) {
            m->repeat[0] = 0;
#if ENGINE_HAS_MOUSE_MODES
            m->kin_on = 0;
#endif
        }
        if (!moving(d, 1)) m->repeat[1] = 0;
    }
#if ENGINE_HAS_MOUSE_MODES
    if (md == CFG_MOUSE_CONSTANT && c_speed(e) != old) c_adjust(e);
#endif
}

/* Movement reports are sent every time (each one moves the pointer); others only on change. */
static void send(engine_t *e, const mouse_report_t *r)
{
    engine_mouse_state_t *m = &e->mouse;
    bool moves = false;
    for (uint8_t w = 0; w < 2; w++)
        if (moving(r, w)) {
            m->timer[w] = e->now;
            moves = true;
        }
    /* the host starts from the empty report: an unchanged report without movement is no news */
    if (!moves && memcmp(r, &m->last, sizeof *r) == 0) return;
    m->last = *r;
    eng_seq_count_report(e);
    if (ENG_SINK(e)->mouse) ENG_SINK(e)->mouse(ENG_CTX(e), r, e->now);
}

void eng_mouse_send(engine_t *e)
{
    send(e, &e->mouse.dir);
}

/* When the cursor (w = 0) or the wheel moves next: QMK moves again once strictly more than the
 * delay (first repeat) or interval has passed since the last report. */
static ktime_t due(const engine_t *e, uint8_t w)
{
    const engine_mouse_state_t *m = &e->mouse;
    bool later = repeat(e, w) != 0;
    uint8_t md = mode(e);
    (void)md;
#if ENGINE_HAS_MOUSE_MODES
    if (!w && md == CFG_MOUSE_INERTIA) later = m->frame > 1;
#endif
    uint16_t wait;
#if ENGINE_HAS_MOUSE_MODES
    if (md == CFG_MOUSE_CONSTANT) wait = c_interval(e, w);
    else if (w && md == CFG_MOUSE_KINETIC && later) wait = m->kin_wheel_iv;
    else
#endif
        wait = par(e, w, later ? P_INTERVAL : P_DELAY);
    return ktime_deadline((ktime_t)(m->timer[w] + wait + 1u));
}

/* The cursor moves while a direction is held (in inertia mode: while a gesture lasts); the wheel
 * while one of its directions is. */
static bool active(const engine_t *e, uint8_t w)
{
#if ENGINE_HAS_MOUSE_MODES
    if (!w && mode(e) == CFG_MOUSE_INERTIA) return e->mouse.frame != 0;
#endif
    return moving(&e->mouse.dir, w);
}

/* Nothing moves in any mode: the engine asks for the deadline and runs the task very often, and
 * this answers without reading a setting. */
static bool still(const engine_t *e)
{
    const mouse_report_t *d = ENG_NEAR(&e->mouse.dir);
#if ENGINE_HAS_MOUSE_MODES
    if (e->mouse.frame) return false;
#endif
    return !(d->x | d->y | d->v | d->h);
}

ktime_t eng_mouse_deadline(const engine_t *e)
{
    ktime_t best = ENGINE_NO_DEADLINE;
    if (still(e)) return best;
    for (uint8_t w = 0; w < 2; w++) {
        if (!active(e, w)) continue;
        ktime_t t = due(e, w);
        if (best == ENGINE_NO_DEADLINE || ktime_before(t, best)) best = t;
    }
    /* A frame that moved nothing leaves its timer (QMK's too: only a report that moves sets it),
     * so it is due again at once, and QMK runs it again at its next scan: an inertia reversal's
     * frame at velocity 0. Here the next millisecond. A crafted table whose steps are 0 would
     * otherwise keep it due at every tick, for ever. */
    if (best != ENGINE_NO_DEADLINE && !ktime_before(e->now, best)) best = ktime_deadline((ktime_t)(e->now + 1u));
    return best;
}

void eng_mouse_task(engine_t *e)
{
    engine_mouse_state_t *m = &e->mouse;
    const mouse_report_t dir = m->dir;
    mouse_report_t out = {dir.buttons, 0, 0, 0, 0};
    uint8_t md = mode(e);
    (void)md;
    for (uint8_t w = 0; w < 2; w++) {
        if (!active(e, w) || ktime_before(e->now, due(e, w))) continue;
        const int8_t *in = axes((mouse_report_t *)&dir, w);
        int8_t a = in[0], b = in[1], *oa = axes(&out, w), *ob = oa + 1;
#if ENGINE_HAS_MOUSE_MODES
        if (!w && md == CFG_MOUSE_INERTIA) {
            for (uint8_t ax = 0; ax < 2; ax++) {
                int8_t dr = m->idir[ax], v = m->ivel[ax] = inertia_step(e, dr, m->ivel[ax]);
                *(ax ? &out.y : &out.x) = inertia_unit(e, dr, v);
                if (!dr && !v) *(ax ? &m->dir.y : &m->dir.x) = 0; /* QMK: no drift once an axis is still */
            }
            if (m->frame < 2) m->frame++;
            continue;
        }
        if (md == CFG_MOUSE_CONSTANT) {
            *oa = a;
            *ob = b;
            continue;
        }
#endif
        uint8_t *rep = &m->repeat[w];
        if (*rep != 0xFFu) (*rep)++;
        pair(unit(e, w), a, b, oa, ob);
    }
    bool ended = false;
#if ENGINE_HAS_MOUSE_MODES
    if (md == CFG_MOUSE_INERTIA && !(m->idir[0] | m->idir[1] | m->ivel[0] | m->ivel[1])) {
        /* The gesture is over. QMK's last report then still shows movement; an empty one ends it
         * here, as a key release does in the other modes, so the host's last report is still. */
        ended = m->frame != 0;
        m->frame = 0;
        m->dir.x = m->dir.y = 0;
    }
#endif
    if (moving(&out, 0) || moving(&out, 1) || ended) send(e, &out);
}

void eng_mouse_clear(engine_t *e)
{
    engine_mouse_state_t *m = ENG_NEAR(&e->mouse);
    memset(&m->dir, 0, sizeof m->dir);
    m->repeat[0] = m->repeat[1] = m->accel = 0;
#if ENGINE_HAS_MOUSE_MODES
    m->kin_on = m->frame = 0; /* the constant mode's speed stays, as QMK's mk_speed does */
    m->idir[0] = m->idir[1] = m->ivel[0] = m->ivel[1] = 0;
#endif
    eng_mouse_send(e);
}

static void mouse_press(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    eng_register_code(e, (uint8_t)k->kc);
}

static void mouse_release(engine_t *e, engine_held_t *k)
{
    ENG_BHV_ENTRY(e);
    eng_unregister_code(e, (uint8_t)k->kc);
}

ENG_BHV_DEFINE(mouse, mouse_press, mouse_release)
