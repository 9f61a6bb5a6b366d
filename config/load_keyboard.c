/* The keyboard part of the model: chips, development boards, bootloaders and pins, the matrix,
 * encoders and layouts, rebuilt from the session's references whenever a structural field
 * changes. Every layout is checked; the selected one goes into the model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/json.h"
#include "config/load.h"
#include "config/load_internal.h"

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (x != y) return false;
    }
    return *a == *b;
}

/* ---- processors, boards, bootloaders, pins ----------------------------------------------------- */

static const struct {
    const char *name;
    uint8_t proc;
} processors[] = {
    {"RP2040", CFG_PROC_RP2040}, {"RP2350", CFG_PROC_RP2350}, {"atmega32u4", CFG_PROC_ATMEGA32U4},
};

/* QMK's development boards for our chips (index + 1 is stored in the image's INFO), then the
 * ones for chips Kestrel does not support, so the message can name the chip. */
static const struct {
    const char *name;
    uint8_t proc, boot;
    const char *chip;
} boards[] = {
    {"promicro", CFG_PROC_ATMEGA32U4, CFG_BOOT_CATERINA, "atmega32u4"},
    {"elite_c", CFG_PROC_ATMEGA32U4, CFG_BOOT_ATMEL_DFU, "atmega32u4"},
    {"promicro_rp2040", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"kb2040", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"elite_pi", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"liatris", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"blok", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"bit_c_pro", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"helios", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"imera", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"svlinky", CFG_PROC_RP2040, CFG_BOOT_RP2040, "RP2040"},
    {"proton_c", 0, 0, "STM32F303"},
    {"michi", 0, 0, "STM32F411"},
    {"stemcell", 0, 0, "STM32F411"},
    {"bluepill", 0, 0, "STM32F103"},
    {"blackpill_f401", 0, 0, "STM32F401"},
    {"blackpill_f411", 0, 0, "STM32F411"},
    {"bonsai_c4", 0, 0, "STM32F411"},
};
#define NBOARDS (int)(sizeof boards / sizeof boards[0])

static const struct {
    const char *name;
    uint8_t boot;
    uint8_t procs; /* bit per cfg_processor it works with */
} bootloaders[] = {
    {"rp2040", CFG_BOOT_RP2040, 1u << CFG_PROC_RP2040 | 1u << CFG_PROC_RP2350},
    {"tinyuf2", CFG_BOOT_TINYUF2, 1u << CFG_PROC_RP2040 | 1u << CFG_PROC_RP2350},
    {"caterina", CFG_BOOT_CATERINA, 1u << CFG_PROC_ATMEGA32U4},
    {"atmel-dfu", CFG_BOOT_ATMEL_DFU, 1u << CFG_PROC_ATMEGA32U4},
    {"halfkay", CFG_BOOT_HALFKAY, 1u << CFG_PROC_ATMEGA32U4},
    {"qmk-dfu", CFG_BOOT_QMK_DFU, 1u << CFG_PROC_ATMEGA32U4},
    {"qmk-hid", CFG_BOOT_QMK_HID, 1u << CFG_PROC_ATMEGA32U4},
    {"lufa-dfu", CFG_BOOT_LUFA_DFU, 1u << CFG_PROC_ATMEGA32U4},
    {"custom", CFG_BOOT_CUSTOM, 0xFF},
};

const char *cfg_processor_name(uint8_t proc)
{
    for (size_t i = 0; i < sizeof processors / sizeof processors[0]; i++)
        if (processors[i].proc == proc) return processors[i].name;
    return NULL;
}

const char *cfg_bootloader_name(uint8_t boot)
{
    for (size_t i = 0; i < sizeof bootloaders / sizeof bootloaders[0]; i++)
        if (bootloaders[i].boot == boot) return bootloaders[i].name;
    return NULL;
}

const char *cfg_dev_board_name(uint8_t board)
{
    return board >= 1 && board <= NBOARDS && boards[board - 1].proc ? boards[board - 1].name : NULL;
}

