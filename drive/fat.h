/* A small FAT12/FAT16 implementation for the keyboard's drive: format, mount, find a file in the
 * root directory by its long or short name, read it, write or delete a root-directory file. It
 * trusts nothing it reads (a host may leave anything on the volume): every field and cluster
 * chain is range-checked. No allocation; subdirectories are left alone. */
#ifndef KESTREL_DRIVE_FAT_H
#define KESTREL_DRIVE_FAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drive/dbd.h"

#define FAT_NAME_MAX 64u       /* longest file name the writer takes (ASCII) */
#define FAT_MARKER_OFF 0x180u  /* Kestrel's marker inside the boot sector's boot-code area */
#define FAT_MARKER_MAX 62u     /* up to the partition-table area (0x1BE), which stays zero */

enum fat_result {
    FAT_OK = 0,
    FAT_ERR_NOFS,     /* no FAT12/16 volume we can read (or geometry out of range) */
    FAT_ERR_NOTFOUND,
    FAT_ERR_CHAIN,    /* a cluster chain that is broken, loops, or is shorter than the file */
    FAT_ERR_TOOBIG,   /* the file does not fit the caller's buffer */
    FAT_ERR_FULL,     /* no free clusters left */
    FAT_ERR_DIRFULL,  /* no free root directory entries left */
    FAT_ERR_NAME,     /* a name the writer cannot store */
    FAT_ERR_IO        /* the flash did not take a write */
};
const char *fat_strerror(enum fat_result r);

typedef struct fat_vol {
    dbd_t *bd;
    uint32_t sectors, fat_start, fat_sectors, root_start, root_sectors, data_start, clusters;
    uint16_t root_entries;
    uint8_t nfats, spc, bits; /* bits: 12 or 16 */
} fat_vol_t;

typedef struct fat_file {
    uint32_t size, first_cluster;
    uint16_t entry;        /* root directory index of the short (8.3) entry */
    uint16_t first_entry;  /* index of its first long-name entry (= entry when it has none) */
    uint8_t attr;
} fat_file_t;

typedef struct fat_format_opts {
    const char *label;     /* up to 11 characters, stored upper case */
    uint32_t serial;       /* volume serial number */
    uint16_t root_entries; /* a multiple of 16 */
    const uint8_t *marker; /* stored at FAT_MARKER_OFF (may be NULL) */
    size_t marker_len;     /* <= FAT_MARKER_MAX */
} fat_format_opts_t;

/* A fresh FAT12 (or FAT16 for big volumes) volume over the whole block device: one sector per
 * cluster, two FATs, the root directory and the data area aligned to 4 KB flash sectors. */
enum fat_result fat_format(dbd_t *bd, const fat_format_opts_t *o);
enum fat_result fat_mount(fat_vol_t *v, dbd_t *bd);

/* A regular file of the root directory whose long name, or else short name, equals `name`
 * (ASCII case-insensitive). */
enum fat_result fat_find(const fat_vol_t *v, const char *name, fat_file_t *f);
/* Hands the file's bytes to fn in order, a sector at a time (FAT_ERR_CHAIN when the chain is
 * broken: fn may have seen part of the file). */
typedef void (*fat_walk_fn)(void *ctx, const uint8_t *data, uint32_t len);
enum fat_result fat_walk(const fat_vol_t *v, const fat_file_t *f, fat_walk_fn fn, void *ctx);
/* Reads the whole file into buf (cap bytes); FAT_ERR_TOOBIG when it is larger. */
enum fat_result fat_read(const fat_vol_t *v, const fat_file_t *f, uint8_t *buf, uint32_t cap);
/* Creates or replaces a root-directory file (long name entries when `name` is not a plain
 * upper-case 8.3 name). The previous file of that name is removed first. */
enum fat_result fat_write(fat_vol_t *v, const char *name, const uint8_t *data, uint32_t len);
enum fat_result fat_delete(fat_vol_t *v, const char *name);

/* The boot sector's marker area (FAT_MARKER_MAX bytes), or NULL when the device is too small. */
const uint8_t *fat_marker(dbd_t *bd);

#endif
