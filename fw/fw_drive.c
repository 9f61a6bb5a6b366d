/* The keyboard's drive on the chip (fw/fw_drive.h): USB mass storage over the FAT volume in
 * flash, and the reload path host wrote -> quiet -> files read -> config/ -> slot -> switch. */
#include "fw/fw_drive.h"

#if KESTREL_DRIVE

#include <string.h>

#include "config/diag.h"
#include "config/load.h"
#include "config/model.h"
#include "drive/cfgjson.h"
#include "drive/dbd.h"
#include "drive/fat.h"
#include "drive/slots.h"
#include "fw/fallback.h"
#include "usb/msc.h"

#define MARKER_MAGIC "KSTLVOL1"
#define MARKER_LEN 12u /* magic + the region CRC the files were written for */

static const char readme[] =
    "This is your Kestrel keyboard.\r\n"
    "\r\n"
    "keyboard.json  the keyboard: matrix, pins, USB names, settings (QMK's format)\r\n"
    "keymap.json    the keymap: layers of keycodes (QMK Configurator's format)\r\n"
    "\r\n"
    "Edit either file and save it: the keyboard checks it and uses it at once, without a\r\n"
    "reboot. If a file has a mistake, the keyboard keeps its last good config and writes\r\n"
    "ERRORS.TXT here, with the file, line and column of each problem. Fix the file and save\r\n"
    "again; ERRORS.TXT goes away.\r\n"
    "\r\n"
    "To hide this drive, add  \"drive\": {\"hidden\": true}  to keyboard.json, or put\r\n"
    "KS_DRIVE_TOGGLE on a key (each press hides or shows the drive until the next reset).\r\n";

static dflash_t flash;
static dbd_t bd;
static fat_vol_t vol;
static bool mounted;
static const slots_t slots = {&flash, {FW_DRIVE_SLOT_A, FW_DRIVE_SLOT_B}, FW_DRIVE_SLOT_SIZE};
static uint32_t region;        /* the CRC slots are recorded over */

static uint32_t now;           /* the main loop's time, for the write callbacks */
static uint32_t last_write;
static bool pending;           /* the host wrote since the files were last read */
static bool error_shown;       /* the last read failed and ERRORS.TXT says why */
static uint32_t error_sig;     /* CRC of the ERRORS.TXT text last written */
static bool failed;            /* the files as of last_write did not load: only the report waits */

static cfg_model_t model;
static diag_t diag;
static char text[16384];       /* generated files, ERRORS.TXT */
/* The USB names, copied: the config they came from may be replaced while the host still asks
 * (they change at the next plug-in). Up to 95 characters: the fallback's product (fw/main.c). */
#define DESC_MAX (2u + 2u * 95u)
static uint8_t manufacturer[DESC_MAX], product[DESC_MAX];

static bool fl_erase(void *ctx, uint32_t off, uint32_t len)
{
    (void)ctx;
    return hal_flash_erase(off, len);
}

static bool fl_program(void *ctx, uint32_t off, const uint8_t *data, uint32_t len)
{
    (void)ctx;
    return hal_flash_program(off, data, len);
}

/* ---- USB mass storage ------------------------------------------------------------------- */

static void prepare(void);
static bool prepared;

static bool msc_read(uint32_t lba, uint8_t *buf)
{
    if (!prepared) prepare();
    return mounted && dbd_read(&bd, lba, buf);
}

static bool msc_write(uint32_t lba, const uint8_t *buf)
{
    if (!prepared) prepare();
    if (!mounted) return false;
    last_write = now;
    pending = true;
    failed = false;
    return dbd_write(&bd, lba, buf);
}

/* The host let go of the medium (eject, or removal allowed): write the cache out now. */
static void msc_sync(void)
{
    if (mounted) dbd_flush(&bd);
}

static const usb_msc_ops_t msc_ops = {FW_DRIVE_VOLUME_SECTORS, msc_read, msc_write, msc_sync};

/* ---- boot ------------------------------------------------------------------------------- */

bool fw_drive_pick(uint32_t region_crc, const uint8_t **img, size_t *len)
{
    flash.mem = hal_flash_map();
    flash.erase = fl_erase;
    flash.program = fl_program;
    region = region_crc;
    slot_info_t si;
    if (!slots_pick(&slots, region_crc, &si)) return false;
    *img = si.image;
    *len = si.len;
    return true;
}

static uint32_t rd32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Which config region the volume's files were written for (boot sector marker). */
static bool marker_matches(void)
{
    const uint8_t *m = fat_marker(&bd);
    return m && memcmp(m, MARKER_MAGIC, 8) == 0 && rd32le(m + 8) == region;
}

