/* The config image: the compiled, validated form of one keyboard definition + one keymap.
 * This header is the format (shared by the writer in config/ and every reader) and the read-only
 * API the engine and firmware use on every target, AVR program memory included.
 *
 * Layout (all integers little-endian, no alignment assumed, offsets relative to the image start):
 *
 *   0  u32  magic   CFG_MAGIC ("KCFG")
 *   4  u16  format version (CFG_VERSION)
 *   6  u16  number of sections (n)
 *   8  u32  total size in bytes, header included
 *  12  u32  CRC-32 (IEEE 802.3, reflected, init/xorout 0xFFFFFFFF) of bytes [16, size)
 *  16  n x section entry, 8 bytes each: u8 id, u8 reserved(0), u16 offset, u16 length, u16 count
 *  ..  section bodies
 *
 * Sections (each at most once; readers skip ids they do not know, so sections can be added
 * without a version bump; changing an existing section's shape bumps CFG_VERSION):
 *   INFO     fixed struct, see CFG_INFO_* offsets below
 *   PINS     matrix kind 0: rows pins then cols pins; kind 1 (direct): rows*cols pins, 0xFF = none
 *            pin byte: RP2040/RP2350 = GPIO number; ATmega32U4 = port<<3 | bit, port B=1 .. F=5
 *   LAYOUT   count = keys in the layout; one u8 matrix position (row*cols+col) per key, in order
 *   HAND     rows*cols bytes, CFG_HAND_*; per matrix position
 *   KEYMAP   count = layers; layers x rows*cols u16 keycodes, by matrix position (KC_NO default)
 *   SETTINGS count = values; u16 per enum cfg_setting_id (missing ids read as their default)
 *   PERKEY   count = entries; 6 bytes each: u16 keycode, u8 setting id, u8 0, u16 value
 *   STRINGS  NUL-terminated: keyboard name, manufacturer, keymap name
 *   ENCODERS count = encoders; layers x encoders x {u16 ccw, u16 cw}; pins in PINS-like u8 pairs
 *            after them: encoders x {u8 pin_a, u8 pin_b, u8 resolution, u8 0}
 *   MACROS   count = macros; u16 offset table (count+1 entries, relative to the section), then the
 *            macro byte code (see docs/keymap-format.md)
 *   LEADER   count = sequences; 12 bytes each: 5 u16 keycodes (unused ones 0), u16 result keycode
 *   UNICODE_MAP count = entries; 3 bytes each: the code point, u24 little-endian (<= 0x10FFFF)
 *   KEY_OVERRIDES count = overrides; CFG_KO_SIZE bytes each: u16 trigger, u16 replacement,
 *            u32 layers, u8 trigger mods, u8 negative mods, u8 suppressed mods, u8 options (CFG_KO_*)
 *            (mods as report bits)
 *   KEY_CANCEL count = pairs; CFG_KEY_CANCEL_SIZE bytes each: u16 key, u16 key, u8 mode, u8 0
 *   COMBOS   count = combos; CFG_CB_SIZE bytes each (CFG_CB_* offsets below):
 *              u16 result keycode, u16 term ms (0 = combo.term), u16 require-prior-idle ms (0 = off),
 *              u32 layer mask (bit l: active when l is the highest active layer), u8 flags
 *              (CFG_CB_SLOW_RELEASE), u8 key count n (2..CFG_COMBO_KEYS_MAX), then
 *              CFG_COMBO_KEYS_MAX u8 matrix positions (n used, distinct; the rest 0xFF).
 *            Combo i's result is a virtual key at position npos + i, so npos + count < 0xFF.
 *   TAP_DANCES count = dances; CFG_TAP_DANCE_SIZE bytes each, Vial's entry: u16 on_tap, on_hold,
 *            on_double_tap, on_tap_hold (KC_NO = unset; never a TD() keycode), u16 term ms
 *            (0 = the TD(i) keycode's tapping.term)
 *   MOUSE    written when the keymap has mouse keys; derived from the mouse_key.* settings so the
 *            chip walks a table instead of computing speed curves. count = length of the
 *            cursor's block, the wheel's block follows it (to the section's end). A block: u8 the
 *            step with MS_ACL0, ACL1, ACL2 held (0 = none: the curve), then the curve, u8 per
 *            index (the last entry holds for every later index): index = repeats so far
 *            (accelerated, combined, inertia's wheel), 1 + 50 ms steps held (kinetic, 0 before a
 *            repeat) or the speed 0..3 (constant: unmod, ACL0-2; its ACL entries are 0). Values:
 *            the step in px/wheel clicks, 1..127 (constant 0..127); the kinetic wheel's are its
 *            speed per second (1..255), its interval 1000 / speed. Inertia mode's cursor block
 *            is the step per velocity instead (docs/keymap-format.md). Readers check a block has
 *            4+ bytes (else the step is 1).
 *   USB_STRINGS count = 4; the USB string descriptors of the manufacturer (string 1) and the
 *            keyboard name (string 2, the product), each whole as the device sends it: u8 bLength,
 *            u8 3, UTF-16LE (UTF-8 converted by the loader: malformed bytes and characters beyond
 *            U+FFFF as U+FFFD), so the chip serves them as they are; the loader writes the
 *            defaults "Kestrel" / "Kestrel keyboard" for names the keyboard has none of. Readers
 *            stop at a bLength below 2 or past the section's end. Then the device descriptor (18
 *            bytes) and the configuration descriptor with its HID interfaces (usb/usb_desc_tmpl.h,
 *            USB_CONFIG_LEN bytes), with INFO's IDs, power and polling interval: the ATmega32U4
 *            serves them as they are and takes no image without them (an older writer's).
 *
 * Bounds (a config that exceeds one is a config error, never a crash): CFG_MAX_* below. */