static const char *proc_name(uint8_t p)
{
    for (size_t i = 0; i < sizeof processors / sizeof processors[0]; i++)
        if (processors[i].proc == p) return processors[i].name;
    return "unknown";
}

/* ATmega32U4 I/O lines by port B..F (bit set = pin exists), datasheet / hw notes §4.1. */
static const uint8_t avr_ports[5] = {0xFF, 0xC0, 0xFF, 0x44, 0xF3};

static int gpio_count(uint8_t proc)
{
    return proc == CFG_PROC_RP2350 ? 48 : 30;
}

static const char *pin_list(uint8_t proc)
{
    switch (proc) {
    case CFG_PROC_RP2040: return "GP0..GP29";
    case CFG_PROC_RP2350: return "GP0..GP47; GP30..GP47 only on the QFN-80 RP2350B";
    default: return "B0-B7, C6, C7, D0-D7, E2, E6, F0, F1, F4-F7";
    }
}

/* Pin text -> image byte (core/cfg.h PINS); CFG_PIN_NONE for null / "NO_PIN" when allowed. */
static bool parse_pin(const json_doc_t *doc, diag_t *d, uint8_t proc, int t, bool allow_none,
                      const char *what, uint8_t *out)
{
    enum json_type ty = json_type(doc, t);
    char s[16];
    if (ty == JSON_NULL || (ty == JSON_STRING && json_str_eq(doc, t, "NO_PIN"))) {
        if (allow_none) {
            *out = CFG_PIN_NONE;
            return true;
        }
        json_diag(doc, d, DIAG_ERROR, t, "%s cannot be empty (NO_PIN/null is only allowed in "
                                         "matrix_pins.direct)", what);
        return false;
    }
    if (ty == JSON_NUMBER && proc != CFG_PROC_ATMEGA32U4) {
        long v;
        if (!json_get_int(doc, t, 0, gpio_count(proc) - 1, &v, what, d)) return false;
        *out = (uint8_t)v;
        return true;
    }
    if (ty != JSON_STRING) {
        json_diag(doc, d, DIAG_ERROR, t, "%s must be a pin name such as \"%s\", not %s", what,
                  proc == CFG_PROC_ATMEGA32U4 ? "D4" : "GP4", json_type_name(ty));
        return false;
    }
    json_str(doc, t, s, sizeof s);
    if (proc == CFG_PROC_ATMEGA32U4) {
        if (strlen(s) == 2 && s[0] >= 'B' && s[0] <= 'F' && s[1] >= '0' && s[1] <= '7' &&
            (avr_ports[s[0] - 'B'] >> (s[1] - '0') & 1)) {
            *out = (uint8_t)((s[0] - 'B' + 1) << 3 | (s[1] - '0'));
            return true;
        }
    } else if (s[0] == 'G' && s[1] == 'P' && s[2] >= '0' && s[2] <= '9' &&
               (s[3] == 0 || (s[3] >= '0' && s[3] <= '9' && s[4] == 0)) && !(s[2] == '0' && s[3])) {
        int n = atoi(s + 2);
        if (n < gpio_count(proc)) {
            *out = (uint8_t)n;
            return true;
        }
    }
    json_diag(doc, d, DIAG_ERROR, t, "pin \"%s\" does not exist on the %s (its pins: %s)", s,
              proc_name(proc), pin_list(proc));
    return false;
}

static void pin_text(uint8_t proc, uint8_t pin, char *buf, size_t cap)
{
    if (proc == CFG_PROC_ATMEGA32U4) snprintf(buf, cap, "%c%u", 'A' + (pin >> 3), pin & 7u);
    else snprintf(buf, cap, "GP%u", pin);
}

/* ---- building the keyboard part of the model ------------------------------------------------- */

typedef struct pin_use {
    uint8_t pin, half;
    ref_t at;
    const char *role;
} pin_use_t;

static pin_use_t uses[2 * CFG_MAX_POSITIONS + 2 * CFG_MAX_ENCODERS + 2 * (CFG_MAX_ROWS + CFG_MAX_COLS)];
static int nuses;

