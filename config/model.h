/* The in-memory model of one keyboard + keymap, filled by the JSON loaders (or directly by tests
 * and the scenario runner) and serialised into a config image by cfg_image_write(). Fixed-size,
 * no allocation, so the same code can run on the RP2040/RP2350 for the drive. */
#ifndef KESTREL_CONFIG_MODEL_H
#define KESTREL_CONFIG_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "core/cfg.h"

#define CFG_NAME_MAX 64

typedef struct cfg_perkey {
    kc_t kc;
    uint8_t id;      /* enum cfg_setting_id */
    uint16_t value;
} cfg_perkey_t;

typedef struct cfg_encoder {
    uint8_t pin_a, pin_b, resolution;
} cfg_encoder_t;

typedef struct cfg_leader_seq {
    kc_t seq[5];   /* unused keys 0 */
    kc_t result;
} cfg_leader_seq_t;
typedef struct cfg_key_override {
    kc_t trigger, replacement;
    uint32_t layers;
    uint8_t trigger_mods, negative_mods, suppressed_mods, options; /* report bits; CFG_KO_* */
} cfg_key_override_t;

typedef struct cfg_key_cancel {
    kc_t a, b;
    uint8_t mode; /* CFG_KEY_CANCEL_* */
} cfg_key_cancel_t;

/* A combo (keymap.json "combos"): keys are matrix positions; layers is a mask (all bits = every
 * layer); term and idle in ms (term 0 = combo.term, idle 0 = off); flags CFG_COMBO_*. */
typedef struct cfg_combo_def {
    kc_t result;
    uint16_t term, idle;
    uint32_t layers;
    uint8_t flags, nkeys;
    uint8_t keys[CFG_COMBO_KEYS_MAX];
} cfg_combo_def_t;

/* A tap dance (keymap.json "tap_dances"), Vial's entry; KC_NO = unset, term 0 = tapping.term. */
typedef struct cfg_tap_dance_def {
    kc_t on_tap, on_hold, on_double_tap, on_tap_hold;
    uint16_t term;
} cfg_tap_dance_def_t;

typedef struct cfg_model {
    uint8_t processor, bootloader, dev_board;       /* enum cfg_processor / cfg_bootloader */
    uint8_t rows, cols, diode, matrix_kind, flags;
    uint8_t row_pins[CFG_MAX_ROWS], col_pins[CFG_MAX_COLS];
    uint8_t direct_pins[CFG_MAX_POSITIONS];         /* by position, CFG_PIN_NONE = hole */
    uint16_t io_delay_us, vid, pid, bcd;
    uint8_t poll_ms, max_power_half;
    uint16_t nkeys;
    uint8_t layout[CFG_MAX_KEYS];                   /* layout index -> matrix position */
    uint8_t hand[CFG_MAX_POSITIONS];                /* by position, CFG_HAND_* */
    uint8_t layers;
    kc_t keymap[CFG_MAX_LAYERS][CFG_MAX_POSITIONS]; /* by position */
    uint16_t settings[CFG_SETTING_COUNT];
    uint8_t nperkey;
    cfg_perkey_t perkey[CFG_MAX_PERKEY];
    char name[CFG_NAME_MAX], manufacturer[CFG_NAME_MAX], keymap_name[CFG_NAME_MAX];
    uint8_t nencoders;
    cfg_encoder_t enc[CFG_MAX_ENCODERS];
    kc_t enc_map[CFG_MAX_LAYERS][CFG_MAX_ENCODERS][2]; /* [layer][encoder][0=ccw,1=cw] */
    uint8_t nmacros;
    uint16_t macro_len;                                /* bytes used in macro_bytes */
    uint16_t macro_off[CFG_MAX_MACROS + 1];            /* macro i = [off[i], off[i+1]) */
    uint8_t macro_bytes[CFG_MAX_MACRO_BYTES];
    uint8_t nleader;
    cfg_leader_seq_t leader[CFG_MAX_LEADER];
    uint16_t nunicode;                                 /* unicode_map entries (0: UC() keys) */
    uint32_t unicode_map[CFG_MAX_UNICODE_MAP];
    uint8_t nko, nkcancel;
    cfg_key_override_t ko[CFG_MAX_KEY_OVERRIDES];
    cfg_key_cancel_t kcancel[CFG_MAX_KEY_CANCEL];

    uint8_t ncombos;
    cfg_combo_def_t combos[CFG_MAX_COMBOS];
    uint8_t ntap_dances;
    cfg_tap_dance_def_t tap_dances[CFG_MAX_TAP_DANCES];
} cfg_model_t;

/* Empty model: every setting at its default, no matrix, no layers, strings empty. */
void cfg_model_init(cfg_model_t *m);

/* Serialises the model. Returns the image size, or 0 when `cap` is too small or the model breaks
 * a bound (callers validate first; this is the last line of defence). */
size_t cfg_image_write(const cfg_model_t *m, uint8_t *out, size_t cap);

/* Macro text in the image (core/cfg.h, CFG_MOP_*): the typed-key byte of a character the model's
 * macro byte code holds (\n, \t, 0x20-0x7E, as a US layout types them), and back (-1: not a
 * typed key). The writer turns the one into the other, so the chip needs no keyboard layout. */
uint8_t cfg_macro_key(char c);
int cfg_macro_char(uint8_t b);

/* What the firmware of a keyboard's chip can hold: the ATmega32U4's engine keeps its layer state
 * and its time in 16 bits (core/ktime.h), so 16 layers and time settings up to 32,767 ms. */
static inline unsigned cfg_max_layers_for(uint8_t proc)
{
    return proc == CFG_PROC_ATMEGA32U4 ? 16u : CFG_MAX_LAYERS;
}
static inline unsigned cfg_max_ms_for(uint8_t proc)
{
    return proc == CFG_PROC_ATMEGA32U4 ? 32767u : 65534u;
}

#endif
