/* Synthetic Kestrel generic firmware images and config images for the tools' tests: the real
 * boot structures (RP2040 boot2 + CRC, RP2350 IMAGE_DEF, AVR jump vector) and a firmware info
 * block, around filler bytes. They are not runnable; they are what `kestrel build`/`info` read. */
#ifndef KESTREL_TESTS_SYNTH_H
#define KESTREL_TESTS_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "core/fwinfo.h"

/* Where synth_firmware puts things, per target. */
typedef struct synth_layout {
    uint32_t flash_base, info_off, image_len, config_addr, config_max;
} synth_layout_t;

void synth_default_layout(uint32_t target, synth_layout_t *l);

/* Writes a BIN image of l->image_len bytes into out (cap >= image_len); returns its length. */
size_t synth_firmware(uint32_t target, const synth_layout_t *l, uint8_t *out, size_t cap);

/* A valid config image for `processor` (enum cfg_processor) and `bootloader`, with `layers`
 * layers of a rows x cols matrix (big ones make big images). Returns its size (0 on failure). */
size_t synth_config(unsigned processor, unsigned bootloader, unsigned rows, unsigned cols,
                    unsigned layers, const char *name, uint8_t *out, size_t cap);

/* Writes a buffer to a file; 0 on success. */
int synth_write_file(const char *path, const void *buf, size_t len);

#endif
