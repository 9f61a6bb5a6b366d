/* UF2 (Microsoft's USB Flashing Format) writer and strict reader, with what the RP2040/RP2350 boot
 * ROMs require on top of the format (hw/rp2.md §8): 256-byte payloads at 256-aligned flash or SRAM
 * addresses, a family ID on every block, and the RP2350-E10 absolute-family block (§2.4). */
#ifndef KESTREL_TOOLS_UF2_H
#define KESTREL_TOOLS_UF2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/memimg.h"

#define UF2_BLOCK_SIZE   512u
#define UF2_DATA_SIZE    476u
#define UF2_PAGE         256u
#define UF2_MAGIC_START0 0x0A324655u
#define UF2_MAGIC_START1 0x9E5D5157u
#define UF2_MAGIC_END    0x0AB16F30u

#define UF2_FLAG_NOT_MAIN_FLASH 0x00000001u
#define UF2_FLAG_FILE_CONTAINER 0x00001000u
#define UF2_FLAG_FAMILY_ID      0x00002000u
#define UF2_FLAG_MD5            0x00004000u
#define UF2_FLAG_EXT_TAGS       0x00008000u

#define UF2_FAMILY_RP2040       0xE48BFF56u
#define UF2_FAMILY_RP2_ABSOLUTE 0xE48BFF57u
#define UF2_FAMILY_RP2_DATA     0xE48BFF58u
#define UF2_FAMILY_RP2350_ARM_S 0xE48BFF59u
#define UF2_FAMILY_RP2350_RISCV 0xE48BFF5Au
#define UF2_FAMILY_RP2350_ARM_NS 0xE48BFF5Bu

/* Extension tag "RP2 ignore block" (4-byte tag, bytes 04 E3 57 99) and where the E10 block goes. */
#define UF2_TAG_RP2_IGNORE   0x9957E3u
#define UF2_E10_ADDR         0x10FFFF00u
#define UF2_E10_FILL         0xEFu

typedef struct uf2_opts {
    uint32_t family;
    uint32_t sector;  /* 0, or a power of two >= 256: every touched sector is written whole */
    uint8_t fill;     /* value of page bytes the image does not set (0xFF = erased flash) */
    bool e10_block;   /* prepend the RP2350-E10 absolute-family block (picotool's --abs-block) */
} uf2_opts_t;

/* Serialises `m` into malloc'd blocks (*out, *len). False with a message when the image is empty,
 * not representable (more than 2^32 blocks) or memory runs out. */
bool uf2_write(const memimg_t *m, const uf2_opts_t *o, uint8_t **out, size_t *len, char *err,
               size_t errlen);

#define UF2_MAX_GROUPS 8

/* The blocks of one family (or, for blocks without a family ID, of "no family"). */
typedef struct uf2_group {
    bool has_family;
    uint32_t family;
    uint32_t num_blocks;   /* as every block of the group declares it */
    uint32_t blocks;       /* blocks of the group in the file */
    uint32_t payload;      /* payload size (when all blocks agree; else 0) */
    size_t first_block;    /* index in the file of its first block */
    memimg_t mem;          /* the bytes its main-flash blocks write */
} uf2_group_t;

typedef struct uf2_file {
    size_t blocks;              /* 512-byte blocks in the file */
    size_t ngroups;
    uf2_group_t group[UF2_MAX_GROUPS];
    size_t ignored;             /* blocks tagged RP2_IGNORE (not written by a conforming ROM) */
    bool e10;                   /* block 0 is exactly the RP2350-E10 workaround block */
    size_t not_main_flash;      /* blocks flagged not-main-flash (skipped) */
    size_t containers;          /* file-container blocks (skipped) */
    size_t md5_blocks;          /* blocks carrying an MD5 (shown, not verified) */
    size_t tagged_blocks;       /* blocks with extension tags */
} uf2_file_t;

/* True when the buffer starts with a UF2 block's magics (to tell UF2 from HEX/BIN). */
bool uf2_sniff(const uint8_t *buf, size_t len);

/* Parses and checks a whole file: size a multiple of 512, all three magics, payload sizes, tags
 * in bounds, per family a consistent block count with every block number exactly once, no two
 * blocks writing the same byte, and for the RP2 families payload 256 at 256-aligned addresses in
 * the chip's flash or SRAM. On failure *f is left empty and err names the block and its offset. */
bool uf2_read(const uint8_t *buf, size_t len, uf2_file_t *f, char *err, size_t errlen);
void uf2_file_free(uf2_file_t *f);

/* "RP2040", "RP2350_ARM_S", ... or NULL for families this tool does not know by name. */
const char *uf2_family_name(uint32_t family);
/* The address windows an RP2 family may write (flash, SRAM); false for non-RP2 families. */
bool uf2_rp2_in_range(uint32_t family, uint32_t addr, uint32_t len);

#endif
