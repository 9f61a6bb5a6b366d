/* The keymap half of the language: layers of keycode text, encoder maps and macros (compiled
 * to the byte code of docs/keymap-format.md), and the keymap file's top-level fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/json.h"
#include "config/keycode.h"
#include "config/load.h"
#include "config/load_internal.h"

int cfg_ls_kc_layer(kc_t kc)
{
    if (KC_IN(kc, QK_LAYER_TAP, QK_LAYER_TAP_MAX)) return QK_LAYER_TAP_GET_LAYER(kc);
    if (KC_IN(kc, QK_LAYER_MOD, QK_LAYER_MOD_MAX)) return QK_LAYER_MOD_GET_LAYER(kc);
    if (KC_IN(kc, QK_ONE_SHOT_MOD, QK_ONE_SHOT_MOD_MAX)) return -1;
    if (KC_IN(kc, QK_TO, QK_PERSISTENT_DEF_LAYER_MAX)) return QK_LAYER_GET(kc);
    return -1;
}

/* ---- macros: JSON -> byte code (docs/keymap-format.md) ----------------------------------------- */

enum { MOP_TAP = 1, MOP_DOWN = 2, MOP_UP = 3, MOP_DELAY = 4, MOP_BEEP = 5 };

static bool mac_put(actx_t *a, int t, const uint8_t *b, size_t n)
{
    cfg_model_t *m = a->m;
    if (m->macro_len + n > CFG_MAX_MACRO_BYTES) {
        ERR(a, t, "macros need more than %u bytes of byte code (Kestrel's limit)",
            CFG_MAX_MACRO_BYTES);
        return false;
    }
    memcpy(m->macro_bytes + m->macro_len, b, n);
    m->macro_len = (uint16_t)(m->macro_len + n);
    return true;
}

static bool macro_kc(actx_t *a, int t, kc_t *kc)
{
    char buf[64], pre[72];
    const json_doc_t *doc = a->doc;
    kc_parse_error_t e;
    if (json_type(doc, t) == JSON_STRING && json_str(doc, t, buf, sizeof buf)) {
        /* QMK's macro keycodes are written without KC_ ("LSFT", "A") */
        snprintf(pre, sizeof pre, "KC_%s", buf);
        if (strncmp(buf, "KC_", 3) && kc_parse(pre, strlen(pre), kc, &e)) goto got;
    }
    if (!cfg_ls_parse_kc(doc, a->d, t, kc, false)) return false;
got:
    if (*kc > QK_MODS_MAX) {
        ERR(a, t, "a macro can only press basic keycodes and modified keys (LCTL(KC_C)), not "
                  "0x%04X", *kc);
        return false;
    }
    return true;
}

#define MACRO_CHORD_MAX 16

/* Keys a macro presses ("down") and has not released ("up") yet, to warn about the ones it leaves
 * held: QMK leaves them held too, which is rarely what was meant. */
typedef struct macro_held {
    int n;
    kc_t kc[MACRO_CHORD_MAX];
    int tok[MACRO_CHORD_MAX];
} macro_held_t;

static void held_add(macro_held_t *h, kc_t kc, int tok)
{
    for (int i = 0; i < h->n; i++)
        if (h->kc[i] == kc) return;
    if (h->n < MACRO_CHORD_MAX) {
        h->kc[h->n] = kc;
        h->tok[h->n++] = tok;
    }
}

static void held_del(macro_held_t *h, kc_t kc)
{
    for (int i = 0; i < h->n; i++)
        if (h->kc[i] == kc) {
            h->kc[i] = h->kc[--h->n];
            h->tok[i] = h->tok[h->n];
            return;
        }
}

