/* A simulated NOR flash for the drive's host tests: erase sets bytes to 0xFF, program only clears
 * bits, both check alignment; and a power cut at a chosen operation, which leaves that operation
 * torn (half done) and fails every later one. */
#ifndef KESTREL_TESTS_SIMFLASH_H
#define KESTREL_TESTS_SIMFLASH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drive/dflash.h"

#define SIM_FLASH_SIZE (4u << 20)

typedef struct simflash {
    uint8_t mem[SIM_FLASH_SIZE];
    long ops;      /* operations started */
    long cut_at;   /* the operation during which power is lost, -1 = never */
    bool dead;
    bool misuse;   /* an unaligned or out-of-range call was made */
    unsigned seed;
} simflash_t;

/* True when this operation must not happen: the power is already gone, or goes now (then the
 * operation is left torn by the caller). */
static inline bool sim_dead(simflash_t *s, bool *tear)
{
    *tear = false;
    if (s->dead) return true;
    if (s->cut_at >= 0 && s->ops == s->cut_at) {
        s->dead = true;
        *tear = true;
        return true;
    }
    s->ops++;
    return false;
}

static bool sim_erase(void *ctx, uint32_t off, uint32_t len)
{
    simflash_t *s = ctx;
    bool tear;
    if (off % DFLASH_SECTOR || len % DFLASH_SECTOR || off + len > SIM_FLASH_SIZE) {
        s->misuse = true;
        return false;
    }
    if (sim_dead(s, &tear)) {
        if (tear) { /* part of the range erased, the rest garbage from interrupted cells */
            uint32_t half = len / 2u;
            memset(s->mem + off, 0xFF, half);
            for (uint32_t i = half; i < len; i++) s->mem[off + i] &= (uint8_t)rand_r(&s->seed);
        }
        return false;
    }
    memset(s->mem + off, 0xFF, len);
    return true;
}

static bool sim_program(void *ctx, uint32_t off, const uint8_t *data, uint32_t len)
{
    simflash_t *s = ctx;
    bool tear;
    if (off % DFLASH_PAGE || len % DFLASH_PAGE || off + len > SIM_FLASH_SIZE) {
        s->misuse = true;
        return false;
    }
    if (sim_dead(s, &tear)) {
        if (tear) { /* a prefix of the page made it */
            uint32_t part = (uint32_t)rand_r(&s->seed) % len;
            for (uint32_t i = 0; i < part; i++) s->mem[off + i] &= data[i];
        }
        return false;
    }
    for (uint32_t i = 0; i < len; i++) s->mem[off + i] &= data[i];
    return true;
}

static inline void sim_init(simflash_t *s, dflash_t *f)
{
    memset(s->mem, 0xFF, sizeof s->mem);
    s->ops = 0;
    s->cut_at = -1;
    s->dead = false;
    s->misuse = false;
    s->seed = 1;
    memset(f, 0, sizeof *f);
    f->mem = s->mem;
    f->erase = sim_erase;
    f->program = sim_program;
    f->ctx = s;
}

/* Power comes back: the flash works again, with whatever the cut left in it. */
static inline void sim_power_on(simflash_t *s)
{
    s->dead = false;
    s->cut_at = -1;
}

#endif
