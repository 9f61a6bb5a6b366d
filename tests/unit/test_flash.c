/* kestrel flash's parts: the command lines per bootloader, the detection table against QMK's
 * list (ref/qmk.md §8.1, transcribed below), the UF2 drive match, and the UF2 copy for real
 * against a directory standing in for the drive, including a drive that vanishes mid-copy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include <cmocka.h>

#include "config/load.h"
#include "tools/build.h"
#include "tools/flash.h"
#include "tools/uf2.h"
#include "tools/usbdetect.h"

/* ---- command lines ---- */

static void expect_cmd(const flash_cmd_t *c, const char *want)
{
    char buf[2048];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    flash_print_cmd(f, c);
    fclose(f);
    assert_string_equal(buf, want);
}

static void plans(void **s)
{
    (void)s;
    flash_plan_t p;
    char err[300];
    assert_true(flash_plan_avr("caterina", "fw.hex", "/dev/ttyACM0", NULL, 6, &p, err, sizeof err));
    assert_int_equal(p.ncmd, 1);
    expect_cmd(&p.cmd[0], "avrdude -p atmega32u4 -c avr109 -P /dev/ttyACM0 -U flash:w:fw.hex:i\n");
    assert_true(p.verifies);
    /* argv is what runs: check it element by element too */
    const char *want[] = {"avrdude", "-p", "atmega32u4", "-c", "avr109", "-P", "/dev/ttyACM0", "-U", "flash:w:fw.hex:i", NULL};
    for (int i = 0; want[i]; i++) assert_string_equal(p.cmd[0].argv[i], want[i]);
    assert_null(p.cmd[0].argv[9]);
    flash_plan_free(&p);

    assert_true(flash_plan_avr("caterina", "fw.hex", "/dev/ttyACM1", "old.hex", 6, &p, err, sizeof err));
    expect_cmd(&p.cmd[0], "avrdude -p atmega32u4 -c avr109 -P /dev/ttyACM1 -D -U flash:r:old.hex:i -U flash:w:fw.hex:i\n");
    flash_plan_free(&p);
    assert_true(flash_plan_avr("caterina", "fw.hex", "/dev/ttyACM1", "old.bin", 6, &p, err, sizeof err));
    expect_cmd(&p.cmd[0], "avrdude -p atmega32u4 -c avr109 -P /dev/ttyACM1 -D -U flash:r:old.bin:r -U flash:w:fw.hex:i\n");
    flash_plan_free(&p);
    assert_false(flash_plan_avr("caterina", "fw.hex", NULL, NULL, 6, &p, err, sizeof err));

    /* dfu-programmer 0.6 (Debian) and 0.7+ (--force) */
    assert_true(flash_plan_avr("atmel-dfu", "fw.hex", NULL, NULL, 6, &p, err, sizeof err));
    assert_int_equal(p.ncmd, 3);
    expect_cmd(&p.cmd[0], "dfu-programmer atmega32u4 erase\n");
    expect_cmd(&p.cmd[1], "dfu-programmer atmega32u4 flash fw.hex\n");
    expect_cmd(&p.cmd[2], "dfu-programmer atmega32u4 reset\n");
    flash_plan_free(&p);
    assert_true(flash_plan_avr("qmk-dfu", "fw.hex", NULL, "old.bin", 7, &p, err, sizeof err));
    assert_int_equal(p.ncmd, 4);
    expect_cmd(&p.cmd[0], "dfu-programmer atmega32u4 dump > old.bin\n");
    expect_cmd(&p.cmd[1], "dfu-programmer atmega32u4 erase --force\n");
    expect_cmd(&p.cmd[2], "dfu-programmer atmega32u4 flash --force fw.hex\n");
    expect_cmd(&p.cmd[3], "dfu-programmer atmega32u4 reset\n");
    assert_string_equal(p.cmd[0].stdout_path, "old.bin");
    flash_plan_free(&p);

    assert_true(flash_plan_avr("halfkay", "my fw's.hex", NULL, NULL, 6, &p, err, sizeof err));
    expect_cmd(&p.cmd[0], "teensy_loader_cli --mcu=atmega32u4 -w -v 'my fw'\\''s.hex'\n");
    assert_string_equal(p.cmd[0].argv[4], "my fw's.hex"); /* quoting is for display only */
    assert_false(p.verifies);
    flash_plan_free(&p);
    assert_false(flash_plan_avr("halfkay", "fw.hex", NULL, "b.hex", 6, &p, err, sizeof err));
    assert_non_null(strstr(err, "HalfKay (Teensy) cannot read flash back"));
    assert_false(flash_plan_avr("qmk-hid", "fw.hex", NULL, NULL, 6, &p, err, sizeof err));
    assert_false(flash_plan_avr("stm32-dfu", "fw.hex", NULL, NULL, 6, &p, err, sizeof err));
    assert_non_null(strstr(err, "cannot drive a 'stm32-dfu' bootloader"));
}

