/* Synthetic firmware and config images for the tools' tests (see synth.h). */
#include "tests/info/synth.h"

#include <stdio.h>
#include <string.h>

#include "config/model.h"
#include "core/cfg.h"
#include "tools/fwimage.h"

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

void synth_default_layout(uint32_t target, synth_layout_t *l)
{
    switch (target) {
    case FW_TARGET_RP2040:
        *l = (synth_layout_t){0x10000000u, 0x200, 0x3000, 0x10010000u, 0x4000};
        break;
    case FW_TARGET_RP2350:
        *l = (synth_layout_t){0x10000000u, 0x200, 0x2400, 0x10020000u, 0x4000};
        break;
    default:
        *l = (synth_layout_t){0, 0xAC, 0x1800, 0x6000, 0x1000};
        break;
    }
}

size_t synth_firmware(uint32_t target, const synth_layout_t *l, uint8_t *out, size_t cap)
{
    if (cap < l->image_len) return 0;
    uint32_t x = 0x12345678u ^ target;
    for (size_t i = 0; i < l->image_len; i++) { /* filler that never repeats the info magic */
        x = x * 1103515245u + 12345u;
        out[i] = (uint8_t)(x >> 16);
    }
    if (target == FW_TARGET_RP2040) {
        wr32(out + 252, fwimage_crc32_mpeg2(out, 252));
        wr32(out + 0x100, 0x20042000u);           /* initial SP: top of SRAM */
        wr32(out + 0x104, l->flash_base + 0x1C1); /* reset handler, Thumb */
    } else if (target == FW_TARGET_RP2350) {
        wr32(out + 0, 0x20082000u);
        wr32(out + 4, l->flash_base + 0x161);
        static const uint32_t def[] = {0xFFFFDED3u, 0x10210142u, 0x000001FFu, 0x00000000u, 0xAB123579u};
        for (unsigned i = 0; i < 5; i++) wr32(out + 0x110 + 4 * i, def[i]);
    } else {
        out[0] = 0x0C; /* jmp 0x00AC (word address 0x56) */
        out[1] = 0x94;
        out[2] = 0x56;
        out[3] = 0x00;
    }
    uint8_t *in = out + l->info_off;
    memset(in, 0, sizeof(fw_info_t));
    wr32(in + 0, FWINFO_MAGIC0);
    wr32(in + 4, FWINFO_MAGIC1);
    wr32(in + 8, 1);
    wr32(in + 12, target);
    wr32(in + 16, 0x000102); /* 0.1.2 */
    wr32(in + 20, l->flash_base);
    wr32(in + 24, l->config_addr);
    wr32(in + 28, l->config_max);
    wr32(in + 32, l->flash_base + l->image_len);
    snprintf((char *)in + 36, 24, "synth-%s", fwimage_target_name(target));
    return l->image_len;
}

size_t synth_config(unsigned processor, unsigned bootloader, unsigned rows, unsigned cols,
                    unsigned layers, const char *name, uint8_t *out, size_t cap)
{
    static cfg_model_t m;
    cfg_model_init(&m);
    m.processor = (uint8_t)processor;
    m.bootloader = (uint8_t)bootloader;
    m.rows = (uint8_t)rows;
    m.cols = (uint8_t)cols;
    m.layers = (uint8_t)layers;
    m.nkeys = (uint16_t)(rows * cols);
    for (unsigned i = 0; i < rows * cols; i++) {
        m.layout[i] = (uint8_t)i;
        m.hand[i] = (i % cols) < cols / 2 ? CFG_HAND_LEFT : CFG_HAND_RIGHT;
        for (unsigned k = 0; k < layers; k++) m.keymap[k][i] = (kc_t)(KC_A + (i + k) % 26);
    }
    for (unsigned r = 0; r < rows; r++) m.row_pins[r] = (uint8_t)r;
    for (unsigned c = 0; c < cols; c++) m.col_pins[c] = (uint8_t)(rows + c);
    snprintf(m.name, sizeof m.name, "%s", name);
    snprintf(m.manufacturer, sizeof m.manufacturer, "Kestrel tests");
    snprintf(m.keymap_name, sizeof m.keymap_name, "default");
    return cfg_image_write(&m, out, cap);
}

int synth_write_file(const char *path, const void *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t w = fwrite(buf, 1, len, f);
    int rc = fclose(f);
    return (w == len && rc == 0) ? 0 : -1;
}
