/* keymap.json "combos" and "tap_dances" (Kestrel extensions, docs/keymap-format.md): validated
 * into the model with errors at the offending token; every entry is checked, so one run shows
 * every mistake, and a list with any error changes nothing in the model. */
#include <stdio.h>
#include <string.h>

#include "config/json.h"
#include "config/keycode.h"
#include "config/load_internal.h"

/* An unknown field of an entry: an error, with a suggestion when one is close. */
static void unknown_field(actx_t *a, int k, const char *what, const char *const *names, int n)
{
    char name[40];
    json_str(a->doc, k, name, sizeof name);
    int best = 99;
    const char *sugg = NULL;
    char list[200] = "";
    for (int i = 0; i < n; i++) {
        int dd = cfg_ls_edit_distance(name, names[i]);
        if (dd < best) best = dd, sugg = names[i];
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
    }
    if (best <= 3)
        ERR(a, k, "unknown %s field '%s' (did you mean '%s'?)", what, name, sugg);
    else
        ERR(a, k, "unknown %s field '%s' (known: %s)", what, name, list);
}

static int field_index(const json_doc_t *doc, int k, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (json_str_eq(doc, k, names[i])) return i;
    return -1;
}

/* A keycode entry that names a layer must name one the keymap has. */
static bool layer_ok(actx_t *a, int t, kc_t kc)
{
    int l = cfg_ls_kc_layer(kc);
    if (l < 0 || l < a->m->layers) return true;
    size_t n;
    const char *r = json_raw(a->doc, t, &n);
    ERR(a, t, "%.*s refers to layer %d, but the keymap has %d layer%s (0-%d)", (int)n, r, l,
        a->m->layers, a->m->layers == 1 ? "" : "s", a->m->layers - 1);
    return false;
}

static bool term_value(actx_t *a, int t, const char *what, long min, uint16_t *out)
{
    long v;
    if (!json_get_int(a->doc, t, min, 65534, &v, what, a->d)) return false;
    *out = (uint16_t)v;
    return true;
}

/* ---- combos -------------------------------------------------------------------------------- */

enum { CF_KEYS, CF_RESULT, CF_TERM, CF_LAYERS, CF_IDLE, CF_SLOW, CF_N };
static const char *const combo_fields[CF_N] = {"keys", "result", "term", "layers",
                                               "require_prior_idle", "slow_release"};

/* One key of a combo: [row, col] (a matrix position) or a number (an index into the layout, as
 * ZMK's key-positions). */
static bool combo_key(actx_t *a, int t, uint8_t *pos)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    long v, c;
    if (json_type(doc, t) == JSON_NUMBER) {
        if (m->nkeys == 0) {
            ERR(a, t, "a layout index needs a layout; give the key as [row, col]");
            return false;
        }
        if (!json_get_int(doc, t, 0, m->nkeys - 1, &v, "a combo key's layout index", a->d))
            return false;
        *pos = m->layout[v];
        return true;
    }
    if (json_type(doc, t) != JSON_ARRAY || json_size(doc, t) != 2) {
        ERR(a, t, "a combo key is [row, col] (a matrix position) or a layout index, not %s",
            json_type(doc, t) == JSON_ARRAY ? "an array of that length"
                                            : json_type_name(json_type(doc, t)));
        return false;
    }
    int rt = json_elem(doc, t, 0), ct = json_elem(doc, t, 1);
    bool ok = json_get_int(doc, rt, 0, m->rows - 1, &v, "the row", a->d);
    ok &= json_get_int(doc, ct, 0, m->cols - 1, &c, "the column", a->d);
    if (ok) *pos = (uint8_t)(v * m->cols + c);
    return ok;
}

