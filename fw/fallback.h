/* The built-in safe config: used when the config region holds no valid image, so a freshly
 * flashed generic image still enumerates and types (SPEC §2). */
#ifndef KESTREL_FW_FALLBACK_H
#define KESTREL_FW_FALLBACK_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/cfg.h"

/* Writes the fallback image into buf (at least FALLBACK_IMAGE_MAX bytes); returns its size. */
#define FALLBACK_IMAGE_MAX 640u
size_t fallback_image(uint8_t *buf);

/* A target may carry its fallback image ready-made instead, where the config reader can read it
 * (program memory on the ATmega32U4, which cannot read an image in RAM and has little of it):
 * the hal defines this to return it. The default (weak) returns NULL: build it in RAM. */
const uint8_t *hal_cfg_fallback(size_t *len);

/* Whether a valid config image suits this chip (its processor, its pins); a hal may define it,
 * the default accepts every image. */
bool hal_cfg_usable(const cfg_t *c);

#endif
