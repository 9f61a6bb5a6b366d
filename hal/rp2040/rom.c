/* RP2040 boot ROM calls. The functions that run while flash is out of XIP mode live in RAM
 * (.time_critical) and touch only RAM, the ROM and registers until XIP is back. */
#include <stdbool.h>
#include <stdint.h>

#include "hal/rp2/regs.h"
#include "hal/rp2040/rom.h"

typedef void *(*rom_lookup_fn)(const uint16_t *table, uint32_t code);
typedef void (*rom_void_fn)(void);
typedef void (*rom_usb_boot_fn)(uint32_t, uint32_t);
typedef void (*rom_erase_fn)(uint32_t, size_t, uint32_t, uint8_t);
typedef void (*rom_program_fn)(uint32_t, const uint8_t *, size_t);

#define ROM_CODE(a, b) ((uint32_t)(a) | (uint32_t)(b) << 8)
#define IO_QSPI_SS_CTRL 0x4001800Cu
#define SSI_BASE 0x18000000u
#define SSI_SR (SSI_BASE + 0x28u)
#define SSI_DR0 (SSI_BASE + 0x60u)

/* Reads a halfword of the ROM. Through asm so the compiler does not treat the low constant
 * address as a null-pointer access. */
static uint32_t rom_hword(uint32_t addr)
{
    uint32_t v;
    __asm__ volatile("ldrh %0, [%1]" : "=l"(v) : "l"(addr));
    return v;
}

static void *rom_func(uint32_t code)
{
    rom_lookup_fn lookup = (rom_lookup_fn)(uintptr_t)rom_hword(0x18);
    return lookup((const uint16_t *)(uintptr_t)rom_hword(0x14), code);
}

void rom_reset_usb_boot(uint32_t activity_pin_mask, uint32_t disable_mask)
{
    rom_usb_boot_fn fn = (rom_usb_boot_fn)rom_func(ROM_CODE('U', 'B'));
    if (fn) fn(activity_pin_mask, disable_mask);
    for (;;) {
    }
}

struct rom_flash_fns {
    rom_void_fn connect, exit_xip, flush;
    rom_erase_fn erase;
    rom_program_fn program;
    uint32_t boot2[64]; /* a RAM copy of boot2, called to restore XIP afterwards */
};

static bool rom_flash_prepare(struct rom_flash_fns *f)
{
    f->connect = (rom_void_fn)rom_func(ROM_CODE('I', 'F'));
    f->exit_xip = (rom_void_fn)rom_func(ROM_CODE('E', 'X'));
    f->flush = (rom_void_fn)rom_func(ROM_CODE('F', 'C'));
    f->erase = (rom_erase_fn)rom_func(ROM_CODE('R', 'E'));
    f->program = (rom_program_fn)rom_func(ROM_CODE('R', 'P'));
    const volatile uint32_t *b2 = (const volatile uint32_t *)0x10000000u;
    for (unsigned i = 0; i < 64; i++) f->boot2[i] = b2[i];
    return f->connect && f->exit_xip && f->flush && f->erase && f->program;
}

__attribute__((section(".time_critical.rom_xip_back"), noinline)) static void
rom_xip_back(struct rom_flash_fns *f)
{
    f->flush();
    ((rom_void_fn)((uintptr_t)f->boot2 | 1u))();
}

__attribute__((section(".time_critical.rom_flash_op"), noinline)) static void
rom_flash_op(struct rom_flash_fns *f, uint32_t offset, const uint8_t *data, size_t len,
             size_t erase_len)
{
    f->connect();
    f->exit_xip();
    if (erase_len) f->erase(offset, erase_len, 65536u, 0xD8u);
    if (len) f->program(offset, data, len);
    rom_xip_back(f);
}

