/* kestrel check: validates a keyboard definition and a keymap, prints every diagnostic with its
 * position, and on success a short summary of what the config image will hold. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/load.h"
#include "tools/commands.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kestrel check --keyboard KEYBOARD [--keymap] KEYMAP.json [--image OUT.bin]\n"
            "       kestrel check --keyboard KEYBOARD          (the keyboard definition alone)\n"
            "\n"
            "Validates a keyboard definition and a keymap and prints every error and warning as\n"
            "file:line:col: message, with the offending line. On success prints a summary.\n"
            "\n"
            "  --keyboard K   keyboard.json / info.json, a folder of a QMK-style tree (the\n"
            "                 info.json/keyboard.json chain is merged), or builtin:test4x10\n"
            "  --keymap M     keymap.json (QMK Configurator format; may also be given bare)\n"
            "  --image OUT    also write the config image (binary) to OUT\n"
            "  -q, --quiet    print errors and warnings only, no summary\n"
            "\n"
            "Exit status: 0 valid (warnings allowed), 2 errors or bad usage.\n"
            "The format is described in docs/keymap-format.md.\n");
}

static diag_t diags;
static cfg_model_t model;
static uint8_t image[CFG_MAX_IMAGE];

static void print_diags(const diag_t *d)
{
    static char buf[DIAG_MAX * 3 * (DIAG_MSG_MAX + 64)];
    diag_format_all(d, buf, sizeof buf);
    fputs(buf, stderr);
}

/* Counts of the behaviours the keymap uses, by keycode range. */
static void behaviours(const cfg_model_t *m, char *out, size_t cap)
{
    static const struct {
        const char *name;
        kc_t lo, hi;
    } kinds[] = {
        {"mod-tap", QK_MOD_TAP, QK_MOD_TAP_MAX},
        {"layer-tap", QK_LAYER_TAP, QK_LAYER_TAP_MAX},
        {"layer-mod", QK_LAYER_MOD, QK_LAYER_MOD_MAX},
        {"MO", QK_MOMENTARY, QK_MOMENTARY_MAX},
        {"TO", QK_TO, QK_TO_MAX},
        {"TG", QK_TOGGLE_LAYER, QK_TOGGLE_LAYER_MAX},
        {"DF", QK_DEF_LAYER, QK_DEF_LAYER_MAX},
        {"TT", QK_LAYER_TAP_TOGGLE, QK_LAYER_TAP_TOGGLE_MAX},
        {"one-shot layer", QK_ONE_SHOT_LAYER, QK_ONE_SHOT_LAYER_MAX},
        {"one-shot mod", QK_ONE_SHOT_MOD, QK_ONE_SHOT_MOD_MAX},
        {"modified key", QK_MODS, QK_MODS_MAX},
        {"tap dance", QK_TAP_DANCE, QK_TAP_DANCE_MAX},
        {"macro", QK_MACRO, QK_MACRO_MAX},
        {"media", 0xA5, 0xC2},
        {"mouse", 0xCD, 0xDF},
        {"quantum", QK_QUANTUM, QK_QUANTUM_MAX},
        {"lighting", QK_LIGHTING, QK_LIGHTING_MAX},
        {"unicode", QK_UNICODE, QK_UNICODE_MAX},
    };
    size_t o = 0;
    out[0] = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        unsigned n = 0;
        for (unsigned l = 0; l < m->layers; l++)
            for (unsigned i = 0; i < m->nkeys; i++) {
                kc_t kc = m->keymap[l][m->layout[i]];
                if (kc >= kinds[k].lo && kc <= kinds[k].hi) n++;
            }
        if (n && o + 1 < cap) {
            int r = snprintf(out + o, cap - o, "%s%s x%u", o ? ", " : "", kinds[k].name, n);
            if (r > 0) o += (size_t)r;
        }
    }
    if (!o) snprintf(out, cap, "plain keys only");
}

static void changed_settings(const cfg_model_t *m, char *out, size_t cap)
{
    static const char *const names[CFG_SETTING_COUNT] = {
#define X_NAME(id, name, def) name,
        CFG_SETTINGS(X_NAME)
#undef X_NAME
    };
    size_t o = 0;
    out[0] = 0;
    for (unsigned i = 0; i < CFG_SETTING_COUNT; i++) {
        if (m->settings[i] == cfg_setting_default((enum cfg_setting_id)i)) continue;
        int r = snprintf(out + o, o < cap ? cap - o : 0, "%s%s=%u", o ? ", " : "", names[i],
                         m->settings[i]);
        if (r > 0) o += (size_t)r;
        if (o >= cap) break;
    }
    if (!o) snprintf(out, cap, "all defaults");
}

