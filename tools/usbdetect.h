/* Finding bootloaders: the USB VID:PIDs they enumerate with (QMK's list, ref/qmk.md §8.1, plus
 * the RP2350 ROM), a libusb scan, the serial port of a Caterina device (sysfs), and the mounted
 * UF2 drive of an RP2 boot ROM (mount table + INFO_UF2.TXT). */
#ifndef KESTREL_TOOLS_USBDETECT_H
#define KESTREL_TOOLS_USBDETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct usbdetect_entry {
    uint16_t vid, pid;
    const char *bootloader; /* QMK's name: "caterina", "atmel-dfu", "halfkay", "rp2040", ... */
    const char *mcu;        /* what that VID:PID implies: "atmega32u4", "rp2040", "stm32", ... */
    const char *what;       /* for humans: "SparkFun Pro Micro 5V (Caterina)" */
} usbdetect_entry_t;

extern const usbdetect_entry_t usbdetect_table[];
extern const size_t usbdetect_count;

const usbdetect_entry_t *usbdetect_lookup(uint16_t vid, uint16_t pid);

typedef struct usbdetect_dev {
    const usbdetect_entry_t *e;
    uint16_t vid, pid;
    uint8_t bus, addr;
} usbdetect_dev_t;

/* Lists the connected USB devices that are known bootloaders. Returns how many (at most max),
 * or -1 with a message when USB cannot be enumerated. The environment variable KESTREL_TEST_USB
 * ("VID:PID[@BUS.ADDR],...") replaces the bus for tests. */
int usbdetect_scan(usbdetect_dev_t *out, int max, char *err, size_t errlen);

/* True when a device with this VID:PID is connected (the keyboard coming back after a flash). */
bool usbdetect_present(uint16_t vid, uint16_t pid);

/* The /dev/ttyACM* (or ttyUSB*) node of a USB serial device with this VID:PID, from sysfs under
 * `sysroot` (normally "" for the real /sys; tests give a fake tree). KESTREL_TEST_TTY overrides
 * it for tests. False when there is none. */
bool usbdetect_tty(const char *sysroot, uint16_t vid, uint16_t pid, char *path, size_t len);

/* A mounted UF2 bootloader drive. */
typedef struct uf2_drive {
    char dir[512];
    char model[96], board_id[96];
    int chip; /* 2040, 2350, or 0 when INFO_UF2.TXT names neither */
} uf2_drive_t;

/* Reads DIR/INFO_UF2.TXT. False when it is not there (not a UF2 drive, or it went away). */
bool uf2_drive_probe(const char *dir, uf2_drive_t *d);

/* Mounted UF2 drives, from a mount table in /proc/self/mounts format (`mounts` = its path).
 * Returns how many were found (at most max). */
int uf2_drive_find(const char *mounts, uf2_drive_t *out, int max);

#endif
