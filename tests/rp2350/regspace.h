/* A recorded RP2350 register space for host tests: the HAL's register accesses (hal/rp2/mmio.h
 * built with RP2_MMIO_HOST) land here. It logs every access in order and models just enough of
 * the chip (reset values, atomic aliases, RESET_DONE, XOSC/PLL start-up, clock muxes, PHY_ISO) for
 * the init code to run, and records every datasheet rule the code breaks as a violation. */
#ifndef KESTREL_TESTS_RP2350_REGSPACE_H
#define KESTREL_TESTS_RP2350_REGSPACE_H

#include <stddef.h>
#include <stdint.h>

enum rs_op { RS_RD, RS_WR };

typedef struct rs_access {
    enum rs_op op;
    uint32_t addr;   /* as accessed, atomic alias included */
    uint32_t reg;    /* the register (alias removed) */
    uint32_t val;    /* written value (writes) or returned value (reads) */
    uint32_t after;  /* register value after the access */
} rs_access_t;

void rs_reset(void);                    /* the state the ROM hands over at boot */
size_t rs_count(void);
const rs_access_t *rs_at(size_t i);
uint32_t rs_peek(uint32_t reg);         /* register value, without logging */
void rs_poke(uint32_t reg, uint32_t v); /* set a register, without logging or side effects */

/* SIO GPIO: OUT/OE are kept from the SET/CLR writes; GPIO_IN reads call this (the test's model
 * of the wiring, given OUT and OE); without one GPIO_IN reads as stored (rs_poke). */
void rs_set_gpio_in(uint32_t (*fn)(uint32_t out, uint32_t oe));

/* Rule violations seen since rs_reset (each a readable sentence). */
size_t rs_violations(void);
const char *rs_violation(size_t i);
void rs_print_violations(void);

/* Log queries: index of the first/last access matching, or -1. */
long rs_find(size_t from, enum rs_op op, uint32_t reg, uint32_t mask, uint32_t value);
long rs_find_write_to(size_t from, uint32_t reg);     /* any write (alias or not) to reg */
long rs_first_access_in(uint32_t base, uint32_t size); /* any access to [base, base+size) */

#endif
