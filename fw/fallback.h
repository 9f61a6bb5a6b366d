/* The built-in safe config: used when the config region holds no valid image, so a freshly
 * flashed generic image still enumerates and types (SPEC §2). */
#ifndef KESTREL_FW_FALLBACK_H
#define KESTREL_FW_FALLBACK_H

#include <stddef.h>
#include <stdint.h>

/* Writes the fallback image into buf (at least FALLBACK_IMAGE_MAX bytes); returns its size. */
#define FALLBACK_IMAGE_MAX 512u
size_t fallback_image(uint8_t *buf);

#endif