#ifndef KESTREL_CORE_CFG_H
#define KESTREL_CORE_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/cfg_settings.h"
#include "core/features.h"
#include "core/keycodes.h"

#define CFG_MAGIC   0x4746434Bu /* "KCFG" */
#define CFG_VERSION 2u /* 2: MACROS holds typed keys as usages, not ASCII */
#define CFG_HEADER_SIZE 16u
#define CFG_SECTION_ENTRY_SIZE 8u

#define CFG_MAX_ROWS       32u
#define CFG_MAX_COLS       32u
#define CFG_MAX_POSITIONS  255u    /* rows*cols; position 0xFF means "none" */
#define CFG_MAX_LAYERS     32u
#define CFG_MAX_KEYS       255u    /* keys in the layout */
#define CFG_MAX_PERKEY     64u
#define CFG_MAX_ENCODERS   8u
#define CFG_MAX_MACROS     128u
#define CFG_MAX_MACRO_BYTES 2048u
/* MACROS byte code (docs/keymap-format.md): a byte whose bit 6 is clear and whose low 6 bits are
 * 4 or more taps that keyboard usage, with Left Shift when bit 7 is set (the loader turns macro
 * text into these, so the chip needs no keyboard layout); the ops below take a u16 argument
 * (those below 4) or none. */
enum { CFG_MOP_DELAY = 0, CFG_MOP_TAP = 1, CFG_MOP_DOWN = 2, CFG_MOP_UP = 3, CFG_MOP_BEEP = 0x40 };
#define CFG_MOP_SHIFTED 0x80u
#define CFG_MAX_LEADER     64u     /* leader_sequences entries */
#define CFG_MAX_UNICODE_MAP 1024u  /* unicode_map entries (UP() reaches the first 128) */
#define CFG_MAX_KEY_OVERRIDES 32u
#define CFG_MAX_KEY_CANCEL 16u
#define CFG_MAX_COMBOS     32u
#define CFG_COMBO_KEYS_MAX 8u
#define CFG_MAX_TAP_DANCES 32u
#define CFG_MAX_SECTIONS   32u
#define CFG_MAX_IMAGE      65535u  /* offsets are 16-bit */
#define CFG_POS_NONE       0xFFu
#define CFG_PIN_NONE       0xFFu