static bool macro_one(actx_t *a, int mt, int index)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, mt, JSON_ARRAY, "a macro", a->d)) return false;
    bool ok = true;
    macro_held_t held = {0, {0}, {0}};
    for (int e = json_first(doc, mt); e >= 0; e = json_next_elem(doc, e)) {
        if (json_type(doc, e) == JSON_STRING) {
            char text[1024];
            size_t rawn;
            const char *raw = json_raw(doc, e, &rawn);
            if (!json_str(doc, e, text, sizeof text)) {
                ERR(a, e, "macro text longer than %zu bytes", sizeof text - 1);
                ok = false;
                continue;
            }
            for (size_t i = 0; text[i]; i++) {
                unsigned char c = (unsigned char)text[i];
                if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7F)) continue;
                size_t off = (size_t)doc->tok[e].start;
                if (json_str_plain(doc, e)) {
                    const char *hit = memchr(raw, (int)c, rawn);
                    if (hit) off += (size_t)(hit - raw);
                }
                if (c >= 0x80)
                    json_diag_at(doc, a->d, DIAG_ERROR, off,
                                 "macro text must be US ASCII: this character cannot be typed "
                                 "(use a UC() keycode or the OS's input method for it)");
                else
                    json_diag_at(doc, a->d, DIAG_ERROR, off,
                                 "macro text holds control character 0x%02X (only \\n and \\t can "
                                 "be typed)", c);
                ok = false;
                break;
            }
            if (ok) ok &= mac_put(a, e, (const uint8_t *)text, strlen(text));
            continue;
        }
        if (json_type(doc, e) != JSON_OBJECT) {
            ERR(a, e, "a macro step must be text or an object such as {\"action\": \"tap\", "
                      "\"keycodes\": [\"LCTL\", \"C\"]}");
            ok = false;
            continue;
        }
        int act = json_get(doc, e, "action");
        char an[16] = "";
        if (act < 0 || json_type(doc, act) != JSON_STRING) {
            ERR(a, act >= 0 ? act : e, "a macro step needs \"action\": tap, down, up, delay or beep");
            ok = false;
            continue;
        }
        json_str(doc, act, an, sizeof an);
        if (!strcmp(an, "delay")) {
            int du = json_get(doc, e, "duration");
            long v;
            if (du < 0) {
                ERR(a, e, "a delay step needs \"duration\" (milliseconds)");
                ok = false;
            } else if (json_get_int(doc, du, 0, cfg_max_ms_for(a->m->processor) < 65535u ?
                                        (long)cfg_max_ms_for(a->m->processor) : 65535, &v,
                                    "duration", a->d)) { /* ATmega32U4: 16-bit time */
                uint8_t b[3] = {MOP_DELAY, (uint8_t)v, (uint8_t)(v >> 8)};
                ok &= mac_put(a, e, b, 3);
            } else {
                ok = false;
            }
        } else if (!strcmp(an, "beep")) {
            uint8_t b = MOP_BEEP;
            ok &= mac_put(a, e, &b, 1);
        } else if (!strcmp(an, "tap") || !strcmp(an, "down") || !strcmp(an, "up")) {
            uint8_t op = an[0] == 't' ? MOP_TAP : an[0] == 'd' ? MOP_DOWN : MOP_UP;
            int ks = json_get(doc, e, "keycodes");
            if (ks < 0 || !json_want(doc, ks, JSON_ARRAY, "\"keycodes\"", a->d)) {
                if (ks < 0) ERR(a, e, "a %s step needs \"keycodes\": [...]", an);
                ok = false;
                continue;
            }
            kc_t kcs[MACRO_CHORD_MAX];
            int toks[MACRO_CHORD_MAX], n = 0;
            bool kok = true;
            for (int k = json_first(doc, ks); k >= 0; k = json_next_elem(doc, k)) {
                kc_t kc;
                if (!macro_kc(a, k, &kc)) {
                    kok = false;
                    continue;
                }
                if (n == MACRO_CHORD_MAX) {
                    ERR(a, k, "a macro step holds at most %d keycodes", MACRO_CHORD_MAX);
                    kok = false;
                    break;
                }
                kcs[n] = kc;
                toks[n++] = k;
            }
            if (!kok) {
                ok = false;
                continue;
            }
            if (n == 0) {
                ERR(a, ks, "a %s step needs at least one keycode", an);
                ok = false;
                continue;
            }
            /* QMK (qmk/keymap.py): a tap of several keycodes is a chord: the others are held
             * down around a tap of the last one, and released in reverse order. */
            for (int i = 0; i < n; i++) {
                bool chord = op == MOP_TAP && n > 1;
                uint8_t o = chord ? (i == n - 1 ? MOP_TAP : MOP_DOWN) : op;
                uint8_t b[3] = {o, (uint8_t)kcs[i], (uint8_t)(kcs[i] >> 8)};
                ok &= mac_put(a, toks[i], b, 3);
                if (o == MOP_DOWN && !chord) held_add(&held, kcs[i], toks[i]);
                if (o == MOP_UP) held_del(&held, kcs[i]);
            }
            if (op == MOP_TAP && n > 1)
                for (int i = n - 1; i-- > 0;) {
                    uint8_t b[3] = {MOP_UP, (uint8_t)kcs[i], (uint8_t)(kcs[i] >> 8)};
                    ok &= mac_put(a, toks[i], b, 3);
                }
        } else {
            ERR(a, act, "unknown macro action \"%s\" (tap, down, up, delay or beep)", an);
            ok = false;
        }
    }
    (void)m;
    for (int i = 0; ok && i < held.n; i++) {
        char name[KC_FORMAT_MAX];
        kc_format(held.kc[i], name, sizeof name);
        WARN(a, held.tok[i], "macro %d presses %s (\"down\") and never releases it (\"up\"): the "
                             "key stays held after the macro", index, name);
    }
    return ok;
}