int cmd_check(int argc, char **argv)
{
    const char *kb = NULL, *km = NULL, *img_out = NULL;
    bool quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--keyboard") || !strcmp(a, "-k")) {
            if (++i >= argc) goto missing;
            kb = argv[i];
        } else if (!strncmp(a, "--keyboard=", 11)) {
            kb = a + 11;
        } else if (!strcmp(a, "--keymap") || !strcmp(a, "-m")) {
            if (++i >= argc) goto missing;
            km = argv[i];
        } else if (!strncmp(a, "--keymap=", 9)) {
            km = a + 9;
        } else if (!strcmp(a, "--image")) {
            if (++i >= argc) goto missing;
            img_out = argv[i];
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "kestrel check: unknown option '%s' (try kestrel check --help)\n", a);
            return 2;
        } else if (!km) {
            km = a;
        } else {
            fprintf(stderr, "kestrel check: more than one keymap given ('%s', '%s')\n", km, a);
            return 2;
        }
    }
    if (!kb) {
        fprintf(stderr, "kestrel check: needs --keyboard K (try --help)\n");
        return 2;
    }
    if (img_out && !km) {
        fprintf(stderr, "kestrel check: --image needs a keymap\n");
        return 2;
    }

    diag_init(&diags);
    bool kb_ok = cfg_load_keyboard(&model, kb, &diags);
    bool ok = kb_ok;
    if (km) {
        /* A keymap is still read after keyboard errors, so every problem shows in one run. */
        bool km_ok = cfg_load_keymap(&model, km, &diags);
        ok = kb_ok && km_ok && cfg_finish(&model, &diags) && diags.errors == 0;
    }
    print_diags(&diags);
    if (!ok) {
        fprintf(stderr, "%d error%s, %d warning%s\n", diags.errors, diags.errors == 1 ? "" : "s",
                diags.warnings, diags.warnings == 1 ? "" : "s");
        return 2;
    }
    size_t n = km ? cfg_image_write(&model, image, sizeof image) : 1;
    if (!n) {
        fprintf(stderr, "kestrel check: the config image could not be written\n");
        return 2;
    }
    if (img_out) {
        FILE *f = fopen(img_out, "wb");
        if (!f || fwrite(image, 1, n, f) != n || fclose(f) != 0) {
            fprintf(stderr, "kestrel check: cannot write %s\n", img_out);
            return 2;
        }
    }
    if (quiet) return 0;

    cfg_load_info_t info;
    cfg_load_get_info(&info);
    char beh[512], set[512];
    behaviours(&model, beh, sizeof beh);
    changed_settings(&model, set, sizeof set);
    unsigned npins = model.matrix_kind == CFG_MATRIX_DIRECT ? 0u : (unsigned)model.rows + model.cols;
    if (model.matrix_kind == CFG_MATRIX_DIRECT)
        for (unsigned p = 0; p < (unsigned)model.rows * model.cols; p++)
            npins += model.direct_pins[p] != CFG_PIN_NONE;
    printf("ok: %s\n", km ? km : kb);
    printf("  keyboard   %s%s%s\n", model.name[0] ? model.name : "(unnamed)",
           model.manufacturer[0] ? " by " : "", model.manufacturer);
    printf("  processor  %s, bootloader %s%s%s\n", info.processor, info.bootloader,
           info.dev_board[0] ? ", board " : "", info.dev_board);
    printf("  matrix     %ux%u %s, %u pins%s\n", model.rows, model.cols,
           model.matrix_kind == CFG_MATRIX_DIRECT ? "direct pins"
           : model.diode == CFG_COL2ROW           ? "COL2ROW"
                                                  : "ROW2COL",
           npins, info.split ? " (split: both halves)" : "");
    printf("  layout     %s, %u keys (%d layout%s defined)\n", info.layout, model.nkeys,
           info.nlayouts, info.nlayouts == 1 ? "" : "s");
    if (km) {
        printf("  layers     %u\n", model.layers);
        printf("  keys use   %s\n", beh);
    }
    if (model.nencoders) printf("  encoders   %u\n", model.nencoders);
    if (model.nmacros) printf("  macros     %u (%u bytes)\n", model.nmacros, model.macro_len);
    if (model.ncombos) printf("  combos     %u\n", model.ncombos);
    if (model.ntap_dances) printf("  tap dances %u\n", model.ntap_dances);
    if (model.nperkey) printf("  per-key    %u settings\n", model.nperkey);
    printf("  settings   %s\n", set);
    if (info.features[0]) printf("  features   %s\n", info.features);
    if (km) printf("  image      %zu bytes\n", n);
    if (diags.warnings) printf("  %d warning%s\n", diags.warnings, diags.warnings == 1 ? "" : "s");
    return 0;
missing:
    fprintf(stderr, "kestrel check: %s needs a value\n", argv[argc - 1]);
    return 2;
}