enum cfg_section_id {
    CFG_SEC_INFO = 1,
    CFG_SEC_PINS = 2,
    CFG_SEC_LAYOUT = 3,
    CFG_SEC_HAND = 4,
    CFG_SEC_KEYMAP = 5,
    CFG_SEC_SETTINGS = 6,
    CFG_SEC_PERKEY = 7,
    CFG_SEC_STRINGS = 8,
    CFG_SEC_ENCODERS = 9,
    CFG_SEC_MACROS = 10,
    /* Reserved for the behaviours of issue 9; each shape is documented in docs/keymap-format.md
     * by the change that fills it. Readers skip a reserved id until they know it. */
    CFG_SEC_COMBOS = 11,
    CFG_SEC_TAP_DANCES = 12,
    CFG_SEC_KEY_OVERRIDES = 13,
    CFG_SEC_LEADER = 14,
    CFG_SEC_UNICODE_MAP = 15,
    CFG_SEC_KEY_CANCEL = 16, /* SOCD pairs */
    CFG_SEC_MOUSE = 17,      /* mouse key step sizes, computed by the loader from the settings */
    CFG_SEC_USB_STRINGS = 18, /* USB string descriptors 1 and 2, converted by the loader */
    CFG_SEC_ID_LIMIT /* ids >= this are reserved for later sections */
};

/* KEY_OVERRIDES entries; option bits are QMK's ko_option_t, plus Vial's "enabled" bit */
#define CFG_KO_SIZE 12u
#define CFG_KO_TRIGGER_DOWN      0x01u /* activate when the trigger is pressed with the mods */
#define CFG_KO_REQUIRED_MOD_DOWN 0x02u /* ... when a trigger mod is pressed with the trigger held */
#define CFG_KO_NEGATIVE_MOD_UP   0x04u /* ... when a negative mod is released */
#define CFG_KO_ONE_MOD           0x08u /* one of the trigger mods is enough */
#define CFG_KO_NO_REREGISTER     0x10u /* the trigger is not sent again when the override ends */
#define CFG_KO_NO_UNREG_ON_OTHER 0x20u /* another key's press does not end the override */
#define CFG_KO_DEFAULT           0x07u
#define CFG_KO_ENABLED           0x80u

/* KEY_CANCEL entries */
#define CFG_KEY_CANCEL_SIZE 6u
enum { CFG_KEY_CANCEL_LAST = 0, CFG_KEY_CANCEL_NEUTRAL = 1 };

enum cfg_processor { CFG_PROC_UNKNOWN = 0, CFG_PROC_RP2040, CFG_PROC_RP2350, CFG_PROC_ATMEGA32U4 };
enum cfg_bootloader {
    CFG_BOOT_UNKNOWN = 0, CFG_BOOT_RP2040, CFG_BOOT_CATERINA, CFG_BOOT_ATMEL_DFU, CFG_BOOT_HALFKAY,
    CFG_BOOT_QMK_DFU, CFG_BOOT_QMK_HID, CFG_BOOT_LUFA_DFU, CFG_BOOT_CUSTOM, CFG_BOOT_TINYUF2
};
enum cfg_diode { CFG_COL2ROW = 0, CFG_ROW2COL = 1 };
enum cfg_matrix_kind { CFG_MATRIX_GRID = 0, CFG_MATRIX_DIRECT = 1 };
enum cfg_hand { CFG_HAND_ANY = 0 /* '*' or not given */, CFG_HAND_LEFT = 1, CFG_HAND_RIGHT = 2 };