bool cfg_ls_macros(actx_t *a, int t)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "macros", a->d)) return false;
    int n = json_size(doc, t);
    if (n > (int)CFG_MAX_MACROS) {
        ERR(a, t, "%d macros; Kestrel's limit is %u", n, CFG_MAX_MACROS);
        return false;
    }
    bool ok = true;
    m->nmacros = 0;
    m->macro_len = 0;
    for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e)) {
        m->macro_off[m->nmacros] = m->macro_len;
        ok &= macro_one(a, e, m->nmacros);
        m->nmacros++;
        m->macro_off[m->nmacros] = m->macro_len;
    }
    return ok;
}

static bool check_unicode_kc(actx_t *a, int t, kc_t kc);

static bool check_layer_ref(actx_t *a, int t, kc_t kc)
{
    int l = cfg_ls_kc_layer(kc);
    if (l >= 0 && l >= a->m->layers) {
        size_t n;
        const char *r = json_raw(a->doc, t, &n);
        ERR(a, t, "%.*s refers to layer %d, but the keymap has %d layer%s (0-%d)", (int)n, r, l,
            a->m->layers, a->m->layers == 1 ? "" : "s", a->m->layers - 1);
        return false;
    }
    return true;
}

static bool keymap_layers(actx_t *a, int t)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "layers", a->d)) return false;
    int nl = json_size(doc, t);
    if (nl == 0) {
        ERR(a, t, "layers is empty (a keymap needs at least one layer)");
        return false;
    }
    if (nl > (int)CFG_MAX_LAYERS) {
        ERR(a, t, "%d layers; Kestrel's limit is %u", nl, CFG_MAX_LAYERS);
        return false;
    }
    if (!S.keyboard_ok || m->nkeys == 0) {
        json_diag(doc, a->d, DIAG_NOTE, t, "layers not checked: the keyboard has errors");
        return false;
    }
    if (nl > (int)cfg_max_layers_for(m->processor)) {
        ERR(a, t, "%d layers; the %s firmware keeps at most %u", nl,
            cfg_processor_name(m->processor), cfg_max_layers_for(m->processor));
        return false;
    }
    m->layers = (uint8_t)nl;
    memset(m->keymap, 0, sizeof m->keymap);
    bool ok = true;
    int l = 0;
    for (int lt = json_first(doc, t); lt >= 0; lt = json_next_elem(doc, lt), l++) {
        if (!json_want(doc, lt, JSON_ARRAY, "a layer", a->d)) {
            ok = false;
            continue;
        }
        int nk = json_size(doc, lt);
        if (nk != m->nkeys) {
            ERR(a, lt, "layer %d has %d keycodes, but layout %s has %u keys", l, nk,
                S.layout_name, m->nkeys);
            ok = false;
            continue;
        }
        int i = 0;
        for (int k = json_first(doc, lt); k >= 0; k = json_next_elem(doc, k), i++) {
            kc_t kc;
            if (!cfg_ls_parse_kc(doc, a->d, k, &kc, true)) {
                ok = false;
                continue;
            }
            ok &= check_layer_ref(a, k, kc);
            ok &= check_unicode_kc(a, k, kc);
            m->keymap[l][m->layout[i]] = kc;
        }
    }
    S.layers_from_json = true;
    return ok;
}

