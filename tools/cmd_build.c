/* kestrel build — keyboard.json + keymap.json -> a ready-to-flash UF2/HEX/BIN, with no compiler:
 * the JSON becomes a config image, which is written into the generic firmware's config region. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/avr_images.h"
#include "config/load.h"
#include "core/cfg.h"
#include "tools/build.h"
#include "tools/commands.h"
#include "tools/fwimage.h"
#include "tools/uf2.h"

/* The order of config/load.c's development_board table (CFG_INFO_DEV_BOARD = index + 1);
 * tests/unit/test_flash.c checks the two agree. */
static const char *const dev_boards[] = {
    "promicro", "elite_c", "promicro_rp2040", "kb2040", "elite_pi", "liatris",
    "blok", "bit_c_pro", "helios", "imera", "svlinky",
};

const char *build_dev_board_name(unsigned index)
{
    if (index == 0 || index > sizeof dev_boards / sizeof dev_boards[0]) return NULL;
    return dev_boards[index - 1];
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* <dir>/<t>/kestrel-<t>.bin or <dir>/kestrel-<t>.bin */
static bool in_dir(const char *dir, const char *t, char *path, size_t len)
{
    snprintf(path, len, "%s/%s/kestrel-%s.bin", dir, t, t);
    if (is_file(path)) return true;
    snprintf(path, len, "%s/kestrel-%s.bin", dir, t);
    return is_file(path);
}

bool build_firmware_path(uint32_t target, const char *override, char *path, size_t len)
{
    const char *t = fwimage_target_name(target);
    if (!t) return false;
    if (override) {
        if (is_dir(override)) return in_dir(override, t, path, len);
        snprintf(path, len, "%s", override);
        return is_file(path);
    }
    const char *env = getenv("KESTREL_FIRMWARE_DIR");
    if (env && *env) return in_dir(env, t, path, len);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(path, len, "fw/%s/kestrel-%s.bin", t, t);
        return is_file(path);
    }
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) *slash = 0;
    char dflt[PATH_MAX + 64];
    snprintf(dflt, sizeof dflt, "%s/fw/%s/kestrel-%s.bin", exe, t, t);
    if (is_file(dflt)) {
        snprintf(path, len, "%s", dflt);
        return true;
    }
    /* build/san/kestrel (the sanitised tool the tests run) finds build/fw one folder up */
    char up[PATH_MAX + 64];
    snprintf(up, sizeof up, "%s/../fw/%s/kestrel-%s.bin", exe, t, t);
    if (is_file(up)) {
        snprintf(path, len, "%s", up);
        return true;
    }
    snprintf(path, len, "%s", dflt);
    return false;
}

/* The ATmega32U4 has several generic images, each with some of the optional behaviours
 * (config/avr_images.c). The main one, kestrel-atmega32u4[-8mhz].<ext>, is what
 * build_firmware_path finds; a keymap that needs another gets its sibling of the same clock,
 * kestrel-atmega32u4-<name>[-8mhz].<ext>. A firmware file named otherwise is used as given. */
bool build_avr_image(uint32_t used, char *path, size_t len, FILE *out)
{
    uint32_t missing;
    const cfg_avr_image_t *im = cfg_avr_image_for(used, &missing);
    if (!*im->suffix) return true;
    char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    static const char stem[] = "kestrel-atmega32u4";
    if (strncmp(base, stem, sizeof stem - 1)) return true;
    const char *rest = base + sizeof stem - 1; /* "", "-8mhz", then the extension */
    const char *clock = !strncmp(rest, "-8mhz", 5) ? "-8mhz" : "";
    const char *ext = rest + strlen(clock);
    if (*ext != '.' || strchr(ext + 1, '.') || strchr(ext, '-')) return true;
    char alt[PATH_MAX];
    int n = snprintf(alt, sizeof alt, "%.*s%s%s%s%s", (int)(base - path), path, stem, im->suffix, clock, ext);
    if (n < 0 || (size_t)n >= sizeof alt || (size_t)n >= len) {
        fprintf(out, "kestrel build: firmware path too long\n");
        return false;
    }
    if (!is_file(alt)) {
        fprintf(out, "kestrel build: this keymap needs the ATmega32U4 image with %s, %s, which is not "
                "next to %s (run `make avr`)\n", im->suffix + 1, alt, path);
        return false;
    }
    memcpy(path, alt, (size_t)n + 1);
    return true;
}

