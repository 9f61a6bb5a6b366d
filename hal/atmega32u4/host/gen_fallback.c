/* Build-time generator (host): the ATmega32U4 image's fallback config, written as a program-memory
 * array, since the AVR's config reader reads only program memory. The keyboard is the 4x10 test
 * wiring of keyboards/test4x10_avr (rows D0-D3, columns F4-F7 B1 B3 B2 B6 B4 B5, COL2ROW) with a
 * plain QWERTY block, the same keys as the RP2 fallback. It is cut down to the sections a plain
 * keyboard reads (about 300 bytes less of the chip's flash) and checked against the full image. */
#include <stdio.h>
#include <string.h>

#include "core/le.h"
#include "config/model.h"
#include "usb/usb_desc_tmpl.h"

#define PIN(port, bit) (uint8_t)((port - 'A') << 3 | (bit))

static cfg_model_t m;
static uint8_t img[1024], out[1024];

/* The sections kept: what the firmware reads for a keyboard with plain keys only (no layout, no
 * hands: those serve the host tool and tap-hold keys). */
static const uint8_t keep[] = {CFG_SEC_INFO, CFG_SEC_PINS, CFG_SEC_KEYMAP, CFG_SEC_SETTINGS,
                               CFG_SEC_USB_STRINGS};

/* The kept sections of `full` in a new image; settings that read as their defaults at the end of
 * the table are left off (a missing id reads as its default). Returns the size, 0 on failure. */
static size_t compact(const cfg_t *full, uint8_t *o)
{
    const unsigned nsec = sizeof keep;
    size_t off = CFG_HEADER_SIZE + nsec * CFG_SECTION_ENTRY_SIZE;
    memset(o, 0, sizeof out);
    for (unsigned i = 0; i < nsec; i++) {
        uint16_t count, len;
        const uint8_t *body = cfg_section(full, keep[i], &count, &len);
        if (!body) return 0;
        if (keep[i] == CFG_SEC_SETTINGS) {
            while (count && cfg_setting(full, count - 1u) == cfg_setting_default(count - 1u)) count--;
            len = (uint16_t)(2u * count);
        }
        if (off + len > sizeof out) return 0;
        uint8_t *e = o + CFG_HEADER_SIZE + i * CFG_SECTION_ENTRY_SIZE;
        e[0] = keep[i];
        le_wr16(e + 2, (uint16_t)off);
        le_wr16(e + 4, len);
        le_wr16(e + 6, count);
        memcpy(o + off, body, len);
        off += len;
    }
    le_wr32(o, CFG_MAGIC);
    le_wr16(o + 4, CFG_VERSION);
    le_wr16(o + 6, (uint16_t)nsec);
    le_wr32(o + 8, (uint32_t)off);
    le_wr32(o + 12, cfg_crc32(0, o + 16, off - 16));
    return off;
}

/* The cut-down image must read exactly as the full one wherever the firmware looks. */
static int same(const cfg_t *a, const cfg_t *b)
{
    if (a->rows != b->rows || a->cols != b->cols || a->layers != b->layers) return 0;
    for (unsigned f = 0; f < CFG_INFO_SIZE; f++)
        if (cfg_info8(a, f) != cfg_info8(b, f)) return 0;
    for (unsigned id = 0; id < CFG_SETTING_COUNT; id++)
        if (cfg_setting(a, id) != cfg_setting(b, id)) return 0;
    for (unsigned i = 0; i < (unsigned)a->rows + a->cols; i++)
        if (cfg_pin(a, i) != cfg_pin(b, i)) return 0;
    for (uint8_t l = 0; l < a->layers; l++)
        for (uint8_t p = 0; p < a->npos; p++)
            if (cfg_keycode(a, l, p) != cfg_keycode(b, l, p)) return 0;
    uint16_t na, la, nb, lb;
    const uint8_t *sa = cfg_section(a, CFG_SEC_USB_STRINGS, &na, &la);
    const uint8_t *sb = cfg_section(b, CFG_SEC_USB_STRINGS, &nb, &lb);
    return la == lb && memcmp(sa, sb, la) == 0;
}

