/* kestrel flash — puts an image on a keyboard: checks it first (chip, size, boot structures),
 * finds or waits for the bootloader, then copies to the RP2 boot ROM drive or runs the AVR
 * bootloader's own well-kept tool (avrdude, dfu-programmer, teensy_loader_cli) with exact
 * arguments and its output shown. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "core/cfg.h"
#include "tools/build.h"
#include "tools/commands.h"
#include "tools/flash.h"
#include "tools/fwimage.h"
#include "tools/ihex.h"
#include "tools/uf2.h"
#include "tools/usbdetect.h"

/* ---- command lines ---- */

static void add(flash_cmd_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(flash_cmd_t *c, const char *fmt, ...)
{
    if (c->argc >= FLASH_MAX_ARGS) return;
    va_list ap;
    va_start(ap, fmt);
    char buf[1200];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    c->argv[c->argc++] = strdup(buf);
    c->argv[c->argc] = NULL;
}

void flash_plan_free(flash_plan_t *p)
{
    for (int i = 0; i < p->ncmd; i++) {
        for (int k = 0; k < p->cmd[i].argc; k++) free(p->cmd[i].argv[k]);
        free(p->cmd[i].stdout_path);
    }
    memset(p, 0, sizeof *p);
}

int flash_dfu_programmer_version(void)
{
    FILE *f = popen("dfu-programmer --version 2>&1", "r");
    if (!f) return 0;
    char line[200] = "";
    int v = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned a, b;
        const char *p = strstr(line, "dfu-programmer ");
        if (p && sscanf(p + 15, "%u.%u", &a, &b) == 2) v = (int)(a * 100 + b);
    }
    pclose(f);
    return v;
}

static bool is_dfu(const char *b)
{
    return !strcmp(b, "atmel-dfu") || !strcmp(b, "qmk-dfu") || !strcmp(b, "lufa-dfu");
}

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcasecmp(s + a - b, suf);
}

static bool fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return false;
}

bool flash_plan_avr(const char *boot, const char *hex, const char *port, const char *backup,
                    int dfu_version, flash_plan_t *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    if (!strcmp(boot, "caterina")) {
        if (!port) return fail(err, errlen, "Caterina needs the bootloader's serial port");
        /* avrdude reads the signature (refusing another chip) and verifies after writing. A
         * backup must be read in the same session (Caterina leaves when avrdude exits), before the
         * write, so the automatic chip erase is turned off (-D): Caterina erases each page as it
         * writes it. */
        flash_cmd_t *c = &p->cmd[p->ncmd++];
        add(c, "avrdude");
        add(c, "-p");
        add(c, "atmega32u4");
        add(c, "-c");
        add(c, "avr109");
        add(c, "-P");
        add(c, "%s", port);
        if (backup) {
            add(c, "-D");
            add(c, "-U");
            add(c, "flash:r:%s:%s", backup, ends_with(backup, ".bin") ? "r" : "i");
        }
        add(c, "-U");
        add(c, "flash:w:%s:i", hex);
        p->verifies = p->can_backup = true;
        return true;
    }
    if (is_dfu(boot)) {
        /* 0.7 and later want --force to erase/flash a chip they think is blank or protected;
         * 0.6 (Debian's) rejects the option. */
        bool force = dfu_version >= 7;
        if (backup) {
            flash_cmd_t *d = &p->cmd[p->ncmd++];
            add(d, "dfu-programmer");
            add(d, "atmega32u4");
            add(d, "dump");
            d->stdout_path = strdup(backup);
        }
        flash_cmd_t *c = &p->cmd[p->ncmd++];
        add(c, "dfu-programmer");
        add(c, "atmega32u4");
        add(c, "erase");
        if (force) add(c, "--force");
        c = &p->cmd[p->ncmd++];
        add(c, "dfu-programmer");
        add(c, "atmega32u4");
        add(c, "flash");
        if (force) add(c, "--force");
        add(c, "%s", hex);
        c = &p->cmd[p->ncmd++];
        add(c, "dfu-programmer");
        add(c, "atmega32u4");
        add(c, "reset");
        p->verifies = p->can_backup = true; /* flash validates by reading back */
        return true;
    }
    if (!strcmp(boot, "halfkay")) {
        if (backup)
            return fail(err, errlen,
                        "--backup: HalfKay (Teensy) cannot read flash back, so no backup is "
                        "possible with it; nothing was done");
        flash_cmd_t *c = &p->cmd[p->ncmd++];
        add(c, "teensy_loader_cli");
        add(c, "--mcu=atmega32u4");
        add(c, "-w");
        add(c, "-v");
        add(c, "%s", hex);
        return true;
    }
    if (!strcmp(boot, "qmk-hid"))
        return fail(err, errlen,
                    "the qmk-hid bootloader needs hid_bootloader_cli, which Debian does not package; "
                    "flash it with QMK Toolbox");
    return fail(err, errlen, "kestrel flash cannot drive a '%s' bootloader for the atmega32u4 (it "
                             "knows caterina, atmel-dfu, qmk-dfu, lufa-dfu, halfkay)", boot);
}

static bool plain_arg(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:=,@%+-", *s))
            return false;
    return true;
}

static void print_arg(FILE *f, const char *s)
{
    if (plain_arg(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'') fputs("'\\''", f);
        else fputc(*s, f);
    }
    fputc('\'', f);
}