static bool keymap_encoders(actx_t *a, int t)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "encoders", a->d)) return false;
    int nl = json_size(doc, t);
    if (m->nencoders == 0) {
        ERR(a, t, "the keymap maps encoders, but the keyboard has none (encoder.rotary)");
        return false;
    }
    if (m->layers && nl > m->layers) {
        ERR(a, t, "encoders has %d layers, the keymap %d", nl, m->layers);
        return false;
    }
    for (int l = 0; l < (int)CFG_MAX_LAYERS; l++)
        for (int e = 0; e < (int)CFG_MAX_ENCODERS; e++)
            m->enc_map[l][e][0] = m->enc_map[l][e][1] = l < nl ? KC_NO : KC_TRANSPARENT;
    bool ok = true;
    int l = 0;
    for (int lt = json_first(doc, t); lt >= 0; lt = json_next_elem(doc, lt), l++) {
        if (!json_want(doc, lt, JSON_ARRAY, "an encoder layer", a->d)) {
            ok = false;
            continue;
        }
        if (json_size(doc, lt) != m->nencoders) {
            ERR(a, lt, "encoder layer %d has %d entries, the keyboard has %u encoder%s", l,
                json_size(doc, lt), m->nencoders, m->nencoders == 1 ? "" : "s");
            ok = false;
            continue;
        }
        int e = 0;
        for (int et = json_first(doc, lt); et >= 0; et = json_next_elem(doc, et), e++) {
            if (!json_want(doc, et, JSON_OBJECT, "an encoder entry", a->d)) {
                ok = false;
                continue;
            }
            for (int dir = 0; dir < 2; dir++) {
                int v = json_get(doc, et, dir ? "cw" : "ccw");
                kc_t kc;
                if (v < 0) {
                    ERR(a, et, "an encoder entry needs \"%s\"", dir ? "cw" : "ccw");
                    ok = false;
                } else if (cfg_ls_parse_kc(doc, a->d, v, &kc, true)) {
                    ok &= check_layer_ref(a, v, kc);
                    m->enc_map[l][e][dir] = kc;
                } else {
                    ok = false;
                }
            }
        }
    }
    return ok;
}

/* ---- unicode_map (Kestrel's form of QMK's unicode_map[] array) ------------------------------------ */

/* One UTF-8 character of s; returns its length (0: not one valid character). */
static int utf8_one(const unsigned char *s, uint32_t *cp)
{
    int n = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3 : (s[0] >> 3) == 30 ? 4 : 0;
    if (!n) return 0;
    uint32_t v = n == 1 ? s[0] : s[0] & (0x7Fu >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] >> 6) != 2) return 0;
        v = v << 6 | (s[i] & 0x3Fu);
    }
    *cp = v;
    return n;
}

