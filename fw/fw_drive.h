/* The keyboard's drive in the firmware (docs/drive.md): a FAT volume in flash shown to the host
 * over USB mass storage, read back with drive/fat.c once the host has gone quiet, parsed and
 * checked by the same config/ code as the `kestrel` tool, and stored in the two-slot config
 * store. Built where the target's makefile sets KESTREL_DRIVE=1 (RP2040, RP2350); elsewhere these
 * calls do not exist and fw/main.c does not make them. */
#ifndef KESTREL_FW_FW_DRIVE_H
#define KESTREL_FW_FW_DRIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cfg.h"
#include "usb/usb.h"

#ifndef KESTREL_DRIVE
#define KESTREL_DRIVE 0
#endif

/* Flash map (docs/boards/rp2040.md, docs/boards/rp2350.md), offsets from the start of flash. */
#define FW_DRIVE_SLOT_A 0x50000u
#define FW_DRIVE_SLOT_B 0x60000u
#define FW_DRIVE_SLOT_SIZE 0x10000u
#define FW_DRIVE_VOLUME 0x80000u
/* 512 KB; the RP2350 build sets 1016 (508 KB) to stay clear of the last 4 KB of a 1 MB chip. */
#ifndef FW_DRIVE_VOLUME_SECTORS
#define FW_DRIVE_VOLUME_SECTORS 1024u
#endif

/* The host wrote nothing for this long: the files are read. Hosts write a saved file's blocks
 * back to back, so 10 ms of silence nearly always means the save is complete; when it was not,
 * the read sees the old file (nothing changes), a broken chain or half a file (an error, which
 * waits), and the host's next writes start another read: the end state is always the last file
 * saved. A file that does not load is only reported (ERRORS.TXT) after a longer quiet, since the
 * host may still be half-way through saving it and the drive must not write while the host does. */
#define FW_DRIVE_QUIET_MS 10u
#define FW_DRIVE_ERROR_QUIET_MS 1000u

/* What a hal with a drive provides (hal/rp2040/flash_rp2040.c, hal/rp2350/flash_rp2350.c): flash as the CPU reads it, and
 * erase/program by offset (sector and page multiples; `data` in RAM). */
const uint8_t *hal_flash_map(void);
bool hal_flash_erase(uint32_t off, uint32_t len);
bool hal_flash_program(uint32_t off, const uint8_t *data, uint32_t len);

/* At boot, after the config region was checked: `region_crc` identifies the region's image (0
 * when it has none). Returns the newest stored slot recorded over that region, if any. */
bool fw_drive_pick(uint32_t region_crc, const uint8_t **img, size_t *len);

/* Mounts the volume (formats it and writes keyboard.json, keymap.json and README.TXT from the
 * running config when it holds none, or when a newly flashed config region made its files
 * stale) and hands it to USB mass storage; sets id->msc unless the config hides the drive. USB
 * strings that point into the config image are copied: that flash may be rewritten later. */
void fw_drive_start(const cfg_t *active, uint32_t region_crc, usb_identity_t *id);

/* Each main-loop pass. True when a new config was stored: *img / *len is its image (in flash,
 * opened and checked for this chip), to be switched to now. */
bool fw_drive_task(uint32_t now_ms, const uint8_t **img, size_t *len);
/* KS_DRIVE_TOGGLE: the keyboard leaves the bus and comes back FW_DRIVE_DETACH_MS later with the
 * drive shown or hidden (the interface set changes, so the host must enumerate it anew). Lasts
 * until the next reset; the "drive.hidden" setting decides at start. */
#define FW_DRIVE_DETACH_MS 100u
void fw_drive_toggle(uint32_t now_ms);
/* When fw_drive_task() next has something to do (ms), or USB_NO_DEADLINE. */
uint32_t fw_drive_deadline(void);

#endif
