/* The modifier behaviours' part of the keymap language (Kestrel extensions, docs/keymap-format.md):
 * "key_overrides" (QMK's key_override_t fields), "key_cancellation" (SOCD pairs), the value of
 * grave_esc.override, and the checks that need the whole keymap (tri-layer layers, override
 * layers). Every error points at the offending token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/json.h"
#include "config/keycode.h"
#include "config/load_internal.h"

/* ---- modifier masks as report bits ------------------------------------------------------------ */

static const struct {
    const char *name;
    uint8_t bits;
} mod_names[] = {
    {"MOD_LCTL", 0x01}, {"MOD_LSFT", 0x02}, {"MOD_LALT", 0x04}, {"MOD_LGUI", 0x08},
    {"MOD_RCTL", 0x10}, {"MOD_RSFT", 0x20}, {"MOD_RALT", 0x40}, {"MOD_RGUI", 0x80},
    {"MOD_MEH", 0x07}, {"MOD_HYPR", 0x0F},
    {"MOD_MASK_CTRL", 0x11}, {"MOD_MASK_SHIFT", 0x22}, {"MOD_MASK_ALT", 0x44},
    {"MOD_MASK_GUI", 0x88}, {"MOD_MASK_CS", 0x33}, {"MOD_MASK_CA", 0x55}, {"MOD_MASK_CG", 0x99},
    {"MOD_MASK_SA", 0x66}, {"MOD_MASK_SG", 0xAA}, {"MOD_MASK_AG", 0xCC}, {"MOD_MASK_CSA", 0x77},
    {"MOD_MASK_CSG", 0xBB}, {"MOD_MASK_CAG", 0xDD}, {"MOD_MASK_SAG", 0xEE},
    {"MOD_MASK_CSAG", 0xFF},
};
#define NMOD_NAMES (sizeof mod_names / sizeof mod_names[0])

/* "MOD_LSFT | MOD_RSFT", "MOD_MASK_CTRL", a number 0-255 (report bits), or an array of names. */
static bool parse_mods(actx_t *a, int t, const char *what, uint8_t *out)
{
    const json_doc_t *doc = a->doc;
    long v;
    *out = 0;
    if (json_type(doc, t) == JSON_NUMBER) {
        if (!json_get_int(doc, t, 0, 255, &v, what, a->d)) return false;
        *out = (uint8_t)v;
        return true;
    }
    if (json_type(doc, t) == JSON_ARRAY) {
        bool ok = true;
        for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e)) {
            uint8_t m;
            if (json_type(doc, e) != JSON_STRING) {
                ERR(a, e, "%s: each element must be a MOD_* name such as \"MOD_LSFT\"", what);
                ok = false;
            } else if (parse_mods(a, e, what, &m)) {
                *out |= m;
            } else {
                ok = false;
            }
        }
        return ok;
    }
    if (json_type(doc, t) != JSON_STRING) {
        ERR(a, t, "%s must be modifiers such as \"MOD_LSFT | MOD_LCTL\" or \"MOD_MASK_SHIFT\", not %s",
            what, json_type_name(json_type(doc, t)));
        return false;
    }
    char buf[128];
    if (!json_str(doc, t, buf, sizeof buf)) {
        ERR(a, t, "%s is too long", what);
        return false;
    }
    size_t base = (size_t)doc->tok[t].start, i = 0, n = strlen(buf);
    bool plain = json_str_plain(doc, t);
    for (;;) {
        while (i < n && buf[i] == ' ') i++;
        size_t s = i;
        while (i < n && buf[i] != '|' && buf[i] != ' ') i++;
        size_t len = i - s;
        bool found = false;
        for (size_t k = 0; k < NMOD_NAMES && !found; k++)
            if (strlen(mod_names[k].name) == len && !strncmp(buf + s, mod_names[k].name, len)) {
                *out |= mod_names[k].bits;
                found = true;
            }
        if (!found) {
            char *end;
            unsigned long num = len ? strtoul(buf + s, &end, 0) : 0;
            if (len && end == buf + s + len && num <= 255) {
                *out |= (uint8_t)num;
            } else {
                json_diag_at(doc, a->d, DIAG_ERROR, plain ? base + s : base,
                             "%s: '%.*s' is not a modifier (MOD_LCTL ... MOD_RGUI, MOD_MASK_SHIFT, "
                             "MOD_MASK_CS ..., or a number of report bits)", what, (int)len, buf + s);
                return false;
            }
        }
        while (i < n && buf[i] == ' ') i++;
        if (i >= n) return true;
        if (buf[i] != '|') {
            json_diag_at(doc, a->d, DIAG_ERROR, plain ? base + i : base,
                         "%s: expected '|' between modifiers", what);
            return false;
        }
        i++;
    }
}