int main(int argc, char **argv)
{
    static const uint8_t rows[4] = {PIN('D', 0), PIN('D', 1), PIN('D', 2), PIN('D', 3)};
    static const uint8_t cols[10] = {PIN('F', 4), PIN('F', 5), PIN('F', 6), PIN('F', 7), PIN('B', 1),
                                     PIN('B', 3), PIN('B', 2), PIN('B', 6), PIN('B', 4), PIN('B', 5)};
    static const uint8_t keys[40] = {
        0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, /* 1..0 */
        0x14, 0x1A, 0x08, 0x15, 0x17, 0x1C, 0x18, 0x0C, 0x12, 0x13, /* Q..P */
        0x04, 0x16, 0x07, 0x09, 0x0A, 0x0B, 0x0D, 0x0E, 0x0F, 0x33, /* A..; */
        0xE1, 0x1D, 0x1B, 0x06, 0x19, 0x2C, 0x05, 0x11, 0x10, 0x28, /* Shift, Z..B, Space, .. Enter */
    };
    if (argc != 2) {
        fprintf(stderr, "usage: gen_fallback OUT.inc\n");
        return 2;
    }
    cfg_model_init(&m);
    m.processor = CFG_PROC_ATMEGA32U4;
    m.bootloader = CFG_BOOT_CATERINA;
    m.rows = 4;
    m.cols = 10;
    m.diode = CFG_COL2ROW;
    m.matrix_kind = CFG_MATRIX_GRID;
    memcpy(m.row_pins, rows, sizeof rows);
    memcpy(m.col_pins, cols, sizeof cols);
    m.io_delay_us = 30;
    m.vid = 0xFEED;
    m.pid = 0x0000;
    m.bcd = 0x0100;
    m.poll_ms = 1;
    m.max_power_half = 50;
    m.layers = 1;
    m.nkeys = 40;
    for (unsigned i = 0; i < 40; i++) {
        m.layout[i] = (uint8_t)i;
        m.hand[i] = i % 10 < 5 ? CFG_HAND_LEFT : CFG_HAND_RIGHT;
        m.keymap[0][i] = keys[i];
    }
    strcpy(m.name, "Kestrel fallback keyboard");
    /* No manufacturer: the loader writes the default "Kestrel" (config/image_write.c). */
    size_t full_n = cfg_image_write(&m, img, sizeof img);
    cfg_t full, small;
    size_t n = full_n && cfg_open(&full, img, full_n) == CFG_OK ? compact(&full, out) : 0;
    if (!n || cfg_open(&small, out, n) != CFG_OK || !same(&full, &small)) {
        fprintf(stderr, "gen_fallback: the cut-down fallback image does not read as the full one\n");
        return 1;
    }
    /* The firmware takes the device and configuration descriptors from the image it uses, and
     * falls back to this one when an image lacks them (fw/main.c): this one must have them. */
    uint16_t un, ul;
    const uint8_t *us = cfg_section(&small, CFG_SEC_USB_STRINGS, &un, &ul);
    size_t at = us && ul >= 2u ? us[0] : 0u;
    at = us && at + 2u <= ul ? at + us[at] : 0u;
    if (!at || at + USB_DESC_DEVICE_LEN + USB_CONFIG_LEN > ul || us[at + 1] != 1u ||
        us[at + USB_DESC_DEVICE_LEN + 1u] != 2u) {
        fprintf(stderr, "gen_fallback: the fallback image has no USB device and configuration descriptors\n");
        return 1;
    }
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        fprintf(stderr, "gen_fallback: cannot write %s\n", argv[1]);
        return 1;
    }
    fprintf(f, "/* generated by hal/atmega32u4/host/gen_fallback.c */\n");
    for (size_t i = 0; i < n; i++) fprintf(f, "0x%02X,%s", out[i], i % 16 == 15 ? "\n" : "");
    fprintf(f, "\n");
    return fclose(f) == 0 ? 0 : 1;
}