void build_result_free(build_result_t *r)
{
    free(r->out);
    memset(r, 0, sizeof *r);
}

static cfg_model_t model;
static diag_t diags;
static uint8_t cfgimg[CFG_MAX_IMAGE];

int build_keyboard(const char *keyboard, const char *keymap, const char *firmware,
                   enum fw_format fmt, build_result_t *r, FILE *out)
{
    memset(r, 0, sizeof *r);
    diag_init(&diags);
    bool kb_ok = cfg_load_keyboard(&model, keyboard, &diags);
    bool km_ok = cfg_load_keymap(&model, keymap, &diags); /* read even after errors: all at once */
    bool ok = kb_ok && km_ok && cfg_finish(&model, &diags) && diags.errors == 0;
    static char text[DIAG_MAX * 3 * (DIAG_MSG_MAX + 64)];
    diag_format_all(&diags, text, sizeof text);
    fputs(text, out);
    if (!ok) {
        fprintf(out, "kestrel build: %d error%s, %d warning%s; nothing written\n", diags.errors,
                diags.errors == 1 ? "" : "s", diags.warnings, diags.warnings == 1 ? "" : "s");
        return 2;
    }
    size_t n = cfg_image_write(&model, cfgimg, sizeof cfgimg);
    if (!n) {
        fprintf(out, "kestrel build: the config image could not be written (a bound was exceeded)\n");
        return 2;
    }
    cfg_load_info_t li;
    cfg_load_get_info(&li);
    r->target = fwimage_target_from_processor(model.processor);
    r->bootloader = model.bootloader;
    snprintf(r->dev_board, sizeof r->dev_board, "%s", li.dev_board ? li.dev_board : "");
    r->vid = model.vid;
    r->pid = model.pid;
    snprintf(r->name, sizeof r->name, "%s", model.name);
    r->cfg_size = n;
    const char *t = fwimage_target_name(r->target);
    if (!t) {
        fprintf(out, "kestrel build: %s: no supported processor\n", keyboard);
        return 2;
    }
    if (!build_firmware_path(r->target, firmware, r->firmware, sizeof r->firmware)) {
        fprintf(out,
                "kestrel build: no %s firmware at %s (run `make`, or give --firmware PATH or "
                "KESTREL_FIRMWARE_DIR)\n", t, r->firmware);
        return 2;
    }
    if (r->target == FW_TARGET_ATMEGA32U4 &&
        !build_avr_image(cfg_features_used(&model), r->firmware, sizeof r->firmware, out))
        return 2;
    uint8_t *fwbuf;
    size_t fwlen;
    if (fwimage_read_file(r->firmware, &fwbuf, &fwlen)) {
        fprintf(out, "kestrel build: %s: %s\n", r->firmware, strerror(errno));
        return 2;
    }
    char err[512];
    fwimage_t fw;
    if (!fwimage_load(&fw, r->firmware, fwbuf, fwlen, err, sizeof err)) {
        free(fwbuf);
        fprintf(out, "kestrel build: %s\n", err);
        return 2;
    }
    free(fwbuf);
    r->info = fw.info;
    fwcheck_t lay;
    fwcheck_init(&lay);
    fwimage_check_layout(&fw.info, &lay);
    for (int i = 0; i < lay.n; i++) fprintf(out, "kestrel build: warning: %s: %s\n", r->firmware, lay.msg[i].text);
    int status = 2;
    if (fw.info.target != r->target) {
        fprintf(out, "kestrel build: %s is %s firmware, but the keyboard's processor is %s\n",
                r->firmware, fwimage_target_name(fw.info.target), t);
        goto done;
    }
    if (fmt == FW_FORMAT_NONE) fmt = r->target == FW_TARGET_ATMEGA32U4 ? FW_FORMAT_HEX : FW_FORMAT_UF2;
    r->fmt = fmt;
    if (!fwimage_set_config(&fw, cfgimg, n, err, sizeof err) ||
        !fwimage_render(&fw, fmt, fwimage_avr_limit(model.bootloader), &r->out, &r->len, err, sizeof err)) {
        fprintf(out, "kestrel build: %s\n", err);
        goto done;
    }
    /* Read our own output back: what we hand to a bootloader must say exactly what we meant. */
    memimg_t back;
    enum fw_format got;
    if (!fwimage_parse("output", r->out, r->len, fw.info.flash_base, &got, &back, err, sizeof err)) {
        fprintf(out, "kestrel build: internal error: the output does not read back: %s\n", err);
        goto done;
    }
    bool same = true;
    for (size_t s = 0; s < fw.mem.n && same; s++) {
        uint8_t *chk = malloc(fw.mem.seg[s].len);
        same = chk && memimg_read(&back, fw.mem.seg[s].addr, chk, fw.mem.seg[s].len, 0) == fw.mem.seg[s].len &&
               !memcmp(chk, fw.mem.seg[s].data, fw.mem.seg[s].len);
        free(chk);
    }
    memimg_free(&back);
    if (!same) {
        fprintf(out, "kestrel build: internal error: the output does not match the image\n");
        goto done;
    }
    status = 0;
done:
    if (status) {
        free(r->out);
        r->out = NULL;
        r->len = 0;
    }
    fwimage_free(&fw);
    return status;
}