void flash_print_cmd(FILE *f, const flash_cmd_t *c)
{
    for (int i = 0; i < c->argc; i++) {
        if (i) fputc(' ', f);
        print_arg(f, c->argv[i]);
    }
    if (c->stdout_path) {
        fputs(" > ", f);
        print_arg(f, c->stdout_path);
    }
    fputc('\n', f);
}

/* ---- the UF2 drive ---- */

bool flash_drive_accepts(const uf2_drive_t *d, uint32_t family, char *err, size_t errlen)
{
    int want = family == UF2_FAMILY_RP2040 ? 2040
               : (family == UF2_FAMILY_RP2350_ARM_S || family == UF2_FAMILY_RP2350_RISCV ||
                  family == UF2_FAMILY_RP2_ABSOLUTE || family == UF2_FAMILY_RP2_DATA)
                   ? 2350
                   : 0;
    const char *fn = uf2_family_name(family);
    if (!want)
        return fail(err, errlen, "UF2 family 0x%08X (%s) is not one an RP2 boot ROM takes", family,
                    fn ? fn : "unknown");
    if (!d->chip)
        return fail(err, errlen,
                    "the drive at %s is not a Raspberry Pi boot ROM this tool knows (INFO_UF2.TXT: "
                    "Model '%s', Board-ID '%s'); nothing was written",
                    d->dir, d->model, d->board_id);
    if (d->chip != want)
        return fail(err, errlen,
                    "the image is for the RP%d (UF2 family %s), but the drive at %s is an RP%d "
                    "boot ROM (Board-ID '%s'), which would ignore it; nothing was written",
                    want, fn, d->dir, d->chip, d->board_id);
    return true;
}

static bool drive_there(const char *dir)
{
    char p[600];
    struct stat st;
    snprintf(p, sizeof p, "%s/INFO_UF2.TXT", dir);
    return stat(p, &st) == 0;
}

bool flash_wait_drive_gone(const char *dir, int timeout_ms)
{
    for (int t = 0; t <= timeout_ms; t += 50) {
        if (!drive_there(dir)) return true;
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
    }
    return !drive_there(dir);
}

enum flash_copy_result flash_uf2_copy(const char *dir, const uint8_t *uf2, size_t len,
                                      const flash_copy_opts_t *o, char *err, size_t errlen)
{
    char path[600];
    snprintf(path, sizeof path, "%s/KESTREL.UF2", dir);
    size_t total = len / UF2_BLOCK_SIZE, chunk = o && o->chunk_blocks ? o->chunk_blocks : 32;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fail(err, errlen, "cannot create %s: %s; nothing was written", path, strerror(errno));
        return FLASH_COPY_FAILED;
    }
    size_t done = 0;
    const char *what = NULL;
    int e = 0;
    while (done < total) {
        size_t n = total - done < chunk ? total - done : chunk;
        const uint8_t *p = uf2 + done * UF2_BLOCK_SIZE;
        size_t left = n * UF2_BLOCK_SIZE;
        while (left) {
            ssize_t w = write(fd, p, left);
            if (w < 0) {
                if (errno == EINTR) continue;
                e = errno;
                what = "writing";
                break;
            }
            p += w;
            left -= (size_t)w;
        }
        /* fsync per chunk: the boot ROM only sees what reached the device, and an error must be
         * reported for the blocks it concerns, not at close time */
        if (!what && fsync(fd)) {
            e = errno;
            what = "syncing";
        }
        if (what) {
            /* The ROM reboots the moment it has every block: an error on the last chunk is what
             * that looks like from here. Anything earlier is a real failure. */
            if (done + n == total && (e == EIO || e == ENODEV || e == ENOENT || e == ENXIO)) {
                close(fd);
                return FLASH_COPY_DRIVE_LEFT;
            }
            close(fd);
            fail(err, errlen, "%s %s failed after %zu of %zu blocks: %s", what, path, done, total,
                 strerror(e));
            return FLASH_COPY_FAILED;
        }
        done += n;
        if (o && o->progress)
            fprintf(o->progress, "\r  copying: %zu of %zu blocks (%zu%%)", done, total,
                    done * 100 / total);
        if (o && o->hook) o->hook(o->hook_ctx, fd, done, total);
        struct stat st;
        bool file_gone = fstat(fd, &st) == 0 && st.st_nlink == 0;
        if (file_gone || !drive_there(dir)) {
            close(fd);
            if (o && o->progress) fputc('\n', o->progress);
            if (done == total) return FLASH_COPY_DRIVE_LEFT;
            fail(err, errlen, "the drive went away after %zu of %zu blocks: the keyboard may hold a "
                              "partial image now; enter the bootloader again and re-flash",
                 done, total);
            return FLASH_COPY_FAILED;
        }
    }
    if (o && o->progress) fputc('\n', o->progress);
    if (close(fd)) {
        if (errno == EIO || errno == ENODEV) return FLASH_COPY_DRIVE_LEFT;
        fail(err, errlen, "closing %s: %s", path, strerror(errno));
        return FLASH_COPY_FAILED;
    }
    return FLASH_COPY_OK;
}