/* INFO section body (CFG_INFO_SIZE bytes) */
#define CFG_INFO_PROCESSOR   0  /* u8 enum cfg_processor */
#define CFG_INFO_BOOTLOADER  1  /* u8 enum cfg_bootloader */
#define CFG_INFO_ROWS        2  /* u8 */
#define CFG_INFO_COLS        3  /* u8 */
#define CFG_INFO_LAYERS      4  /* u8 */
#define CFG_INFO_DIODE       5  /* u8 enum cfg_diode */
#define CFG_INFO_MATRIX_KIND 6  /* u8 enum cfg_matrix_kind */
#define CFG_INFO_FLAGS       7  /* u8 CFG_FLAG_* */
#define CFG_INFO_KEYS        8  /* u16 keys in layout */
#define CFG_INFO_IO_DELAY    10 /* u16 microseconds */
#define CFG_INFO_VID         12 /* u16 */
#define CFG_INFO_PID         14 /* u16 */
#define CFG_INFO_BCD         16 /* u16 device_version as BCD */
#define CFG_INFO_POLL_MS     18 /* u8 usb.polling_interval */
#define CFG_INFO_MAX_POWER   19 /* u8 mA / 2 */
#define CFG_INFO_ENCODERS    20 /* u8 */
#define CFG_INFO_DEV_BOARD   21 /* u8 index into config/'s development_board table, 0 = none */
#define CFG_INFO_SIZE        24

#define CFG_FLAG_DRIVE_HIDDEN 0x01u /* the mass-storage drive is hidden (issue: the drive) */

/* COMBOS entry */
#define CFG_CB_RESULT  0  /* u16 keycode */
#define CFG_CB_TERM    2  /* u16 ms, 0 = combo.term */
#define CFG_CB_IDLE    4  /* u16 ms, 0 = off */
#define CFG_CB_LAYERS  6  /* u32 */
#define CFG_CB_FLAGS   10 /* u8 */
#define CFG_CB_NKEYS   11 /* u8 */
#define CFG_CB_KEYS    12 /* u8[CFG_COMBO_KEYS_MAX] */
#define CFG_CB_SIZE    (12 + CFG_COMBO_KEYS_MAX)
#define CFG_CB_SLOW_RELEASE 0x01u /* the result is released with the last key, not the first */

/* TAP_DANCES entry */
#define CFG_TD_ON_TAP        0
#define CFG_TD_ON_HOLD       2
#define CFG_TD_ON_DOUBLE_TAP 4
#define CFG_TD_ON_TAP_HOLD   6
#define CFG_TD_TERM          8
#define CFG_TAP_DANCE_SIZE   10

/* Byte access. On AVR the image lives in program memory; everywhere else it is ordinary memory
 * (RAM on the host, XIP flash on RP2). */
#if defined(__AVR__)
#include <avr/pgmspace.h>
#define CFG_RD8(p) pgm_read_byte(p)
#else
#define CFG_RD8(p) (*(const uint8_t *)(p))
#endif

#if defined(__AVR__)
uint16_t cfg_rd16(const uint8_t *p);
#else
static inline uint16_t cfg_rd16(const uint8_t *p)
{
    return (uint16_t)(CFG_RD8(p) | (uint16_t)CFG_RD8(p + 1) << 8);
}
#endif
/* Copies n bytes of the image to RAM: a record read once costs less code than field by field. */
#if defined(__AVR__)
#define CFG_COPY(dst, src, n) memcpy_P((dst), (src), (n))
#else
#define CFG_COPY(dst, src, n) memcpy((dst), (src), (n))
#endif
static inline uint32_t cfg_rd32(const uint8_t *p)
{
    return (uint32_t)cfg_rd16(p) | (uint32_t)cfg_rd16(p + 2) << 16;
}

