/* The fallback keyboard: the wiring of builtin:test4x10 (a 4x10 COL2ROW matrix, rows GP2..GP5,
 * columns GP6..GP15 on RP2 boards; docs/boards/rp2040.md) with a plain QWERTY block, assembled
 * in the config image format at start-up so that the reader checks it like any other image. */
#include <string.h>

#include "core/cfg.h"
#include "core/le.h"
#include "fw/fallback.h"

#define FB_ROWS 4u
#define FB_COLS 10u

static const uint8_t fb_pins[FB_ROWS + FB_COLS] = {2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

static const uint8_t fb_keys[FB_ROWS * FB_COLS] = {
    /* 1..0 */ 0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
    /* Q..P */ 0x14, 0x1A, 0x08, 0x15, 0x17, 0x1C, 0x18, 0x0C, 0x12, 0x13,
    /* A..; */ 0x04, 0x16, 0x07, 0x09, 0x0A, 0x0B, 0x0D, 0x0E, 0x0F, 0x33,
    /* Z../, with Shift, Space, Enter at the ends */
    0xE1, 0x1D, 0x1B, 0x06, 0x19, 0x2C, 0x05, 0x11, 0x10, 0x28,
};

static const char fb_strings[] = "Kestrel fallback keyboard\0Kestrel\0fallback";

size_t fallback_image(uint8_t *buf)
{
    enum { NSEC = 6 };
    memset(buf, 0, FALLBACK_IMAGE_MAX);
    size_t off = CFG_HEADER_SIZE + NSEC * CFG_SECTION_ENTRY_SIZE;
    uint8_t *ent = buf + CFG_HEADER_SIZE;

    /* INFO */
    uint8_t *info = buf + off;
    info[CFG_INFO_PROCESSOR] = CFG_PROC_RP2040;
    info[CFG_INFO_BOOTLOADER] = CFG_BOOT_RP2040;
    info[CFG_INFO_ROWS] = FB_ROWS;
    info[CFG_INFO_COLS] = FB_COLS;
    info[CFG_INFO_LAYERS] = 1;
    info[CFG_INFO_DIODE] = CFG_COL2ROW;
    info[CFG_INFO_MATRIX_KIND] = CFG_MATRIX_GRID;
    le_wr16(info + CFG_INFO_KEYS, FB_ROWS * FB_COLS);
    le_wr16(info + CFG_INFO_IO_DELAY, 30);
    le_wr16(info + CFG_INFO_VID, 0xFEED);
    le_wr16(info + CFG_INFO_PID, 0x0000);
    le_wr16(info + CFG_INFO_BCD, 0x0100);
    info[CFG_INFO_POLL_MS] = 1;
    info[CFG_INFO_MAX_POWER] = 50;
    /* USB_STRINGS: the manufacturer ("Kestrel", at FB_MANUFACTURER) then the name, widened */
    enum { FB_NAME_LEN = 25, FB_MANUFACTURER = 26, FB_MANUFACTURER_LEN = 7 };
    size_t sizes[NSEC] = {CFG_INFO_SIZE, sizeof fb_pins, 2u * sizeof fb_keys,
                          2u * CFG_SETTING_COUNT, sizeof fb_strings,
                          4u + 2u * (FB_NAME_LEN + FB_MANUFACTURER_LEN)};
    uint8_t ids[NSEC] = {CFG_SEC_INFO, CFG_SEC_PINS, CFG_SEC_KEYMAP, CFG_SEC_SETTINGS,
                         CFG_SEC_STRINGS, CFG_SEC_USB_STRINGS};
    uint16_t counts[NSEC] = {1, sizeof fb_pins, 1, CFG_SETTING_COUNT, 3, 2};
    for (unsigned s = 0; s < NSEC; s++) {
        uint8_t *body = buf + off;
        if (ids[s] == CFG_SEC_PINS) memcpy(body, fb_pins, sizeof fb_pins);
        if (ids[s] == CFG_SEC_KEYMAP)
            for (unsigned i = 0; i < sizeof fb_keys; i++) le_wr16(body + 2 * i, fb_keys[i]);
        if (ids[s] == CFG_SEC_SETTINGS)
            for (unsigned i = 0; i < CFG_SETTING_COUNT; i++)
                le_wr16(body + 2 * i, cfg_setting_default((enum cfg_setting_id)i));
        if (ids[s] == CFG_SEC_STRINGS) memcpy(body, fb_strings, sizeof fb_strings);
        if (ids[s] == CFG_SEC_USB_STRINGS) {
            static const uint8_t at[2] = {FB_MANUFACTURER, 0}, len[2] = {FB_MANUFACTURER_LEN, FB_NAME_LEN};
            for (unsigned k = 0; k < 2; k++) {
                body[0] = (uint8_t)(2u + 2u * len[k]);
                body[1] = 3; /* STRING */
                for (unsigned i = 0; i < len[k]; i++) body[2 + 2 * i] = (uint8_t)fb_strings[at[k] + i];
                body += body[0];
            }
        }
        ent[0] = ids[s];
        le_wr16(ent + 2, (uint16_t)off);
        le_wr16(ent + 4, (uint16_t)sizes[s]);
        le_wr16(ent + 6, counts[s]);
        ent += CFG_SECTION_ENTRY_SIZE;
        off += sizes[s];
    }
    le_wr32(buf, CFG_MAGIC);
    le_wr16(buf + 4, CFG_VERSION);
    le_wr16(buf + 6, NSEC);
    le_wr32(buf + 8, (uint32_t)off);
    le_wr32(buf + 12, cfg_crc32(0, buf + 16, off - 16));
    return off;
}

__attribute__((weak)) const uint8_t *hal_cfg_fallback(size_t *len)
{
    *len = 0;
    return NULL;
}

__attribute__((weak)) bool hal_cfg_usable(const cfg_t *c)
{
    (void)c;
    return true;
}
