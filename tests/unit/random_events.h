/* The random event sequences' generator, shared by the property test, the engine benchmark and the
 * differential check: xorshift32 (seeded by setting rng_state) and the gaps between events.
 * tests/diff/run.sh copies this file next to its driver, which it also builds against an older
 * revision's headers, so it includes nothing of the project. */
#ifndef KESTREL_TESTS_RANDOM_EVENTS_H
#define KESTREL_TESTS_RANDOM_EVENTS_H

#include <stdint.h>

static uint32_t rng_state;
static inline uint32_t rng(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

/* Gaps that hit every interesting window: same instant, rolls, around the terms, long holds. */
static inline uint32_t gap(void)
{
    switch (rng() % 8) {
    case 0: return 0;
    case 1: case 2: return rng() % 40;
    case 3: case 4: return 40 + rng() % 160;
    case 5: return 145 + rng() % 110; /* around 150/200/250 ms terms */
    case 6: return 250 + rng() % 600;
    default: return 1 + rng() % 8;
    }
}

#endif