static bool unicode_entry(actx_t *a, int t, uint32_t *out)
{
    const json_doc_t *doc = a->doc;
    long v;
    if (json_type(doc, t) == JSON_NUMBER) {
        if (!json_get_int(doc, t, 0, 0x10FFFF, &v, "a code point", a->d)) return false;
        *out = (uint32_t)v;
    } else if (json_type(doc, t) == JSON_STRING) {
        char buf[64];
        json_str(doc, t, buf, sizeof buf);
        uint32_t cp = 0;
        int n;
        if ((buf[0] == 'U' || buf[0] == 'u') && buf[1] == '+' && buf[2]) {
            size_t len = strlen(buf + 2);
            char *end;
            unsigned long x = strtoul(buf + 2, &end, 16);
            if (*end || len > 6 || x > 0x10FFFFul) {
                ERR(a, t, "'%s' is not a code point: U+ and 1-6 hex digits up to U+10FFFF", buf);
                return false;
            }
            cp = (uint32_t)x;
        } else if (!buf[0]) {
            ERR(a, t, "an empty string is not a character");
            return false;
        } else if ((n = utf8_one((const unsigned char *)buf, &cp)) == 0 || buf[n]) {
            ERR(a, t, "a unicode_map entry is one character (\"\u00e9\"), a code point (\"U+00E9\") "
                      "or a number; \"%s\" is more than one character", buf);
            return false;
        }
        *out = cp;
    } else {
        ERR(a, t, "a unicode_map entry is one character (\"\u00e9\"), a code point (\"U+00E9\") or a "
                  "number, not %s", json_type_name(json_type(doc, t)));
        return false;
    }
    if (*out >= 0xD800u && *out <= 0xDFFFu) {
        ERR(a, t, "U+%04X is a UTF-16 surrogate, not a character", (unsigned)*out);
        return false;
    }
    return true;
}

bool cfg_ls_unicode_map(actx_t *a, int t)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "unicode_map", a->d)) return false;
    int n = json_size(doc, t);
    if (n > (int)CFG_MAX_UNICODE_MAP) {
        ERR(a, t, "unicode_map has %d entries; Kestrel's limit is %u", n, CFG_MAX_UNICODE_MAP);
        return false;
    }
    bool ok = true;
    m->nunicode = 0;
    for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e)) {
        uint32_t cp = 0;
        ok &= unicode_entry(a, e, &cp);
        m->unicode_map[m->nunicode++] = cp;
    }
    S.unicode_map_tok = t;
    S.unicode_map_src = a->src;
    return ok;
}

/* UC and UM/UP share their keycodes (QMK builds one or the other): a keymap with a unicode_map
 * means UM/UP, one without means UC. Text says which the author meant. */
static bool check_unicode_kc(actx_t *a, int t, kc_t kc)
{
    if (kc < QK_UNICODE) return true;
    cfg_model_t *m = a->m;
    char buf[64];
    json_str(a->doc, t, buf, sizeof buf);
    const char *p = buf;
    while (*p == ' ') p++;
    bool uc = !strncmp(p, "UC(", 3) || !strncmp(p, "UC (", 4);
    bool um = !strncmp(p, "UM(", 3) || !strncmp(p, "UP(", 3) || !strncmp(p, "UM (", 4) ||
              !strncmp(p, "UP (", 4);
    if (m->nunicode && uc) {
        ERR(a, t, "UC() cannot be used in a keymap with a unicode_map (QMK's UNICODE and UNICODEMAP "
                  "exclude each other): add the code point to unicode_map and use UM()");
        return false;
    }
    if (!m->nunicode) {
        if (um) {
            ERR(a, t, "%.2s() needs a \"unicode_map\" in the keymap (the code points it refers to)", p);
            return false;
        }
        return true;
    }
    unsigned i = kc & 0x3FFFu, j = 0xFFFFu;
    if (kc >= QK_UNICODEMAP_PAIR) {
        i = kc & 0x7Fu;
        j = (kc >> 7) & 0x7Fu;
    }
    if (i >= m->nunicode || (j != 0xFFFFu && j >= m->nunicode)) {
        ERR(a, t, "%s refers to unicode_map entry %u, but the map has %u entr%s (0-%u)", buf,
            i >= m->nunicode ? i : j, m->nunicode, m->nunicode == 1 ? "y" : "ies", m->nunicode - 1u);
        return false;
    }
    return true;
}

