/* RP2350 bootrom services: function lookup (rp2.md §6.2), reboot into BOOTSEL, and flash
 * erase/program through the ROM with the XIP mode restored afterwards (§7.2). Target only. */
#include "hal/rp2350/hal_rp2350.h"
#include "hal/rp2350/rp2350.h"
#include "hal/rp2350/memmap.h"
#include "hal/rp2/mmio.h"

typedef void *(*rom_lookup_fn)(uint32_t code, uint32_t mask);
typedef int (*rom_reboot_fn)(uint32_t flags, uint32_t delay_ms, uint32_t p0, uint32_t p1);
typedef void (*rom_void_fn)(void);
typedef void (*rom_erase_fn)(uint32_t offs, size_t count, uint32_t block_size, uint8_t block_cmd);
typedef void (*rom_program_fn)(uint32_t offs, const uint8_t *data, size_t count);

void *rp2350_rom_func(uint32_t code)
{
    /* The ROM starts at address 0: hide the constant from the compiler, which would otherwise
     * treat a read near NULL as undefined. */
    uintptr_t at = ROM_TABLE_LOOKUP_PTR;
    __asm__("" : "+r"(at));
    rom_lookup_fn lookup = (rom_lookup_fn)(uintptr_t)*(const volatile uint16_t *)at;
    return lookup(code, ROM_FLAG_ARM_SEC);
}

void rp2350_reboot_bootsel(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
    rom_reboot_fn reboot = (rom_reboot_fn)rp2350_rom_func(ROM_CODE('R', 'B'));
    if (reboot) reboot(ROM_REBOOT_BOOTSEL | ROM_REBOOT_NO_RETURN, 10, 0, 0);
    /* Only reached if the ROM refused: do by hand what 'RB' does (§6.3): the watchdog scratch
     * registers ask the ROM for a BOOTSEL boot after a watchdog reset. */
    mmio_wr(WATCHDOG_SCRATCH(2), 0);
    mmio_wr(WATCHDOG_SCRATCH(3), 0);
    mmio_wr(WATCHDOG_SCRATCH(4), 0xB007C0D3u);
    mmio_wr(WATCHDOG_SCRATCH(5), 0xB007C0D3u ^ (0u - 0xB007C0D3u));
    mmio_wr(WATCHDOG_SCRATCH(6), ROM_REBOOT_BOOTSEL);
    mmio_wr(WATCHDOG_SCRATCH(7), 0xB007C0D3u);
    mmio_wr(PSM_WDSEL, 0x01FFFFFEu);
    mmio_set(WATCHDOG_CTRL, WATCHDOG_CTRL_TRIGGER);
    for (;;) {
    }
}

/* ---- flash ---- */

struct flash_rom {
    rom_void_fn connect, exit_xip, flush, xip_restore;
    rom_erase_fn erase;
    rom_program_fn program;
};

/* The ROM's XIP-setup routine, copied out of BOOTRAM before each flash operation: calling it
 * afterwards puts QMI back into the fast read mode the ROM found at boot. */
static uint32_t xip_setup_copy[ROM_XIP_SETUP_WORDS] __attribute__((aligned(16)));

/* Runs from SRAM: between exit_xip and xip_restore, flash cannot be read, so this function and
 * everything it touches (its arguments, the table above, the data) must be in RAM. */
__attribute__((section(".ramfunc"), noinline, long_call))
static void flash_op_ram(const struct flash_rom *r, uint32_t offs, const uint8_t *data,
                         uint32_t len)
{
    r->connect();
    r->exit_xip();
    if (data)
        r->program(offs, data, len);
    else
        r->erase(offs, len, 65536u, 0xD8u);
    r->flush();
    r->xip_restore();
}

static bool flash_op(uint32_t offs, const uint8_t *data, uint32_t len, uint32_t align)
{
    if (!rp2350_flash_range_ok(offs, len, align)) return false;
    struct flash_rom r = {
        .connect = (rom_void_fn)rp2350_rom_func(ROM_CODE('I', 'F')),
        .exit_xip = (rom_void_fn)rp2350_rom_func(ROM_CODE('E', 'X')),
        .flush = (rom_void_fn)rp2350_rom_func(ROM_CODE('F', 'C')),
        .erase = (rom_erase_fn)rp2350_rom_func(ROM_CODE('R', 'E')),
        .program = (rom_program_fn)rp2350_rom_func(ROM_CODE('R', 'P')),
        .xip_restore = (rom_void_fn)((uintptr_t)xip_setup_copy | 1u),
    };
    if (!r.connect || !r.exit_xip || !r.flush || !r.erase || !r.program) return false;
    for (unsigned i = 0; i < ROM_XIP_SETUP_WORDS; i++)
        xip_setup_copy[i] = mmio_rd(RP2350_BOOTRAM_BASE + 4u * i);

    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    flash_op_ram(&r, offs, data, len);
    __asm__ volatile("dsb\n\tisb\n\tmsr primask, %0" ::"r"(primask) : "memory");
    return true;
}

bool rp2350_flash_erase(uint32_t offset, uint32_t len)
{
    return flash_op(offset, NULL, len, 4096u);
}

bool rp2350_flash_program(uint32_t offset, const uint8_t *data, uint32_t len)
{
    /* The source must be in RAM: flash is unreadable while it is being programmed. */
    uintptr_t d = (uintptr_t)data;
    if (!data || (d >= RP2350_FLASH_BASE && d < RP2350_SRAM_BASE)) return false;
    return flash_op(offset, data, len, 256u);
}

/* ---- chip id ---- */

typedef int (*rom_get_sys_info_fn)(uint32_t *out, uint32_t out_words, uint32_t flags);
#define SYS_INFO_CHIP_INFO 0x0001u

bool rp2350_chip_id(uint8_t id[8])
{
    rom_get_sys_info_fn info = (rom_get_sys_info_fn)rp2350_rom_func(ROM_CODE('G', 'S'));
    uint32_t out[4] = {0};
    /* out[0] = the flags answered, then package_sel, device_id, wafer_id */
    if (!info || info(out, 4, SYS_INFO_CHIP_INFO) < 4 || !(out[0] & SYS_INFO_CHIP_INFO)) return false;
    for (unsigned i = 0; i < 4; i++) {
        id[i] = (uint8_t)(out[2] >> (24 - 8 * i));
        id[4 + i] = (uint8_t)(out[3] >> (24 - 8 * i));
    }
    return true;
}
