/* The runtime config store: two flash slots, each a header sector (sequence number, sizes, CRCs)
 * followed by a config image. A new image goes into the slot that does not hold the newest one,
 * and becomes valid only when its header is programmed last, after the image verified: a power
 * cut at any moment leaves the previous newest slot intact, so the keyboard boots with the old
 * config or the new one, never neither.
 *
 * Precedence over the config region (`kestrel build`): each slot records the CRC of the config
 * region's image it was written over. A slot counts only while that CRC still matches the
 * region, so flashing a different config makes every older slot stale and the flashed one wins. */
#ifndef KESTREL_DRIVE_SLOTS_H
#define KESTREL_DRIVE_SLOTS_H

#include <stdbool.h>
#include <stdint.h>

#include "drive/dflash.h"

#define SLOT_MAGIC 0x544C534Bu /* "KSLT" */
#define SLOT_VERSION 1u
#define SLOT_HEADER_SIZE 32u
#define SLOT_IMAGE_OFF DFLASH_SECTOR /* the header has a sector of its own */

typedef struct slots {
    dflash_t *flash;
    uint32_t off[2]; /* flash offsets of slot A and B (DFLASH_SECTOR aligned) */
    uint32_t size;   /* bytes per slot */
} slots_t;

typedef struct slot_info {
    int index;               /* 0 = A, 1 = B */
    uint32_t seq, len, region_crc, src_crc;
    const uint8_t *image;    /* in flash */
} slot_info_t;

/* A slot's header and image, if both check out (magic, version, header CRC, image CRC). */
bool slots_read(const slots_t *s, int index, slot_info_t *out);
/* The newest valid slot recorded over `region_crc`; false when there is none. */
bool slots_pick(const slots_t *s, uint32_t region_crc, slot_info_t *out);

enum slots_result { SLOTS_OK = 0, SLOTS_ERR_SIZE, SLOTS_ERR_FLASH };
/* Stores `img` (RAM) as the new newest slot. The slot that holds the newest valid image (of any
 * region) is never touched; unchanged image sectors are not rewritten. */
enum slots_result slots_write(const slots_t *s, const uint8_t *img, uint32_t len,
                              uint32_t region_crc, uint32_t src_crc);
/* The largest image a slot holds. */
uint32_t slots_capacity(const slots_t *s);

#endif
