/* Register access for RP2040/RP2350 code: every HAL register read or write goes through these
 * inlines, so that host tests can compile the same init code against a recorded register space.
 * On the target they are plain volatile accesses (the firmware pays nothing); with
 * RP2_MMIO_HOST defined they call rp2_mmio_host_rd/_wr, which a test provides. */
#ifndef KESTREL_HAL_RP2_MMIO_H
#define KESTREL_HAL_RP2_MMIO_H

#include <stdint.h>

/* Atomic aliases of every APB/AHB peripheral block (not SIO, not the PPB). */
#define RP2_ALIAS_XOR 0x1000u
#define RP2_ALIAS_SET 0x2000u
#define RP2_ALIAS_CLR 0x3000u

#ifdef RP2_MMIO_HOST
uint32_t rp2_mmio_host_rd(uint32_t addr);
void rp2_mmio_host_wr(uint32_t addr, uint32_t val);
uint8_t rp2_mmio_host_rd8(uint32_t addr);
void rp2_mmio_host_wr8(uint32_t addr, uint8_t val);
static inline uint32_t mmio_rd(uint32_t addr) { return rp2_mmio_host_rd(addr); }
static inline void mmio_wr(uint32_t addr, uint32_t val) { rp2_mmio_host_wr(addr, val); }
static inline uint8_t mmio_rd8(uint32_t addr) { return rp2_mmio_host_rd8(addr); }
static inline void mmio_wr8(uint32_t addr, uint8_t val) { rp2_mmio_host_wr8(addr, val); }
#else
static inline uint32_t mmio_rd(uint32_t addr) { return *(volatile uint32_t *)(uintptr_t)addr; }
static inline void mmio_wr(uint32_t addr, uint32_t val) { *(volatile uint32_t *)(uintptr_t)addr = val; }
/* Byte accesses, for the USB DPRAM (the RP2350 faults on unaligned wider ones). */
static inline uint8_t mmio_rd8(uint32_t addr) { return *(volatile uint8_t *)(uintptr_t)addr; }
static inline void mmio_wr8(uint32_t addr, uint8_t val) { *(volatile uint8_t *)(uintptr_t)addr = val; }
#endif

/* Bit set/clear through the atomic aliases: one bus write, no read-modify-write race. */
static inline void mmio_set(uint32_t addr, uint32_t mask) { mmio_wr(addr + RP2_ALIAS_SET, mask); }
static inline void mmio_clr(uint32_t addr, uint32_t mask) { mmio_wr(addr + RP2_ALIAS_CLR, mask); }
static inline void mmio_xor(uint32_t addr, uint32_t mask) { mmio_wr(addr + RP2_ALIAS_XOR, mask); }

/* Replaces the bits of `mask` with `val` (read-modify-write; only for registers no IRQ touches). */
static inline void mmio_field(uint32_t addr, uint32_t mask, uint32_t val)
{
    mmio_wr(addr, (mmio_rd(addr) & ~mask) | (val & mask));
}

#endif
