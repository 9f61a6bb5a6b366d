/* The flash the drive lives in, as the drive code sees it: memory-mapped reads, and erase/program
 * through the chip's routines. Offsets are from the start of flash. One implementation per target
 * (the RP2 ROM calls in fw/drive_rp2.c) and one in the host tests (a simulated NOR flash). */
#ifndef KESTREL_DRIVE_DFLASH_H
#define KESTREL_DRIVE_DFLASH_H

#include <stdbool.h>
#include <stdint.h>

#define DFLASH_SECTOR 4096u /* erase unit */
#define DFLASH_PAGE 256u    /* program unit */

typedef struct dflash {
    const uint8_t *mem; /* flash offset 0 as the CPU reads it (XIP on the RP2) */
    /* `len` a multiple of DFLASH_SECTOR, `off` aligned: every byte becomes 0xFF. */
    bool (*erase)(void *ctx, uint32_t off, uint32_t len);
    /* `len` a multiple of DFLASH_PAGE, `off` aligned, `data` in RAM: bits can only be cleared. */
    bool (*program)(void *ctx, uint32_t off, const uint8_t *data, uint32_t len);
    void *ctx;
    /* Counts, for tests and benchmarks. */
    uint32_t erases, programs;
} dflash_t;

/* Makes the sector at `off` hold `data` (DFLASH_SECTOR bytes, in RAM) with as little flash work
 * as possible: nothing when it is there already; programs of the differing pages when no bit has
 * to go from 0 to 1; else one erase and programs of the pages that are not all 0xFF. */
bool dflash_update(dflash_t *f, uint32_t off, const uint8_t *data);

/* True when [off, off+len) reads all 0xFF. */
bool dflash_blank(const dflash_t *f, uint32_t off, uint32_t len);

#endif