/* ---- the detection table against QMK's (ref/qmk.md §8.1), transcribed ---- */

static const struct {
    const char *boot;
    const char *ids; /* as qmk.md lists them */
} qmk_table[] = {
    {"atmel-dfu", "03EB:2FF4 03EB:2FF3 03EB:2FF0 03EB:2FEF 03EB:2FF9 03EB:2FFA 03EB:2FFB"},
    {"caterina", "1B4F:9203 1B4F:9205 1B4F:9207 2341:0036 2341:0037 2A03:0036 2A03:0037 1FFB:0101 "
                 "239A:000C 239A:000D 239A:000E 1209:2302"},
    {"halfkay", "16C0:0478"},
    {"qmk-hid", "03EB:2067"},
    {"bootloadhid", "16C0:05DF"},
    {"usbasploader", "16C0:05DC"},
    {"usbtinyisp", "1782:0C9F"},
    {"stm32-dfu", "0483:DF11"},
    {"stm32duino", "1EAF:0003"},
    {"apm32-dfu", "314B:0106"},
    {"gd32v-dfu", "28E9:0189"},
    {"kiibohd", "1C11:B007"},
    {"md-boot", "03EB:6124"},
    {"rp2040", "2E8A:0003 2E8A:000F"}, /* 000F: the RP2350 ROM (qmk.md §8.1 note) */
};

static void detection_table_matches_qmk(void **s)
{
    (void)s;
    size_t listed = 0;
    for (size_t i = 0; i < sizeof qmk_table / sizeof qmk_table[0]; i++) {
        const char *p = qmk_table[i].ids;
        unsigned v, d;
        int n;
        while (sscanf(p, "%4x:%4x%n", &v, &d, &n) == 2) {
            const usbdetect_entry_t *e = usbdetect_lookup((uint16_t)v, (uint16_t)d);
            if (!e) fail_msg("%04X:%04X (%s) is missing from the detection table", v, d, qmk_table[i].boot);
            assert_string_equal(e->bootloader, qmk_table[i].boot);
            listed++;
            p += n;
            while (*p == ' ') p++;
        }
    }
    /* and nothing in the table that QMK does not list */
    assert_int_equal(listed, usbdetect_count);
    /* the chips Kestrel flashes are tagged right */
    assert_string_equal(usbdetect_lookup(0x03EB, 0x2FF4)->mcu, "atmega32u4");
    assert_string_equal(usbdetect_lookup(0x03EB, 0x2FF3)->mcu, "atmega16u4");
    assert_string_equal(usbdetect_lookup(0x1B4F, 0x9205)->mcu, "atmega32u4");
    assert_string_equal(usbdetect_lookup(0x16C0, 0x0478)->mcu, "atmega32u4");
    assert_string_equal(usbdetect_lookup(0x2E8A, 0x0003)->mcu, "rp2040");
    assert_string_equal(usbdetect_lookup(0x2E8A, 0x000F)->mcu, "rp2350");
    assert_null(usbdetect_lookup(0x2E8A, 0x0005));
}