static void marker_set(void)
{
    uint8_t s[DBD_SECTOR];
    if (!dbd_read(&bd, 0, s)) return;
    memcpy(s + FAT_MARKER_OFF, MARKER_MAGIC, 8);
    for (unsigned i = 0; i < 4; i++) s[FAT_MARKER_OFF + 8 + i] = (uint8_t)(region >> (8 * i));
    dbd_write(&bd, 0, s);
}

static void write_files(const cfg_t *c)
{
    size_t n = cfgjson_keyboard(c, text, sizeof text);
    if (n) fat_write(&vol, "keyboard.json", (const uint8_t *)text, (uint32_t)n);
    n = cfgjson_keymap(c, text, sizeof text);
    if (n) fat_write(&vol, "keymap.json", (const uint8_t *)text, (uint32_t)n);
    fat_write(&vol, "README.TXT", (const uint8_t *)readme, sizeof readme - 1);
    fat_delete(&vol, "ERRORS.TXT");
    marker_set();
    dbd_flush(&bd);
}

/* A string descriptor (bLength first) into RAM, cut to the buffer (an even length). */
static const uint8_t *copy_desc(uint8_t *dst, const uint8_t *src)
{
    uint8_t n = CFG_RD8(src);
    if (n > DESC_MAX) n = DESC_MAX;
    for (uint8_t i = 0; i < n; i++) dst[i] = CFG_RD8(src + i);
    dst[0] = n;
    return dst;
}

/* The volume is made ready the first time the host reads or writes it, not at boot: a keyboard
 * whose drive nobody opens (and every emulated test that only types) never pays for it. */
static const cfg_t *running;

static void prepare(void)
{
    prepared = true;
    dbd_init(&bd, &flash, FW_DRIVE_VOLUME, FW_DRIVE_VOLUME_SECTORS);
    mounted = fat_mount(&vol, &bd) == FAT_OK;
    if (!mounted) {
        uint8_t mk[MARKER_LEN];
        memcpy(mk, MARKER_MAGIC, 8);
        for (unsigned i = 0; i < 4; i++) mk[8 + i] = (uint8_t)(region >> (8 * i));
        /* a root directory of one 4 KB flash sector: room for what hosts add (.fseventsd,
         * ._ files, System Volume Information) next to ours */
        fat_format_opts_t o = {"KESTREL", 0x4B53544Cu ^ region, 128, mk, sizeof mk};
        mounted = fat_format(&bd, &o) == FAT_OK && fat_mount(&vol, &bd) == FAT_OK;
        if (mounted) write_files(running);
    } else if (!marker_matches()) {
        /* the config region was flashed anew (kestrel build/flash): it is what runs now, so the
         * drive shows it instead of files that no longer apply */
        write_files(running);
    }
    fat_file_t f;
    error_shown = mounted && fat_find(&vol, "ERRORS.TXT", &f) == FAT_OK;
}

static usb_identity_t *ident;
static bool reattach;
static uint32_t reattach_at;

void fw_drive_toggle(uint32_t now_ms)
{
    if (!ident || reattach) return;
    if (mounted) dbd_flush(&bd);
    ident->msc = !ident->msc;
    usb_detach();
    reattach = true;
    reattach_at = now_ms + FW_DRIVE_DETACH_MS;
}

void fw_drive_start(const cfg_t *active, uint32_t region_crc, usb_identity_t *id)
{
    ident = id;
    region = region_crc;
    running = active;
    id->desc[0] = copy_desc(manufacturer, id->desc[0]);
    id->desc[1] = copy_desc(product, id->desc[1]);
    usb_msc_init(&msc_ops);
    id->msc = !(cfg_info8(active, CFG_INFO_FLAGS) & CFG_FLAG_DRIVE_HIDDEN);
}

/* ---- reload ----------------------------------------------------------------------------- */

typedef struct copy {
    char *buf;
    size_t cap, at;
} copy_t;

static void copy_fn(void *ctx, const uint8_t *p, uint32_t n)
{
    copy_t *c = ctx;
    if (c->at + n <= c->cap) memcpy(c->buf + c->at, p, n);
    c->at += n;
}

