/* RP2040 boot ROM calls (rp2.md §6.1, §7.1): BOOTSEL entry, flash erase/program, the flash's
 * unique ID. Flash offsets are relative to the start of flash (0x10000000). */
#ifndef KESTREL_HAL_RP2040_ROM_H
#define KESTREL_HAL_RP2040_ROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RP2040_FLASH_SECTOR 4096u
#define RP2040_FLASH_PAGE 256u

void rom_reset_usb_boot(uint32_t activity_pin_mask, uint32_t disable_mask) __attribute__((noreturn));
/* Erases [offset, offset+len) (sector multiples) and programs `data` there (len rounded up to
 * whole pages, padded with 0xFF). Runs with interrupts off; returns false on bad arguments. */
bool rom_flash_write(uint32_t offset, const uint8_t *data, size_t len);
/* The drive's (fw/fw_drive.h): erase whole sectors, or program whole pages from RAM, above the
 * config region only. False on bad arguments. */
bool rom_flash_erase(uint32_t offset, size_t len);
bool rom_flash_program(uint32_t offset, const uint8_t *data, size_t len);
void rom_flash_unique_id(uint8_t id[8]);

#endif
