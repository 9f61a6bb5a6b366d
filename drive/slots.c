/* Two-slot config store. Order of a write: erase the target's header sector (the target stops
 * being valid), bring its image sectors to the new content (dflash_update: only what changed),
 * verify the image, then program the header page (the commit). The header carries a CRC of
 * itself and of the image, so a torn header program or image is never taken for valid. The slot
 * in use is never the target, so the config the keyboard runs survives any power cut. */
#include <string.h>

#include "core/le.h"
#include "core/cfg.h"
#include "drive/slots.h"

uint32_t slots_capacity(const slots_t *s)
{
    return s->size - SLOT_IMAGE_OFF;
}

/* Header: magic, version, seq, len, image_crc, region_crc, src_crc, header_crc (of the 28 bytes
 * before it). */
bool slots_read(const slots_t *s, int index, slot_info_t *out)
{
    const uint8_t *h = s->flash->mem + s->off[index];
    if (le_rd32(h) != SLOT_MAGIC || le_rd32(h + 4) != SLOT_VERSION) return false;
    if (cfg_crc32(0, h, 28) != le_rd32(h + 28)) return false;
    uint32_t len = le_rd32(h + 12);
    if (len == 0 || len > slots_capacity(s)) return false;
    const uint8_t *img = h + SLOT_IMAGE_OFF;
    if (cfg_crc32(0, img, len) != le_rd32(h + 16)) return false;
    out->index = index;
    out->seq = le_rd32(h + 8);
    out->len = len;
    out->region_crc = le_rd32(h + 20);
    out->src_crc = le_rd32(h + 24);
    out->image = img;
    return true;
}

/* Sequence numbers are compared by difference, so they may wrap. */
static bool newer(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

bool slots_pick(const slots_t *s, uint32_t region_crc, slot_info_t *out)
{
    slot_info_t a, b;
    bool va = slots_read(s, 0, &a) && a.region_crc == region_crc;
    bool vb = slots_read(s, 1, &b) && b.region_crc == region_crc;
    if (va && (!vb || newer(a.seq, b.seq))) *out = a;
    else if (vb) *out = b;
    else return false;
    return true;
}

enum slots_result slots_write(const slots_t *s, const uint8_t *img, uint32_t len,
                              uint32_t region_crc, uint32_t src_crc)
{
    if (len == 0 || len > slots_capacity(s)) return SLOTS_ERR_SIZE;
    slot_info_t a, b, cur;
    bool va = slots_read(s, 0, &a), vb = slots_read(s, 1, &b);
    /* The target is never the slot in use (the newest of this region): the other one, even when
     * it holds a newer image of a region flashed over since. Without a slot in use: an invalid
     * one, else the older. */
    int target = slots_pick(s, region_crc, &cur) ? 1 - cur.index
               : !va ? 0 : !vb ? 1 : newer(a.seq, b.seq) ? 1 : 0;
    uint32_t seq = va && vb ? (newer(a.seq, b.seq) ? a.seq : b.seq) + 1u
                 : va ? a.seq + 1u : vb ? b.seq + 1u : 1u;
    uint32_t base = s->off[target];
    dflash_t *f = s->flash;

    if (!dflash_blank(f, base, DFLASH_SECTOR)) {
        f->erases++;
        if (!f->erase(f->ctx, base, DFLASH_SECTOR)) return SLOTS_ERR_FLASH;
    }
    static uint8_t sec[DFLASH_SECTOR];
    for (uint32_t o = 0; o < len; o += DFLASH_SECTOR) {
        uint32_t n = len - o < DFLASH_SECTOR ? len - o : DFLASH_SECTOR;
        memcpy(sec, img + o, n);
        /* the tail of the last sector keeps what is there if it can (no erase just for it) */
        memcpy(sec + n, f->mem + base + SLOT_IMAGE_OFF + o + n, DFLASH_SECTOR - n);
        if (!dflash_update(f, base + SLOT_IMAGE_OFF + o, sec)) return SLOTS_ERR_FLASH;
    }
    if (memcmp(f->mem + base + SLOT_IMAGE_OFF, img, len)) return SLOTS_ERR_FLASH;

    static uint8_t page[DFLASH_PAGE];
    memset(page, 0xFF, sizeof page);
    le_wr32(page, SLOT_MAGIC);
    le_wr32(page + 4, SLOT_VERSION);
    le_wr32(page + 8, seq);
    le_wr32(page + 12, len);
    le_wr32(page + 16, cfg_crc32(0, img, len));
    le_wr32(page + 20, region_crc);
    le_wr32(page + 24, src_crc);
    le_wr32(page + 28, cfg_crc32(0, page, 28));
    f->programs++;
    if (!f->program(f->ctx, base, page, DFLASH_PAGE)) return SLOTS_ERR_FLASH;
    slot_info_t chk;
    return slots_read(s, target, &chk) && chk.seq == seq ? SLOTS_OK : SLOTS_ERR_FLASH;
}
