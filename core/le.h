/* Little-endian 16- and 32-bit values in byte buffers in RAM: the config image, USB descriptors,
 * FAT structures and the drive's slot headers all store them this way. (Config images in program
 * memory are read with cfg_rd16/cfg_rd32 of core/cfg.h, which know the AVR's flash.) */
#ifndef KESTREL_CORE_LE_H
#define KESTREL_CORE_LE_H

#include <stdint.h>

static inline uint16_t le_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t le_rd32(const uint8_t *p)
{
    return (uint32_t)le_rd16(p) | (uint32_t)le_rd16(p + 2) << 16;
}

static inline void le_wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void le_wr32(uint8_t *p, uint32_t v)
{
    le_wr16(p, (uint16_t)v);
    le_wr16(p + 2, (uint16_t)(v >> 16));
}

#endif
