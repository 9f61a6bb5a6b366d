/* USB mass storage, bulk-only transport (USB MSC BOT 1.0) with the SCSI commands Linux, macOS and
 * Windows send to a removable disk: the keyboard's drive. The storage behind it is the
 * firmware's (usb_msc_ops_t); this class only speaks the protocol. Runs in thread mode, like the
 * rest of usb/. */
#ifndef KESTREL_USB_MSC_H
#define KESTREL_USB_MSC_H

#include <stdbool.h>
#include <stdint.h>

/* Built only where the target's makefile asks for it (-DUSB_MSC=1: the RP2040 with its drive);
 * elsewhere (the ATmega32U4, short of flash) usb/ has no trace of the class. */
#ifndef USB_MSC
#define USB_MSC 0
#endif

#define USB_MSC_BLOCK 512u
#define USB_EP_MSC_IN  0x83u
#define USB_EP_MSC_OUT 0x03u
#define USB_MSC_EP_SIZE 64u

typedef struct usb_msc_ops {
    uint32_t blocks;                                  /* 512-byte blocks of the medium */
    bool (*read)(uint32_t lba, uint8_t *buf);         /* one block */
    bool (*write)(uint32_t lba, const uint8_t *buf);  /* one block */
    /* SYNCHRONIZE CACHE, an eject (START STOP UNIT with LoEj), or PREVENT ALLOW MEDIUM REMOVAL
     * allowing removal: the host says it is done writing for now. May be NULL. */
    void (*sync)(void);
} usb_msc_ops_t;

/* Gives the class its storage (before usb_init; identity.msc then adds the interface). */
void usb_msc_init(const usb_msc_ops_t *ops);
/* Medium present or not: absent answers NOT READY / MEDIUM NOT PRESENT (the drive disappears
 * from the desktop but stays on the bus); present again is announced to the host as a medium
 * change. */
void usb_msc_set_present(bool present);
bool usb_msc_present(void);
/* The firmware changed the medium itself: the host is told (UNIT ATTENTION, medium may have
 * changed) at its next command, so it drops what it has cached. */
void usb_msc_media_changed(void);
/* True while a command is in progress (between a CBW and its CSW). */
bool usb_msc_busy(void);
/* The host ejected the medium (START STOP UNIT, LoEj): cleared by usb_msc_set_present(true). */
bool usb_msc_ejected(void);

#endif
