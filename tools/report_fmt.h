/* Report lines (SPEC §6): one formatter and one parser shared by `kestrel sim`, `kestrel test`,
 * `kestrel emulate` and the emulated test back-ends, so every front-end prints the same text. */
#ifndef KESTREL_TOOLS_REPORT_FMT_H
#define KESTREL_TOOLS_REPORT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/keycodes.h"

enum report_kind {
    REPORT_KBD = 0,
    REPORT_CONSUMER,
    REPORT_SYSTEM,
    REPORT_MOUSE,
    REPORT_ACTION /* a keycode the firmware implements (QK_BOOT, QK_REBOOT, ...) was triggered */
};

/* One report as sent (or one action), with its time in microseconds since the run started.
 * Host runs have whole milliseconds; emulated runs have microsecond resolution. */
typedef struct report {
    uint8_t kind;          /* enum report_kind */
    uint64_t time_us;
    uint8_t mods;          /* KBD: HID modifier byte */
    uint8_t keys[32];      /* KBD: bitmap of keyboard-page usages, bit u&7 of byte u>>3 */
    uint16_t usage;        /* CONSUMER / SYSTEM: HID usage, 0 = released; ACTION: the keycode */
    uint8_t buttons;       /* MOUSE */
    int8_t x, y, v, h;     /* MOUSE */
} report_t;

/* How raw HID reports arrive from an emulated device (report IDs already stripped). */
enum report_raw_kind {
    REPORT_RAW_BOOT_KBD,   /* 8 bytes: mods, reserved, six usages (0 = empty, 1 = rollover) */
    REPORT_RAW_NKRO,       /* mods, then a usage bitmap (bit u&7 of byte 1 + u>>3) */
    REPORT_RAW_CONSUMER,   /* u16 little-endian usage */
    REPORT_RAW_SYSTEM,     /* u16 little-endian usage (a single byte is accepted too) */
    REPORT_RAW_MOUSE       /* buttons, x, y, wheel, h-wheel (int8 each; h may be absent) */
};

/* Fills *out from a raw report; false when the length does not fit the kind. */
bool report_from_raw(report_t *out, enum report_raw_kind kind, const uint8_t *data, size_t len,
                     uint64_t time_us);

/* The line without its time: "kbd LSFT A", "kbd -", "consumer AUDIO_VOL_UP",
 * "mouse b=1 x=0 y=-8 v=0 h=0", "action QK_BOOT". Returns the length (truncated to cap-1). */
size_t report_format_body(const report_t *r, char *buf, size_t cap);
/* The whole line: the time (integer ms, or ms with three decimals when `emulated`), a space,
 * the body. */
size_t report_format(const report_t *r, bool emulated, char *buf, size_t cap);
/* A time as report lines print it. */
size_t report_format_time(uint64_t time_us, bool emulated, char *buf, size_t cap);

/* Names used in report lines: keyboard usages by their canonical QMK name without KC_ ("A",
 * "ENTER"; the modifier byte prints as LCTL..RGUI), consumer/system usages by the name of the
 * QMK keycode that sends them ("AUDIO_VOL_UP", "SYSTEM_SLEEP"); anything else as hex ("0xE1",
 * "0x1FF"), which parses back as a raw usage. */
size_t report_key_name(uint8_t usage, char *buf, size_t cap);
size_t report_usage_name(enum report_kind page, uint16_t usage, char *buf, size_t cap);
/* The HID usage a QMK system/consumer keycode (0xA5..0xC2) sends, and its page; 0 if none. */
uint16_t report_kc_usage(kc_t kc, enum report_kind *page);

/* Two reports say the same thing (time ignored). */
bool report_same(const report_t *a, const report_t *b);

/* ---- expected lines ------------------------------------------------------------------------ */

typedef struct report_expect {
    report_t r;
    bool has_time;         /* the line started with a time */
} report_expect_t;

typedef struct report_parse_error {
    size_t offset;         /* byte offset of the problem in the parsed text */
    char msg[200];
} report_parse_error_t;

/* Parses one expected line ("[TIME] kbd|consumer|system|mouse|action ..."). Key names may be
 * any alias, with or without KC_; key sets are order-insensitive; TIME is an integer or a
 * decimal number of milliseconds. */
bool report_parse(const char *s, size_t n, report_expect_t *out, report_parse_error_t *err);

/* Does actual report `a` satisfy expectation `e`? Times must be within `tolerance_us`
 * (0 on the host, 2000 on an emulated target). */
bool report_matches(const report_expect_t *e, const report_t *a, uint64_t tolerance_us);

#endif