static void use_pin(diag_t *d, uint8_t proc, uint8_t pin, uint8_t half, ref_t at, const char *role)
{
    if (pin == CFG_PIN_NONE) return;
    for (int i = 0; i < nuses; i++)
        if (uses[i].pin == pin && uses[i].half == half) {
            int l, c;
            char pt[8];
            const json_doc_t *od = DOC(uses[i].at.src);
            json_pos(od, (size_t)od->tok[uses[i].at.tok].start, &l, &c);
            pin_text(proc, pin, pt, sizeof pt);
            json_diag(DOC(at.src), d, DIAG_ERROR, at.tok,
                      "pin %s is used twice: as %s here and as %s at %s:%d:%d", pt, role,
                      uses[i].role, od->name, l, c > 1 ? c - 1 : c);
            return;
        }
    if (nuses < (int)(sizeof uses / sizeof uses[0]))
        uses[nuses++] = (pin_use_t){pin, half, at, role};
}

/* A pin array (rows or cols) into out[]; returns the count or -1. */
static int pin_array(diag_t *d, uint8_t proc, ref_t r, unsigned max, const char *what,
                     uint8_t half, const char *role, uint8_t *out)
{
    const json_doc_t *doc = DOC(r.src);
    int n = json_size(doc, r.tok), i = 0;
    bool ok = true;
    if (n == 0) {
        json_diag(doc, d, DIAG_ERROR, r.tok, "%s is empty", what);
        return -1;
    }
    if ((unsigned)n > max) {
        json_diag(doc, d, DIAG_ERROR, r.tok, "%s has %d pins; Kestrel's limit is %u", what, n, max);
        return -1;
    }
    for (int e = json_first(doc, r.tok); e >= 0; e = json_next_elem(doc, e), i++) {
        if (!parse_pin(doc, d, proc, e, false, what, &out[i])) ok = false;
        else use_pin(d, proc, out[i], half, (ref_t){r.src, e}, role);
    }
    return ok ? n : -1;
}

/* Direct pins: rows of pins/null. Fills out[row*cols+col]; returns false on errors. */
static bool direct_pins(diag_t *d, uint8_t proc, ref_t r, uint8_t half, unsigned row0,
                        unsigned *rows, unsigned *cols, uint8_t *out, unsigned out_cols)
{
    const json_doc_t *doc = DOC(r.src);
    unsigned nr = 0, nc = 0;
    bool ok = true;
    for (int e = json_first(doc, r.tok); e >= 0; e = json_next_elem(doc, e), nr++) {
        if (!json_want(doc, e, JSON_ARRAY, "each row of matrix_pins.direct", d)) return false;
        if ((unsigned)json_size(doc, e) > nc) nc = (unsigned)json_size(doc, e);
    }
    *rows = nr;
    *cols = nc;
    if (!out) return true;
    unsigned ri = 0;
    for (int e = json_first(doc, r.tok); e >= 0; e = json_next_elem(doc, e), ri++) {
        unsigned ci = 0;
        for (int p = json_first(doc, e); p >= 0; p = json_next_elem(doc, p), ci++) {
            uint8_t pin;
            if (!parse_pin(doc, d, proc, p, true, "a direct pin", &pin)) {
                ok = false;
                continue;
            }
            if ((row0 + ri) * out_cols + ci < CFG_MAX_POSITIONS)
                out[(row0 + ri) * out_cols + ci] = pin;
            use_pin(d, proc, pin, half, (ref_t){r.src, p}, "a direct pin");
        }
    }
    return ok;
}

typedef struct lkey {
    uint8_t row, col, hand;
    bool has;
    ref_t at; /* the key object */
} lkey_t;

static lkey_t lkeys[CFG_MAX_KEYS];
static diag_t scratch; /* for a second pass whose messages were given by the first */

static const char *resolve_alias(const char *name, ref_t *at)
{
    for (int hop = 0; hop < 8; hop++) {
        int i;
        for (i = 0; i < S.naliases; i++)
            if (!strcmp(S.aliases[i].name, name)) break;
        if (i == S.naliases) return name;
        if (at) *at = S.aliases[i].at;
        name = S.aliases[i].target;
    }
    return name;
}