static bool combo_one(actx_t *a, int e, int idx, cfg_combo_def_t *out)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, e, JSON_OBJECT, "a combo", a->d)) return false;
    cfg_combo_def_t c = {KC_NO, 0, 0, 0xFFFFFFFFu, 0, 0, {0}};
    int tok[CF_N];
    for (int i = 0; i < CF_N; i++) tok[i] = -1;
    bool ok = true;
    for (int k = json_first(doc, e); k >= 0; k = json_next_member(doc, k)) {
        int f = field_index(doc, k, combo_fields, CF_N);
        if (f < 0) {
            unknown_field(a, k, "combo", combo_fields, CF_N);
            ok = false;
        } else {
            tok[f] = k + 1;
        }
    }
    if (tok[CF_KEYS] < 0) {
        ERR(a, e, "combo %d has no \"keys\" (two to %u key positions)", idx, CFG_COMBO_KEYS_MAX);
        ok = false;
    } else if (json_want(doc, tok[CF_KEYS], JSON_ARRAY, "a combo's keys", a->d)) {
        int n = json_size(doc, tok[CF_KEYS]);
        if (n < 2 || n > (int)CFG_COMBO_KEYS_MAX) {
            ERR(a, tok[CF_KEYS], "a combo has two to %u keys, not %d", CFG_COMBO_KEYS_MAX, n);
            ok = false;
        } else {
            for (int k = json_first(doc, tok[CF_KEYS]); k >= 0; k = json_next_elem(doc, k)) {
                uint8_t pos;
                if (!combo_key(a, k, &pos)) {
                    ok = false;
                    continue;
                }
                for (unsigned j = 0; j < c.nkeys; j++)
                    if (c.keys[j] == pos) {
                        ERR(a, k, "this key is already in the combo (position %u,%u)",
                            pos / m->cols, pos % m->cols);
                        ok = false;
                    }
                c.keys[c.nkeys++] = pos;
            }
        }
    } else {
        ok = false;
    }
    if (tok[CF_RESULT] < 0) {
        ERR(a, e, "combo %d has no \"result\" (the keycode it sends, e.g. \"KC_ESC\")", idx);
        ok = false;
    } else if (cfg_ls_parse_kc(doc, a->d, tok[CF_RESULT], &c.result, true)) {
        if (c.result == KC_TRNS) {
            ERR(a, tok[CF_RESULT], "a combo's result cannot be transparent (KC_TRNS)");
            ok = false;
        }
        ok &= layer_ok(a, tok[CF_RESULT], c.result);
    } else {
        ok = false;
    }
    if (tok[CF_TERM] >= 0) ok &= term_value(a, tok[CF_TERM], "a combo's term", 1, &c.term);
    if (tok[CF_IDLE] >= 0)
        ok &= term_value(a, tok[CF_IDLE], "require_prior_idle", 0, &c.idle);
    if (tok[CF_SLOW] >= 0) {
        bool b = false;
        ok &= json_get_bool(doc, tok[CF_SLOW], &b, "slow_release", a->d);
        if (b) c.flags |= CFG_CB_SLOW_RELEASE;
    }
    if (tok[CF_LAYERS] >= 0) {
        int lt = tok[CF_LAYERS];
        if (!json_want(doc, lt, JSON_ARRAY, "a combo's layers", a->d)) {
            ok = false;
        } else if (json_size(doc, lt) == 0) {
            ERR(a, lt, "a combo's layers list is empty (leave \"layers\" out for every layer)");
            ok = false;
        } else {
            c.layers = 0;
            for (int k = json_first(doc, lt); k >= 0; k = json_next_elem(doc, k)) {
                long l;
                if (!json_get_int(doc, k, 0, m->layers ? m->layers - 1 : 0, &l, "a layer number",
                                  a->d)) {
                    ok = false;
                    continue;
                }
                c.layers |= (uint32_t)1 << l;
            }
        }
    }
    *out = c;
    return ok;
}

static bool same_keys(const cfg_combo_def_t *x, const cfg_combo_def_t *y)
{
    if (x->nkeys != y->nkeys) return false;
    for (unsigned i = 0; i < x->nkeys; i++)
        if (!memchr(y->keys, x->keys[i], y->nkeys)) return false;
    return true;
}

