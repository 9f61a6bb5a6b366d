/* Selects the per-chip facts for the shared RP2 code: the RP2040 unless KESTREL_RP2350 is
 * defined (the RP2350 build supplies hal/rp2350/chip.h with the same names). */
#ifndef KESTREL_HAL_RP2_CHIP_H
#define KESTREL_HAL_RP2_CHIP_H
#if defined(KESTREL_RP2350)
#include "hal/rp2350/chip.h"
#else
#include "hal/rp2040/chip.h"
#endif
#endif