/* Kept in the image although nothing calls it yet (the drive will): the emulator tests call it. */
__attribute__((used)) bool rom_flash_write(uint32_t offset, const uint8_t *data, size_t len)
{
    static struct rom_flash_fns f;
    static uint8_t page[RP2040_FLASH_PAGE];
    if (offset % RP2040_FLASH_SECTOR || offset >= 0x01000000u || !rom_flash_prepare(&f))
        return false;
    size_t full = len & ~(size_t)(RP2040_FLASH_PAGE - 1u);
    size_t erase_len = (len + RP2040_FLASH_SECTOR - 1u) & ~(size_t)(RP2040_FLASH_SECTOR - 1u);
    __asm__ volatile("cpsid i" ::: "memory");
    rom_flash_op(&f, offset, data, full, erase_len);
    if (len > full) { /* the last partial page goes through a 0xFF-padded RAM copy */
        for (size_t i = 0; i < RP2040_FLASH_PAGE; i++) page[i] = i < len - full ? data[full + i] : 0xFF;
        rom_flash_op(&f, offset + (uint32_t)full, page, RP2040_FLASH_PAGE, 0);
    }
    __asm__ volatile("cpsie i" ::: "memory");
    return true;
}

/* The drive's flash calls (fw/fw_drive.h): one erase of whole sectors, or one program of whole
 * pages from RAM. The firmware's code and config region are never targets. */
static bool drive_range_ok(uint32_t offset, size_t len, uint32_t unit)
{
    extern const uint8_t __config_region[], __config_region_size[];
    uint32_t protect = (uint32_t)(uintptr_t)__config_region + (uint32_t)(uintptr_t)__config_region_size -
                       0x10000000u;
    return offset % unit == 0 && len % unit == 0 && len && offset >= protect &&
           offset + len <= 0x01000000u && offset + len > offset;
}

bool rom_flash_erase(uint32_t offset, size_t len)
{
    static struct rom_flash_fns f;
    if (!drive_range_ok(offset, len, RP2040_FLASH_SECTOR) || !rom_flash_prepare(&f)) return false;
    __asm__ volatile("cpsid i" ::: "memory");
    rom_flash_op(&f, offset, NULL, 0, len);
    __asm__ volatile("cpsie i" ::: "memory");
    return true;
}

bool rom_flash_program(uint32_t offset, const uint8_t *data, size_t len)
{
    static struct rom_flash_fns f;
    if (!drive_range_ok(offset, len, RP2040_FLASH_PAGE) || !rom_flash_prepare(&f)) return false;
    __asm__ volatile("cpsid i" ::: "memory");
    rom_flash_op(&f, offset, data, len, 0);
    __asm__ volatile("cpsie i" ::: "memory");
    return true;
}

__attribute__((section(".time_critical.rom_uid"), noinline)) static void
rom_uid_op(struct rom_flash_fns *f, uint8_t id[8])
{
    f->connect();
    f->exit_xip();
    RP2_REG(IO_QSPI_SS_CTRL) = 2u << 8; /* OUTOVER: chip select low */
    /* 4Bh, four dummy bytes, then the 64-bit ID; every byte sent clocks one byte back. */
    for (unsigned i = 0; i < 13; i++) {
        RP2_REG(SSI_DR0) = i == 0 ? 0x4Bu : 0u;
        while (!(RP2_REG(SSI_SR) & 0x8u)) { /* RFNE */
        }
        uint32_t v = RP2_REG(SSI_DR0);
        if (i >= 5) id[i - 5] = (uint8_t)v;
    }
    RP2_REG(IO_QSPI_SS_CTRL) = 3u << 8; /* chip select high */
    RP2_REG(IO_QSPI_SS_CTRL) = 0;
    rom_xip_back(f);
}

void rom_flash_unique_id(uint8_t id[8])
{
    static struct rom_flash_fns f;
    for (unsigned i = 0; i < 8; i++) id[i] = 0;
    if (!rom_flash_prepare(&f)) return;
    __asm__ volatile("cpsid i" ::: "memory");
    rom_uid_op(&f, id);
    __asm__ volatile("cpsie i" ::: "memory");
}