static void udev_rules_cover_the_table(void **s)
{
    (void)s;
    FILE *f = fopen("util/udev/50-kestrel.rules", "r");
    assert_non_null(f);
    static char text[65536];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    for (size_t i = 0; i < usbdetect_count; i++) {
        char want[128];
        snprintf(want, sizeof want, "ATTRS{idVendor}==\"%04x\", ATTRS{idProduct}==\"%04x\"",
                 usbdetect_table[i].vid, usbdetect_table[i].pid);
        if (!strstr(text, want)) fail_msg("udev rules lack %s (%s)", want, usbdetect_table[i].what);
    }
}

static void fake_bus(void **s)
{
    (void)s;
    setenv("KESTREL_TEST_USB", "1d6b:0002,1B4F:9205@3.7,2E8A:000F", 1);
    usbdetect_dev_t d[8];
    char err[100];
    int n = usbdetect_scan(d, 8, err, sizeof err);
    assert_int_equal(n, 2);
    assert_string_equal(d[0].e->bootloader, "caterina");
    assert_int_equal(d[0].bus, 3);
    assert_int_equal(d[0].addr, 7);
    assert_string_equal(d[1].e->mcu, "rp2350");
    assert_true(usbdetect_present(0x1D6B, 0x0002));
    assert_false(usbdetect_present(0x1D6B, 0x0003));
    unsetenv("KESTREL_TEST_USB");
}

/* ---- drives ---- */

static char tmpdir[256];

static void mkfile(const char *dir, const char *name, const char *text)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *rp2040_info = "UF2 Bootloader v3.0\r\nModel: Raspberry Pi RP2\r\nBoard-ID: RPI-RP2\r\n";
static const char *rp2350_info = "UF2 Bootloader v1.0\nModel: Raspberry Pi RP2350\nBoard-ID: RP2350\n";

static void make_drive(const char *dir, const char *info)
{
    mkdir(dir, 0755);
    mkfile(dir, "INFO_UF2.TXT", info);
    mkfile(dir, "INDEX.HTM", "<html></html>\n");
}

static void drives_match_families(void **s)
{
    (void)s;
    char a[300], b[300], c[300];
    snprintf(a, sizeof a, "%s/RPI-RP2", tmpdir);
    snprintf(b, sizeof b, "%s/RP 2350", tmpdir);
    snprintf(c, sizeof c, "%s/OTHER", tmpdir);
    make_drive(a, rp2040_info);
    make_drive(b, rp2350_info);
    make_drive(c, "UF2 Bootloader 3.1\nModel: Adafruit Feather\nBoard-ID: SAMD21-Feather\n");
    uf2_drive_t d;
    char err[400];
    assert_true(uf2_drive_probe(a, &d));
    assert_int_equal(d.chip, 2040);
    assert_string_equal(d.board_id, "RPI-RP2");
    assert_true(flash_drive_accepts(&d, UF2_FAMILY_RP2040, err, sizeof err));
    assert_false(flash_drive_accepts(&d, UF2_FAMILY_RP2350_ARM_S, err, sizeof err));
    assert_non_null(strstr(err, "the image is for the RP2350 (UF2 family RP2350_ARM_S), but the drive at"));
    assert_true(uf2_drive_probe(b, &d));
    assert_int_equal(d.chip, 2350);
    assert_true(flash_drive_accepts(&d, UF2_FAMILY_RP2350_ARM_S, err, sizeof err));
    assert_false(flash_drive_accepts(&d, UF2_FAMILY_RP2040, err, sizeof err));
    assert_non_null(strstr(err, "is an RP2350 boot ROM (Board-ID 'RP2350'), which would ignore it"));
    assert_true(uf2_drive_probe(c, &d));
    assert_int_equal(d.chip, 0);
    assert_false(flash_drive_accepts(&d, UF2_FAMILY_RP2040, err, sizeof err));
    assert_non_null(strstr(err, "not a Raspberry Pi boot ROM this tool knows"));
    assert_false(flash_drive_accepts(&d, 0x16573617u, err, sizeof err));

    /* the mount table: escaped space, and only FAT mounts are looked at */
    char mounts[300];
    snprintf(mounts, sizeof mounts, "%s/mounts", tmpdir);
    FILE *f = fopen(mounts, "w");
    fprintf(f, "proc /proc proc rw 0 0\n/dev/sda1 %s ext4 rw 0 0\n", a);
    fprintf(f, "/dev/sdb1 %s/RP\\0402350 vfat rw,nosuid 0 0\n", tmpdir);
    fprintf(f, "/dev/sdc1 %s/none vfat rw 0 0\n", tmpdir);
    fclose(f);
    uf2_drive_t ds[4];
    int n = uf2_drive_find(mounts, ds, 4);
    assert_int_equal(n, 1);
    assert_string_equal(ds[0].dir, b);
    assert_int_equal(ds[0].chip, 2350);
}