/* The generic firmware with its whole config region blank: the firmware then runs its safe
 * config (recovery, and a known state for tests). */
static int build_blank(const char *target, const char *firmware, enum fw_format fmt, build_result_t *r)
{
    memset(r, 0, sizeof *r);
    uint32_t t = 0;
    for (uint32_t i = 1; i <= 3; i++)
        if (target && !strcmp(target, fwimage_target_name(i))) t = i;
    if (target && !t) {
        fprintf(stderr, "kestrel build: --target '%s': use rp2040, rp2350 or atmega32u4\n", target);
        return 2;
    }
    if (!t && !firmware) {
        fprintf(stderr, "kestrel build: --blank-config needs --target or --firmware\n");
        return 2;
    }
    bool found = t ? build_firmware_path(t, firmware, r->firmware, sizeof r->firmware)
                   : (snprintf(r->firmware, sizeof r->firmware, "%s", firmware), is_file(firmware));
    if (!found) {
        fprintf(stderr, "kestrel build: no firmware at %s\n", r->firmware);
        return 2;
    }
    uint8_t *buf;
    size_t len;
    if (fwimage_read_file(r->firmware, &buf, &len)) {
        fprintf(stderr, "kestrel build: %s: %s\n", r->firmware, strerror(errno));
        return 2;
    }
    char err[512];
    fwimage_t fw;
    bool ok = fwimage_load(&fw, r->firmware, buf, len, err, sizeof err);
    free(buf);
    if (!ok) {
        fprintf(stderr, "kestrel build: %s\n", err);
        return 2;
    }
    r->info = fw.info;
    r->target = fw.info.target;
    if (t && t != fw.info.target) {
        fprintf(stderr, "kestrel build: %s is %s firmware, not %s\n", r->firmware,
                fwimage_target_name(fw.info.target), target);
        fwimage_free(&fw);
        return 2;
    }
    if (fmt == FW_FORMAT_NONE) fmt = r->target == FW_TARGET_ATMEGA32U4 ? FW_FORMAT_HEX : FW_FORMAT_UF2;
    r->fmt = fmt;
    snprintf(r->name, sizeof r->name, "(none: blank config region)");
    ok = fwimage_blank_config(&fw, err, sizeof err) &&
         fwimage_render(&fw, fmt, FWIMAGE_AVR_APP_MAX, &r->out, &r->len, err, sizeof err);
    fwimage_free(&fw);
    if (!ok) {
        fprintf(stderr, "kestrel build: %s\n", err);
        return 2;
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kestrel build --keyboard K --keymap M.json -o OUT [--format uf2|hex|bin]\n"
            "                     [--firmware PATH]\n"
            "       kestrel build --blank-config --target T -o OUT   (the firmware's safe config)\n"
            "\n"
            "Writes a ready-to-flash image: the keymap compiled to a config image and placed in\n"
            "the generic firmware for the keyboard's processor. No compiler runs.\n"
            "\n"
            "  --keyboard K     keyboard.json / info.json, a QMK-style folder, or builtin:NAME\n"
            "  --keymap M       keymap.json (QMK Configurator format)\n"
            "  -o, --output OUT the file to write (replaced only when everything succeeded)\n"
            "  --format F       uf2 (RP2040/RP2350), hex (ATmega32U4) or bin; default: by\n"
            "                   target, or by OUT's extension (.uf2, .hex, .bin)\n"
            "  --firmware PATH  the generic firmware (.bin/.hex/.uf2) or a folder of them;\n"
            "                   default $KESTREL_FIRMWARE_DIR, else fw/<target>/ next to kestrel\n"
            "  --blank-config   no keymap: blank the config region, so the firmware runs its\n"
            "                   built-in safe config (recovery); --target rp2040|rp2350|atmega32u4\n"
            "\n"
            "Exit status: 0 written, 2 bad input (the reason on stderr; nothing written).\n");
}

