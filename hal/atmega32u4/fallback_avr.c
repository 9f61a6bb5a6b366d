/* The fallback config in program memory (fw/fallback.h): the AVR reads config images only there,
 * and an image assembled in RAM would cost a fifth of the chip's 2.5 KB. */
#include <avr/pgmspace.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/fallback.h"

static const uint8_t fallback_image_pgm[] PROGMEM = {
#include "avr_fallback.inc"
};

const uint8_t *hal_cfg_fallback(size_t *len)
{
    *len = sizeof fallback_image_pgm;
    return fallback_image_pgm;
}