static const char *mod_bit_name(uint8_t bits)
{
    static const char *const names[8] = {"MOD_LCTL", "MOD_LSFT", "MOD_LALT", "MOD_LGUI",
                                         "MOD_RCTL", "MOD_RSFT", "MOD_RALT", "MOD_RGUI"};
    for (int i = 0; i < 8; i++)
        if (bits >> i & 1u) return names[i];
    return "?";
}

/* ---- key_overrides ------------------------------------------------------------------------------ */

static const struct {
    const char *name;
    uint8_t bit;
} ko_options[] = {
    {"activation_trigger_down", CFG_KO_TRIGGER_DOWN},
    {"activation_required_mod_down", CFG_KO_REQUIRED_MOD_DOWN},
    {"activation_negative_mod_up", CFG_KO_NEGATIVE_MOD_UP},
    {"all_activations", CFG_KO_DEFAULT},
    {"one_mod", CFG_KO_ONE_MOD},
    {"no_reregister_trigger", CFG_KO_NO_REREGISTER},
    {"no_unregister_on_other_key_down", CFG_KO_NO_UNREG_ON_OTHER},
};
#define NKO_OPTIONS (sizeof ko_options / sizeof ko_options[0])

static bool ko_keycode(actx_t *a, int t, const char *what, kc_t *out)
{
    if (!cfg_ls_parse_kc(a->doc, a->d, t, out, false)) return false;
    size_t n;
    const char *raw = json_raw(a->doc, t, &n);
    if (!strcmp(what, "trigger")) {
        if (*out == KC_NO || (*out >= 0x04u && *out <= 0xDFu)) return true;
        ERR(a, t, "a key override's trigger must be a basic keycode (KC_A, KC_BSPC, ...) or KC_NO, "
                  "not '%.*s'", (int)n, raw);
        return false;
    }
    if (*out <= QK_MODS_MAX && *out != KC_TRNS) return true;
    ERR(a, t, "a key override's replacement must be a basic keycode or a modified one such as "
              "LCTL(KC_Z) (or KC_NO), not '%.*s'", (int)n, raw);
    return false;
}

static bool ko_layers(actx_t *a, int t, uint32_t *out)
{
    const json_doc_t *doc = a->doc;
    *out = 0;
    if (!json_want(doc, t, JSON_ARRAY, "layers", a->d)) return false;
    if (json_size(doc, t) == 0) {
        ERR(a, t, "layers is empty: the override could never activate (leave it out for every layer)");
        return false;
    }
    bool ok = true;
    for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e)) {
        long v;
        if (!json_get_int(doc, e, 0, CFG_MAX_LAYERS - 1, &v, "a layer", a->d)) {
            ok = false;
        } else if (a->m->layers && v >= a->m->layers) {
            ERR(a, e, "layer %ld does not exist (the keymap has layers 0-%d)", v, a->m->layers - 1);
            ok = false;
        } else {
            *out |= (uint32_t)1 << v;
        }
    }
    return ok;
}

