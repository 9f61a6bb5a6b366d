/* The drive's block device: 512-byte sectors (what USB mass storage and FAT speak) stored in a
 * flash area, with a write-back cache of one 4 KB flash sector so that the eight 512-byte writes
 * a host makes to one flash sector cost at most one erase. */
#ifndef KESTREL_DRIVE_DBD_H
#define KESTREL_DRIVE_DBD_H

#include <stdbool.h>
#include <stdint.h>

#include "drive/dflash.h"

#define DBD_SECTOR 512u
#define DBD_PER_FLASH (DFLASH_SECTOR / DBD_SECTOR)
#define DBD_NONE 0xFFFFFFFFu

typedef struct dbd {
    dflash_t *flash;
    uint32_t base;     /* flash offset of sector 0 (DFLASH_SECTOR aligned) */
    uint32_t sectors;  /* 512-byte sectors in the volume (a multiple of DBD_PER_FLASH) */
    uint32_t cached;   /* flash sector (index from base) held in `cache`, or DBD_NONE */
    bool dirty;
    bool failed;       /* a flash write did not verify; the cache keeps the data */
    uint32_t writes;   /* sectors written (counted for tests and the quiet-time logic) */
    uint8_t cache[DFLASH_SECTOR];
} dbd_t;

void dbd_init(dbd_t *b, dflash_t *flash, uint32_t base, uint32_t sectors);
/* The bytes of sector `lba` (from the cache when it holds them, else straight from flash); valid
 * until the next write or flush. NULL outside the volume. */
const uint8_t *dbd_peek(dbd_t *b, uint32_t lba);
bool dbd_read(dbd_t *b, uint32_t lba, uint8_t *out);
bool dbd_write(dbd_t *b, uint32_t lba, const uint8_t *data);
/* Writes the cached sector to flash (if changed). False when the flash did not take it. */
bool dbd_flush(dbd_t *b);

#endif
