/* 512-byte sectors over 4 KB flash sectors: read-modify-write through one cached flash sector,
 * written back when another flash sector is touched or when the caller flushes. */
#include <string.h>

#include "drive/dbd.h"

void dbd_init(dbd_t *b, dflash_t *flash, uint32_t base, uint32_t sectors)
{
    b->flash = flash;
    b->base = base;
    b->sectors = sectors - sectors % DBD_PER_FLASH;
    b->cached = DBD_NONE;
    b->dirty = false;
    b->failed = false;
    b->writes = 0;
}

const uint8_t *dbd_peek(dbd_t *b, uint32_t lba)
{
    if (lba >= b->sectors) return NULL;
    uint32_t fs = lba / DBD_PER_FLASH;
    if (fs == b->cached) return b->cache + (lba % DBD_PER_FLASH) * DBD_SECTOR;
    return b->flash->mem + b->base + lba * DBD_SECTOR;
}

bool dbd_read(dbd_t *b, uint32_t lba, uint8_t *out)
{
    const uint8_t *p = dbd_peek(b, lba);
    if (!p) return false;
    memcpy(out, p, DBD_SECTOR);
    return true;
}

bool dbd_flush(dbd_t *b)
{
    if (b->cached == DBD_NONE || !b->dirty) return true;
    bool ok = dflash_update(b->flash, b->base + b->cached * DFLASH_SECTOR, b->cache);
    b->failed = !ok;
    if (ok) b->dirty = false;
    return ok;
}

bool dbd_write(dbd_t *b, uint32_t lba, const uint8_t *data)
{
    if (lba >= b->sectors) return false;
    uint32_t fs = lba / DBD_PER_FLASH;
    uint8_t *dst;
    if (fs != b->cached) {
        /* an unchanged sector needs no cache: the common case of a host rewriting what is there */
        if (!memcmp(b->flash->mem + b->base + lba * DBD_SECTOR, data, DBD_SECTOR)) {
            b->writes++;
            return true;
        }
        if (!dbd_flush(b)) return false;
        memcpy(b->cache, b->flash->mem + b->base + fs * DFLASH_SECTOR, DFLASH_SECTOR);
        b->cached = fs;
    }
    dst = b->cache + (lba % DBD_PER_FLASH) * DBD_SECTOR;
    if (memcmp(dst, data, DBD_SECTOR)) {
        memcpy(dst, data, DBD_SECTOR);
        b->dirty = true;
    }
    b->writes++;
    return true;
}