static bool ko_one(actx_t *a, int obj, cfg_key_override_t *o)
{
    const json_doc_t *doc = a->doc;
    if (!json_want(doc, obj, JSON_OBJECT, "a key override", a->d)) return false;
    bool ok = true, have_trigger = false, have_repl = false, have_sup = false, enabled = true;
    int trig_tok = obj, neg_tok = -1;
    memset(o, 0, sizeof *o);
    o->layers = 0xFFFFFFFFu;
    o->options = CFG_KO_DEFAULT;
    for (int k = json_first(doc, obj); k >= 0; k = json_next_member(doc, k)) {
        char key[40];
        int v = k + 1;
        json_str(doc, k, key, sizeof key);
        if (!strcmp(key, "trigger")) {
            ok &= have_trigger = ko_keycode(a, v, "trigger", &o->trigger);
            trig_tok = v;
        } else if (!strcmp(key, "replacement")) {
            ok &= have_repl = ko_keycode(a, v, "replacement", &o->replacement);
        } else if (!strcmp(key, "trigger_mods")) {
            ok &= parse_mods(a, v, "trigger_mods", &o->trigger_mods);
        } else if (!strcmp(key, "negative_mods") || !strcmp(key, "negative_mod_mask")) {
            ok &= parse_mods(a, v, key, &o->negative_mods);
            neg_tok = v;
        } else if (!strcmp(key, "suppressed_mods")) {
            ok &= have_sup = parse_mods(a, v, "suppressed_mods", &o->suppressed_mods);
        } else if (!strcmp(key, "layers")) {
            ok &= ko_layers(a, v, &o->layers);
        } else if (!strcmp(key, "enabled")) {
            ok &= json_get_bool(doc, v, &enabled, "enabled", a->d);
        } else if (!strcmp(key, "options")) {
            if (!json_want(doc, v, JSON_ARRAY, "options", a->d)) {
                ok = false;
                continue;
            }
            o->options = 0;
            for (int e = json_first(doc, v); e >= 0; e = json_next_elem(doc, e)) {
                char name[48];
                size_t i = 0;
                if (json_type(doc, e) == JSON_STRING && json_str(doc, e, name, sizeof name)) {
                    const char *nm = strncmp(name, "ko_option_", 10) ? name : name + 10;
                    if (!strcmp(nm, "default") || !strcmp(nm, "ko_options_default")) nm = "all_activations";
                    for (; i < NKO_OPTIONS && strcmp(nm, ko_options[i].name); i++) {}
                }
                if (i < NKO_OPTIONS && json_type(doc, e) == JSON_STRING) {
                    o->options |= ko_options[i].bit;
                } else {
                    ERR(a, e, "unknown key override option (activation_trigger_down, "
                              "activation_required_mod_down, activation_negative_mod_up, "
                              "all_activations, one_mod, no_reregister_trigger, "
                              "no_unregister_on_other_key_down)");
                    ok = false;
                }
            }
            /* QMK: no activation named means every activation */
            if (!(o->options & CFG_KO_DEFAULT)) o->options |= CFG_KO_DEFAULT;
        } else {
            ERR(a, k, "unknown key override field '%s' (trigger, replacement, trigger_mods, "
                      "negative_mods, suppressed_mods, layers, options, enabled)", key);
            ok = false;
        }
    }
    if (!have_trigger && ok && json_get(doc, obj, "trigger") < 0) {
        ERR(a, obj, "a key override needs \"trigger\" (a keycode, or \"KC_NO\" for mods alone)");
        ok = false;
    }
    if (!have_repl && ok && json_get(doc, obj, "replacement") < 0) {
        ERR(a, obj, "a key override needs \"replacement\" (a keycode)");
        ok = false;
    }
    if (!ok) return false;
    if (o->trigger == KC_NO && o->trigger_mods == 0) {
        ERR(a, trig_tok, "a key override with trigger KC_NO needs trigger_mods (else it would always "
                         "be active)");
        return false;
    }
    if (o->trigger_mods & o->negative_mods) {
        ERR(a, neg_tok, "%s is both a trigger mod and a negative mod: the override could never activate",
            mod_bit_name(o->trigger_mods & o->negative_mods));
        return false;
    }
    if (!have_sup) o->suppressed_mods = o->trigger_mods; /* QMK's ko_make_basic */
    if (enabled) o->options |= CFG_KO_ENABLED;
    return true;
}

bool cfg_ls_key_overrides(actx_t *a, const char *path, int t)
{
    (void)path;
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "key_overrides", a->d)) return false;
    if (json_size(doc, t) > (int)CFG_MAX_KEY_OVERRIDES) {
        ERR(a, t, "%d key overrides; Kestrel's limit is %u", json_size(doc, t), CFG_MAX_KEY_OVERRIDES);
        return false;
    }
    bool ok = true;
    m->nko = 0;
    for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e)) {
        cfg_key_override_t o;
        if (ko_one(a, e, &o)) m->ko[m->nko++] = o;
        else ok = false;
    }
    if (!ok) m->nko = 0;
    return ok;
}

/* ---- key_cancellation --------------------------------------------------------------------------- */