static uint8_t *test_uf2(size_t blocks, size_t *len)
{
    memimg_t m;
    memimg_init(&m);
    uint8_t *d = malloc(blocks * 256);
    for (size_t i = 0; i < blocks * 256; i++) d[i] = (uint8_t)(i * 7);
    assert_true(memimg_add(&m, 0x10000000u, d, blocks * 256, NULL));
    uf2_opts_t o = {UF2_FAMILY_RP2040, 0, 0xFF, false};
    uint8_t *out;
    char err[100];
    assert_true(uf2_write(&m, &o, &out, len, err, sizeof err));
    free(d);
    memimg_free(&m);
    return out;
}

typedef struct {
    const char *dir;
    size_t at;       /* act after this many blocks */
    int action;      /* 1 = ROM reboots (drive goes), 2 = unplugged (file + drive go), 3 = ENOSPC */
    bool fired;
} hook_t;

static void remove_drive(const char *dir)
{
    char p[600];
    snprintf(p, sizeof p, "%s/INFO_UF2.TXT", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/INDEX.HTM", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/KESTREL.UF2", dir);
    unlink(p);
    rmdir(dir);
}

static void hook(void *ctx, int fd, size_t done, size_t total)
{
    hook_t *h = ctx;
    (void)total;
    if (h->fired || done < h->at) return;
    h->fired = true;
    if (h->action == 1 || h->action == 2) remove_drive(h->dir);
    if (h->action == 3) {
        int full = open("/dev/full", O_WRONLY);
        assert_true(full >= 0);
        dup2(full, fd); /* the next write fails the way a full or dying device does */
        close(full);
    }
}

static void copy_for_real(void **s)
{
    (void)s;
    char dir[300], err[400], p[400];
    size_t len;
    uint8_t *uf2 = test_uf2(100, &len);

    /* a drive that stays: every byte lands, synced */
    snprintf(dir, sizeof dir, "%s/drive1", tmpdir);
    make_drive(dir, rp2040_info);
    flash_copy_opts_t o = {16, NULL, NULL, NULL};
    assert_int_equal(flash_uf2_copy(dir, uf2, len, &o, err, sizeof err), FLASH_COPY_OK);
    snprintf(p, sizeof p, "%s/KESTREL.UF2", dir);
    uint8_t *back;
    size_t bl;
    assert_int_equal(fwimage_read_file(p, &back, &bl), 0);
    assert_int_equal(bl, len);
    assert_memory_equal(back, uf2, len);
    free(back);
    assert_false(flash_wait_drive_gone(dir, 100));
    remove_drive(dir);
    assert_true(flash_wait_drive_gone(dir, 100));

    /* the ROM takes the last block and reboots: the drive leaves at the end */
    make_drive(dir, rp2040_info);
    hook_t h = {dir, 100, 1, false};
    flash_copy_opts_t o2 = {16, hook, &h, NULL};
    assert_int_equal(flash_uf2_copy(dir, uf2, len, &o2, err, sizeof err), FLASH_COPY_DRIVE_LEFT);

    /* unplugged after 32 of 100 blocks */
    make_drive(dir, rp2040_info);
    hook_t h2 = {dir, 32, 2, false};
    flash_copy_opts_t o3 = {16, hook, &h2, NULL};
    assert_int_equal(flash_uf2_copy(dir, uf2, len, &o3, err, sizeof err), FLASH_COPY_FAILED);
    assert_string_equal(err, "the drive went away after 32 of 100 blocks: the keyboard may hold a "
                             "partial image now; enter the bootloader again and re-flash");

    /* the device stops taking data (ENOSPC) after 48 blocks */
    make_drive(dir, rp2040_info);
    hook_t h3 = {dir, 48, 3, false};
    flash_copy_opts_t o4 = {16, hook, &h3, NULL};
    assert_int_equal(flash_uf2_copy(dir, uf2, len, &o4, err, sizeof err), FLASH_COPY_FAILED);
    assert_non_null(strstr(err, "failed after 48 of 100 blocks: No space left on device"));
    remove_drive(dir);

    /* no drive at all */
    assert_int_equal(flash_uf2_copy(dir, uf2, len, &o, err, sizeof err), FLASH_COPY_FAILED);
    assert_non_null(strstr(err, "cannot create"));
    assert_non_null(strstr(err, "nothing was written"));
    free(uf2);
}

