/* libFuzzer target for everything that reads an image file: the UF2 and HEX readers, the BIN
 * path, the info-block search, the config summary and the RP2040/RP2350/AVR checks. Hostile
 * files must be rejected, never crash or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tools/fwimage.h"
#include "tools/ihex.h"
#include "tools/uf2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    uf2_file_t u;
    if (uf2_read(data, size, &u, err, sizeof err)) {
        /* what reads back must write again */
        for (size_t g = 0; g < u.ngroups; g++) {
            uf2_opts_t o = {u.group[g].family, 0, 0xFF, false};
            uint8_t *out;
            size_t len;
            if (u.group[g].mem.n && uf2_write(&u.group[g].mem, &o, &out, &len, err, sizeof err)) free(out);
        }
        uf2_file_free(&u);
    }
    ihex_file_t h;
    if (ihex_read("fuzz.hex", data, size, &h, err, sizeof err)) {
        ihex_opts_t o = {16, h.has_start, h.start_type, h.start};
        char *txt;
        size_t len;
        if (ihex_write(&h.mem, &o, &txt, &len, err, sizeof err)) free(txt);
        ihex_file_free(&h);
    }
    memimg_t m;
    enum fw_format fmt;
    if (fwimage_parse("fuzz", data, size, 0x10000000u, &fmt, &m, err, sizeof err)) {
        fw_info_t in;
        uint32_t at;
        fwcheck_t r;
        fwcheck_init(&r);
        if (fwimage_find_info(&m, &in, &at, err, sizeof err) > 0) {
            char line[400];
            fwimage_config_summary(&m, &in, line, sizeof line);
            fwimage_check_layout(&in, &r);
        }
        fwimage_check_rp2040(&m, &r);
        fwimage_check_rp2350(&m, &r);
        fwimage_check_avr(&m, 0, &r);
        memimg_free(&m);
    }
    return 0;
}