bool cfg_ls_key_cancellation(actx_t *a, const char *path, int t)
{
    (void)path;
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "key_cancellation", a->d)) return false;
    if (json_size(doc, t) > (int)CFG_MAX_KEY_CANCEL) {
        ERR(a, t, "%d key cancellation pairs; Kestrel's limit is %u", json_size(doc, t),
            CFG_MAX_KEY_CANCEL);
        return false;
    }
    bool ok = true;
    m->nkcancel = 0;
    for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e)) {
        if (!json_want(doc, e, JSON_OBJECT, "a key cancellation pair", a->d)) {
            ok = false;
            continue;
        }
        cfg_key_cancel_t p = {KC_NO, KC_NO, CFG_KEY_CANCEL_LAST};
        int keys = -1;
        bool one = true;
        for (int k = json_first(doc, e); k >= 0; k = json_next_member(doc, k)) {
            char key[24];
            json_str(doc, k, key, sizeof key);
            if (!strcmp(key, "keys")) {
                keys = k + 1;
            } else if (!strcmp(key, "mode")) {
                if (json_str_eq(doc, k + 1, "last")) p.mode = CFG_KEY_CANCEL_LAST;
                else if (json_str_eq(doc, k + 1, "neutral")) p.mode = CFG_KEY_CANCEL_NEUTRAL;
                else {
                    ERR(a, k + 1, "unknown key cancellation mode (\"last\": the key pressed last wins; "
                                  "\"neutral\": neither while both are down)");
                    one = false;
                }
            } else {
                ERR(a, k, "unknown key cancellation field '%s' (keys, mode)", key);
                one = false;
            }
        }
        if (keys < 0) {
            ERR(a, e, "a key cancellation pair needs \"keys\": [\"KC_A\", \"KC_D\"]");
            one = false;
        } else if (!json_want(doc, keys, JSON_ARRAY, "keys", a->d)) {
            one = false;
        } else if (json_size(doc, keys) != 2) {
            ERR(a, keys, "keys must name exactly two keycodes, not %d", json_size(doc, keys));
            one = false;
        } else {
            kc_t *dst[2] = {&p.a, &p.b};
            int i = 0;
            for (int k = json_first(doc, keys); k >= 0; k = json_next_elem(doc, k), i++) {
                if (!cfg_ls_parse_kc(doc, a->d, k, dst[i], false)) {
                    one = false;
                } else if (!IS_BASIC_KEYBOARD(*dst[i])) {
                    size_t n;
                    const char *raw = json_raw(doc, k, &n);
                    ERR(a, k, "key cancellation works on basic keycodes (KC_A, KC_LEFT, ...), not "
                              "'%.*s'", (int)n, raw);
                    one = false;
                } else if (i == 1 && p.a == p.b) {
                    ERR(a, k, "the two keys of a pair must differ");
                    one = false;
                }
            }
        }
        if (one) m->kcancel[m->nkcancel++] = p;
        ok &= one;
    }
    if (!ok) m->nkcancel = 0;
    return ok;
}

/* ---- grave_esc.override ---------------------------------------------------------------------------- */

bool cfg_ls_gesc_override(actx_t *a, int t, const char *what, uint16_t *out)
{
    static const char *const names[4] = {"alt", "ctrl", "gui", "shift"}; /* CFG_GESC_* order */
    const json_doc_t *doc = a->doc;
    *out = 0;
    if (!json_want(doc, t, JSON_ARRAY, what, a->d)) return false;
    for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e)) {
        int i = 0;
        while (i < 4 && !json_str_eq(doc, e, names[i])) i++;
        if (i == 4 || json_type(doc, e) != JSON_STRING) {
            ERR(a, e, "%s takes modifier names: \"alt\", \"ctrl\", \"gui\", \"shift\"", what);
            return false;
        }
        *out |= (uint16_t)(1u << i);
    }
    return true;
}

/* ---- whole-keymap checks ------------------------------------------------------------------------- */

void cfg_ls_check_modifiers(const cfg_model_t *m, const char *file, diag_t *d)
{
    bool tri = false;
    for (unsigned l = 0; l < m->layers && !tri; l++)
        for (unsigned k = 0; k < m->nkeys; k++) {
            kc_t kc = m->keymap[l][m->layout[k]];
            if (kc == QK_TRI_LAYER_LOWER || kc == QK_TRI_LAYER_UPPER) tri = true;
        }
    if (tri) {
        static const struct {
            uint8_t id;
            const char *name;
        } tl[3] = {{CFG_TRI_LAYER_LOWER, "tri_layer.lower"},
                   {CFG_TRI_LAYER_UPPER, "tri_layer.upper"},
                   {CFG_TRI_LAYER_ADJUST, "tri_layer.adjust"}};
        for (int i = 0; i < 3; i++)
            if (m->settings[tl[i].id] >= m->layers)
                diag_add(d, DIAG_WARNING, file, NULL, 0, 0, 0,
                         "TL_LOWR/TL_UPPR use %s = %u, but the keymap has %u layer%s (that layer "
                         "is empty)", tl[i].name, m->settings[tl[i].id], m->layers,
                         m->layers == 1 ? "" : "s");
    }
    for (unsigned i = 0; i < m->nko; i++) {
        uint32_t beyond = m->layers < 32 ? m->ko[i].layers & ~(((uint32_t)1 << m->layers) - 1u) : 0;
        if (beyond && m->ko[i].layers != 0xFFFFFFFFu)
            diag_add(d, DIAG_ERROR, file, NULL, 0, 0, 0,
                     "key override %u names a layer the keymap does not have (it has %u)", i,
                     m->layers);
    }
}
