/* Bootloader detection: the VID:PID table, a libusb scan, sysfs for serial ports, and the mount
 * table for UF2 drives. Nothing here opens or changes a device. */
#include "tools/usbdetect.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libusb-1.0/libusb.h>

/* From ref/qmk.md §8.1 (QMK's detection list) and §8.1's RP2350 note. Entries for chips Kestrel
 * has no firmware for are kept so that `kestrel flash` can say what it found. */
const usbdetect_entry_t usbdetect_table[] = {
    {0x03EB, 0x2FF4, "atmel-dfu", "atmega32u4", "Atmel DFU (ATmega32U4)"},
    {0x03EB, 0x2FF3, "atmel-dfu", "atmega16u4", "Atmel DFU (ATmega16U4)"},
    {0x03EB, 0x2FF0, "atmel-dfu", "atmega32u2", "Atmel DFU (ATmega32U2)"},
    {0x03EB, 0x2FEF, "atmel-dfu", "atmega16u2", "Atmel DFU (ATmega16U2)"},
    {0x03EB, 0x2FF9, "atmel-dfu", "at90usb64", "Atmel DFU (AT90USB64x)"},
    {0x03EB, 0x2FFA, "atmel-dfu", "at90usb162", "Atmel DFU (AT90USB162)"},
    {0x03EB, 0x2FFB, "atmel-dfu", "at90usb128", "Atmel DFU (AT90USB128x)"},
    {0x1B4F, 0x9203, "caterina", "atmega32u4", "SparkFun Pro Micro 3.3V (Caterina)"},
    {0x1B4F, 0x9205, "caterina", "atmega32u4", "SparkFun Pro Micro 5V (Caterina)"},
    {0x1B4F, 0x9207, "caterina", "atmega32u4", "SparkFun LilyPad USB / clone (Caterina)"},
    {0x2341, 0x0036, "caterina", "atmega32u4", "Arduino Leonardo (Caterina)"},
    {0x2341, 0x0037, "caterina", "atmega32u4", "Arduino Micro (Caterina)"},
    {0x2A03, 0x0036, "caterina", "atmega32u4", "Arduino Leonardo, arduino.org (Caterina)"},
    {0x2A03, 0x0037, "caterina", "atmega32u4", "Arduino Micro, arduino.org (Caterina)"},
    {0x1FFB, 0x0101, "caterina", "atmega32u4", "Pololu A-Star 32U4 (Caterina)"},
    {0x239A, 0x000C, "caterina", "atmega32u4", "Adafruit Feather 32u4 (Caterina)"},
    {0x239A, 0x000D, "caterina", "atmega32u4", "Adafruit ItsyBitsy 32u4 3V (Caterina)"},
    {0x239A, 0x000E, "caterina", "atmega32u4", "Adafruit ItsyBitsy 32u4 5V (Caterina)"},
    {0x1209, 0x2302, "caterina", "atmega32u4", "Keyboardio Atreus 2 (Caterina)"},
    {0x16C0, 0x0478, "halfkay", "atmega32u4", "PJRC HalfKay (Teensy)"},
    {0x03EB, 0x2067, "qmk-hid", "avr", "QMK HID bootloader"},
    {0x16C0, 0x05DF, "bootloadhid", "atmega32a", "bootloadHID"},
    {0x16C0, 0x05DC, "usbasploader", "atmega328p", "USBaspLoader"},
    {0x1782, 0x0C9F, "usbtinyisp", "avr", "USBtinyISP"},
    {0x0483, 0xDF11, "stm32-dfu", "stm32", "STM32 DFU"},
    {0x1EAF, 0x0003, "stm32duino", "stm32f103", "STM32duino"},
    {0x314B, 0x0106, "apm32-dfu", "apm32", "APM32 DFU"},
    {0x28E9, 0x0189, "gd32v-dfu", "gd32vf103", "GD32V DFU"},
    {0x1C11, 0xB007, "kiibohd", "kinetis", "Input Club kiibohd DFU"},
    {0x03EB, 0x6124, "md-boot", "samd", "Massdrop SAM-BA"},
    {0x2E8A, 0x0003, "rp2040", "rp2040", "Raspberry Pi RP2040 boot ROM (RPI-RP2)"},
    {0x2E8A, 0x000F, "rp2040", "rp2350", "Raspberry Pi RP2350 boot ROM (RP2350)"},
};
const size_t usbdetect_count = sizeof usbdetect_table / sizeof usbdetect_table[0];