/* ---- serial ports from sysfs ---- */

static void sysfs_tty(void **s)
{
    (void)s;
    char root[300], p[600];
    snprintf(root, sizeof root, "%s/sysroot", tmpdir);
    const char *dirs[] = {"", "/sys", "/sys/class", "/sys/class/tty", "/sys/devices", "/sys/devices/usb1",
                          "/sys/devices/usb1/1-1", "/sys/devices/usb1/1-1/1-1:1.0",
                          "/sys/devices/usb1/1-2", "/sys/devices/usb1/1-2/1-2:1.0",
                          "/sys/class/tty/ttyACM0", "/sys/class/tty/ttyACM1", "/sys/class/tty/ttyS0"};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(p, sizeof p, "%s%s", root, dirs[i]);
        mkdir(p, 0755);
    }
    snprintf(p, sizeof p, "%s/sys/devices/usb1/1-1", root);
    mkfile(p, "idVendor", "2341\n");
    mkfile(p, "idProduct", "8036\n");
    snprintf(p, sizeof p, "%s/sys/devices/usb1/1-2", root);
    mkfile(p, "idVendor", "1b4f\n");
    mkfile(p, "idProduct", "9205\n");
    char link[600];
    snprintf(link, sizeof link, "%s/sys/class/tty/ttyACM0/device", root);
    assert_int_equal(symlink("../../../devices/usb1/1-1/1-1:1.0", link), 0);
    snprintf(link, sizeof link, "%s/sys/class/tty/ttyACM1/device", root);
    assert_int_equal(symlink("../../../devices/usb1/1-2/1-2:1.0", link), 0);
    char port[100];
    assert_true(usbdetect_tty(root, 0x1B4F, 0x9205, port, sizeof port));
    assert_string_equal(port, "/dev/ttyACM1");
    assert_true(usbdetect_tty(root, 0x2341, 0x8036, port, sizeof port));
    assert_string_equal(port, "/dev/ttyACM0");
    assert_false(usbdetect_tty(root, 0x1B4F, 0x9203, port, sizeof port));
}

/* ---- build.c's development_board names follow config/load.c's table ---- */

static void dev_board_names(void **s)
{
    (void)s;
    static cfg_model_t m;
    static diag_t d;
    for (unsigned i = 1; build_dev_board_name(i); i++) {
        diag_init(&d);
        assert_true(cfg_load_keyboard(&m, "builtin:test4x10", &d));
        char json[64];
        snprintf(json, sizeof json, "\"%s\"", build_dev_board_name(i));
        cfg_apply_setting(&m, "development_board", json, strlen(json), NULL, 0, 0, &d);
        cfg_finish(&m, &d);
        if (m.dev_board != i) fail_msg("%s: loader stores %u, build.c says %u", build_dev_board_name(i), m.dev_board, i);
    }
    assert_null(build_dev_board_name(0));
}

static int setup(void **s)
{
    (void)s;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/kestrel-test-flash-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **s)
{
    (void)s;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plans),
        cmocka_unit_test(detection_table_matches_qmk),
        cmocka_unit_test(udev_rules_cover_the_table),
        cmocka_unit_test(fake_bus),
        cmocka_unit_test(drives_match_families),
        cmocka_unit_test(copy_for_real),
        cmocka_unit_test(sysfs_tty),
        cmocka_unit_test(dev_board_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
