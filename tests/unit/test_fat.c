/* The drive's FAT code against the real tools: volumes it formats and files it writes pass
 * Debian's fsck.fat -n and read back through mtools; files mtools writes (long names, fragments,
 * replacements) and volumes mkfs.fat makes read back through it; broken volumes are rejected
 * with the right error and never crash it; unchanged writes cost no flash erase. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "drive/dbd.h"
#include "drive/fat.h"
#include "simflash.h"

#define VOL_OFF 0x80000u
#define VOL_SECTORS 1016u

static simflash_t sim;
static dflash_t fl;
static dbd_t bd;
static fat_vol_t vol;
static char img_path[64];

static int setup(void **st)
{
    (void)st;
    sim_init(&sim, &fl);
    dbd_init(&bd, &fl, VOL_OFF, VOL_SECTORS);
    strcpy(img_path, "/tmp/kestrel-fat-XXXXXX");
    int fd = mkstemp(img_path);
    assert_true(fd >= 0);
    close(fd);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    unlink(img_path);
    return 0;
}

static void format_default(void)
{
    static const uint8_t marker[] = "KSTLVOL1";
    fat_format_opts_t o = {"KESTREL", 0x1234ABCDu, 128, marker, 8};
    assert_int_equal(fat_format(&bd, &o), FAT_OK);
    assert_true(dbd_flush(&bd));
    assert_int_equal(fat_mount(&vol, &bd), FAT_OK);
}

/* The volume as a host would see it, into the image file. */
static void dump(void)
{
    assert_true(dbd_flush(&bd));
    FILE *f = fopen(img_path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(sim.mem + VOL_OFF, 1, VOL_SECTORS * 512u, f), VOL_SECTORS * 512u);
    fclose(f);
}

/* The image file back into flash, as a host's writes would put it there (through the cache). */
static void load(void)
{
    FILE *f = fopen(img_path, "rb");
    assert_non_null(f);
    uint8_t s[512];
    for (uint32_t i = 0; i < VOL_SECTORS; i++) {
        assert_int_equal(fread(s, 1, 512, f), 512);
        assert_true(dbd_write(&bd, i, s));
    }
    fclose(f);
    assert_true(dbd_flush(&bd));
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int r = system(cmd);
    return WIFEXITED(r) ? WEXITSTATUS(r) : -1;
}

static void fsck_ok(void)
{
    dump();
    if (sh("fsck.fat -n %s >/tmp/kestrel-fsck.log 2>&1", img_path) != 0) {
        (void)sh("cat /tmp/kestrel-fsck.log");
        fail_msg("fsck.fat -n rejected the volume");
    }
}

/* mtools' view of one file equals `want`. */
static void mtools_reads(const char *name, const uint8_t *want, size_t len)
{
    char out[96];
    snprintf(out, sizeof out, "%s.out", img_path);
    unlink(out);
    assert_int_equal(sh("mcopy -n -i %s '::%s' %s", img_path, name, out), 0);
    FILE *f = fopen(out, "rb");
    assert_non_null(f);
    static uint8_t got[65536];
    size_t n = fread(got, 1, sizeof got, f);
    fclose(f);
    unlink(out);
    assert_int_equal(n, len);
    assert_memory_equal(got, want, len);
}