const usbdetect_entry_t *usbdetect_lookup(uint16_t vid, uint16_t pid)
{
    for (size_t i = 0; i < usbdetect_count; i++)
        if (usbdetect_table[i].vid == vid && usbdetect_table[i].pid == pid) return &usbdetect_table[i];
    return NULL;
}

/* Calls fn(vid, pid, bus, addr) for each connected device; -1 when USB cannot be listed. */
typedef void (*each_fn)(void *ctx, uint16_t vid, uint16_t pid, uint8_t bus, uint8_t addr);

static int each_device(each_fn fn, void *ctx, char *err, size_t errlen)
{
    const char *fake = getenv("KESTREL_TEST_USB");
    if (fake) {
        const char *p = fake;
        while (*p) {
            unsigned v, d, b = 0, a = 0;
            int n = 0;
            if (sscanf(p, "%4x:%4x%n", &v, &d, &n) != 2) break;
            p += n;
            if (*p == '@' && sscanf(p, "@%u.%u%n", &b, &a, &n) == 2) p += n;
            fn(ctx, (uint16_t)v, (uint16_t)d, (uint8_t)b, (uint8_t)a);
            while (*p && *p != ',') p++;
            if (*p == ',') p++;
        }
        return 0;
    }
    libusb_context *lc;
    int r = libusb_init(&lc);
    if (r) {
        if (err) snprintf(err, errlen, "cannot use USB (libusb: %s)", libusb_strerror(r));
        return -1;
    }
    libusb_device **list;
    ssize_t n = libusb_get_device_list(lc, &list);
    if (n < 0) {
        if (err) snprintf(err, errlen, "cannot list USB devices (libusb: %s)", libusb_strerror((int)n));
        libusb_exit(lc);
        return -1;
    }
    for (ssize_t i = 0; i < n; i++) {
        struct libusb_device_descriptor dd;
        if (libusb_get_device_descriptor(list[i], &dd)) continue;
        fn(ctx, dd.idVendor, dd.idProduct, libusb_get_bus_number(list[i]),
           libusb_get_device_address(list[i]));
    }
    libusb_free_device_list(list, 1);
    libusb_exit(lc);
    return 0;
}

typedef struct {
    usbdetect_dev_t *out;
    int max, n;
} scan_ctx;

static void add_known(void *c, uint16_t vid, uint16_t pid, uint8_t bus, uint8_t addr)
{
    scan_ctx *s = c;
    const usbdetect_entry_t *e = usbdetect_lookup(vid, pid);
    if (!e || s->n >= s->max) return;
    s->out[s->n++] = (usbdetect_dev_t){e, vid, pid, bus, addr};
}

int usbdetect_scan(usbdetect_dev_t *out, int max, char *err, size_t errlen)
{
    scan_ctx s = {out, max, 0};
    if (each_device(add_known, &s, err, errlen) < 0) return -1;
    return s.n;
}

typedef struct {
    uint16_t vid, pid;
    bool found;
} find_ctx;

static void match(void *c, uint16_t vid, uint16_t pid, uint8_t bus, uint8_t addr)
{
    find_ctx *f = c;
    (void)bus;
    (void)addr;
    if (vid == f->vid && pid == f->pid) f->found = true;
}

bool usbdetect_present(uint16_t vid, uint16_t pid)
{
    find_ctx f = {vid, pid, false};
    if (each_device(match, &f, NULL, 0) < 0) return false;
    return f.found;
}

