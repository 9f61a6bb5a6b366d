/* libFuzzer target for the keymap language: bytes -> keyboard.json + keymap.json (+ one dotted
 * override) -> model -> config image. Whatever the loader accepts, the writer must turn into an
 * image that cfg_open accepts and that reads back the model's keycodes; whatever it rejects must
 * come with an error message. Input: up to three parts separated by NUL bytes (keyboard, keymap,
 * "name=json"); a single part is a keymap for builtin:test4x10. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/load.h"
#include "core/cfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cfg_model_t m;
static diag_t d;
static uint8_t img[CFG_MAX_IMAGE];
static char text[DIAG_MAX * 3 * (DIAG_MSG_MAX + 64)];

/* An exactly-sized heap copy, so ASan sees any read past a part's end. */
static char *part(const uint8_t *p, size_t n)
{
    char *s = malloc(n ? n : 1);
    if (s && n) memcpy(s, p, n);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *cut[3] = {data, NULL, NULL};
    size_t len[3] = {size, 0, 0};
    int parts = 1;
    for (size_t i = 0; i < size && parts < 3; i++)
        if (data[i] == 0) {
            len[parts - 1] = (size_t)(data + i - cut[parts - 1]);
            cut[parts] = data + i + 1;
            len[parts] = size - i - 1;
            parts++;
        }

    char *kb = NULL, *km = NULL, *ov = NULL;
    diag_init(&d);
    bool ok;
    if (parts == 1) {
        ok = cfg_load_keyboard(&m, "builtin:test4x10", &d);
        km = part(cut[0], len[0]);
        ok &= cfg_load_keymap_text(&m, "keymap.json", km, len[0], &d);
    } else {
        kb = part(cut[0], len[0]);
        km = part(cut[1], len[1]);
        ok = cfg_load_keyboard_text(&m, "keyboard.json", kb, len[0], &d);
        ok &= cfg_load_keymap_text(&m, "keymap.json", km, len[1], &d);
    }
    if (parts == 3) {
        ov = part(cut[2], len[2]);
        const char *eq = memchr(ov, '=', len[2]);
        if (eq && eq - ov < 64) {
            char name[64];
            memcpy(name, ov, (size_t)(eq - ov));
            name[eq - ov] = 0;
            size_t vl = len[2] - (size_t)(eq - ov) - 1;
            ok &= cfg_apply_setting(&m, name, eq + 1, vl, "override", 1, 1, &d);
        }
    }
    ok = ok && cfg_finish(&m, &d);
    diag_format_all(&d, text, sizeof text);

    if (ok) {
        if (d.errors) abort(); /* success with errors counted */
        size_t n = cfg_image_write(&m, img, sizeof img);
        cfg_t c;
        if (!n || cfg_open(&c, img, n) != CFG_OK) abort();
        if (c.rows != m.rows || c.cols != m.cols || c.layers != m.layers) abort();
        for (unsigned l = 0; l < m.layers; l++)
            for (unsigned p = 0; p < c.npos; p++)
                if (cfg_keycode(&c, (uint8_t)l, (uint8_t)p) != m.keymap[l][p]) abort();
        for (unsigned i = 0; i < CFG_SETTING_COUNT; i++)
            if (cfg_setting(&c, (enum cfg_setting_id)i) != m.settings[i]) abort();
        /* combos and tap dances read back field by field */
        if (c.count[CFG_SEC_COMBOS] != m.ncombos || c.count[CFG_SEC_TAP_DANCES] != m.ntap_dances) abort();
        for (uint8_t i = 0; i < m.ncombos; i++) {
            const uint8_t *e = cfg_combo(&c, i);
            const cfg_combo_def_t *x = &m.combos[i];
            if (cfg_rd16(e + CFG_CB_RESULT) != x->result || cfg_rd16(e + CFG_CB_TERM) != x->term ||
                cfg_rd16(e + CFG_CB_IDLE) != x->idle || cfg_rd32(e + CFG_CB_LAYERS) != x->layers ||
                e[CFG_CB_FLAGS] != x->flags || e[CFG_CB_NKEYS] != x->nkeys || x->nkeys < 2 ||
                memcmp(e + CFG_CB_KEYS, x->keys, x->nkeys))
                abort();
            for (unsigned k = 0; k < x->nkeys; k++)
                if (x->keys[k] >= c.npos) abort();
        }
        for (uint8_t i = 0; i < m.ntap_dances; i++) {
            const uint8_t *e = cfg_tap_dance(&c, i);
            const cfg_tap_dance_def_t *x = &m.tap_dances[i];
            if (cfg_rd16(e + CFG_TD_ON_TAP) != x->on_tap || cfg_rd16(e + CFG_TD_ON_HOLD) != x->on_hold ||
                cfg_rd16(e + CFG_TD_ON_DOUBLE_TAP) != x->on_double_tap ||
                cfg_rd16(e + CFG_TD_ON_TAP_HOLD) != x->on_tap_hold || cfg_rd16(e + CFG_TD_TERM) != x->term)
                abort();
        }
    } else if (d.errors == 0) {
        abort(); /* a rejection must say why */
    }
    free(kb);
    free(km);
    free(ov);
    return 0;
}