/* ---- leader_sequences (Kestrel's form of QMK's leader_end_user()) ----------------------------------- */

bool cfg_ls_leader(actx_t *a, int t)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "leader_sequences", a->d)) return false;
    int n = json_size(doc, t);
    if (n > (int)CFG_MAX_LEADER) {
        ERR(a, t, "%d leader sequences; Kestrel's limit is %u", n, CFG_MAX_LEADER);
        return false;
    }
    bool ok = true, strict = m->settings[CFG_LEADER_STRICT_PROCESSING] != 0;
    m->nleader = 0;
    int idx = 0;
    for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e), idx++) {
        if (!json_want(doc, e, JSON_OBJECT, "a leader sequence", a->d)) {
            ok = false;
            continue;
        }
        cfg_leader_seq_t ls;
        memset(&ls, 0, sizeof ls);
        bool eok = true;
        for (int k = json_first(doc, e); k >= 0; k = json_next_member(doc, k))
            if (!json_str_eq(doc, k, "sequence") && !json_str_eq(doc, k, "result")) {
                char key[40];
                json_str(doc, k, key, sizeof key);
                WARN(a, k, "unknown field '%s' in a leader sequence (sequence, result), ignored", key);
            }
        int sq = json_get(doc, e, "sequence"), res = json_get(doc, e, "result");
        if (sq < 0 || res < 0) {
            ERR(a, e, "a leader sequence needs \"sequence\": [keycodes] and \"result\": a keycode");
            ok = false;
            continue;
        }
        if (!json_want(doc, sq, JSON_ARRAY, "\"sequence\"", a->d)) {
            ok = false;
            continue;
        }
        int nk = json_size(doc, sq);
        if (nk == 0 || nk > 5) {
            ERR(a, sq, "a leader sequence has 1 to 5 keys (QMK's limit), not %d", nk);
            ok = false;
            continue;
        }
        int i = 0;
        for (int k = json_first(doc, sq); k >= 0; k = json_next_elem(doc, k), i++) {
            kc_t kc;
            if (!cfg_ls_parse_kc(doc, a->d, k, &kc, false)) {
                eok = false;
                continue;
            }
            if (kc == KC_NO || kc == KC_TRNS) {
                ERR(a, k, "KC_NO and KC_TRNS cannot be part of a leader sequence");
                eok = false;
            } else if (cfg_ls_kc_dual_role(kc) && !strict) {
                char tapname[KC_FORMAT_MAX];
                kc_format((kc_t)(kc & 0xFFu), tapname, sizeof tapname);
                WARN(a, k, "this key never matches: without leader_key.strict_processing the leader "
                           "records a dual-role key as its tap keycode (write %s)", tapname);
            }
            ls.seq[i] = kc;
        }
        if (!cfg_ls_parse_kc(doc, a->d, res, &ls.result, true)) eok = false;
        else if (ls.result == QK_LEADER) {
            ERR(a, res, "a leader sequence cannot result in QK_LEAD");
            eok = false;
        } else if (ls.result == KC_NO || ls.result == KC_TRNS) {
            ERR(a, res, "a leader sequence's result must do something (not KC_NO or KC_TRNS)");
            eok = false;
        } else {
            eok &= check_layer_ref(a, res, ls.result);
            eok &= check_unicode_kc(a, res, ls.result);
        }
        for (int j = 0; eok && j < m->nleader; j++)
            if (!memcmp(m->leader[j].seq, ls.seq, sizeof ls.seq)) {
                ERR(a, sq, "the same sequence as leader_sequences entry %d", j);
                eok = false;
            }
        if (eok) m->leader[m->nleader++] = ls;
        ok &= eok;
    }
    return ok;
}

/* Kestrel's top-level extensions, in the order they are applied (tap dances before the combos
 * whose results may use them). */
