/* `kestrel build` as a function, so that `kestrel flash --keyboard K --keymap M` (and anything
 * else) can make the same image: keyboard.json + keymap.json + the generic firmware -> bytes. */
#ifndef KESTREL_TOOLS_BUILD_H
#define KESTREL_TOOLS_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/fwinfo.h"
#include "tools/fwimage.h"

typedef struct build_result {
    uint8_t *out;            /* malloc'd file bytes */
    size_t len;
    enum fw_format fmt;
    uint32_t target;         /* enum fw_target */
    unsigned bootloader;     /* enum cfg_bootloader */
    char dev_board[32];      /* QMK development_board name, "" when none */
    uint16_t vid, pid;       /* the keyboard's own USB IDs */
    char name[64];           /* keyboard_name */
    size_t cfg_size;
    fw_info_t info;          /* of the firmware used */
    char firmware[1024];     /* its path */
} build_result_t;

/* Finds the generic firmware for a target: `override` (a file, or a folder holding
 * <target>/kestrel-<target>.bin or kestrel-<target>.bin), else $KESTREL_FIRMWARE_DIR, else
 * fw/<target>/kestrel-<target>.bin next to the kestrel binary (or one folder up). Fills `path`
 * with the first candidate that exists; false (path = the default candidate) when none does. */
bool build_firmware_path(uint32_t target, const char *override, char *path, size_t len);

/* For an ATmega32U4 keymap that uses the optional behaviours `used` (config/avr_images.h): when
 * `path` is the main image (kestrel-atmega32u4[-8mhz].<ext>) and another image holds more of
 * them, `path` becomes that image (same folder, clock and extension). False, with the reason on
 * `out`, when that image is missing. */
bool build_avr_image(uint32_t used, char *path, size_t len, FILE *out);

/* Loads and validates the JSON (diagnostics to `diags`), compiles the config image, joins it to
 * the firmware and renders `fmt` (FW_FORMAT_NONE = the target's usual: UF2 or HEX). Returns the
 * exit status (0, or 2 for bad input with the reason on `diags`). */
int build_keyboard(const char *keyboard, const char *keymap, const char *firmware,
                   enum fw_format fmt, build_result_t *r, FILE *diags);
void build_result_free(build_result_t *r);

/* development_board names by the index the config image stores (CFG_INFO_DEV_BOARD); NULL when
 * out of range or 0. */
const char *build_dev_board_name(unsigned index);

#endif
