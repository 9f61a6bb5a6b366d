/* Device-controller driver interface: the dozen things the USB device stack (usb/) needs from a
 * chip's USB controller. Each target implements it under hal/<target>/; usb/usbd.c implements the
 * usbd_on_* callbacks the driver calls (from its interrupt handler or from dcd_poll()).
 *
 * Endpoint addresses are USB addresses: bit 7 set = IN (device to host). EP0 is driven by usbd
 * through the same calls (0x00 OUT data/status, 0x80 IN data/status).
 *
 * Contract details (usb/usbd.c relies on them):
 * - Context: usb/ is not re-entrant. The usbd_on_* callbacks must not run concurrently with the
 *   firmware's usb_* calls: call them from dcd_poll() in the main loop (the RP2 driver does), or
 *   have the firmware call usb_* with the controller's interrupt masked.
 * - SETUP: the driver resets both EP0 directions to DATA1 and abandons any EP0 transfer before
 *   calling usbd_on_setup(); the stack answers every SETUP with a data stage, a status stage or
 *   dcd_ep_stall(0x00) (STALL on both EP0 directions until the next SETUP).
 * - ZLPs: the driver never adds one; the stack sends the ZLP that ends a control IN data stage
 *   shorter than wLength and a multiple of 64, and the status-stage ZLPs (dcd_ep_xfer(ep, 0, 0)).
 * - Address: dcd_set_address() is called when SET_ADDRESS arrives, before the status stage is
 *   queued; the driver applies the address once that status-stage IN ZLP has completed.
 * - A completed OUT transfer reports the bytes received (a short packet ends it early). */
#ifndef KESTREL_USB_DCD_H
#define KESTREL_USB_DCD_H

#include <stdbool.h>
#include <stdint.h>

enum dcd_ep_type { DCD_EP_CONTROL = 0, DCD_EP_ISO = 1, DCD_EP_BULK = 2, DCD_EP_INTERRUPT = 3 };

void dcd_init(void);                 /* controller reset and configured for device mode */
void dcd_connect(bool on);           /* D+ pull-up on/off */
/* SET_ADDRESS arrived: the driver applies the address after the status stage completes. */
void dcd_set_address(uint8_t addr);
bool dcd_ep_open(uint8_t ep_addr, enum dcd_ep_type type, uint16_t max_packet);
void dcd_ep_close_all(void);         /* every endpoint but EP0 (bus reset, SET_CONFIGURATION 0) */
/* Starts a transfer of `len` bytes (IN: sent from buf, split into max-packet packets, no ZLP
 * unless len == 0; OUT: up to len bytes received into buf). Completion: usbd_on_xfer_done().
 * Returns false if the endpoint is busy or not open. `buf` must stay valid until completion. */
bool dcd_ep_xfer(uint8_t ep_addr, uint8_t *buf, uint16_t len);
/* Harvard chips (AVR, whose data and program addresses are both below 0x8000): an IN buffer in
 * program memory is passed with this bit set in its address, so constant descriptors need no copy
 * in RAM. Other drivers never see it (usb/ tags only where the chip needs it). */
#define DCD_PGM_TAG 0x8000u
/* Drivers that copy a data endpoint's IN transfer out of `buf` before dcd_ep_xfer() returns (the
 * AVR's: one packet, straight into the controller's bank) set this: the caller may then reuse the
 * buffer at once instead of keeping a copy in flight. */
#if defined(__AVR__)
#define DCD_XFER_COPIES_IN 1
#else
#define DCD_XFER_COPIES_IN 0
#endif
/* Drivers that run EP0's control transfers themselves (DCD_CTRL_PIPE; the AVR's, where one state
 * machine in the driver is less code than the stack's stages over the driver's transfers): the
 * stack answers each SETUP with one dcd_ctrl() call instead of EP0 transfers and dcd_ep_stall(0),
 * and hears of a completed OUT data stage by usbd_on_ctrl_out() instead of usbd_on_xfer_done().
 * kind: DCD_CTRL_IN (send len bytes of buf, then a ZLP if `zlp` and the last packet was full;
 * then take the host's status ZLP), DCD_CTRL_OUT (receive len bytes into buf: one packet, at most
 * 64 bytes), DCD_CTRL_STATUS
 * (send the status ZLP; apply a SET_ADDRESS once it is taken), DCD_CTRL_STALL. */
#if defined(__AVR__)
#define DCD_CTRL_PIPE 1
#else
#define DCD_CTRL_PIPE 0
#endif
enum { DCD_CTRL_STALL = 0, DCD_CTRL_IN, DCD_CTRL_OUT, DCD_CTRL_STATUS };
void dcd_ctrl(uint8_t kind, uint8_t *buf, uint16_t len, bool zlp);
/* The OUT data stage is in (len bytes in the buffer): true acknowledges it, false stalls. */
bool usbd_on_ctrl_out(uint16_t len);
bool dcd_ep_busy(uint8_t ep_addr);
void dcd_ep_stall(uint8_t ep_addr);  /* EP0: stalls both directions until the next SETUP */
void dcd_ep_clear_stall(uint8_t ep_addr); /* also resets the data toggle to DATA0 */
void dcd_remote_wakeup(void);        /* signal resume (only when the host enabled it) */
void dcd_poll(void);                 /* drivers without interrupts handle events here */

/* Callbacks, implemented by usb/usbd.c. */
void usbd_on_bus_reset(void);
void usbd_on_setup(const uint8_t setup[8]);
void usbd_on_xfer_done(uint8_t ep_addr, uint16_t len);
void usbd_on_suspend(void);
void usbd_on_resume(void);
void usbd_on_sof(uint16_t frame);

#endif
