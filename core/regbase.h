/* A pointer kept in a register. On the ATmega32U4 a field of a global object reached by its
 * constant address costs a 4-byte lds/sts, through a pointer register (Y or Z) a 2-byte ldd/std
 * (fields within 64 bytes of where it points). When every caller passes the same global, LTO
 * turns the pointer back into the constant; an empty asm that "changes" it keeps it a register.
 * Use it where it measures smaller: a function that touches a field or two pays for the set-up. */
#ifndef KESTREL_CORE_REGBASE_H
#define KESTREL_CORE_REGBASE_H

#if defined(__AVR__)
#define REG_BASE(p) __extension__({ __typeof__(p) reg_base_ = (p); __asm__("" : "+b"(reg_base_)); reg_base_; })
#else
#define REG_BASE(p) (p)
#endif

#endif