/* ---- the command ---- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kestrel flash [options] IMAGE\n"
            "       kestrel flash [options] --keyboard K --keymap M.json [--firmware PATH]\n"
            "\n"
            "Checks the image (chip, size, boot structures), finds the keyboard's bootloader -- or\n"
            "says how to enter it and waits, counting down -- and writes the image:\n"
            "  RP2040/RP2350  copied to the boot ROM's drive (RPI-RP2 / RP2350), synced, and the\n"
            "                 drive watched until it goes away (the ROM rebooting)\n"
            "  ATmega32U4     avrdude (Caterina), dfu-programmer (Atmel/QMK/LUFA DFU) or\n"
            "                 teensy_loader_cli (HalfKay), with their output shown\n"
            "\n"
            "  --dry-run         print exactly what would run, touch nothing\n"
            "  --backup FILE     save the current flash first (Caterina, DFU; .hex or .bin);\n"
            "                    refused where the bootloader cannot read flash\n"
            "  --bootloader B    caterina, atmel-dfu, qmk-dfu, lufa-dfu, halfkay, rp2040\n"
            "                    (default: the one found on USB, else the keyboard's)\n"
            "  --port DEV        Caterina's serial port (default: found by its USB ID)\n"
            "  --drive DIR       the mounted UF2 drive (default: found in the mount table)\n"
            "  --timeout S       seconds to wait for the bootloader (default 60)\n"
            "  --mounts FILE     mount table to search (default /proc/self/mounts)\n"
            "\n"
            "Exit status: 0 flashed, 1 refused or failed (nothing written unless it says so),\n"
            "2 bad input or usage. See docs/flashing.md.\n");
}

typedef struct flash_opts {
    const char *file, *keyboard, *keymap, *firmware, *bootloader, *port, *drive, *backup, *mounts;
    bool dry_run;
    int timeout;
} flash_opts_t;

/* What we know about the image and the keyboard in it. */
typedef struct image_facts {
    const char *name;       /* for messages */
    uint8_t *buf;           /* the file's bytes */
    size_t len;
    enum fw_format fmt;
    memimg_t mem;
    uint32_t target;        /* 0 = unknown */
    bool kestrel;
    fw_info_t info;
    uint32_t family;        /* main UF2 family, when a UF2 */
    bool has_cfg;
    unsigned boot;          /* enum cfg_bootloader from the config, CFG_BOOT_UNKNOWN if none */
    unsigned dev_board;
    uint16_t vid, pid;
    char kb_name[64];
} image_facts_t;

static void facts_free(image_facts_t *f)
{
    free(f->buf);
    memimg_free(&f->mem);
}

static int out_of_time(time_t start, int timeout)
{
    return timeout >= 0 && time(NULL) - start >= timeout;
}

/* The visible countdown while waiting for a bootloader: a line rewritten every second on a
 * terminal, else (logs, pipes) one line at the start and every 10 seconds. */
static void countdown(time_t start, int timeout, bool *tty_line)
{
    static int last = -1;
    int left = timeout - (int)(time(NULL) - start);
    if (left < 0) left = 0;
    if (isatty(STDERR_FILENO)) {
        fprintf(stderr, "\r  waiting: %3d s left (Ctrl-C to stop) ", left);
        *tty_line = true;
    } else if (last != left && (last < 0 || left % 10 == 0 || left > last)) {
        fprintf(stderr, "  waiting: %d s left\n", left);
    }
    last = left;
}