static const struct {
    const char *name;
    bool (*fn)(actx_t *a, int t);
} extensions[] = {
    {"tap_dances", cfg_ls_tap_dances},
    {"combos", cfg_ls_combos},
};
#define NEXTENSIONS (int)(sizeof extensions / sizeof extensions[0])

static int extension_index(const char *name)
{
    for (int i = 0; i < NEXTENSIONS; i++)
        if (!strcmp(extensions[i].name, name)) return i;
    return -1;
}

bool cfg_ls_extension(actx_t *a, const char *name, int t, bool *ok)
{
    int i = extension_index(name);
    if (i < 0) return false;
    *ok = extensions[i].fn(a, t);
    return true;
}

bool cfg_ls_keymap(cfg_model_t *m, int src, diag_t *d)
{
    int errors = d->errors;
    if (src < 0) return false;
    actx_t a = {m, d, src, DOC(src), false};
    const json_doc_t *doc = a.doc;
    if (!json_want(doc, 0, JSON_OBJECT, "a keymap", d)) return false;
    int layers = -1, encoders = -1, macros = -1, leader = -1, umap = -1, overrides = -1, cancels = -1;
    int ext[NEXTENSIONS];
    for (int i = 0; i < NEXTENSIONS; i++) ext[i] = -1;
    for (int k = json_first(doc, 0); k >= 0; k = json_next_member(doc, k)) {
        int v = k + 1;
        char key[LS_NAME];
        json_str(doc, k, key, sizeof key);
        if (extension_index(key) >= 0) ext[extension_index(key)] = v;
        else if (!strcmp(key, "layers")) layers = v;
        else if (!strcmp(key, "encoders")) encoders = v;
        else if (!strcmp(key, "macros")) macros = v;
        else if (!strcmp(key, "leader_sequences")) leader = v;
        else if (!strcmp(key, "unicode_map")) umap = v;
        else if (!strcmp(key, "key_overrides")) overrides = v;
        else if (!strcmp(key, "key_cancellation")) cancels = v;
        else if (!strcmp(key, "layout")) cfg_ls_set_ref(&a, &S.layout_sel, v, JSON_STRING, "layout");
        else if (!strcmp(key, "config")) {
            if (json_want(doc, v, JSON_OBJECT, "config", d)) cfg_ls_apply_root(&a, v);
        } else if (!strcmp(key, "keymap")) {
            if (json_want(doc, v, JSON_STRING, "keymap", d))
                json_str(doc, v, m->keymap_name, sizeof m->keymap_name);
        } else if (!strcmp(key, "keyboard") || !strcmp(key, "version") || !strcmp(key, "author") ||
                   !strcmp(key, "notes") || !strcmp(key, "documentation") ||
                   !strcmp(key, "converter") || !strcmp(key, "host_language") ||
                   !strcmp(key, "keycodes") || !strcmp(key, "modules")) {
            /* bookkeeping of QMK's tools; nothing for the keyboard */
        } else {
            json_diag(doc, d, DIAG_WARNING, k, "unknown keymap field '%s', ignored", key);
        }
    }
    if (S.dirty) cfg_ls_build_keyboard(m, d);
    if (macros >= 0) cfg_ls_macros(&a, macros);
    if (umap >= 0) cfg_ls_unicode_map(&a, umap);
    if (layers >= 0) keymap_layers(&a, layers);
    else json_diag(doc, d, DIAG_ERROR, 0, "the keymap has no \"layers\"");
    if (leader >= 0) cfg_ls_leader(&a, leader);
    if (encoders >= 0 && S.keyboard_ok) keymap_encoders(&a, encoders);
    /* after the layers: an override's layers are checked against them */
    if (overrides >= 0) cfg_ls_key_overrides(&a, "key_overrides", overrides);
    if (cancels >= 0) cfg_ls_key_cancellation(&a, "key_cancellation", cancels);
    for (int i = 0; i < NEXTENSIONS; i++)
        if (ext[i] >= 0 && m->layers) extensions[i].fn(&a, ext[i]);
    return d->errors == errors;
}

