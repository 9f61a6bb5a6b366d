/* A config image back to keyboard.json + keymap.json, pretty-printed: what a fresh drive shows.
 * The promise (tested on every example keyboard): loading the two files again builds the same
 * image, byte for byte. What the image does not keep is not invented: layout key positions are
 * the matrix positions (x = column, y = row), the layout is called LAYOUT. */
#ifndef KESTREL_DRIVE_CFGJSON_H
#define KESTREL_DRIVE_CFGJSON_H

#include <stddef.h>

#include "core/cfg.h"

/* Each returns the text's length, or 0 when it did not fit in `cap` bytes (NUL included) or the
 * image holds something these files cannot say. */
size_t cfgjson_keyboard(const cfg_t *c, char *out, size_t cap);
size_t cfgjson_keymap(const cfg_t *c, char *out, size_t cap);

#endif