bool cfg_ls_combos(actx_t *a, int t)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "combos", a->d)) return false;
    if (!S.keyboard_ok || m->rows == 0) {
        json_diag(doc, a->d, DIAG_NOTE, t, "combos not checked: the keyboard has errors");
        return false;
    }
    int n = json_size(doc, t);
    unsigned npos = (unsigned)m->rows * m->cols;
    if (n > (int)CFG_MAX_COMBOS) {
        ERR(a, t, "%d combos; Kestrel's limit is %u", n, CFG_MAX_COMBOS);
        return false;
    }
    if (n && npos + (unsigned)n >= CFG_POS_NONE) {
        ERR(a, t, "%d combos do not fit: each needs a spare key position, and the %ux%u matrix "
                  "leaves room for %u", n, m->rows, m->cols, CFG_POS_NONE - 1u - npos);
        return false;
    }
    static cfg_combo_def_t list[CFG_MAX_COMBOS];
    bool ok = true;
    int i = 0;
    for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e), i++) {
        if (!combo_one(a, e, i, &list[i])) {
            ok = false;
            continue;
        }
        for (int j = 0; j < i; j++)
            if (same_keys(&list[i], &list[j]) && (list[i].layers & list[j].layers)) {
                ERR(a, e, "combo %d has the same keys as combo %d on a common layer (only one of "
                          "them could ever fire)", i, j);
                ok = false;
                break;
            }
    }
    if (!ok) return false;
    memcpy(m->combos, list, (size_t)n * sizeof list[0]);
    m->ncombos = (uint8_t)n;
    return true;
}

/* ---- tap dances ---------------------------------------------------------------------------- */

enum { TF_TAP, TF_HOLD, TF_DOUBLE, TF_TAP_HOLD, TF_TERM, TF_N };
static const char *const td_fields[TF_N] = {"on_tap", "on_hold", "on_double_tap", "on_tap_hold",
                                            "term"};

static bool td_one(actx_t *a, int e, int idx, cfg_tap_dance_def_t *out)
{
    const json_doc_t *doc = a->doc;
    if (!json_want(doc, e, JSON_OBJECT, "a tap dance", a->d)) return false;
    kc_t kc[4] = {KC_NO, KC_NO, KC_NO, KC_NO};
    uint16_t term = 0;
    bool ok = true, any = false;
    for (int k = json_first(doc, e); k >= 0; k = json_next_member(doc, k)) {
        int f = field_index(doc, k, td_fields, TF_N), v = k + 1;
        if (f < 0) {
            unknown_field(a, k, "tap dance", td_fields, TF_N);
            ok = false;
        } else if (f == TF_TERM) {
            ok &= term_value(a, v, "a tap dance's term", 1, &term);
        } else if (cfg_ls_parse_kc(doc, a->d, v, &kc[f], true)) {
            if (KC_IN(kc[f], QK_TAP_DANCE, QK_TAP_DANCE_MAX)) {
                ERR(a, v, "a tap dance entry cannot be another tap dance");
                ok = false;
            } else if (kc[f] == KC_TRNS) {
                ERR(a, v, "a tap dance entry cannot be transparent (KC_TRNS); use KC_NO for none");
                ok = false;
            } else {
                ok &= layer_ok(a, v, kc[f]);
            }
            any |= kc[f] != KC_NO;
        } else {
            ok = false;
        }
    }
    if (ok && !any)
        json_diag(doc, a->d, DIAG_WARNING, e, "tap dance %d has no keycode: it does nothing", idx);
    *out = (cfg_tap_dance_def_t){kc[0], kc[1], kc[2], kc[3], term};
    return ok;
}

bool cfg_ls_tap_dances(actx_t *a, int t)
{
    const json_doc_t *doc = a->doc;
    cfg_model_t *m = a->m;
    if (!json_want(doc, t, JSON_ARRAY, "tap_dances", a->d)) return false;
    int n = json_size(doc, t);
    if (n > (int)CFG_MAX_TAP_DANCES) {
        ERR(a, t, "%d tap dances; Kestrel's limit is %u", n, CFG_MAX_TAP_DANCES);
        return false;
    }
    static cfg_tap_dance_def_t list[CFG_MAX_TAP_DANCES];
    bool ok = true;
    int i = 0;
    for (int e = json_first(doc, t); e >= 0; e = json_next_elem(doc, e), i++)
        ok &= td_one(a, e, i, &list[i]);
    if (!ok) return false;
    memcpy(m->tap_dances, list, (size_t)n * sizeof list[0]);
    m->ntap_dances = (uint8_t)n;
    return true;
}
