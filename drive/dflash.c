/* Flash updates that erase only what changed: a 4 KB erase costs tens of milliseconds on a real
 * chip (and wears it), a page program well under one. */
#include <string.h>

#include "drive/dflash.h"

bool dflash_blank(const dflash_t *f, uint32_t off, uint32_t len)
{
    const uint8_t *p = f->mem + off;
    for (uint32_t i = 0; i < len; i++)
        if (p[i] != 0xFFu) return false;
    return true;
}

static bool page_blank(const uint8_t *p)
{
    for (unsigned i = 0; i < DFLASH_PAGE; i++)
        if (p[i] != 0xFFu) return false;
    return true;
}

bool dflash_update(dflash_t *f, uint32_t off, const uint8_t *data)
{
    const uint8_t *cur = f->mem + off;
    if (!memcmp(cur, data, DFLASH_SECTOR)) return true;
    bool need_erase = false;
    for (unsigned i = 0; i < DFLASH_SECTOR && !need_erase; i++)
        if ((cur[i] & data[i]) != data[i]) need_erase = true;
    if (need_erase) {
        f->erases++;
        if (!f->erase(f->ctx, off, DFLASH_SECTOR)) return false;
    }
    for (unsigned p = 0; p < DFLASH_SECTOR; p += DFLASH_PAGE) {
        /* after an erase every page is blank: only the pages with data need programming */
        if (need_erase ? page_blank(data + p) : !memcmp(cur + p, data + p, DFLASH_PAGE)) continue;
        f->programs++;
        if (!f->program(f->ctx, off + p, data + p, DFLASH_PAGE)) return false;
    }
    return !memcmp(cur, data, DFLASH_SECTOR);
}