static bool read_hex_file(const char *path, unsigned *v)
{
    FILE *f = fopen(path, "r");
    if (!f) return false;
    bool ok = fscanf(f, "%x", v) == 1;
    fclose(f);
    return ok;
}

bool usbdetect_tty(const char *sysroot, uint16_t vid, uint16_t pid, char *path, size_t len)
{
    const char *fake = getenv("KESTREL_TEST_TTY");
    if (fake) {
        snprintf(path, len, "%s", fake);
        return true;
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/sys/class/tty", sysroot);
    DIR *d = opendir(dir);
    if (!d) return false;
    struct dirent *de;
    bool found = false;
    while (!found && (de = readdir(d))) {
        if (strncmp(de->d_name, "ttyACM", 6) && strncmp(de->d_name, "ttyUSB", 6)) continue;
        char link[PATH_MAX + 300], real[PATH_MAX];
        snprintf(link, sizeof link, "%s/%.255s/device", dir, de->d_name);
        if (!realpath(link, real)) continue;
        /* The tty's device is a USB interface (or below one); idVendor sits on the device above. */
        for (int up = 0; up < 4 && !found; up++) {
            char f[PATH_MAX + 16];
            unsigned v, p;
            snprintf(f, sizeof f, "%s/idVendor", real);
            if (read_hex_file(f, &v)) {
                snprintf(f, sizeof f, "%s/idProduct", real);
                if (read_hex_file(f, &p) && v == vid && p == pid) {
                    snprintf(path, len, "/dev/%.255s", de->d_name);
                    found = true;
                }
                break;
            }
            char *slash = strrchr(real, '/');
            if (!slash || slash == real) break;
            *slash = 0;
        }
    }
    closedir(d);
    return found;
}

bool uf2_drive_probe(const char *dir, uf2_drive_t *dr)
{
    memset(dr, 0, sizeof *dr);
    char p[600];
    snprintf(p, sizeof p, "%s/INFO_UF2.TXT", dir);
    FILE *f = fopen(p, "r");
    if (!f) return false;
    snprintf(dr->dir, sizeof dr->dir, "%s", dir);
    char line[256];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        char *v = strchr(line, ':');
        if (!v) continue;
        *v++ = 0;
        while (*v == ' ' || *v == '\t') v++;
        if (!strcasecmp(line, "Model")) snprintf(dr->model, sizeof dr->model, "%s", v);
        else if (!strcasecmp(line, "Board-ID")) snprintf(dr->board_id, sizeof dr->board_id, "%s", v);
    }
    fclose(f);
    if (strstr(dr->board_id, "RP2350") || strstr(dr->model, "RP2350")) dr->chip = 2350;
    else if (!strncmp(dr->board_id, "RPI-RP2", 7) || !strcmp(dr->model, "Raspberry Pi RP2"))
        dr->chip = 2040;
    return true;
}

/* Mount points escape space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
    char *o = s;
    while (*s) {
        if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' &&
            s[3] <= '7') {
            *o++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
            s += 4;
        } else {
            *o++ = *s++;
        }
    }
    *o = 0;
}

int uf2_drive_find(const char *mounts, uf2_drive_t *out, int max)
{
    FILE *f = fopen(mounts, "r");
    if (!f) return 0;
    char line[1024];
    int n = 0;
    while (n < max && fgets(line, sizeof line, f)) {
        char dev[256], mnt[512], type[64];
        if (sscanf(line, "%255s %511s %63s", dev, mnt, type) != 3) continue;
        /* boot ROM drives are FAT; skipping the rest avoids touching network mounts */
        if (strcmp(type, "vfat") && strcmp(type, "msdos") && strcmp(type, "exfat") &&
            strcmp(type, "fuseblk") && strcmp(type, "fat"))
            continue;
        unescape(mnt);
        if (uf2_drive_probe(mnt, &out[n])) n++;
    }
    fclose(f);
    return n;
}