static enum fw_format format_from_ext(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/')) return FW_FORMAT_NONE;
    if (!strcasecmp(dot, ".uf2")) return FW_FORMAT_UF2;
    if (!strcasecmp(dot, ".hex") || !strcasecmp(dot, ".ihex")) return FW_FORMAT_HEX;
    if (!strcasecmp(dot, ".bin")) return FW_FORMAT_BIN;
    return FW_FORMAT_NONE;
}

int cmd_build(int argc, char **argv)
{
    const char *kb = NULL, *km = NULL, *outp = NULL, *fwp = NULL, *fmts = NULL, *target = NULL;
    bool blank = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--blank-config")) {
            blank = true;
            continue;
        } else if (!strcmp(a, "--target")) slot = &target;
        else if (!strcmp(a, "--keyboard") || !strcmp(a, "-k")) slot = &kb;
        else if (!strcmp(a, "--keymap") || !strcmp(a, "-m")) slot = &km;
        else if (!strcmp(a, "-o") || !strcmp(a, "--output")) slot = &outp;
        else if (!strcmp(a, "--firmware")) slot = &fwp;
        else if (!strcmp(a, "--format")) slot = &fmts;
        else {
            fprintf(stderr, "kestrel build: unknown argument '%s' (try --help)\n", a);
            return 2;
        }
        if (++i >= argc) {
            fprintf(stderr, "kestrel build: %s needs a value\n", a);
            return 2;
        }
        *slot = argv[i];
    }
    if (blank ? (kb || km || !outp) : (!kb || !km || !outp)) {
        fprintf(stderr, blank ? "kestrel build: --blank-config takes -o OUT and --target or --firmware, no keymap\n"
                              : "kestrel build: needs --keyboard K, --keymap M and -o OUT (try --help)\n");
        return 2;
    }
    enum fw_format fmt = FW_FORMAT_NONE, ext = format_from_ext(outp);
    if (fmts) {
        fmt = fwimage_format_from_name(fmts);
        if (fmt == FW_FORMAT_NONE) {
            fprintf(stderr, "kestrel build: --format '%s': use uf2, hex or bin\n", fmts);
            return 2;
        }
        if (ext != FW_FORMAT_NONE && ext != fmt) {
            fprintf(stderr, "kestrel build: --format %s but the output is named '%s'\n", fmts, outp);
            return 2;
        }
    } else {
        fmt = ext;
    }
    build_result_t r;
    int st = blank ? build_blank(target, fwp, fmt, &r) : build_keyboard(kb, km, fwp, fmt, &r, stderr);
    if (st) return st;
    if (fwimage_write_file(outp, r.out, r.len)) {
        fprintf(stderr, "kestrel build: cannot write %s: %s\n", outp, strerror(errno));
        build_result_free(&r);
        return 2;
    }
    char a[32], b[32], c[32];
    const char *t = fwimage_target_name(r.target);
    printf("%s: %s for %s%s%s, %s bytes\n", outp, fwimage_format_name(r.fmt), t,
           r.dev_board[0] ? " on " : "", r.dev_board, fwimage_num(c, sizeof c, r.len));
    if (!blank) printf("  keyboard  \"%s\", bootloader %s\n", r.name, fwimage_bootloader_name(r.bootloader));
    printf("  firmware  %s (Kestrel %u.%u.%u, build %s)\n", r.firmware, r.info.fw_version >> 16,
           (r.info.fw_version >> 8) & 0xFF, r.info.fw_version & 0xFF, r.info.build_id);
    if (blank)
        printf("  config    none: %s bytes at 0x%08X blanked (the firmware's safe config runs)\n",
               fwimage_num(b, sizeof b, r.info.config_max), r.info.config_addr);
    else
        printf("  config    %s of %s bytes at 0x%08X\n", fwimage_num(a, sizeof a, r.cfg_size),
               fwimage_num(b, sizeof b, r.info.config_max), r.info.config_addr);
    if (r.fmt == FW_FORMAT_UF2)
        printf("  UF2       %zu blocks%s\n", r.len / UF2_BLOCK_SIZE,
               r.target == FW_TARGET_RP2350 ? " (the first is the RP2350-E10 block)" : "");
    build_result_free(&r);
    return 0;
}
