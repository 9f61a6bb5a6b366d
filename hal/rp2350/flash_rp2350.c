/* The flash calls of fw/fw_drive.h on the RP2350: XIP reads, erase and program through the ROM
 * routines of hal/rp2350/rom.c (RAM-resident, interrupts masked, XIP mode restored after). */
#include <stdint.h>

#include "fw/fw_drive.h"
#include "hal/rp2350/hal_rp2350.h"
#include "hal/rp2350/memmap.h"

#if KESTREL_DRIVE

/* The drive's offsets are fw/fw_drive.h's, shared with the RP2040; the writable area of
 * memmap.h must hold exactly them, or the range check would refuse the drive's own writes. */
_Static_assert(FW_DRIVE_SLOT_A == RP2350_SLOTS_ADDR - RP2350_FW_ORIGIN, "slot A: memmap.h vs fw_drive.h");
_Static_assert(FW_DRIVE_SLOT_B == FW_DRIVE_SLOT_A + RP2350_SLOT_SIZE, "slot B: memmap.h vs fw_drive.h");
_Static_assert(FW_DRIVE_SLOT_SIZE == RP2350_SLOT_SIZE, "slot size: memmap.h vs fw_drive.h");
_Static_assert(FW_DRIVE_VOLUME == RP2350_VOLUME_ADDR - RP2350_FW_ORIGIN, "volume: memmap.h vs fw_drive.h");
_Static_assert(FW_DRIVE_VOLUME_SECTORS * 512u == RP2350_VOLUME_SIZE,
               "volume size: memmap.h vs FW_DRIVE_VOLUME_SECTORS (mk/rp2350.mk)");

const uint8_t *hal_flash_map(void)
{
    return (const uint8_t *)RP2350_FW_ORIGIN;
}

bool hal_flash_erase(uint32_t off, uint32_t len)
{
    return rp2350_flash_erase(off, len);
}

bool hal_flash_program(uint32_t off, const uint8_t *data, uint32_t len)
{
    return rp2350_flash_program(off, data, len);
}

#endif
