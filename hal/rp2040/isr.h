/* Interrupt handlers named in the RP2040 vector table (hal/rp2040/crt0.c). */
#ifndef KESTREL_HAL_RP2040_ISR_H
#define KESTREL_HAL_RP2040_ISR_H

#include "hal/rp2/hal_rp2.h" /* rp2_isr_timer0, rp2_isr_io, rp2_usb_isr */

#endif
