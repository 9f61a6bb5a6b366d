/* Interrupt handlers named in the RP2040 vector table (hal/rp2040/crt0.c). */
#ifndef KESTREL_HAL_RP2040_ISR_H
#define KESTREL_HAL_RP2040_ISR_H

void rp2040_isr_timer0(void);
void rp2040_isr_io(void);
void rp2_usb_isr(void); /* hal/rp2/dcd_rp2.c */

#endif