/* Merges a layout's definitions (QMK: a later one of the same length updates the keys, another
 * length replaces them) and checks every key. Returns the key count or -1. */
static int layout_keys(diag_t *d, const layout_def_t *l, unsigned rows, unsigned cols, bool report)
{
    int n = -1;
    bool ok = true;
    for (int r = 0; r < l->nrefs; r++) {
        const json_doc_t *doc = DOC(l->refs[r].src);
        int arr = l->refs[r].tok, cnt = json_size(doc, arr);
        if (cnt > (int)CFG_MAX_KEYS) {
            if (report)
                json_diag(doc, d, DIAG_ERROR, arr, "layout %s has %d keys; Kestrel's limit is %u",
                          l->name, cnt, CFG_MAX_KEYS);
            return -1;
        }
        if (cnt != n) {
            n = cnt;
            memset(lkeys, 0, sizeof lkeys[0] * (size_t)n);
        }
        int i = 0;
        for (int e = json_first(doc, arr); e >= 0; e = json_next_elem(doc, e), i++) {
            lkeys[i].at = (ref_t){l->refs[r].src, e};
            if (json_type(doc, e) != JSON_OBJECT) {
                if (report)
                    json_diag(doc, d, DIAG_ERROR, e, "key %d of layout %s must be an object "
                              "such as {\"matrix\": [0, 0], \"x\": 0, \"y\": 0}", i, l->name);
                ok = false;
                continue;
            }
            int mt = json_get(doc, e, "matrix");
            if (mt >= 0) {
                long rv, cv;
                if (json_type(doc, mt) != JSON_ARRAY || json_size(doc, mt) != 2) {
                    if (report)
                        json_diag(doc, d, DIAG_ERROR, mt,
                                  "\"matrix\" must be [row, column], two whole numbers");
                    ok = false;
                } else if (!json_get_int(doc, json_elem(doc, mt, 0), 0, 255, &rv, "matrix row",
                                         report ? d : &scratch) ||
                           !json_get_int(doc, json_elem(doc, mt, 1), 0, 255, &cv,
                                         "matrix column", report ? d : &scratch)) {
                    ok = false;
                } else {
                    lkeys[i].row = (uint8_t)rv;
                    lkeys[i].col = (uint8_t)cv;
                    lkeys[i].has = true;
                    lkeys[i].at = (ref_t){l->refs[r].src, mt};
                }
            }
            int ht = json_get(doc, e, "hand");
            if (ht >= 0) {
                if (json_str_eq(doc, ht, "L")) lkeys[i].hand = CFG_HAND_LEFT;
                else if (json_str_eq(doc, ht, "R")) lkeys[i].hand = CFG_HAND_RIGHT;
                else if (json_str_eq(doc, ht, "*")) lkeys[i].hand = CFG_HAND_ANY;
                else {
                    if (report)
                        json_diag(doc, d, DIAG_ERROR, ht, "\"hand\" must be \"L\", \"R\" or \"*\"");
                    ok = false;
                }
            }
        }
    }
    if (n < 0) return -1;
    /* Keys without "matrix": QMK would read the C LAYOUT macro; a layout with none at all that
     * covers the whole matrix is taken in row-major order. */
    int with = 0;
    for (int i = 0; i < n; i++) with += lkeys[i].has;
    if (with == 0 && n > 0 && (unsigned)n == rows * cols) {
        const json_doc_t *doc = DOC(l->refs[l->nrefs - 1].src);
        if (report)
            json_diag(doc, d, DIAG_WARNING, l->refs[l->nrefs - 1].tok,
                      "layout %s gives no \"matrix\" positions; keys are taken in row-major order "
                      "of the %ux%u matrix", l->name, rows, cols);
        for (int i = 0; i < n; i++) {
            lkeys[i].row = (uint8_t)(i / (int)cols);
            lkeys[i].col = (uint8_t)(i % (int)cols);
            lkeys[i].has = true;
        }
    }
    static int16_t seen[CFG_MAX_POSITIONS];
    for (unsigned p = 0; p < CFG_MAX_POSITIONS; p++) seen[p] = -1;
    for (int i = 0; i < n; i++) {
        const json_doc_t *doc = DOC(lkeys[i].at.src);
        if (!lkeys[i].has) {
            if (report)
                json_diag(doc, d, DIAG_ERROR, lkeys[i].at.tok,
                          "key %d of layout %s has no \"matrix\": [row, column]", i, l->name);
            ok = false;
            continue;
        }
        if (lkeys[i].row >= rows || lkeys[i].col >= cols) {
            if (report)
                json_diag(doc, d, DIAG_ERROR, lkeys[i].at.tok,
                          "matrix position [%u, %u] of layout %s is outside the %ux%u matrix "
                          "(rows 0-%u, columns 0-%u)", lkeys[i].row, lkeys[i].col, l->name,
                          rows, cols, rows - 1, cols - 1);
            ok = false;
            continue;
        }
        unsigned p = lkeys[i].row * cols + lkeys[i].col;
        if (seen[p] >= 0) {
            if (report)
                json_diag(doc, d, DIAG_ERROR, lkeys[i].at.tok,
                          "matrix position [%u, %u] is used twice in layout %s (keys %d and %d)",
                          lkeys[i].row, lkeys[i].col, l->name, seen[p], i);
            ok = false;
            continue;
        }
        seen[p] = (int16_t)i;
    }
    return ok ? n : -1;
}

