/* Config image -> keyboard.json + keymap.json (docs/keymap-format.md), written with the same names
 * the loader reads, so that the files load back into the same image. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config/keycode.h"
#include "config/load.h"
#include "drive/cfgjson.h"

typedef struct out {
    char *p;
    size_t cap, n;
    bool bad;
    bool umap; /* the image has a unicode map: 0x8000.. are UM()/UP() indexes, not UC() */
} out_t;

static void put(out_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(out_t *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(o->n < o->cap ? o->p + o->n : NULL, o->n < o->cap ? o->cap - o->n : 0, fmt, ap);
    va_end(ap);
    if (k < 0) o->bad = true;
    else o->n += (size_t)k;
}

static void put_str(out_t *o, const char *s)
{
    put(o, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') put(o, "\\%c", c);
        else if (c == '\n') put(o, "\\n");
        else if (c == '\t') put(o, "\\t");
        else if (c < 0x20) put(o, "\\u%04x", c);
        else put(o, "%c", c);
    }
    put(o, "\"");
}

static void put_kc(out_t *o, kc_t kc)
{
    if (o->umap && kc >= QK_UNICODEMAP_PAIR) {
        put(o, "\"UP(%u,%u)\"", (unsigned)(kc & 0x7Fu), (unsigned)((kc >> 7) & 0x7Fu));
        return;
    }
    if (o->umap && kc >= QK_UNICODEMAP) {
        put(o, "\"UM(%u)\"", (unsigned)(kc & 0x3FFFu));
        return;
    }
    char t[KC_FORMAT_MAX];
    kc_format(kc, t, sizeof t);
    put_str(o, t);
}

static size_t finish(out_t *o)
{
    if (o->bad || o->n >= o->cap) return 0;
    o->p[o->n] = 0;
    return o->n;
}

static void put_pin(out_t *o, uint8_t proc, uint8_t pin)
{
    if (pin == CFG_PIN_NONE) put(o, "null");
    else if (proc == CFG_PROC_ATMEGA32U4) put(o, "\"%c%u\"", 'A' + (pin >> 3), pin & 7u);
    else put(o, "\"GP%u\"", pin);
}

/* The i-th NUL-terminated string of the STRINGS section ("" when absent). */
static const char *cfg_string(const cfg_t *c, unsigned i)
{
    uint16_t n, len;
    const uint8_t *s = cfg_section(c, CFG_SEC_STRINGS, &n, &len);
    if (!s) return "";
    const uint8_t *end = s + len;
    for (; i && s < end; i--) {
        while (s < end && *s) s++;
        s++;
    }
    return s < end ? (const char *)s : "";
}

/* A grid whose row pins repeat between the two halves was written as a split keyboard (QMK's
 * convention: right half rows follow the left half's); a plain grid could not repeat a pin. */
static bool split_rows(const cfg_t *c, const uint8_t *pins)
{
    unsigned r = c->rows;
    if (r % 2u) return false;
    for (unsigned a = 0; a < r; a++)
        for (unsigned b = a + 1; b < r; b++)
            if (pins[a] == pins[b]) return true;
    return false;
}

size_t cfgjson_keyboard(const cfg_t *c, char *buf, size_t cap)
{
    out_t o = {buf, cap, 0, false, false};
    uint8_t proc = cfg_info8(c, CFG_INFO_PROCESSOR), kind = cfg_info8(c, CFG_INFO_MATRIX_KIND);
    const char *pname = cfg_processor_name(proc), *bname = cfg_bootloader_name(cfg_info8(c, CFG_INFO_BOOTLOADER));
    const char *board = cfg_dev_board_name(cfg_info8(c, CFG_INFO_DEV_BOARD));
    uint16_t n, len;
    const uint8_t *pins = cfg_section(c, CFG_SEC_PINS, &n, &len);
    if (!pname || !pins) return 0;

    put(&o, "{\n    \"keyboard_name\": ");
    put_str(&o, cfg_string(c, 0));
    put(&o, ",\n    \"manufacturer\": ");
    put_str(&o, cfg_string(c, 1));
    put(&o, ",\n    \"processor\": \"%s\"", pname);
    if (bname) put(&o, ",\n    \"bootloader\": \"%s\"", bname);
    if (board) put(&o, ",\n    \"development_board\": \"%s\"", board);
    uint16_t bcd = cfg_info16(c, CFG_INFO_BCD);
    put(&o, ",\n    \"usb\": {\"vid\": \"0x%04X\", \"pid\": \"0x%04X\", \"device_version\": \"%u.%u.%u\", "
            "\"polling_interval\": %u, \"max_power\": %u}",
        cfg_info16(c, CFG_INFO_VID), cfg_info16(c, CFG_INFO_PID),
        (unsigned)((bcd >> 12) * 10u + ((bcd >> 8) & 15u)), (unsigned)((bcd >> 4) & 15u),
        (unsigned)(bcd & 15u), cfg_info8(c, CFG_INFO_POLL_MS), 2u * cfg_info8(c, CFG_INFO_MAX_POWER));
    if ((bcd >> 12) > 9u || ((bcd >> 8) & 15u) > 9u || ((bcd >> 4) & 15u) > 9u || (bcd & 15u) > 9u)
        return 0; /* not a BCD the loader could have made */

    unsigned rows = c->rows, cols = c->cols;
    bool split = false;
    put(&o, ",\n    \"matrix_pins\": {");
    if (kind == CFG_MATRIX_DIRECT) {
        put(&o, "\n        \"direct\": [");
        for (unsigned r = 0; r < rows; r++) {
            put(&o, "%s\n            [", r ? "," : "");
            for (unsigned k = 0; k < cols; k++) {
                if (k) put(&o, ", ");
                put_pin(&o, proc, pins[r * cols + k]);
            }
            put(&o, "]");
        }
        put(&o, "\n        ]");
    } else {
        split = split_rows(c, pins);
        unsigned nr = split ? rows / 2u : rows;
        put(&o, "\n        \"rows\": [");
        for (unsigned r = 0; r < nr; r++) {
            if (r) put(&o, ", ");
            put_pin(&o, proc, pins[r]);
        }
        put(&o, "],\n        \"cols\": [");
        for (unsigned k = 0; k < cols; k++) {
            if (k) put(&o, ", ");
            put_pin(&o, proc, pins[rows + k]);
        }
        put(&o, "]");
    }
    put(&o, ",\n        \"io_delay\": %u\n    }", cfg_info16(c, CFG_INFO_IO_DELAY));
    if (split) {
        put(&o, ",\n    \"split\": {\"enabled\": true, \"matrix_pins\": {\"right\": {\"rows\": [");
        for (unsigned r = rows / 2u; r < rows; r++) {
            if (r > rows / 2u) put(&o, ", ");
            put_pin(&o, proc, pins[r]);
        }
        put(&o, "]}}}");
    }
    put(&o, ",\n    \"diode_direction\": \"%s\"",
        cfg_info8(c, CFG_INFO_DIODE) == CFG_ROW2COL ? "ROW2COL" : "COL2ROW");
    if (cfg_info8(c, CFG_INFO_FLAGS) & CFG_FLAG_DRIVE_HIDDEN) put(&o, ",\n    \"drive\": {\"hidden\": true}");

    const uint8_t *enc = cfg_section(c, CFG_SEC_ENCODERS, &n, &len);
    if (enc && n) {
        const uint8_t *ep = enc + (size_t)c->layers * n * 4u;
        put(&o, ",\n    \"encoder\": {\"rotary\": [");
        for (unsigned e = 0; e < n; e++) {
            put(&o, "%s\n        {\"pin_a\": ", e ? "," : "");
            put_pin(&o, proc, ep[4 * e]);
            put(&o, ", \"pin_b\": ");
            put_pin(&o, proc, ep[4 * e + 1]);
            put(&o, ", \"resolution\": %u}", ep[4 * e + 2]);
        }
        put(&o, "\n    ]}");
    }

    const uint8_t *lay = cfg_section(c, CFG_SEC_LAYOUT, &n, &len);
    put(&o, ",\n    \"layouts\": {\n        \"LAYOUT\": {\n            \"layout\": [");
    for (unsigned k = 0; lay && k < n; k++) {
        uint8_t pos = lay[k];
        unsigned r = pos / cols, col = pos % cols;
        put(&o, "%s\n                {\"matrix\": [%u, %u], \"x\": %u, \"y\": %u", k ? "," : "", r, col, col, r);
        uint8_t h = cfg_hand(c, pos);
        if (h != CFG_HAND_ANY) put(&o, ", \"hand\": \"%s\"", h == CFG_HAND_LEFT ? "L" : "R");
        put(&o, "}");
    }
    put(&o, "\n            ]\n        }\n    }\n}\n");
    return finish(&o);
}

/* Nested objects for dotted names: the objects open now, outermost first. Names that share a
 * prefix share its objects when they come one after the other. */
typedef struct nest {
    char seg[4][24];
    unsigned n;
    bool first; /* nothing written yet in the innermost open object */
} nest_t;

static void nest_to(out_t *o, nest_t *ns, const char *name)
{
    char segs[5][24];
    unsigned k = 0;
    for (const char *s = name; k < 5;) {
        const char *dot = strchr(s, '.');
        size_t l = dot ? (size_t)(dot - s) : strlen(s);
        if (l >= sizeof segs[0]) l = sizeof segs[0] - 1;
        memcpy(segs[k], s, l);
        segs[k++][l] = 0;
        if (!dot) break;
        s = dot + 1;
    }
    unsigned parents = k - 1, common = 0;
    while (common < ns->n && common < parents && !strcmp(ns->seg[common], segs[common])) common++;
    for (; ns->n > common; ns->n--) {
        put(o, "}");
        ns->first = false;
    }
    for (unsigned j = common; j < parents && ns->n < 4; j++) {
        put(o, "%s\"%s\": {", ns->first ? "" : ns->n ? ", " : ",\n        ", segs[j]);
        memcpy(ns->seg[ns->n++], segs[j], sizeof segs[j]);
        ns->first = true;
    }
    put(o, "%s\"%s\": ", ns->first ? "" : ns->n ? ", " : ",\n        ", segs[k - 1]);
    ns->first = false;
}

static void put_perkey(out_t *o, const cfg_t *c)
{
    uint16_t n, len;
    const uint8_t *pk = cfg_section(c, CFG_SEC_PERKEY, &n, &len);
    put(o, "{");
    for (unsigned i = 0; i < n;) {
        kc_t kc = cfg_rd16(pk + 6u * i);
        put(o, "%s\n            ", i ? "," : "");
        put_kc(o, kc);
        put(o, ": {");
        unsigned j = i;
        for (; j < n && cfg_rd16(pk + 6u * j) == kc; j++) {
            const char *pn = cfg_perkey_name(pk[6u * j + 2]);
            char val[40];
            if (!pn || !cfg_setting_json(pk[6u * j + 2], cfg_rd16(pk + 6u * j + 4), val, sizeof val)) {
                o->bad = true;
                return;
            }
            put(o, "%s\"%s\": %s", j > i ? ", " : "", pn, val);
        }
        put(o, "}");
        i = j;
    }
    put(o, "\n        }");
}

/* The `config` block: settings that differ from their defaults, nested by their dotted names
 * (the settings table keeps names with a common prefix together), and tapping.per_key right after
 * the last tapping setting. */
static void put_settings(out_t *o, const cfg_t *c)
{
    static const char *const names[CFG_SETTING_COUNT] = {
#define X_NAME(id, name, def) name,
        CFG_SETTINGS(X_NAME)
#undef X_NAME
    };
    uint16_t npk, len;
    bool perkey = cfg_section(c, CFG_SEC_PERKEY, &npk, &len) && npk;
    unsigned last_tapping = 0;
    for (unsigned i = 0; i < CFG_SETTING_COUNT; i++)
        if (!strncmp(names[i], "tapping.", 8)) last_tapping = i;
    /* settings of one block ("caps_word.*") are not all next to each other in the id list (later
     * issues appended theirs): write each block once, its settings in id order */
    uint8_t order[CFG_SETTING_COUNT], no = 0;
    bool placed[CFG_SETTING_COUNT] = {false};
    for (unsigned i = 0; i < CFG_SETTING_COUNT; i++) {
        if (placed[i]) continue;
        size_t plen = strcspn(names[i], ".");
        for (unsigned j = i; j < CFG_SETTING_COUNT; j++)
            if (!placed[j] && strcspn(names[j], ".") == plen && !strncmp(names[i], names[j], plen)) {
                placed[j] = true;
                order[no++] = (uint8_t)j;
            }
    }
    nest_t ns = {.n = 0, .first = true};
    bool any = false;
    for (unsigned oi = 0; oi < CFG_SETTING_COUNT; oi++) {
        unsigned i = order[oi];
        uint16_t v = cfg_setting(c, (enum cfg_setting_id)i);
        if (v != cfg_setting_default((enum cfg_setting_id)i)) {
            char val[40];
            if (!cfg_setting_json(i, v, val, sizeof val)) {
                o->bad = true;
                return;
            }
            if (!any) put(o, "\n        ");
            any = true;
            nest_to(o, &ns, names[i]);
            put(o, "%s", val);
        }
        if (i == last_tapping && perkey) {
            if (!any) put(o, "\n        ");
            any = true;
            nest_to(o, &ns, "tapping.per_key");
            put_perkey(o, c);
        }
    }
    for (; ns.n; ns.n--) put(o, "}");
    if (any) put(o, "\n    ");
}

static void put_macro(out_t *o, const uint8_t *m, const uint8_t *end)
{
    put(o, "[");
    bool first = true, in_text = false;
    while (m < end) {
        uint8_t b = *m;
        int ch = cfg_macro_char(b); /* typed keys back to text (core/cfg.h, CFG_MOP_*) */
        if (ch >= 0) {
            b = (uint8_t)ch;
            if (!in_text) {
                put(o, "%s\"", first ? "" : ", ");
                in_text = true;
                first = false;
            }
            if (b == '"' || b == '\\') put(o, "\\%c", b);
            else if (b == 0x0A) put(o, "\\n");
            else if (b == 0x09) put(o, "\\t");
            else put(o, "%c", b);
            m++;
            continue;
        }
        if (in_text) {
            put(o, "\"");
            in_text = false;
        }
        put(o, "%s", first ? "" : ", ");
        first = false;
        if (b <= CFG_MOP_UP && end - m >= 3) {
            uint16_t v = (uint16_t)(m[1] | m[2] << 8);
            if (b == CFG_MOP_DELAY) {
                put(o, "{\"action\": \"delay\", \"duration\": %u}", v);
            } else {
                put(o, "{\"action\": \"%s\", \"keycodes\": [", b == 1 ? "tap" : b == 2 ? "down" : "up");
                put_kc(o, v);
                put(o, "]}");
            }
            m += 3;
        } else if (b == CFG_MOP_BEEP) {
            put(o, "{\"action\": \"beep\"}");
            m++;
        } else {
            o->bad = true; /* byte code the loader does not make */
            return;
        }
    }
    if (in_text) put(o, "\"");
    put(o, "]");
}

/* "combos" and "tap_dances" (docs/keymap-format.md), with only the fields that differ from their
 * defaults, so the loader rebuilds the same entries. */
static void put_combos(out_t *o, const cfg_t *c)
{
    uint16_t n, len;
    const uint8_t *cb = cfg_section(c, CFG_SEC_COMBOS, &n, &len);
    if (cb && n && len == n * CFG_CB_SIZE) {
        put(o, ",\n    \"combos\": [");
        for (unsigned i = 0; i < n; i++) {
            const uint8_t *e = cb + (size_t)i * CFG_CB_SIZE;
            put(o, "%s\n        {\"keys\": [", i ? "," : "");
            for (unsigned k = 0; k < e[CFG_CB_NKEYS] && k < CFG_COMBO_KEYS_MAX; k++)
                put(o, "%s[%u, %u]", k ? ", " : "", e[CFG_CB_KEYS + k] / c->cols, e[CFG_CB_KEYS + k] % c->cols);
            put(o, "], \"result\": ");
            put_kc(o, cfg_rd16(e + CFG_CB_RESULT));
            if (cfg_rd16(e + CFG_CB_TERM)) put(o, ", \"term\": %u", cfg_rd16(e + CFG_CB_TERM));
            uint32_t layers = cfg_rd32(e + CFG_CB_LAYERS);
            if (layers != 0xFFFFFFFFu) {
                put(o, ", \"layers\": [");
                for (unsigned l = 0, first = 1; l < 32; l++)
                    if (layers >> l & 1u) {
                        put(o, "%s%u", first ? "" : ", ", l);
                        first = 0;
                    }
                put(o, "]");
            }
            if (cfg_rd16(e + CFG_CB_IDLE)) put(o, ", \"require_prior_idle\": %u", cfg_rd16(e + CFG_CB_IDLE));
            if (e[CFG_CB_FLAGS] & CFG_CB_SLOW_RELEASE) put(o, ", \"slow_release\": true");
            put(o, "}");
        }
        put(o, "\n    ]");
    }
    static const char *const names[] = {"on_tap", "on_hold", "on_double_tap", "on_tap_hold"};
    const uint8_t *td = cfg_section(c, CFG_SEC_TAP_DANCES, &n, &len);
    if (td && n && len == n * CFG_TAP_DANCE_SIZE) {
        put(o, ",\n    \"tap_dances\": [");
        for (unsigned i = 0; i < n; i++) {
            const uint8_t *e = td + (size_t)i * CFG_TAP_DANCE_SIZE;
            put(o, "%s\n        {", i ? "," : "");
            const char *sep = "";
            for (unsigned f = 0; f < 4; f++)
                if (cfg_rd16(e + 2u * f)) {
                    put(o, "%s\"%s\": ", sep, names[f]);
                    put_kc(o, cfg_rd16(e + 2u * f));
                    sep = ", ";
                }
            if (cfg_rd16(e + CFG_TD_TERM)) put(o, "%s\"term\": %u", sep, cfg_rd16(e + CFG_TD_TERM));
            put(o, "}");
        }
        put(o, "\n    ]");
    }
}

/* "leader_sequences" and "unicode_map" (docs/keymap-format.md): sequences with their unused
 * slots left out, code points as "U+XXXX" (the loader reads every form back to the same value). */
static void put_sequences(out_t *o, const cfg_t *c)
{
    uint16_t n, len;
    const uint8_t *ld = cfg_section(c, CFG_SEC_LEADER, &n, &len);
    if (ld && n && len == n * 12u) {
        put(o, ",\n    \"leader_sequences\": [");
        for (unsigned i = 0; i < n; i++) {
            const uint8_t *e = ld + (size_t)i * 12u;
            put(o, "%s\n        {\"sequence\": [", i ? "," : "");
            for (unsigned k = 0, first = 1; k < 5; k++)
                if (cfg_rd16(e + 2u * k)) {
                    put(o, "%s", first ? "" : ", ");
                    put_kc(o, cfg_rd16(e + 2u * k));
                    first = 0;
                }
            put(o, "], \"result\": ");
            put_kc(o, cfg_rd16(e + 10));
            put(o, "}");
        }
        put(o, "\n    ]");
    }
    const uint8_t *um = cfg_section(c, CFG_SEC_UNICODE_MAP, &n, &len);
    if (um && n && len == n * 3u) {
        put(o, ",\n    \"unicode_map\": [");
        for (unsigned i = 0; i < n; i++) {
            uint32_t cp = (uint32_t)um[3 * i] | (uint32_t)um[3 * i + 1] << 8 | (uint32_t)um[3 * i + 2] << 16;
            put(o, "%s%s\"U+%04lX\"", i ? ", " : "", i % 8 ? "" : "\n        ", (unsigned long)cp);
        }
        put(o, "\n    ]");
    }
}

/* "key_overrides" and "key_cancellation" (docs/keymap-format.md): mods as report-bit numbers,
 * layers and options only when they are not the defaults, so the loader rebuilds the same entries. */
static void put_modifiers(out_t *o, const cfg_t *c)
{
    static const char *const options[6] = {
        "activation_trigger_down", "activation_required_mod_down", "activation_negative_mod_up",
        "one_mod", "no_reregister_trigger", "no_unregister_on_other_key_down"};
    uint16_t n, len;
    const uint8_t *ko = cfg_section(c, CFG_SEC_KEY_OVERRIDES, &n, &len);
    if (ko && n && len == n * CFG_KO_SIZE) {
        put(o, ",\n    \"key_overrides\": [");
        for (unsigned i = 0; i < n; i++) {
            const uint8_t *e = ko + (size_t)i * CFG_KO_SIZE;
            put(o, "%s\n        {\"trigger\": ", i ? "," : "");
            put_kc(o, cfg_rd16(e));
            put(o, ", \"replacement\": ");
            put_kc(o, cfg_rd16(e + 2));
            put(o, ", \"trigger_mods\": %u, \"negative_mods\": %u, \"suppressed_mods\": %u", e[8], e[9], e[10]);
            uint32_t layers = cfg_rd32(e + 4);
            if (layers != 0xFFFFFFFFu) {
                put(o, ", \"layers\": [");
                for (unsigned l = 0, first = 1; l < 32; l++)
                    if (layers >> l & 1u) {
                        put(o, "%s%u", first ? "" : ", ", l);
                        first = 0;
                    }
                put(o, "]");
            }
            if ((e[11] & 0x3Fu) != CFG_KO_DEFAULT) {
                put(o, ", \"options\": [");
                for (unsigned b = 0, first = 1; b < 6; b++)
                    if (e[11] >> b & 1u) {
                        put(o, "%s\"%s\"", first ? "" : ", ", options[b]);
                        first = 0;
                    }
                put(o, "]");
            }
            if (!(e[11] & CFG_KO_ENABLED)) put(o, ", \"enabled\": false");
            put(o, "}");
        }
        put(o, "\n    ]");
    }
    const uint8_t *kc = cfg_section(c, CFG_SEC_KEY_CANCEL, &n, &len);
    if (kc && n && len == n * CFG_KEY_CANCEL_SIZE) {
        put(o, ",\n    \"key_cancellation\": [");
        for (unsigned i = 0; i < n; i++) {
            const uint8_t *e = kc + (size_t)i * CFG_KEY_CANCEL_SIZE;
            put(o, "%s\n        {\"keys\": [", i ? "," : "");
            put_kc(o, cfg_rd16(e));
            put(o, ", ");
            put_kc(o, cfg_rd16(e + 2));
            put(o, "]%s}", e[4] == CFG_KEY_CANCEL_NEUTRAL ? ", \"mode\": \"neutral\"" : "");
        }
        put(o, "\n    ]");
    }
}

size_t cfgjson_keymap(const cfg_t *c, char *buf, size_t cap)
{
    out_t o = {buf, cap, 0, false, false};
    uint16_t nmap, lmap;
    o.umap = cfg_section(c, CFG_SEC_UNICODE_MAP, &nmap, &lmap) && nmap;
    uint16_t nkeys, len;
    const uint8_t *lay = cfg_section(c, CFG_SEC_LAYOUT, &nkeys, &len);
    put(&o, "{\n    \"version\": 1,\n    \"keyboard\": ");
    put_str(&o, cfg_string(c, 0));
    put(&o, ",\n    \"keymap\": ");
    put_str(&o, cfg_string(c, 2));
    put(&o, ",\n    \"layout\": \"LAYOUT\",\n    \"config\": {");
    put_settings(&o, c);
    put(&o, "},\n    \"layers\": [");
    for (unsigned l = 0; l < c->layers; l++) {
        put(&o, "%s\n        [", l ? "," : "");
        int row = -1;
        for (unsigned k = 0; lay && k < nkeys; k++) {
            uint8_t pos = lay[k];
            /* one line per matrix row, so the file reads like the keyboard */
            if ((int)(pos / c->cols) != row) {
                row = pos / c->cols;
                put(&o, "%s\n            ", k ? "," : "");
            } else {
                put(&o, ", ");
            }
            put_kc(&o, cfg_keycode(c, (uint8_t)l, pos));
        }
        put(&o, "\n        ]");
    }
    put(&o, "\n    ]");

    uint16_t n;
    const uint8_t *enc = cfg_section(c, CFG_SEC_ENCODERS, &n, &len);
    if (enc && n) {
        put(&o, ",\n    \"encoders\": [");
        for (unsigned l = 0; l < c->layers; l++) {
            put(&o, "%s\n        [", l ? "," : "");
            for (unsigned e = 0; e < n; e++) {
                const uint8_t *p = enc + 4u * ((size_t)l * n + e);
                put(&o, "%s{\"ccw\": ", e ? ", " : "");
                put_kc(&o, cfg_rd16(p));
                put(&o, ", \"cw\": ");
                put_kc(&o, cfg_rd16(p + 2));
                put(&o, "}");
            }
            put(&o, "]");
        }
        put(&o, "\n    ]");
    }

    const uint8_t *mac = cfg_section(c, CFG_SEC_MACROS, &n, &len);
    if (mac && n) {
        put(&o, ",\n    \"macros\": [");
        for (unsigned i = 0; i < n; i++) {
            uint16_t a = cfg_rd16(mac + 2u * i), b = cfg_rd16(mac + 2u * i + 2u);
            if (a > b || b > len) return 0;
            put(&o, "%s\n        ", i ? "," : "");
            put_macro(&o, mac + a, mac + b);
        }
        put(&o, "\n    ]");
    }
    put_combos(&o, c);
    put_modifiers(&o, c);
    put_sequences(&o, c);
    put(&o, "\n}\n");
    return finish(&o);
}