/* cfg_reader_fn: a file of the volume straight into the loader's text store. */
static long read_file(void *ctx, char *buf, size_t cap, diag_t *d)
{
    const char *name = ctx;
    fat_file_t f;
    enum fat_result r = fat_find(&vol, name, &f);
    if (r == FAT_OK && f.size > cap) return (long)f.size;
    copy_t c = {buf, cap, 0};
    if (r == FAT_OK) r = fat_walk(&vol, &f, copy_fn, &c);
    if (r != FAT_OK) {
        diag_add(d, DIAG_ERROR, name, NULL, 0, 0, 0, "%s",
                 r == FAT_ERR_NOTFOUND ? "the file is not on the drive" : fat_strerror(r));
        return -1;
    }
    return (long)c.at;
}

static bool load_files(void)
{
    diag_init(&diag);
    if (!cfg_load_keyboard_reader(&model, "keyboard.json", read_file, (void *)"keyboard.json", &diag))
        return false;
    if (!cfg_load_keymap_reader(&model, "keymap.json", read_file, (void *)"keymap.json", &diag))
        return false;
    return cfg_finish(&model, &diag);
}

static void show_errors(void)
{
    size_t n = diag_format_all(&diag, text, sizeof text);
    uint32_t sig = cfg_crc32(0, (const uint8_t *)text, n);
    fat_file_t f;
    if (error_shown && sig == error_sig && fat_find(&vol, "ERRORS.TXT", &f) == FAT_OK)
        return; /* it says that already */
    if (fat_write(&vol, "ERRORS.TXT", (const uint8_t *)text, (uint32_t)n) == FAT_OK) {
        error_shown = true;
        error_sig = sig;
    }
    dbd_flush(&bd);
    usb_msc_media_changed(); /* the host drops what it cached of the volume */
}

static void clear_errors(void)
{
    if (!error_shown) return;
    fat_delete(&vol, "ERRORS.TXT");
    dbd_flush(&bd);
    usb_msc_media_changed();
    error_shown = false;
}

/* Adds an error without a position (the chip's own checks after the loader's). */
static void fail(const char *file, const char *msg)
{
    diag_init(&diag);
    diag_add(&diag, DIAG_ERROR, file, NULL, 0, 0, 0, "%s", msg);
}

bool fw_drive_task(uint32_t now_ms, const uint8_t **img, size_t *len)
{
    now = now_ms;
    if (reattach && (int32_t)(now_ms - reattach_at) >= 0) {
        reattach = false;
        usb_attach(ident);
    }
    if (!mounted || !pending || usb_msc_busy()) return false;
    uint32_t quiet = now_ms - last_write;
    if (quiet < FW_DRIVE_QUIET_MS) return false;
    if (failed) { /* read once already: the messages are kept until the host stays quiet */
        if (quiet < FW_DRIVE_ERROR_QUIET_MS) return false;
        failed = pending = false;
        show_errors();
        return false;
    }
    dbd_flush(&bd); /* what the host wrote is kept, whatever comes next */
    if (fat_mount(&vol, &bd) != FAT_OK) {
        if (quiet < FW_DRIVE_ERROR_QUIET_MS) return false;
        pending = false; /* nothing to read, nowhere to write ERRORS.TXT: keep the config */
        return false;
    }
    if (!load_files()) {
        /* maybe half-saved: the host's next write starts a new read; if none comes, say why */
        failed = true;
        return false;
    }
    pending = false;
    size_t n;
    const uint8_t *built = cfg_finish_image(&n);
    cfg_t c;
    if (!built || cfg_open(&c, built, n) != CFG_OK) {
        fail("keyboard.json", "the config image built from the files does not check out");
        show_errors();
        return false;
    }
    if (!hal_cfg_usable(&c)) {
        fail("keyboard.json", "\"processor\" or the pins do not fit this keyboard's chip");
        show_errors();
        return false;
    }
    if (running && running->size == n && memcmp(running->base, built, n) == 0) {
        clear_errors(); /* saved again unchanged, or a fix back to what runs */
        return false;
    }
    slot_info_t cur;
    uint32_t src = cfg_crc32(0, built, n);
    if (slots_write(&slots, built, (uint32_t)n, region, src) != SLOTS_OK ||
        !slots_pick(&slots, region, &cur)) {
        fail("keyboard.json", "the new config could not be stored in flash");
        show_errors();
        return false;
    }
    clear_errors();
    *img = cur.image;
    *len = cur.len;
    return true;
}

uint32_t fw_drive_deadline(void)
{
    if (reattach) return reattach_at;
    if (!mounted || !pending) return USB_NO_DEADLINE;
    uint32_t quiet = now - last_write;
    return last_write + (quiet < FW_DRIVE_QUIET_MS ? FW_DRIVE_QUIET_MS : FW_DRIVE_ERROR_QUIET_MS);
}

#endif