/* A validated image, with its section offsets looked up once. */
typedef struct cfg {
    const uint8_t *base;
    uint16_t size;
    uint16_t off[CFG_SEC_ID_LIMIT];   /* 0 = section absent */
    uint16_t len[CFG_SEC_ID_LIMIT];
    uint16_t count[CFG_SEC_ID_LIMIT];
    uint8_t rows, cols, layers, npos; /* npos = rows*cols */
} cfg_t;

enum cfg_open_result {
    CFG_OK = 0,
    CFG_ERR_SHORT,     /* fewer bytes than the header, or than the size it claims */
    CFG_ERR_MAGIC,
    CFG_ERR_VERSION,
    CFG_ERR_CRC,
    CFG_ERR_SECTIONS,  /* a section outside the image, duplicated, or of the wrong length */
    CFG_ERR_MISSING,   /* INFO, KEYMAP or SETTINGS absent */
    CFG_ERR_BOUNDS     /* a count or dimension beyond CFG_MAX_* */
};

/* Checks an image completely (size, magic, version, CRC, every section's bounds and shape) and
 * fills *c. Nothing of a rejected image is used. `avail` is how many bytes may be read. */
enum cfg_open_result cfg_open(cfg_t *c, const uint8_t *img, size_t avail);
const char *cfg_open_strerror(enum cfg_open_result r);

uint32_t cfg_crc32(uint32_t crc, const uint8_t *p, size_t n); /* crc = 0 to start; AVR: RAM data */
uint32_t cfg_crc32_image(const uint8_t *img, size_t n);       /* reads through CFG_RD8 */

#if defined(__AVR__)
uint8_t cfg_info8(const cfg_t *c, unsigned field); /* one copy in cfg.c: LTO kept the inline one per file */
#else
static inline uint8_t cfg_info8(const cfg_t *c, unsigned field)
{
    return CFG_RD8(c->base + c->off[CFG_SEC_INFO] + field);
}
#endif
static inline uint16_t cfg_info16(const cfg_t *c, unsigned field)
{
    return cfg_rd16(c->base + c->off[CFG_SEC_INFO] + field);
}

/* Keycode at matrix position `pos` (row*cols+col) on `layer`; KC_NO outside the tables. */
static inline kc_t cfg_keycode(const cfg_t *c, uint8_t layer, uint8_t pos)
{
    if (layer >= c->layers || pos >= c->npos) return KC_NO;
    return cfg_rd16(c->base + c->off[CFG_SEC_KEYMAP] + 2u * ((unsigned)layer * c->npos + pos));
}

/* A global setting (default when the image has none). */
uint16_t cfg_setting(const cfg_t *c, enum cfg_setting_id id);
/* A setting for one keycode: its per-key override if there is one, else the global value. */
uint16_t cfg_setting_kc(const cfg_t *c, enum cfg_setting_id id, kc_t kc);
/* The compiled-in default of a setting. */
uint16_t cfg_setting_default(enum cfg_setting_id id);

/* Combo i's entry (CFG_CB_* offsets) and tap dance i's (CFG_TD_*); callers check i < count. */
static inline const uint8_t *cfg_combo(const cfg_t *c, uint8_t i)
{
    return c->base + c->off[CFG_SEC_COMBOS] + (unsigned)i * CFG_CB_SIZE;
}
static inline const uint8_t *cfg_tap_dance(const cfg_t *c, uint8_t i)
{
    return c->base + c->off[CFG_SEC_TAP_DANCES] + (unsigned)i * CFG_TAP_DANCE_SIZE;
}

uint8_t cfg_hand(const cfg_t *c, uint8_t pos);  /* CFG_HAND_* */
uint8_t cfg_pin(const cfg_t *c, unsigned idx);   /* PINS byte idx, CFG_PIN_NONE outside */
/* Pointer to a section body and its count (NULL when absent); AVR: a program-memory address. */
const uint8_t *cfg_section(const cfg_t *c, enum cfg_section_id id, uint16_t *count, uint16_t *len);

#endif