/* A file of the image written by mtools, from `data`. */
static void mtools_writes(const char *name, const uint8_t *data, size_t len)
{
    char src[96];
    snprintf(src, sizeof src, "%s.in", img_path);
    FILE *f = fopen(src, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    assert_int_equal(sh("mcopy -o -i %s %s '::%s'", img_path, src, name), 0);
    unlink(src);
}

static void we_read(const char *name, const uint8_t *want, size_t len)
{
    fat_file_t f;
    static uint8_t got[65536];
    assert_int_equal(fat_mount(&vol, &bd), FAT_OK);
    assert_int_equal(fat_find(&vol, name, &f), FAT_OK);
    assert_int_equal(f.size, len);
    assert_int_equal(fat_read(&vol, &f, got, sizeof got), FAT_OK);
    assert_memory_equal(got, want, len);
}

static void fill(uint8_t *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(' ' + (i * 7u + seed * 13u + i / 61u) % 90u);
}

/* ---- tests ---- */

static void formatted_volume_passes_fsck(void **st)
{
    (void)st;
    format_default();
    assert_int_equal(vol.bits, 12);
    assert_int_equal(vol.root_start % 8u, 0);   /* root directory on a flash sector */
    assert_int_equal(vol.data_start % 8u, 0);   /* and the data area */
    fsck_ok();
    assert_int_equal(sh("mdir -i %s :: 2>/dev/null | grep -q 'Volume in drive : is KESTREL'", img_path), 0);
    assert_int_equal(sh("minfo -i %s :: 2>/dev/null | grep -q 'serial number: 1234ABCD'", img_path), 0);
    assert_memory_equal(fat_marker(&bd), "KSTLVOL1", 8);
}

static void our_files_read_back_through_mtools(void **st)
{
    (void)st;
    static uint8_t kb[9000], km[3000], rd[700];
    fill(kb, sizeof kb, 1);
    fill(km, sizeof km, 2);
    fill(rd, sizeof rd, 3);
    format_default();
    assert_int_equal(fat_write(&vol, "keyboard.json", kb, sizeof kb), FAT_OK);
    assert_int_equal(fat_write(&vol, "keymap.json", km, sizeof km), FAT_OK);
    assert_int_equal(fat_write(&vol, "README.TXT", rd, sizeof rd), FAT_OK);
    assert_int_equal(fat_write(&vol, "empty.txt", NULL, 0), FAT_OK);
    fsck_ok();
    mtools_reads("keyboard.json", kb, sizeof kb);
    mtools_reads("keymap.json", km, sizeof km);
    mtools_reads("README.TXT", rd, sizeof rd);
    mtools_reads("empty.txt", rd, 0);
    /* long names exactly as written (case kept), short names generated */
    assert_int_equal(sh("mdir -i %s :: 2>/dev/null | grep -q ' keyboard.json$'", img_path), 0);
    assert_int_equal(sh("mdir -i %s :: 2>/dev/null | grep -q '^KEYMAP~1 JSO'", img_path), 0);
    we_read("KEYMAP.JSON", km, sizeof km);     /* names match case-insensitively */
    we_read("keymap~1.jso", km, sizeof km);    /* and by the short name */

    /* replace and delete */
    fill(km, 2000, 9);
    assert_int_equal(fat_write(&vol, "keymap.json", km, 2000), FAT_OK);
    assert_int_equal(fat_delete(&vol, "README.TXT"), FAT_OK);
    assert_int_equal(fat_delete(&vol, "README.TXT"), FAT_ERR_NOTFOUND);
    fsck_ok();
    mtools_reads("keymap.json", km, 2000);
    assert_int_not_equal(sh("mdir -i %s ::README.TXT >/dev/null 2>&1", img_path), 0);
    we_read("keyboard.json", kb, sizeof kb);
}

static void files_mtools_writes_read_back(void **st)
{
    (void)st;
    static uint8_t a[5000], b[1500], c[20000], d[777];
    fill(a, sizeof a, 4);
    fill(b, sizeof b, 5);
    fill(c, sizeof c, 6);
    fill(d, sizeof d, 7);
    format_default();
    dump();
    mtools_writes("keymap.json", a, sizeof a);
    mtools_writes("a file with a rather long name.json", b, sizeof b);
    mtools_writes("keyboard.json", d, sizeof d);
    /* a hole in the middle, then a big file that has to run through it: a fragmented chain */
    assert_int_equal(sh("mdel -i %s ::keymap.json", img_path), 0);
    mtools_writes("keymap.json", c, sizeof c);
    load();
    we_read("keymap.json", c, sizeof c);
    we_read("A FILE WITH A RATHER LONG NAME.JSON", b, sizeof b);
    we_read("keyboard.json", d, sizeof d);
    /* what we write next to mtools' files keeps the volume consistent */
    assert_int_equal(fat_write(&vol, "ERRORS.TXT", b, 300), FAT_OK);
    fsck_ok();
    mtools_reads("ERRORS.TXT", b, 300);
    mtools_reads("keymap.json", c, sizeof c);
}

static void volumes_mkfs_makes_are_read(void **st)
{
    (void)st;
    static uint8_t a[6000];
    fill(a, sizeof a, 8);
    /* what a host's format dialog might leave: 4 sectors per cluster, one FAT, 64 root entries */
    assert_int_equal(sh("rm -f %s && mkfs.fat -C -F 12 -s 4 -f 1 -r 64 -n OTHER %s %u >/dev/null",
                        img_path, img_path, VOL_SECTORS / 2u), 0);
    mtools_writes("keymap.json", a, sizeof a);
    load();
    assert_int_equal(fat_mount(&vol, &bd), FAT_OK);
    assert_int_equal(vol.spc, 4);
    assert_int_equal(vol.nfats, 1);
    we_read("keymap.json", a, sizeof a);
    assert_int_equal(fat_write(&vol, "ERRORS.TXT", a, 2500), FAT_OK);
    assert_int_equal(fat_write(&vol, "keymap.json", a + 100, 4000), FAT_OK);
    fsck_ok();
    mtools_reads("ERRORS.TXT", a, 2500);
    mtools_reads("keymap.json", a + 100, 4000);
}

static void fat16_volume(void **st)
{
    (void)st;
    static uint8_t a[3000];
    fill(a, sizeof a, 11);
    /* a bigger device where the same formatter picks FAT16 */
    dbd_init(&bd, &fl, 0, 6000u);
    fat_format_opts_t o = {"BIG", 1, 512, NULL, 0};
    assert_int_equal(fat_format(&bd, &o), FAT_OK);
    assert_int_equal(fat_mount(&vol, &bd), FAT_OK);
    assert_int_equal(vol.bits, 16);
    assert_int_equal(fat_write(&vol, "keymap.json", a, sizeof a), FAT_OK);
    assert_true(dbd_flush(&bd));
    FILE *f = fopen(img_path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(sim.mem, 1, 6000u * 512u, f), 6000u * 512u);
    fclose(f);
    assert_int_equal(sh("fsck.fat -n %s >/dev/null 2>&1", img_path), 0);
    mtools_reads("keymap.json", a, sizeof a);
}

static void broken_volumes_are_rejected(void **st)
{
    (void)st;
    static uint8_t a[3000], got[4096];
    fat_file_t f;
    fill(a, sizeof a, 12);
    /* blank flash: no file system */
    assert_int_equal(fat_mount(&vol, &bd), FAT_ERR_NOFS);
    format_default();
    assert_int_equal(fat_write(&vol, "keymap.json", a, sizeof a), FAT_OK);
    assert_true(dbd_flush(&bd));
    assert_int_equal(fat_find(&vol, "keymap.json", &f), FAT_OK);
    assert_int_equal(fat_read(&vol, &f, got, 100), FAT_ERR_TOOBIG);

    uint8_t s[512];
    uint32_t fat1 = vol.fat_start;
    /* a chain that loops back on itself */
    assert_true(dbd_read(&bd, fat1, s));
    uint8_t saved[512];
    memcpy(saved, s, 512);
    uint32_t c = f.first_cluster; /* entry c -> c (FAT12 packing) */
    uint32_t off = c + c / 2u;
    if (c & 1u) {
        s[off] = (uint8_t)((s[off] & 0x0Fu) | (c & 0x0Fu) << 4);
        s[off + 1] = (uint8_t)(c >> 4);
    } else {
        s[off] = (uint8_t)c;
        s[off + 1] = (uint8_t)((s[off + 1] & 0xF0u) | (c >> 8));
    }
    assert_true(dbd_write(&bd, fat1, s));
    assert_int_equal(fat_read(&vol, &f, got, sizeof got), FAT_ERR_CHAIN);
    /* a chain that ends before the size says (a host stopped half way) */
    assert_true(dbd_write(&bd, fat1, saved));
    assert_int_equal(fat_mount(&vol, &bd), FAT_OK);
    f.size = 4000;
    assert_int_equal(fat_read(&vol, &f, got, sizeof got), FAT_ERR_CHAIN);
    /* a first cluster outside the volume */
    f.first_cluster = 5000;
    assert_int_equal(fat_read(&vol, &f, got, sizeof got), FAT_ERR_CHAIN);

    /* boot sector fields out of range */
    const uint8_t *b = dbd_peek(&bd, 0);
    memcpy(s, b, 512);
    static const struct { unsigned off; uint8_t v; } bad[] = {
        {12, 0}, {13, 3}, {13, 0}, {16, 0}, {22, 0}, {510, 0}, {14, 0}, {19, 0xFF}, {20, 0xFF}, {17, 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint8_t t[512];
        memcpy(t, s, 512);
        t[bad[i].off] = bad[i].v;
        if (bad[i].off == 22) t[23] = 0;
        if (bad[i].off == 17) t[18] = 0;
        assert_true(dbd_write(&bd, 0, t));
        if (fat_mount(&vol, &bd) != FAT_ERR_NOFS) fail_msg("boot sector change %zu accepted", i);
    }
    assert_true(dbd_write(&bd, 0, s));
    assert_int_equal(fat_mount(&vol, &bd), FAT_OK);
}

static void full_drive_changes_nothing(void **st)
{
    (void)st;
    static uint8_t big[600 * 1024];
    fill(big, sizeof big, 13);
    format_default();
    assert_int_equal(fat_write(&vol, "a.bin", big, 400u * 1024u), FAT_OK);
    assert_true(dbd_flush(&bd));
    static uint8_t before[VOL_SECTORS * 512u];
    memcpy(before, sim.mem + VOL_OFF, sizeof before);
    assert_int_equal(fat_write(&vol, "b.bin", big, 200u * 1024u), FAT_ERR_FULL);
    assert_true(dbd_flush(&bd));
    assert_memory_equal(before, sim.mem + VOL_OFF, sizeof before);
    fsck_ok();
    /* root directory full: 128 entries, the label takes one */
    format_default();
    char name[24];
    for (int i = 0; i < 127; i++) {
        snprintf(name, sizeof name, "F%d.TXT", i);
        assert_int_equal(fat_write(&vol, name, big, 10), FAT_OK);
    }
    assert_int_equal(fat_write(&vol, "LAST.TXT", big, 10), FAT_ERR_DIRFULL);
    assert_int_equal(fat_write(&vol, "bad:name", big, 10), FAT_ERR_NAME);
    fsck_ok();
}

static void unchanged_writes_erase_nothing(void **st)
{
    (void)st;
    static uint8_t a[5000];
    fill(a, sizeof a, 14);
    format_default();
    assert_int_equal(fat_write(&vol, "keymap.json", a, sizeof a), FAT_OK);
    assert_true(dbd_flush(&bd));
    /* a host writing back every sector as it is: no flash operation at all */
    uint32_t e0 = fl.erases, p0 = fl.programs;
    dump();
    load();
    assert_int_equal(fl.erases, e0);
    assert_int_equal(fl.programs, p0);
    /* formatting a freshly formatted volume again: nothing either */
    format_default();
    assert_true(dbd_flush(&bd));
    uint32_t e1 = fl.erases, p1 = fl.programs;
    format_default();
    assert_true(dbd_flush(&bd));
    assert_int_equal(fl.erases, e1);
    assert_int_equal(fl.programs, p1);
    assert_int_equal(fat_write(&vol, "keymap.json", a, sizeof a), FAT_OK);
    assert_true(dbd_flush(&bd));
    e0 = fl.erases, p0 = fl.programs;
    /* one changed byte in a file: one flash sector rewritten */
    uint8_t s[512];
    fat_file_t f;
    assert_int_equal(fat_mount(&vol, &bd), FAT_OK);
    assert_int_equal(fat_find(&vol, "keymap.json", &f), FAT_OK);
    uint32_t lba = vol.data_start + (f.first_cluster - 2u);
    assert_true(dbd_read(&bd, lba, s));
    s[10] ^= 1;
    assert_true(dbd_write(&bd, lba, s));
    assert_true(dbd_flush(&bd));
    assert_int_equal(fl.erases - e0, (s[10] & 1) ? 1 : 0); /* 0 -> 1 needs an erase, 1 -> 0 not */
    assert_true(fl.programs - p0 >= 1 && fl.programs - p0 <= 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(formatted_volume_passes_fsck, setup, teardown),
        cmocka_unit_test_setup_teardown(our_files_read_back_through_mtools, setup, teardown),
        cmocka_unit_test_setup_teardown(files_mtools_writes_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(volumes_mkfs_makes_are_read, setup, teardown),
        cmocka_unit_test_setup_teardown(fat16_volume, setup, teardown),
        cmocka_unit_test_setup_teardown(broken_volumes_are_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(full_drive_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(unchanged_writes_erase_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
