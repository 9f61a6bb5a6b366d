/* The parts of `kestrel flash` worth testing on their own: the exact command lines for each
 * AVR bootloader's tool, the drive/family match, and the UF2 copy with fsync and the checks for a
 * drive that goes away. */
#ifndef KESTREL_TOOLS_FLASH_H
#define KESTREL_TOOLS_FLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/usbdetect.h"

#define FLASH_MAX_ARGS 16
#define FLASH_MAX_CMDS 4

typedef struct flash_cmd {
    int argc;
    char *argv[FLASH_MAX_ARGS + 1]; /* NULL-terminated, malloc'd strings */
    char *stdout_path;              /* malloc'd; stdout goes there (dfu-programmer dump) */
} flash_cmd_t;

typedef struct flash_plan {
    int ncmd;
    flash_cmd_t cmd[FLASH_MAX_CMDS];
    bool verifies;     /* the tool reads the flash back and compares */
    bool can_backup;   /* the bootloader can read flash */
} flash_plan_t;

/* dfu-programmer's version as major*100+minor (0.6.1 -> 6, 0.7.2 -> 7, 1.0 -> 100); 0 when it is
 * not installed. From `dfu-programmer --version`. */
int flash_dfu_programmer_version(void);

/* The commands that write `hex` (an Intel HEX file) through `bootloader` (QMK's names:
 * caterina, atmel-dfu, qmk-dfu, lufa-dfu, halfkay). `port` is Caterina's serial port. `backup`
 * (or NULL) is where to save the current flash first; refused (false, with the reason) where the
 * bootloader cannot read flash. `dfu_version` as from flash_dfu_programmer_version(). */
bool flash_plan_avr(const char *bootloader, const char *hex, const char *port, const char *backup,
                    int dfu_version, flash_plan_t *p, char *err, size_t errlen);
void flash_plan_free(flash_plan_t *p);

/* Prints one command as a shell would need it typed (single quotes where needed). */
void flash_print_cmd(FILE *f, const flash_cmd_t *c);

/* Refuses a drive whose INFO_UF2.TXT names a chip the image's UF2 family does not boot on. */
bool flash_drive_accepts(const uf2_drive_t *d, uint32_t family, char *err, size_t errlen);

/* Copying a UF2 to a boot ROM drive. The hook runs after each chunk (tests use it to pull the
 * drive away or break the file descriptor). */
typedef void (*flash_copy_hook)(void *ctx, int fd, size_t done_blocks, size_t total_blocks);

typedef struct flash_copy_opts {
    size_t chunk_blocks;   /* blocks written between fsyncs (0 = 32, i.e. 16 KB) */
    flash_copy_hook hook;
    void *hook_ctx;
    FILE *progress;        /* NULL = silent */
} flash_copy_opts_t;

enum flash_copy_result {
    FLASH_COPY_OK = 0,        /* all written and synced; the drive is still there */
    FLASH_COPY_DRIVE_LEFT,    /* all written; the drive left as the last blocks went in (the ROM
                                 rebooting, normally) */
    FLASH_COPY_FAILED         /* err says what and how far it got */
};

enum flash_copy_result flash_uf2_copy(const char *dir, const uint8_t *uf2, size_t len,
                                      const flash_copy_opts_t *o, char *err, size_t errlen);

/* Waits up to timeout_ms for DIR/INFO_UF2.TXT to disappear (the ROM rebooting). */
bool flash_wait_drive_gone(const char *dir, int timeout_ms);

#endif
