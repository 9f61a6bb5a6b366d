/* The firmware info block of the RP2350 image: where `kestrel build` puts the config image. */
#include <stdint.h>

#include "core/fwinfo.h"
#include "hal/rp2350/memmap.h"

#ifndef KESTREL_BUILD_ID
#define KESTREL_BUILD_ID "unknown"
#endif
#ifndef KESTREL_FW_VERSION
#define KESTREL_FW_VERSION 0x000100u
#endif

extern const uint8_t __flash_image_end[];

__attribute__((section(".fwinfo"), used))
const fw_info_t rp2350_fwinfo = {
    .magic0 = FWINFO_MAGIC0,
    .magic1 = FWINFO_MAGIC1,
    .info_version = 1,
    .target = FW_TARGET_RP2350,
    .fw_version = KESTREL_FW_VERSION,
    .flash_base = RP2350_FW_ORIGIN,
    .config_addr = RP2350_CONFIG_ADDR,
    .config_max = RP2350_CONFIG_MAX,
    .image_end = (uint32_t)(uintptr_t)__flash_image_end,
    .build_id = KESTREL_BUILD_ID,
};
