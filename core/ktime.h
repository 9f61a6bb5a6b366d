/* Engine time and layer state: 16 bits each on the ATmega32U4, whose 8-bit CPU spends twice the code
 * on every 32-bit value, 32 bits elsewhere. A host build can choose 16-bit time with
 * -DENGINE_TIME_BITS=16 (make test-scenarios-16 runs every scenario that way).
 *
 * Engine time is milliseconds on a wrapping clock: only differences are compared, and only
 * differences up to KTIME_SPAN_MAX (32,767 ms with 16 bits) mean anything. So every time setting
 * is at most KTIME_SPAN_MAX (the config loader rejects more for an ATmega32U4 keyboard), and the
 * caller of the engine and of the debouncer never lets more than KTIME_SPAN_MAX pass between two
 * calls (engine_tick() is cheap when nothing is due; fw/main.c calls it on every loop). Timestamps
 * that can grow older than that are aged by the engine on every call (see eng_age in engine.c). */
#ifndef KESTREL_CORE_KTIME_H
#define KESTREL_CORE_KTIME_H

#include <stdbool.h>
#include <stdint.h>

#ifndef ENGINE_TIME_BITS
#if defined(__AVR__)
#define ENGINE_TIME_BITS 16
#else
#define ENGINE_TIME_BITS 32
#endif
#endif

/* Layers a keymap may have on this build: bit i of a layer_state_t is layer i. */
#ifndef ENGINE_LAYER_BITS
#if defined(__AVR__)
#define ENGINE_LAYER_BITS 16
#else
#define ENGINE_LAYER_BITS 32
#endif
#endif

#if ENGINE_TIME_BITS == 16
typedef uint16_t ktime_t;
typedef int16_t ktime_diff_t;
#elif ENGINE_TIME_BITS == 32
typedef uint32_t ktime_t;
typedef int32_t ktime_diff_t;
#else
#error "ENGINE_TIME_BITS must be 16 or 32"
#endif

#if ENGINE_LAYER_BITS == 16
typedef uint16_t layer_state_t;
#elif ENGINE_LAYER_BITS == 32
typedef uint32_t layer_state_t;
#else
#error "ENGINE_LAYER_BITS must be 16 or 32"
#endif

/* The longest span of engine time that compares correctly (and the longest time setting). */
#define KTIME_SPAN_MAX ((ktime_t)((ktime_t)~(ktime_t)0 >> 1))
/* "No deadline" for the engine, the debouncer and the USB stack's timers. */
#define KTIME_NONE ((ktime_t)~(ktime_t)0)

/* a - b as a signed span (a after b: positive) */
static inline ktime_diff_t ktime_diff(ktime_t a, ktime_t b) { return (ktime_diff_t)(ktime_t)(a - b); }
/* a is earlier than b on the wrapping clock */
static inline bool ktime_before(ktime_t a, ktime_t b) { return ktime_diff(a, b) < 0; }
/* A real deadline never reads as KTIME_NONE: one that falls on that value is taken 1 ms later
 * (once every 65.5 s of 16-bit time at most; never in practice with 32 bits). Every timer of the
 * engine, the debouncer and the USB stack makes its deadline here: one copy on the ATmega32U4
 * (core/engine.c), inline elsewhere. */
static inline ktime_t ktime_deadline_inline(ktime_t t) { return (ktime_t)(t + (t == KTIME_NONE)); }
#if defined(__AVR__)
ktime_t ktime_deadline(ktime_t t);
#else
static inline ktime_t ktime_deadline(ktime_t t) { return ktime_deadline_inline(t); }
#endif
/* The sooner of two deadlines, either of which may be KTIME_NONE (none). The engine and the
 * firmware loop merge their deadlines with it: one copy on the ATmega32U4 (core/engine.c), inline
 * elsewhere. */
static inline ktime_t ktime_earliest_inline(ktime_t a, ktime_t b)
{
    if (a == KTIME_NONE) return b;
    if (b == KTIME_NONE) return a;
    return ktime_before(a, b) ? a : b;
}
#if defined(__AVR__)
ktime_t ktime_earliest(ktime_t a, ktime_t b);
#else
static inline ktime_t ktime_earliest(ktime_t a, ktime_t b) { return ktime_earliest_inline(a, b); }
#endif
/* An old timestamp kept no older than `span` (<= KTIME_SPAN_MAX) at `now`, so that it still
 * compares as at least that old after the clock wraps (every comparison against it is shorter). */
static inline void ktime_age(ktime_t *ts, ktime_t now, ktime_t span)
{
    if ((ktime_t)(now - *ts) > span) *ts = (ktime_t)(now - span);
}

#endif
