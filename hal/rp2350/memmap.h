/* RP2350 flash and RAM map of the generic Kestrel image, shared by the C code and the linker
 * script (which is run through the C preprocessor). Documented in docs/boards/rp2350.md. */
#ifndef KESTREL_HAL_RP2350_MEMMAP_H
#define KESTREL_HAL_RP2350_MEMMAP_H

/* Flash (XIP, 0x10000000): vector table at the image start (where the bootrom looks for it when
 * the IMAGE_DEF has no VECTOR_TABLE item), the IMAGE_DEF block right after it, then code. */
#define RP2350_FW_ORIGIN        0x10000000
#define RP2350_FW_MAX           0x00040000  /* 256 KB for code + initialised data */
/* The config region `kestrel build` fills (fw_info.config_addr / config_max). */
#define RP2350_CONFIG_ADDR      0x10040000
#define RP2350_CONFIG_MAX       0x00010000  /* 64 KB = the config format's limit */
/* The keyboard's drive (docs/drive.md), at the same offsets as on the RP2040 (fw/fw_drive.h,
 * checked at compile time by hal/rp2350/flash_rp2350.c): two slots for configs the firmware
 * writes itself, 64 KB reserved for settings, then the FAT volume. The volume is 4 KB shorter
 * than the RP2040's (508 KB, FW_DRIVE_VOLUME_SECTORS = 1016 from mk/rp2350.mk) so that it ends
 * before the last sector of a 1 MB chip, which the RP2350-E10 UF2 block overwrites. */
#define RP2350_SLOTS_ADDR       0x10050000
#define RP2350_SLOT_SIZE        0x00010000
#define RP2350_VOLUME_ADDR      0x10080000
#define RP2350_VOLUME_SIZE      0x0007F000
/* The firmware may erase/program only [WRITABLE_START, WRITABLE_END), as on the RP2040: never
 * its own code or the config region `kestrel build` writes, and never the last 4 KB sector of
 * a 1 MB chip (E10, above). */
#define RP2350_WRITABLE_START   RP2350_SLOTS_ADDR
#define RP2350_WRITABLE_END     (RP2350_VOLUME_ADDR + RP2350_VOLUME_SIZE)

/* RAM: 512 KB striped SRAM for data/bss/ramfunc; the two 4 KB scratch banks hold the stack, and
 * MSPLIM at its bottom turns a stack overflow into a fault instead of silent corruption. */
#define RP2350_RAM_ORIGIN       0x20000000
#define RP2350_RAM_SIZE         0x00080000
#define RP2350_STACK_BOTTOM     0x20080000
#define RP2350_STACK_TOP        0x20082000

#endif