static void end_countdown(bool tty_line)
{
    if (tty_line) fprintf(stderr, "\r%60s\r", "");
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* How to enter the bootloader, by bootloader and board. */
static void how_to_enter(const char *boot, const char *board, bool rp)
{
    fprintf(stderr, "Put the keyboard in its bootloader:\n");
    if (rp) {
        if (!board || !*board || !strcmp(board, "none"))
            fprintf(stderr, "  - Hold the BOOTSEL button while plugging in the USB cable (Pico / Pico 2),\n"
                            "    then let go: a drive named RPI-RP2 (RP2040) or RP2350 appears.\n");
        else
            fprintf(stderr, "  - %s: hold the BOOT button (or short the BOOT pad to GND) while you press and\n"
                            "    release RESET or plug the cable in; a drive named RPI-RP2 (or RP2350) appears.\n"
                            "    With QMK firmware that enables it, double-tapping RESET does the same.\n",
                    board);
        fprintf(stderr, "  - If your keymap has QK_BOOT (RESET), press that key.\n"
                        "  - The drive must be mounted (most desktops do it; else: udisksctl mount -b /dev/sdX1).\n");
        return;
    }
    if (!strcmp(boot, "caterina"))
        fprintf(stderr, "  - %s: short the RST and GND pins twice within a second (a Pro Micro has no\n"
                        "    reset button). Caterina then waits about 8 seconds; kestrel is watching.\n",
                board && *board ? board : "Pro Micro / Caterina");
    else if (is_dfu(boot))
        fprintf(stderr, "  - %s: press the reset button once (or short RST to GND once).\n",
                board && *board ? board : "Atmel DFU board (Elite-C and similar)");
    else if (!strcmp(boot, "halfkay"))
        fprintf(stderr, "  - Teensy 2.0: press the pushbutton on the board.\n");
    else
        fprintf(stderr, "  - press the board's reset button (once for DFU, twice for Caterina).\n");
    fprintf(stderr, "  - If your keymap has QK_BOOT (RESET), press that key.\n");
}

/* Loads the image from a file or builds it, and gathers what flashing needs to know. */
static int load_image(const flash_opts_t *o, image_facts_t *f)
{
    memset(f, 0, sizeof *f);
    memimg_init(&f->mem);
    char err[512];
    if (o->keyboard) {
        build_result_t r;
        int st = build_keyboard(o->keyboard, o->keymap, o->firmware, FW_FORMAT_NONE, &r, stderr);
        if (st) return st;
        f->buf = r.out;
        f->len = r.len;
        f->name = "the built image";
        r.out = NULL;
        build_result_free(&r);
    } else {
        if (fwimage_read_file(o->file, &f->buf, &f->len)) {
            fprintf(stderr, "kestrel flash: %s: %s\n", o->file, strerror(errno));
            return 2;
        }
        f->name = o->file;
    }
    if (!fwimage_parse(f->name, f->buf, f->len, 0, &f->fmt, &f->mem, err, sizeof err)) {
        fprintf(stderr, "kestrel flash: not flashing a broken image: %s\n", err);
        return 2;
    }
    if (f->fmt == FW_FORMAT_UF2) {
        uf2_file_t u;
        if (uf2_read(f->buf, f->len, &u, err, sizeof err)) {
            size_t best = 0;
            for (size_t g = 0; g < u.ngroups; g++)
                if (memimg_bytes(&u.group[g].mem) > memimg_bytes(&u.group[best].mem)) best = g;
            if (u.ngroups) f->family = u.group[best].family;
            uf2_file_free(&u);
        }
    }
    uint32_t at;
    int r = fwimage_find_info(&f->mem, &f->info, &at, err, sizeof err);
    if (r < 0) {
        fprintf(stderr, "kestrel flash: not flashing %s: %s\n", f->name, err);
        return 1;
    }
    if (r > 0) {
        f->kestrel = true;
        f->target = f->info.target;
        size_t n = f->info.config_max < CFG_MAX_IMAGE ? f->info.config_max : CFG_MAX_IMAGE;
        uint8_t *cb = malloc(n);
        cfg_t c;
        if (cb) {
            memimg_read(&f->mem, f->info.config_addr, cb, n, 0xFF);
            if (cfg_open(&c, cb, n) == CFG_OK) {
                f->has_cfg = true;
                f->boot = cfg_info8(&c, CFG_INFO_BOOTLOADER);
                f->dev_board = cfg_info8(&c, CFG_INFO_DEV_BOARD);
                f->vid = cfg_info16(&c, CFG_INFO_VID);
                f->pid = cfg_info16(&c, CFG_INFO_PID);
                uint16_t cnt, len;
                const uint8_t *s = cfg_section(&c, CFG_SEC_STRINGS, &cnt, &len);
                if (s && len) snprintf(f->kb_name, sizeof f->kb_name, "%.*s", (int)strnlen((const char *)s, len), s);
            }
            free(cb);
        }
    } else if (f->fmt == FW_FORMAT_UF2) {
        f->target = f->family == UF2_FAMILY_RP2040 ? FW_TARGET_RP2040
                    : (f->family >= UF2_FAMILY_RP2_ABSOLUTE && f->family <= UF2_FAMILY_RP2350_ARM_NS)
                        ? FW_TARGET_RP2350
                        : 0;
    } else if (memimg_hi(&f->mem) <= 0x8000u) {
        f->target = FW_TARGET_ATMEGA32U4; /* the only AVR Kestrel flashes; the tools check the signature */
    } else if (memimg_lo(&f->mem) >= FWIMAGE_RP2_FLASH_BASE) {
        f->target = 0;
    }
    if (!f->target) {
        fprintf(stderr, "kestrel flash: cannot tell which chip %s is for (not a Kestrel image, "
                        "and neither a UF2 for an RP2 nor a 32 KB AVR image); nothing was done\n",
                f->name);
        return 1;
    }
    return 0;
}

/* The image would not boot, or does not fit: refuse before any device is touched. */
static int check_image(image_facts_t *f, unsigned boot)
{
    fwcheck_t chk;
    fwcheck_init(&chk);
    bool flash_img = memimg_lo(&f->mem) >= FWIMAGE_RP2_FLASH_BASE && memimg_lo(&f->mem) < 0x20000000u;
    if (f->target == FW_TARGET_RP2040 && flash_img) fwimage_check_rp2040(&f->mem, &chk);
    if (f->target == FW_TARGET_RP2350 && flash_img) fwimage_check_rp2350(&f->mem, &chk);
    if (f->target == FW_TARGET_ATMEGA32U4) fwimage_check_avr(&f->mem, boot, &chk);
    if (f->kestrel) {
        char line[400];
        if (fwimage_config_summary(&f->mem, &f->info, line, sizeof line) < 0)
            fwcheck_add(&chk, FWCHK_ERR, "config %s", line);
    }
    for (int i = 0; i < chk.n; i++)
        if (chk.msg[i].level == FWCHK_ERR) {
            fprintf(stderr, "kestrel flash: not flashing %s: %s (see kestrel info)\n", f->name,
                    chk.msg[i].text);
            return 1;
        }
    return 0;
}

static const char *boot_from_config(unsigned b)
{
    return b == CFG_BOOT_UNKNOWN ? NULL : fwimage_bootloader_name(b);
}

static int flash_rp2(const flash_opts_t *o, image_facts_t *f)
{
    char err[600];
    uint8_t *uf2 = NULL;
    size_t uf2len = 0;
    uint32_t family = f->family;
    if (f->fmt == FW_FORMAT_UF2) {
        uf2 = f->buf;
        uf2len = f->len;
    } else {
        uf2_opts_t u = {f->target == FW_TARGET_RP2040 ? UF2_FAMILY_RP2040 : UF2_FAMILY_RP2350_ARM_S,
                        4096, 0xFF, f->target == FW_TARGET_RP2350};
        family = u.family;
        if (!uf2_write(&f->mem, &u, &uf2, &uf2len, err, sizeof err)) {
            fprintf(stderr, "kestrel flash: %s\n", err);
            return 1;
        }
    }
    int status = 1;
    const char *tname = fwimage_target_name(f->target);
    const char *board = build_dev_board_name(f->dev_board);
    if (o->backup) {
        fprintf(stderr, "kestrel flash: --backup: the %s boot ROM's drive cannot read flash back, so "
                        "no backup is possible this way (picotool save can, over PICOBOOT); nothing "
                        "was done\n", tname);
        status = 2;
        goto out;
    }
    char a[32];
    if (o->dry_run) {
        printf("image:      %s: %s blocks (%s bytes) of UF2 family %s for %s%s%s\n", f->name,
               fwimage_num(a, sizeof a, uf2len / UF2_BLOCK_SIZE), fwimage_num(err, sizeof err, uf2len),
               uf2_family_name(family) ? uf2_family_name(family) : "?", tname,
               f->kb_name[0] ? ", keyboard " : "", f->kb_name);
        printf("bootloader: %s boot ROM (USB 2E8A:%s, drive %s)\n", tname,
               f->target == FW_TARGET_RP2040 ? "0003" : "000F",
               f->target == FW_TARGET_RP2040 ? "RPI-RP2" : "RP2350");
        if (o->drive) printf("drive:      %s\n", o->drive);
        else printf("drive:      found in %s by its INFO_UF2.TXT (waiting up to %d s)\n", o->mounts, o->timeout);
        printf("copy:       %s/KESTREL.UF2, synced every 32 blocks; then wait for the drive to go away\n",
               o->drive ? o->drive : "<drive>");
        printf("verify:     the boot ROM checks each block; the drive leaving means it took all %zu\n",
               uf2len / UF2_BLOCK_SIZE);
        status = 0;
        goto out;
    }
    /* find the drive, waiting for it */
    uf2_drive_t drive;
    bool found = false, told = false, printed = false;
    time_t start = time(NULL);
    for (;;) {
        if (o->drive) {
            found = uf2_drive_probe(o->drive, &drive);
            if (!found && !told) {
                struct stat st;
                if (stat(o->drive, &st) == 0)
                    fprintf(stderr, "kestrel flash: %s has no INFO_UF2.TXT (yet)\n", o->drive);
            }
        } else {
            uf2_drive_t ds[8];
            int n = uf2_drive_find(o->mounts, ds, 8);
            for (int i = 0; i < n && !found; i++) {
                char e[400];
                if (flash_drive_accepts(&ds[i], family, e, sizeof e)) {
                    drive = ds[i];
                    found = true;
                }
            }
            if (!found && n) {
                /* a UF2 drive is there, but for another chip: say so, do not write */
                end_countdown(printed);
                flash_drive_accepts(&ds[0], family, err, sizeof err);
                fprintf(stderr, "kestrel flash: %s\n", err);
                goto out;
            }
        }
        if (found) break;
        if (out_of_time(start, o->timeout)) {
            end_countdown(printed);
            fprintf(stderr, "kestrel flash: no %s boot ROM drive appeared within %d s; nothing was "
                            "written\n", tname, o->timeout);
            goto out;
        }
        if (!told) {
            if (usbdetect_present(0x2E8A, f->target == FW_TARGET_RP2040 ? 0x0003 : 0x000F))
                fprintf(stderr, "The %s boot ROM is on USB, but its drive is not mounted: mount it "
                                "(udisksctl mount -b /dev/sdX1) or give --drive DIR.\n", tname);
            else
                how_to_enter("rp2040", board, true);
            told = true;
        }
        countdown(start, o->timeout, &printed);
        sleep_ms(200);
    }
    end_countdown(printed);
    if (!flash_drive_accepts(&drive, family, err, sizeof err)) {
        fprintf(stderr, "kestrel flash: %s\n", err);
        goto out;
    }
    fprintf(stderr, "Found %s (%s, Board-ID %s). Copying %s...\n", drive.dir, drive.model,
            drive.board_id, f->name);
    flash_copy_opts_t co = {0, NULL, NULL, isatty(STDERR_FILENO) ? stderr : NULL};
    enum flash_copy_result r = flash_uf2_copy(drive.dir, uf2, uf2len, &co, err, sizeof err);
    if (r == FLASH_COPY_FAILED) {
        fprintf(stderr, "kestrel flash: %s\n", err);
        fprintf(stderr, "Recovery: the boot ROM is in ROM and cannot be damaged. Enter BOOTSEL again "
                        "and re-run kestrel flash.\n");
        goto out;
    }
    if (r == FLASH_COPY_OK && !flash_wait_drive_gone(drive.dir, 15000)) {
        fprintf(stderr, "kestrel flash: all %zu blocks were written, but the drive is still there "
                        "after 15 s: the boot ROM did not take the image. Check it with "
                        "`kestrel info`, re-enter BOOTSEL and try again.\n", uf2len / UF2_BLOCK_SIZE);
        goto out;
    }
    fprintf(stderr, "Done: the boot ROM took all %zu blocks and restarted the keyboard.\n",
            uf2len / UF2_BLOCK_SIZE);
    status = 0;
    if (f->has_cfg && f->vid && !o->drive) {
        bool back = false;
        for (int i = 0; i < 50 && !back; i++) {
            back = usbdetect_present(f->vid, f->pid);
            if (!back) sleep_ms(100);
        }
        if (back) fprintf(stderr, "The keyboard is back on USB as %04X:%04X.\n", f->vid, f->pid);
        else fprintf(stderr, "Note: the keyboard (%04X:%04X) has not shown up on USB yet.\n", f->vid, f->pid);
    }
out:
    if (uf2 != f->buf) free(uf2);
    return status;
}

/* Runs one command with the terminal's stdout/stderr (or stdout into a file); its exit status,
 * 127 when it could not be started. */
static int run(const flash_cmd_t *c)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) return 127;
    if (pid == 0) {
        if (c->stdout_path) {
            int fd = open(c->stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) _exit(126);
            close(fd);
        }
        execvp(c->argv[0], c->argv);
        fprintf(stderr, "kestrel flash: cannot run %s: %s\n", c->argv[0], strerror(errno));
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return 127;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

/* Asks a running Caterina-class app to reboot into its bootloader: open its serial port at
 * 1200 baud and close it (the Arduino convention; only firmware with a CDC port reacts). */
static bool touch_1200(const char *port)
{
    int fd = open(port, O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) return false;
    struct termios t;
    bool ok = tcgetattr(fd, &t) == 0;
    if (ok) {
        cfsetispeed(&t, B1200);
        cfsetospeed(&t, B1200);
        t.c_cflag |= HUPCL; /* DTR drops on close: that is the signal */
        ok = tcsetattr(fd, TCSANOW, &t) == 0;
    }
    close(fd);
    return ok;
}

static const char *tool_package(const char *tool)
{
    if (!strcmp(tool, "avrdude")) return "avrdude";
    if (!strcmp(tool, "dfu-programmer")) return "dfu-programmer";
    return "teensy-loader-cli";
}

static int flash_avr(const flash_opts_t *o, image_facts_t *f)
{
    char err[600];
    const char *board = build_dev_board_name(f->dev_board);
    const char *boot = o->bootloader;
    usbdetect_dev_t devs[8];
    int nd = 0;
    if (!o->dry_run || !boot) {
        nd = usbdetect_scan(devs, 8, err, sizeof err);
        if (nd < 0) {
            fprintf(stderr, "kestrel flash: %s (continuing without USB detection)\n", err);
            nd = 0;
        }
    }
    /* a bootloader on USB for another chip: refuse */
    for (int i = 0; i < nd; i++)
        if (strcmp(devs[i].e->mcu, "atmega32u4")) {
            fprintf(stderr, "kestrel flash: found %s (%04X:%04X) for the %s; this image is for the "
                            "atmega32u4; nothing was written\n",
                    devs[i].e->what, devs[i].vid, devs[i].pid, devs[i].e->mcu);
            return 1;
        }
    const usbdetect_dev_t *dev = NULL;
    for (int i = 0; i < nd && !dev; i++)
        if (!boot || !strcmp(devs[i].e->bootloader, boot) || (is_dfu(boot) && is_dfu(devs[i].e->bootloader)))
            dev = &devs[i];
    if (!boot && dev) boot = dev->e->bootloader;
    if (!boot) boot = boot_from_config(f->boot);
    if (!boot) {
        if (o->dry_run) {
            fprintf(stderr, "kestrel flash: --dry-run: no bootloader on USB and none in the image; "
                            "say which with --bootloader\n");
            return 2;
        }
    }
    /* the size limit is the bootloader's */
    unsigned bcode = boot ? (!strcmp(boot, "halfkay") ? CFG_BOOT_HALFKAY : !strcmp(boot, "caterina") ? CFG_BOOT_CATERINA : CFG_BOOT_ATMEL_DFU) : CFG_BOOT_UNKNOWN;
    if (check_image(f, bcode)) return 1;

    /* the tools want a HEX file: the user's own when they gave one, else a temporary one */
    char hexpath[512];
    bool temp_hex = false;
    if (o->file && f->fmt == FW_FORMAT_HEX) {
        snprintf(hexpath, sizeof hexpath, "%s", o->file);
    } else {
        const char *td = getenv("TMPDIR");
        snprintf(hexpath, sizeof hexpath, "%s/kestrel-flash-%ld.hex", td && *td ? td : "/tmp", (long)getpid());
        ihex_opts_t ho = {16, false, 0, 0};
        char *txt;
        size_t tl;
        if (!ihex_write(&f->mem, &ho, &txt, &tl, err, sizeof err) || fwimage_write_file(hexpath, txt, tl)) {
            fprintf(stderr, "kestrel flash: cannot write %s\n", hexpath);
            return 1;
        }
        free(txt);
        temp_hex = true;
    }
    int status = 1;
    flash_plan_t plan = {0};
    int dfuv = flash_dfu_programmer_version();
    char port[256] = "";
    if (o->port) snprintf(port, sizeof port, "%s", o->port);

    if (o->dry_run) {
        if (!strcmp(boot, "caterina") && !port[0]) {
            if (dev && usbdetect_tty("", dev->vid, dev->pid, port, sizeof port)) {
            } else snprintf(port, sizeof port, "<PORT>");
        }
        if (!flash_plan_avr(boot, hexpath, port, o->backup, dfuv, &plan, err, sizeof err)) {
            fprintf(stderr, "kestrel flash: %s\n", err);
            status = 2;
            goto out;
        }
        printf("image:      %s: atmega32u4%s%s, %s bytes\n", f->name, f->kb_name[0] ? ", keyboard " : "",
               f->kb_name, fwimage_num(err, sizeof err, memimg_bytes(&f->mem)));
        printf("bootloader: %s%s\n", boot, dev ? " (found on USB)" : "");
        if (!strcmp(port, "<PORT>")) printf("port:       <PORT> = the bootloader's serial port, found when it appears\n");
        if (temp_hex) printf("hex:        %s (written from %s; kept for this dry run)\n", hexpath, f->name);
        for (int i = 0; i < plan.ncmd; i++) {
            printf("$ ");
            flash_print_cmd(stdout, &plan.cmd[i]);
            if (plan.cmd[i].stdout_path && ends_with(plan.cmd[i].stdout_path, ".hex"))
                printf("            (the raw dump is then rewritten as Intel HEX)\n");
        }
        printf("verify:     %s\n", plan.verifies ? "the tool reads the flash back and compares"
                                                 : "none possible (HalfKay cannot read flash)");
        temp_hex = false; /* keep it: the commands above name it */
        status = 0;
        goto out;
    }
    /* refuse a backup the bootloader cannot make before anything else */
    if (boot && o->backup && !flash_plan_avr(boot, hexpath, "<PORT>", o->backup, dfuv, &plan, err, sizeof err)) {
        fprintf(stderr, "kestrel flash: %s\n", err);
        status = 2;
        goto out;
    }
    flash_plan_free(&plan);

    /* wait for the bootloader */
    if (!dev) {
        if (boot && !strcmp(boot, "caterina") && f->vid) {
            char app[256];
            if (usbdetect_tty("", f->vid, f->pid, app, sizeof app)) {
                fprintf(stderr, "Asking the keyboard on %s to enter its bootloader (1200-baud touch)...\n", app);
                touch_1200(app);
            }
        }
        how_to_enter(boot ? boot : "", board, false);
        time_t start = time(NULL);
        bool printed = false;
        while (!dev) {
            nd = usbdetect_scan(devs, 8, NULL, 0);
            for (int i = 0; i < nd && !dev; i++) {
                if (strcmp(devs[i].e->mcu, "atmega32u4")) {
                    end_countdown(printed);
                    fprintf(stderr, "kestrel flash: found %s (%04X:%04X) for the %s; this image is "
                                    "for the atmega32u4; nothing was written\n",
                            devs[i].e->what, devs[i].vid, devs[i].pid, devs[i].e->mcu);
                    goto out;
                }
                if (!boot || !strcmp(devs[i].e->bootloader, boot) || (is_dfu(boot) && is_dfu(devs[i].e->bootloader)))
                    dev = &devs[i];
            }
            if (dev) break;
            if (out_of_time(start, o->timeout)) {
                end_countdown(printed);
                fprintf(stderr, "kestrel flash: no %s bootloader appeared within %d s; nothing was "
                                "written\n", boot ? boot : "ATmega32U4", o->timeout);
                goto out;
            }
            countdown(start, o->timeout, &printed);
            sleep_ms(100);
        }
        end_countdown(printed);
    }
    if (!boot) boot = dev->e->bootloader;
    fprintf(stderr, "Found %s (%04X:%04X).\n", dev->e->what, dev->vid, dev->pid);
    bcode = !strcmp(boot, "halfkay") ? CFG_BOOT_HALFKAY : !strcmp(boot, "caterina") ? CFG_BOOT_CATERINA : CFG_BOOT_ATMEL_DFU;
    if (check_image(f, bcode)) goto out;
    if (!strcmp(boot, "caterina") && !port[0]) {
        /* the CDC node appears a moment after the device */
        for (int i = 0; i < 30 && !usbdetect_tty("", dev->vid, dev->pid, port, sizeof port); i++) sleep_ms(100);
        if (!port[0]) {
            fprintf(stderr, "kestrel flash: the Caterina bootloader is on USB but has no serial port "
                            "(is the cdc_acm driver loaded? is ModemManager holding it?); give --port\n");
            goto out;
        }
    }
    if (!flash_plan_avr(boot, hexpath, port, o->backup, dfuv, &plan, err, sizeof err)) {
        fprintf(stderr, "kestrel flash: %s\n", err);
        goto out;
    }
    for (int i = 0; i < plan.ncmd; i++) {
        fprintf(stderr, "$ ");
        flash_print_cmd(stderr, &plan.cmd[i]);
        int rc = run(&plan.cmd[i]);
        if (rc == 127) {
            fprintf(stderr, "kestrel flash: %s is not installed (Debian: apt install %s)\n",
                    plan.cmd[i].argv[0], tool_package(plan.cmd[i].argv[0]));
            goto out;
        }
        if (rc) {
            bool before_write = plan.cmd[i].stdout_path != NULL;
            fprintf(stderr, "kestrel flash: %s failed (exit %d).\n", plan.cmd[i].argv[0], rc);
            if (before_write)
                fprintf(stderr, "Nothing was written: the backup could not be read (Atmel DFU refuses "
                                "reads until the chip is erased). Run again without --backup to flash.\n");
            else
                fprintf(stderr, "Recovery: the bootloader is in a protected section and survives a "
                                "failed write. Enter it again and re-run kestrel flash; see "
                                "docs/flashing.md.\n");
            goto out;
        }
        if (plan.cmd[i].stdout_path && ends_with(plan.cmd[i].stdout_path, ".hex")) {
            /* dfu-programmer dumps raw bytes: turn them into the HEX the name promises */
            uint8_t *raw;
            size_t rl;
            if (!fwimage_read_file(plan.cmd[i].stdout_path, &raw, &rl)) {
                memimg_t m;
                memimg_init(&m);
                memimg_add(&m, 0, raw, rl, NULL);
                ihex_opts_t ho = {16, false, 0, 0};
                char *txt;
                size_t tl;
                if (ihex_write(&m, &ho, &txt, &tl, err, sizeof err)) {
                    fwimage_write_file(plan.cmd[i].stdout_path, txt, tl);
                    free(txt);
                }
                memimg_free(&m);
                free(raw);
            }
        }
    }
    if (o->backup) fprintf(stderr, "Backup of the previous firmware: %s\n", o->backup);
    fprintf(stderr, "Done%s.\n", plan.verifies ? ", verified by reading it back" : " (HalfKay cannot read flash back to verify)");
    status = 0;
    if (f->has_cfg && f->vid) {
        bool back = false;
        for (int i = 0; i < 50 && !back; i++) {
            back = usbdetect_present(f->vid, f->pid);
            if (!back) sleep_ms(100);
        }
        if (back) fprintf(stderr, "The keyboard is back on USB as %04X:%04X.\n", f->vid, f->pid);
        else fprintf(stderr, "Note: the keyboard (%04X:%04X) has not shown up on USB yet.\n", f->vid, f->pid);
    }
out:
    flash_plan_free(&plan);
    if (temp_hex) remove(hexpath);
    return status;
}

int cmd_flash(int argc, char **argv)
{
    flash_opts_t o = {0};
    o.timeout = 60;
    o.mounts = "/proc/self/mounts";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--dry-run") || !strcmp(a, "-n")) {
            o.dry_run = true;
            continue;
        } else if (!strcmp(a, "--keyboard") || !strcmp(a, "-k")) slot = &o.keyboard;
        else if (!strcmp(a, "--keymap") || !strcmp(a, "-m")) slot = &o.keymap;
        else if (!strcmp(a, "--firmware")) slot = &o.firmware;
        else if (!strcmp(a, "--bootloader")) slot = &o.bootloader;
        else if (!strcmp(a, "--port")) slot = &o.port;
        else if (!strcmp(a, "--drive")) slot = &o.drive;
        else if (!strcmp(a, "--backup")) slot = &o.backup;
        else if (!strcmp(a, "--mounts")) slot = &o.mounts;
        else if (!strcmp(a, "--timeout")) {
            char *end;
            if (++i >= argc || (o.timeout = (int)strtol(argv[i], &end, 10), *end) || o.timeout < 0) {
                fprintf(stderr, "kestrel flash: --timeout needs a number of seconds\n");
                return 2;
            }
            continue;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "kestrel flash: unknown option '%s' (try --help)\n", a);
            return 2;
        } else if (o.file) {
            fprintf(stderr, "kestrel flash: one image at a time ('%s', '%s')\n", o.file, a);
            return 2;
        } else {
            o.file = a;
            continue;
        }
        if (++i >= argc) {
            fprintf(stderr, "kestrel flash: %s needs a value\n", a);
            return 2;
        }
        *slot = argv[i];
    }
    if (!o.file == !o.keyboard || (!o.keyboard != !o.keymap)) {
        fprintf(stderr, "kestrel flash: give an IMAGE, or --keyboard K and --keymap M (try --help)\n");
        return 2;
    }
    static const char *const known[] = {"caterina", "atmel-dfu", "qmk-dfu", "lufa-dfu", "halfkay", "rp2040", "qmk-hid"};
    if (o.bootloader) {
        bool k = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) k |= !strcmp(known[i], o.bootloader);
        if (!k) {
            fprintf(stderr, "kestrel flash: --bootloader '%s': use caterina, atmel-dfu, qmk-dfu, lufa-dfu, "
                            "halfkay or rp2040\n", o.bootloader);
            return 2;
        }
    }
    image_facts_t f;
    int st = load_image(&o, &f);
    if (st) {
        facts_free(&f);
        return st;
    }
    bool rp = f.target == FW_TARGET_RP2040 || f.target == FW_TARGET_RP2350;
    if (o.bootloader && rp != !strcmp(o.bootloader, "rp2040")) {
        fprintf(stderr, "kestrel flash: --bootloader %s does not fit %s, an image for the %s\n",
                o.bootloader, f.name, fwimage_target_name(f.target));
        facts_free(&f);
        return 2;
    }
    if (rp) {
        st = check_image(&f, CFG_BOOT_RP2040);
        if (!st) st = flash_rp2(&o, &f);
    } else {
        if (f.fmt == FW_FORMAT_UF2) {
            fprintf(stderr, "kestrel flash: %s is a UF2; the atmega32u4 takes HEX\n", f.name);
            st = 2;
        } else {
            st = flash_avr(&o, &f);
        }
    }
    facts_free(&f);
    return st;
}
