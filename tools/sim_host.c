/* The host back-end: runs the engine over a job's timeline, jumping straight from one event or
 * engine deadline to the next, and collects (and optionally prints) every report it sends. */
#include <stdlib.h>
#include <string.h>

#include "config/keycode.h"
#include "core/engine.h"
#include "core/trace.h"
#include "tools/sim.h"

void sim_reports_push(sim_reports_t *l, const report_t *r)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        report_t *v = realloc(l->v, cap * sizeof *v);
        if (!v) {
            fprintf(stderr, "kestrel: out of memory\n");
            exit(2);
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = *r;
}

void sim_reports_free(sim_reports_t *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

typedef struct host_ctx {
    sim_reports_t *out;
    const sim_host_opts_t *opts;
    uint8_t cols, npos;
    uint32_t now; /* the run's clock (ms); engine time may be 16 bits (core/ktime.h) */
} host_ctx_t;

/* An engine time (at or a little before the run's clock) as a time of the run. */
static uint32_t run_time(const host_ctx_t *h, ktime_t t)
{
    return h->now + (uint32_t)(int32_t)ktime_diff(t, (ktime_t)h->now);
}

static void emit(host_ctx_t *h, report_t *r, ktime_t now)
{
    r->time_us = (uint64_t)run_time(h, now) * 1000u;
    sim_reports_push(h->out, r);
    if (h->opts && h->opts->live) {
        char line[256];
        report_format(r, false, line, sizeof line);
        fprintf(h->opts->live, "%s\n", line);
    }
}

static void on_kbd(void *ctx, const kbd_report_t *k, ktime_t now)
{
    report_t r = {.kind = REPORT_KBD, .mods = k->mods};
    memcpy(r.keys, k->keys, sizeof r.keys);
    emit(ctx, &r, now);
}

static void on_consumer(void *ctx, uint16_t usage, ktime_t now)
{
    report_t r = {.kind = REPORT_CONSUMER, .usage = usage};
    emit(ctx, &r, now);
}

static void on_system(void *ctx, uint16_t usage, ktime_t now)
{
    report_t r = {.kind = REPORT_SYSTEM, .usage = usage};
    emit(ctx, &r, now);
}

static void on_mouse(void *ctx, const mouse_report_t *m, ktime_t now)
{
    report_t r = {.kind = REPORT_MOUSE, .buttons = m->buttons, .x = m->x, .y = m->y, .v = m->v,
                  .h = m->h};
    emit(ctx, &r, now);
}

static void on_action(void *ctx, kc_t kc, ktime_t now)
{
    report_t r = {.kind = REPORT_ACTION, .usage = kc};
    emit(ctx, &r, now);
}

static void fmt_pos(const host_ctx_t *h, uint8_t pos, char *buf, size_t cap)
{
    if (pos == CFG_POS_NONE || h->cols == 0)
        snprintf(buf, cap, "-");
    else if (pos >= h->npos) /* a combo's virtual key */
        snprintf(buf, cap, "combo%u", (unsigned)(pos - h->npos));
    else
        snprintf(buf, cap, "%u,%u", pos / h->cols, pos % h->cols);
}

static void fmt_mods(uint16_t mods, char *buf, size_t cap)
{
    report_t r = {.kind = REPORT_KBD, .mods = (uint8_t)mods};
    char body[64];
    report_format_body(&r, body, sizeof body);
    snprintf(buf, cap, "%s", body + 4); /* drop "kbd " */
}

/* "<ms> trace <what> key=R,C (KEYCODE) <details>": the engine's decision, the key it concerns and,
 * for tap-hold decisions, why and which other key decided it. */
static void on_trace(void *ctx, const engine_trace_t *t)
{
    host_ctx_t *h = ctx;
    if (!h->opts || !h->opts->trace || !h->opts->live) return;
    char kc[64], p1[16], p2[16], extra[160] = "";
    if (kc_format(t->kc, kc, sizeof kc) == 0) snprintf(kc, sizeof kc, "0x%04X", t->kc);
    fmt_pos(h, t->pos, p1, sizeof p1);
    fmt_pos(h, t->pos2, p2, sizeof p2);
    char mods[64];
    switch (t->code) {
    case ENGINE_TRACE_TAPHOLD_PRESSED:
        snprintf(extra, sizeof extra, " term=%u", t->arg);
        break;
    case ENGINE_TRACE_TAPHOLD_TAP:
    case ENGINE_TRACE_TAPHOLD_HOLD:
        if (t->pos2 != CFG_POS_NONE)
            snprintf(extra, sizeof extra, " (%s, other key %s)", engine_trace_reason_text(t->arg), p2);
        else
            snprintf(extra, sizeof extra, " (%s)", engine_trace_reason_text(t->arg));
        break;
    case ENGINE_TRACE_LAYER_ON:
    case ENGINE_TRACE_LAYER_OFF:
    case ENGINE_TRACE_DEFAULT_LAYER:
    case ENGINE_TRACE_ONESHOT_LAYER_ON:
    case ENGINE_TRACE_ONESHOT_LAYER_OFF:
        snprintf(extra, sizeof extra, " layer=%u", t->arg);
        break;
    case ENGINE_TRACE_ONESHOT_MODS:
    case ENGINE_TRACE_ONESHOT_LOCKED:
    case ENGINE_TRACE_ONESHOT_USED:
        fmt_mods(t->arg, mods, sizeof mods);
        snprintf(extra, sizeof extra, " mods=%s", mods);
        break;
    case ENGINE_TRACE_ONESHOT_TIMEOUT:
        if (t->arg & 0x100u) {
            snprintf(extra, sizeof extra, " layer=%u", t->arg & 0xFFu);
        } else {
            fmt_mods(t->arg, mods, sizeof mods);
            snprintf(extra, sizeof extra, " mods=%s", mods);
        }
        break;
    case ENGINE_TRACE_ONESHOT_ENABLED:
    case ENGINE_TRACE_NKRO:
        snprintf(extra, sizeof extra, " %s", t->arg ? "on" : "off");
        break;
    default:
        if (t->arg) snprintf(extra, sizeof extra, " arg=%u", t->arg);
        break;
    }
    if (t->pos == CFG_POS_NONE)
        fprintf(h->opts->live, "%u trace %s%s\n", run_time(h, t->time), engine_trace_text(t->code), extra);
    else
        fprintf(h->opts->live, "%u trace %s key=%s (%s)%s\n", run_time(h, t->time), engine_trace_text(t->code),
                p1, kc, extra);
}

static const engine_sink_t host_sink = {on_kbd, on_consumer, on_system, on_mouse, on_action,
                                        on_trace};

/* Runs every engine deadline up to and including `until`. A deadline that does not move after
 * its tick would loop forever; that is an engine fault, reported as such. */
static bool run_timers(engine_t *e, host_ctx_t *h, uint32_t until, char *err, size_t errcap)
{
    unsigned stuck = 0;
    uint32_t last = UINT32_MAX, *now = &h->now;
    for (;;) {
        ktime_t k = engine_next_deadline(e);
        uint32_t dl = k == ENGINE_NO_DEADLINE ? UINT32_MAX : run_time(h, k);
#if ENGINE_TIME_BITS < 32
        /* 16-bit engine time: the engine hears from its caller at least every KTIME_SPAN_MAX ms */
        if (dl - *now > KTIME_SPAN_MAX && until - *now > KTIME_SPAN_MAX) {
            *now += KTIME_SPAN_MAX;
            engine_tick(e, (ktime_t)*now);
            continue;
        }
#endif
        if (dl == UINT32_MAX || dl > until) return true;
        if (dl < *now) dl = *now;
        if (dl == last && ++stuck > 1000) {
            snprintf(err, errcap, "the engine asks for a tick at %u ms again and again", dl);
            return false;
        }
        if (dl != last) stuck = 0;
        last = dl;
        *now = dl;
        engine_tick(e, (ktime_t)dl);
    }
}

int sim_host_run(const sim_job_t *job, const sim_host_opts_t *opts, sim_reports_t *out,
                 uint32_t *idle_ms, char *err, size_t errcap)
{
    engine_t *e = calloc(1, sizeof *e);
    if (!e) {
        snprintf(err, errcap, "out of memory");
        return 2;
    }
    host_ctx_t h = {out, opts, job->config->cfg.cols, job->config->cfg.npos, 0};
    engine_init(e, &job->config->cfg, &host_sink, &h);
    int rc = 0;
    for (size_t i = 0; i < job->nevents && rc == 0; i++) {
        const scn_event_t *ev = &job->events[i];
        if (!run_timers(e, &h, ev->time_ms, err, errcap)) {
            rc = 2;
            break;
        }
        h.now = ev->time_ms;
        engine_key_event(e, (uint8_t)(ev->row * job->config->cfg.cols + ev->col), ev->pressed,
                         (ktime_t)h.now);
    }
    if (rc == 0 && !run_timers(e, &h, job->end_ms, err, errcap)) rc = 2;
    uint32_t cap = job->end_ms + job->settle_ms;
    if (rc == 0 && !run_timers(e, &h, cap, err, errcap)) rc = 2;
    uint32_t now = h.now;
    if (idle_ms)
        *idle_ms = engine_next_deadline(e) == ENGINE_NO_DEADLINE ? (now > job->end_ms ? now : job->end_ms)
                                                                 : cap;
    free(e);
    return rc;
}

/* Emulated back-ends are optional files; an undefined weak reference reads as NULL, which makes
 * the target "known but not built in". */
#pragma weak sim_rp2040_run
#pragma weak sim_atmega32u4_run

static int host_backend_run(const sim_job_t *job, sim_reports_t *out, char *err, size_t errcap)
{
    return sim_host_run(job, NULL, out, NULL, err, errcap);
}

const sim_backend_t *sim_backend_find(const char *target)
{
    static sim_backend_t table[3];
    table[0] = (sim_backend_t){"host", false, host_backend_run};
    table[1] = (sim_backend_t){"rp2040", true, sim_rp2040_run};
    table[2] = (sim_backend_t){"atmega32u4", true, sim_atmega32u4_run};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(table[i].target, target)) return &table[i];
    return NULL;
}