/* A message about the keyboard as a whole: no position, the most specific file. */
static void kb_diag(diag_t *d, enum diag_level lvl, const char *msg)
{
    const char *file = S.kb_last_src >= 0 ? S.src[S.kb_last_src].name : "keyboard";
    diag_add(d, lvl, file, NULL, 0, 0, 0, "%s", msg);
}

bool cfg_ls_build_keyboard(cfg_model_t *m, diag_t *d)
{
    int errors = d->errors;
    uint8_t proc = 0, boot = 0, board = 0;
    char s[LS_NAME];

    S.dirty = false;
    S.built = true;
    nuses = 0;
    if (S.kb_broken) {
        S.keyboard_ok = false;
        return false;
    }

    /* processor, development board, bootloader */
    if (S.dev_board.src >= 0) {
        const json_doc_t *doc = DOC(S.dev_board.src);
        json_str(doc, S.dev_board.tok, s, sizeof s);
        cfg_ls_copy(S.board_name, sizeof S.board_name, s);
        int i;
        for (i = 0; i < NBOARDS; i++)
            if (!strcmp(boards[i].name, s)) break;
        if (i == NBOARDS) {
            json_diag(doc, d, DIAG_ERROR, S.dev_board.tok,
                      "development_board \"%s\" is not known to Kestrel (known: promicro, elite_c, "
                      "promicro_rp2040, kb2040, elite_pi, liatris, blok, bit_c_pro, helios, imera, "
                      "svlinky)", s);
        } else if (!boards[i].proc) {
            if (S.processor.src < 0)
                json_diag(doc, d, DIAG_ERROR, S.dev_board.tok,
                          "development_board \"%s\" has processor %s, which is not supported by "
                          "Kestrel (RP2040, RP2350, atmega32u4)", s, boards[i].chip);
        } else {
            proc = boards[i].proc;
            boot = boards[i].boot;
            board = (uint8_t)(i + 1);
        }
    }
    if (S.processor.src >= 0) {
        const json_doc_t *doc = DOC(S.processor.src);
        json_str(doc, S.processor.tok, s, sizeof s);
        uint8_t p = 0;
        for (size_t i = 0; i < sizeof processors / sizeof processors[0]; i++)
            if (ieq(processors[i].name, s)) p = processors[i].proc;
        if (!p) {
            json_diag(doc, d, DIAG_ERROR, S.processor.tok,
                      "processor %s is not supported by Kestrel (RP2040, RP2350, atmega32u4)", s);
        } else {
            if (proc && proc != p)
                json_diag(doc, d, DIAG_WARNING, S.processor.tok,
                          "processor %s differs from development_board %s's %s; using %s", s,
                          S.board_name, proc_name(proc), s);
            if (proc != p) boot = 0;
            proc = p;
        }
    } else if (S.dev_board.src < 0) {
        kb_diag(d, DIAG_ERROR, "no processor: give \"processor\" (RP2040, RP2350, atmega32u4) or a "
                          "\"development_board\"");
    }
    cfg_ls_copy(S.proc_name, sizeof S.proc_name, proc ? proc_name(proc) : "");
    if (S.bootloader.src >= 0 && proc) {
        const json_doc_t *doc = DOC(S.bootloader.src);
        json_str(doc, S.bootloader.tok, s, sizeof s);
        int i, nb = (int)(sizeof bootloaders / sizeof bootloaders[0]);
        for (i = 0; i < nb; i++)
            if (!strcmp(bootloaders[i].name, s)) break;
        if (i == nb || !(bootloaders[i].procs >> proc & 1))
            json_diag(doc, d, DIAG_ERROR, S.bootloader.tok,
                      "bootloader \"%s\" is not supported for %s (use %s)", s, proc_name(proc),
                      proc == CFG_PROC_ATMEGA32U4
                          ? "caterina, atmel-dfu, halfkay, qmk-dfu, qmk-hid, lufa-dfu or custom"
                          : "rp2040, tinyuf2 or custom");
        else
            boot = bootloaders[i].boot;
    }
    if (!boot && proc) boot = proc == CFG_PROC_ATMEGA32U4 ? CFG_BOOT_ATMEL_DFU : CFG_BOOT_RP2040;
    for (size_t i = 0; i < sizeof bootloaders / sizeof bootloaders[0]; i++)
        if (bootloaders[i].boot == boot) cfg_ls_copy(S.boot_name, sizeof S.boot_name, bootloaders[i].name);

    m->processor = proc;
    m->bootloader = boot;
    m->dev_board = board;
    if (!proc) goto done; /* pins cannot be checked without a chip */

    /* the matrix */
    uint8_t rowp[CFG_MAX_ROWS], colp[CFG_MAX_COLS];
    bool split = S.split >= 0 ? S.split == 1 : S.split_implied;
    unsigned rows = 0, cols = 0, halves = split ? 2 : 1;
    bool grid = S.rows.src >= 0 || S.cols.src >= 0;
    if (grid && S.direct.src >= 0) {
        json_diag(DOC(S.direct.src), d, DIAG_ERROR, S.direct.tok,
                  "matrix_pins.direct cannot be combined with matrix_pins.rows/cols");
        goto done;
    }
    if (grid) {
        if (S.rows.src < 0 || S.cols.src < 0) {
            ref_t r = S.rows.src >= 0 ? S.rows : S.cols;
            json_diag(DOC(r.src), d, DIAG_ERROR, r.tok,
                      "matrix_pins needs both \"rows\" and \"cols\"");
            goto done;
        }
        int nr = pin_array(d, proc, S.rows, CFG_MAX_ROWS / halves, "matrix_pins.rows", 0,
                           "a row pin", rowp);
        int nc = pin_array(d, proc, S.cols, CFG_MAX_COLS, "matrix_pins.cols", 0, "a column pin",
                           colp);
        if (nr < 0 || nc < 0) goto done;
        rows = (unsigned)nr * halves;
        cols = (unsigned)nc;
        if (rows * cols > CFG_MAX_POSITIONS) {
            json_diag(DOC(S.cols.src), d, DIAG_ERROR, S.cols.tok,
                      "a %ux%u matrix has %u positions; Kestrel's limit is %u", rows, cols,
                      rows * cols, CFG_MAX_POSITIONS);
            goto done;
        }
        for (unsigned r = 0; r < (unsigned)nr; r++) m->row_pins[r] = rowp[r];
        for (unsigned c = 0; c < cols; c++) m->col_pins[c] = colp[c];
        if (split) {
            /* the right half's own pins (QMK: split.matrix_pins.right), else the same wiring */
            uint8_t rr[CFG_MAX_ROWS], rc[CFG_MAX_COLS];
            for (unsigned r = 0; r < (unsigned)nr; r++) m->row_pins[nr + r] = rowp[r];
            if (S.right_rows.src >= 0) {
                int n2 = pin_array(d, proc, S.right_rows, CFG_MAX_ROWS / 2,
                                   "split.matrix_pins.right.rows", 1, "a right-half row pin", rr);
                if (n2 >= 0 && n2 != nr)
                    json_diag(DOC(S.right_rows.src), d, DIAG_ERROR, S.right_rows.tok,
                              "the right half has %d row pins, the left %d", n2, nr);
                else if (n2 >= 0)
                    for (unsigned r = 0; r < (unsigned)nr; r++) m->row_pins[nr + r] = rr[r];
            }
            if (S.right_cols.src >= 0) {
                int n2 = pin_array(d, proc, S.right_cols, CFG_MAX_COLS,
                                   "split.matrix_pins.right.cols", 1, "a right-half column pin", rc);
                if (n2 >= 0 && n2 != nc)
                    json_diag(DOC(S.right_cols.src), d, DIAG_ERROR, S.right_cols.tok,
                              "the right half has %d column pins, the left %d", n2, nc);
            }
        }
        m->matrix_kind = CFG_MATRIX_GRID;
    } else if (S.direct.src >= 0) {
        unsigned dr, dc;
        if (!direct_pins(d, proc, S.direct, 0, 0, &dr, &dc, NULL, 0)) goto done;
        if (dr == 0 || dc == 0) {
            json_diag(DOC(S.direct.src), d, DIAG_ERROR, S.direct.tok, "matrix_pins.direct is empty");
            goto done;
        }
        rows = dr * halves;
        cols = dc;
        if (rows > CFG_MAX_ROWS || cols > CFG_MAX_COLS || rows * cols > CFG_MAX_POSITIONS) {
            json_diag(DOC(S.direct.src), d, DIAG_ERROR, S.direct.tok,
                      "a %ux%u direct-pin matrix is beyond Kestrel's limits (%u rows, %u columns, "
                      "%u positions)", rows, cols, CFG_MAX_ROWS, CFG_MAX_COLS, CFG_MAX_POSITIONS);
            goto done;
        }
        memset(m->direct_pins, CFG_PIN_NONE, sizeof m->direct_pins);
        direct_pins(d, proc, S.direct, 0, 0, &dr, &dc, m->direct_pins, cols);
        if (split) {
            ref_t rd = S.right_direct.src >= 0 ? S.right_direct : S.direct;
            unsigned r2, c2;
            if (direct_pins(d, proc, rd, 1, dr, &r2, &c2, NULL, 0) && r2 == dr && c2 <= dc)
                direct_pins(d, proc, rd, 1, dr, &r2, &c2, m->direct_pins, cols);
            else
                json_diag(DOC(rd.src), d, DIAG_ERROR, rd.tok,
                          "the right half's direct pins do not have the left half's shape");
        }
        m->matrix_kind = CFG_MATRIX_DIRECT;
    } else {
        kb_diag(d, DIAG_ERROR, "no matrix: give matrix_pins.rows and matrix_pins.cols, or "
                          "matrix_pins.direct");
        goto done;
    }
    m->rows = (uint8_t)rows;
    m->cols = (uint8_t)cols;

    /* encoders */
    m->nencoders = 0;
    if (S.rotary.src >= 0) {
        const json_doc_t *doc = DOC(S.rotary.src);
        int n = json_size(doc, S.rotary.tok), i = 0;
        if (n > (int)CFG_MAX_ENCODERS) {
            json_diag(doc, d, DIAG_ERROR, S.rotary.tok,
                      "%d encoders; Kestrel's limit is %u", n, CFG_MAX_ENCODERS);
        } else {
            for (int e = json_first(doc, S.rotary.tok); e >= 0; e = json_next_elem(doc, e), i++) {
                cfg_encoder_t enc = {CFG_PIN_NONE, CFG_PIN_NONE, 4};
                if (!json_want(doc, e, JSON_OBJECT, "an encoder", d)) continue;
                int pa = json_get(doc, e, "pin_a"), pb = json_get(doc, e, "pin_b"),
                    rs = json_get(doc, e, "resolution");
                if (pa < 0 || pb < 0) {
                    json_diag(doc, d, DIAG_ERROR, e, "an encoder needs \"pin_a\" and \"pin_b\"");
                    continue;
                }
                if (parse_pin(doc, d, proc, pa, false, "pin_a", &enc.pin_a))
                    use_pin(d, proc, enc.pin_a, 0, (ref_t){S.rotary.src, pa}, "an encoder pin");
                if (parse_pin(doc, d, proc, pb, false, "pin_b", &enc.pin_b))
                    use_pin(d, proc, enc.pin_b, 0, (ref_t){S.rotary.src, pb}, "an encoder pin");
                if (rs >= 0) {
                    long v;
                    if (json_get_int(doc, rs, 1, 255, &v, "resolution", d)) enc.resolution = (uint8_t)v;
                }
                m->enc[i] = enc;
            }
            m->nencoders = (uint8_t)n;
        }
    }

    /* layouts: every one is checked, the selected one goes into the model */
    for (int i = 0; i < S.naliases; i++) {
        ref_t at = S.aliases[i].at;
        const char *target = resolve_alias(S.aliases[i].name, NULL);
        if (!cfg_ls_layout_find(target))
            json_diag(DOC(at.src), d, DIAG_ERROR, at.tok,
                      "layout alias %s points to %s, which is not a layout of this keyboard",
                      S.aliases[i].name, S.aliases[i].target);
    }
    if (S.nlayouts == 0) {
        kb_diag(d, DIAG_ERROR, "the keyboard defines no layouts");
        goto done;
    }
    for (int i = 0; i < S.nlayouts; i++) layout_keys(d, &S.layouts[i], rows, cols, true);

    const layout_def_t *sel = NULL;
    if (S.layout_sel.src >= 0) {
        const json_doc_t *doc = DOC(S.layout_sel.src);
        json_str(doc, S.layout_sel.tok, s, sizeof s);
        sel = cfg_ls_layout_find(resolve_alias(s, NULL));
        if (!sel) {
            char list[200] = "";
            for (int i = 0; i < S.nlayouts; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                         S.layouts[i].name);
            json_diag(doc, d, DIAG_ERROR, S.layout_sel.tok,
                      "layout %s does not exist in this keyboard (its layouts: %s)", s, list);
            goto done;
        }
    } else {
        sel = cfg_ls_layout_find(resolve_alias("LAYOUT", NULL));
        if (!sel) sel = &S.layouts[0];
    }
    cfg_ls_copy(S.layout_name, sizeof S.layout_name, sel->name);
    int n = layout_keys(d, sel, rows, cols, false);
    if (n < 0) goto done;
    m->nkeys = (uint16_t)n;
    memset(m->hand, CFG_HAND_ANY, sizeof m->hand);
    for (int i = 0; i < n; i++) {
        uint8_t p = (uint8_t)(lkeys[i].row * cols + lkeys[i].col);
        m->layout[i] = p;
        m->hand[p] = lkeys[i].hand;
        if (m->matrix_kind == CFG_MATRIX_DIRECT && m->direct_pins[p] == CFG_PIN_NONE)
            json_diag(DOC(lkeys[i].at.src), d, DIAG_WARNING, lkeys[i].at.tok,
                      "key %d of layout %s is at [%u, %u], which has no pin in matrix_pins.direct",
                      i, sel->name, lkeys[i].row, lkeys[i].col);
    }
    if (split)
        kb_diag(d, DIAG_WARNING, "split keyboard: Kestrel has no split transport yet; the image "
                                 "holds both halves' matrix but only the half with USB will work");
done:
    S.keyboard_ok = d->errors == errors;
    return S.keyboard_ok;
}

