/* Generic firmware image + config image -> a flashable file, with no compiler: find the firmware
 * info block (core/fwinfo.h), check it, write the config image into the config region, and render
 * UF2 / Intel HEX / BIN. Also the image checks `kestrel info` and `kestrel build` share (RP2040
 * boot2 CRC, RP2350 block loop and IMAGE_DEF, vector tables, size limits). Host-only. */
#ifndef KESTREL_TOOLS_FWIMAGE_H
#define KESTREL_TOOLS_FWIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/fwinfo.h"
#include "tools/memimg.h"

enum fw_format { FW_FORMAT_NONE = 0, FW_FORMAT_UF2, FW_FORMAT_HEX, FW_FORMAT_BIN };

#define FWIMAGE_RP2_FLASH_BASE  0x10000000u
#define FWIMAGE_AVR_APP_MAX     28672u  /* 32 KB minus a 4 KB bootloader (Caterina, Atmel DFU) */
#define FWIMAGE_AVR_HALFKAY_MAX 32256u  /* 32 KB minus HalfKay's 512 bytes */

typedef struct fwimage {
    memimg_t mem;
    fw_info_t info;      /* decoded (host order) */
    uint32_t info_addr;  /* where the block sits */
} fwimage_t;

const char *fwimage_target_name(uint32_t target);  /* "rp2040", ... or NULL */
uint32_t fwimage_target_from_processor(unsigned cfg_processor); /* enum cfg_processor -> fw_target, 0 if none */
const char *fwimage_format_name(enum fw_format f);
enum fw_format fwimage_format_from_name(const char *s); /* "uf2", "hex", "bin"; NONE otherwise */
/* The application size limit for a bootloader (enum cfg_bootloader) on the ATmega32U4. */
uint32_t fwimage_avr_limit(unsigned cfg_bootloader);
const char *fwimage_bootloader_name(unsigned cfg_bootloader); /* "caterina", ... */

/* Finds the firmware info block: returns 1 and fills *info / *addr when a valid one is present,
 * 0 when there is none (not a Kestrel image), -1 with a message when one is present but wrong. */
int fwimage_find_info(const memimg_t *m, fw_info_t *info, uint32_t *addr, char *err,
                      size_t errlen);

/* Reads a file's bytes as UF2, HEX or BIN (sniffed). A BIN has no addresses: it is placed at the
 * flash_base of the info block it carries, or at `bin_base` when it carries none. For a UF2 the
 * image is the main family group (RP2040 or RP2350_ARM_S; the only one when there is one). */
bool fwimage_parse(const char *name, const uint8_t *buf, size_t len, uint32_t bin_base,
                   enum fw_format *fmt, memimg_t *out, char *err, size_t errlen);

/* Loads a generic firmware image (UF2/HEX/BIN bytes) and requires a valid info block. */
bool fwimage_load(fwimage_t *fw, const char *name, const uint8_t *buf, size_t len, char *err,
                  size_t errlen);
void fwimage_free(fwimage_t *fw);

/* Validates the config image (cfg_open, processor = the firmware's target, size <= config_max)
 * and writes it at config_addr; the rest of the config region the firmware image covers is reset
 * to 0xFF so no stale bytes of an older config remain. */
bool fwimage_set_config(fwimage_t *fw, const uint8_t *cfg, size_t n, char *err, size_t errlen);

/* Blanks the whole config region (0xFF), so the firmware runs its built-in safe config. */
bool fwimage_blank_config(fwimage_t *fw, char *err, size_t errlen);

/* Renders the image: UF2 (RP2040 family, or RP2350 ARM-S with the E10 block; whole 4 KB sectors,
 * RP2040-E14), HEX (16-byte records), or BIN (from flash_base, gaps 0xFF). For the ATmega32U4 the
 * image must end within `avr_limit` bytes (0 = FWIMAGE_AVR_APP_MAX). */
bool fwimage_render(const fwimage_t *fw, enum fw_format fmt, uint32_t avr_limit, uint8_t **out,
                    size_t *len, char *err, size_t errlen);

/* The whole of `kestrel build` after the JSON is compiled, for anyone who needs a per-keyboard
 * image (the emulator back-ends): generic firmware file bytes + config image -> output bytes. */
bool fwimage_build(const uint8_t *fw, size_t fwlen, const uint8_t *cfg, size_t cfglen,
                   enum fw_format fmt, uint8_t **out, size_t *outlen, char *err, size_t errlen);

/* Check results, for `kestrel info` and build's self-check. */
enum { FWCHK_OK = 0, FWCHK_WARN = 1, FWCHK_ERR = 2 };
#define FWCHK_MAX 48
typedef struct fwcheck {
    int n, errors, warnings;
    struct {
        int level;
        char text[240];
    } msg[FWCHK_MAX];
} fwcheck_t;

void fwcheck_init(fwcheck_t *r);
void fwcheck_add(fwcheck_t *r, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* RP2040: boot2 CRC (CRC-32/MPEG-2 of 0x10000000..+251 against the word at +252) and the vector
 * table at 0x10000100. */
void fwimage_check_rp2040(const memimg_t *m, fwcheck_t *r);
/* RP2350: the block loop from the first block in the first 4 KB, an IMAGE_DEF that is a Secure
 * Arm RP2350 executable, and the vector table / entry point it implies. */
void fwimage_check_rp2350(const memimg_t *m, fwcheck_t *r);
/* The info block's layout against the chip's hazards: on the RP2350 the E10 block that UF2
 * drag-and-drop writes lands in the last 4 KB sector of the flash chip (whatever its size), so a
 * config region there would be wiped; RP2 config regions should start on a 4 KB sector. */
void fwimage_check_layout(const fw_info_t *in, fwcheck_t *r);
/* ATmega32U4: addresses inside 32 KB flash, size against the bootloaders' limits, reset vector. */
void fwimage_check_avr(const memimg_t *m, unsigned cfg_bootloader, fwcheck_t *r);

/* Summary of the config region of a Kestrel image. Fills `line` (one line for humans) and
 * returns: 1 a valid config, 0 the region is blank (the firmware uses its safe config), -1 a
 * config that cfg_open rejects or that is for another processor (reason in `line`). */
int fwimage_config_summary(const memimg_t *m, const fw_info_t *info, char *line, size_t linelen);

uint32_t fwimage_crc32_mpeg2(const uint8_t *p, size_t n);

/* Reads a whole file into a malloc'd buffer (at most 256 MB). 0, or -1 with errno set. */
int fwimage_read_file(const char *path, uint8_t **buf, size_t *len);

/* Writes a file completely or not at all (a temporary next to it, then rename). 0 or -1/errno. */
int fwimage_write_file(const char *path, const void *buf, size_t len);

/* "28,672": n with thousands separators, into buf (returns buf). */
const char *fwimage_num(char *buf, size_t len, uint64_t n);

#endif
