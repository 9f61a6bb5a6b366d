/* The flash calls of fw/fw_drive.h on the RP2040: XIP reads, erase and program through the boot
 * ROM (hal/rp2040/rom.c), with interrupts off while flash is out of XIP mode. */
#include <stdint.h>

#include "fw/fw_drive.h"
#include "hal/rp2040/rom.h"

#if KESTREL_DRIVE

const uint8_t *hal_flash_map(void)
{
    return (const uint8_t *)0x10000000u;
}

bool hal_flash_erase(uint32_t off, uint32_t len)
{
    return rom_flash_erase(off, len);
}

bool hal_flash_program(uint32_t off, const uint8_t *data, uint32_t len)
{
    return rom_flash_program(off, data, len);
}

#endif
