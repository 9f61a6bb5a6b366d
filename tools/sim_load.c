/* Building the config a scenario or `kestrel sim` describes: keyboard, keymap or inline layers,
 * config lines, then the same validation and image writing as `kestrel build`. */
#include <stdlib.h>
#include <string.h>

#include "config/keycode.h"
#include "config/load.h"
#include "tools/sim.h"

sim_config_t *sim_config_new(void)
{
    sim_config_t *c = calloc(1, sizeof *c);
    if (!c) {
        fprintf(stderr, "kestrel: out of memory\n");
        exit(2);
    }
    return c;
}

void sim_config_free(sim_config_t *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->npaths; i++) free(c->paths[i]);
    free(c);
}

static const char *keep_path(sim_config_t *c, char *p)
{
    if (c->npaths == sizeof c->paths / sizeof c->paths[0]) {
        /* Cannot happen with the fixed call sites below; fail loudly if it ever does. */
        fprintf(stderr, "kestrel: internal error: too many config paths\n");
        exit(2);
    }
    c->paths[c->npaths++] = p;
    return p;
}

static char *dup_n(const char *s, size_t n)
{
    char *r = malloc(n + 1);
    if (!r) {
        fprintf(stderr, "kestrel: out of memory\n");
        exit(2);
    }
    memcpy(r, s, n);
    r[n] = '\0';
    return r;
}

/* `layout_only`: apply just `config layout ...` (which decides how inline layers map to matrix
 * positions, so it must come first), or every other line. */
static bool apply_configs(sim_config_t *c, const scn_t *s, diag_t *d, bool layout_only)
{
    bool ok = true;
    for (size_t i = 0; i < s->nconfigs; i++) {
        const scn_config_t *k = &s->configs[i];
        bool is_layout = k->key.n == 6 && !memcmp(k->key.s, "layout", 6);
        if (is_layout != layout_only) continue;
        char *key = dup_n(k->key.s, k->key.n);
        if (!cfg_apply_setting(&c->model, key, k->value.s, k->value.n, s->path, k->value.line,
                               k->value.col, d))
            ok = false;
        free(key);
    }
    return ok;
}

/* The image is written and opened exactly as the firmware would receive it, so the engine reads
 * the same bytes on the host as on a keyboard. */
static bool finish(sim_config_t *c, diag_t *d, const char *file)
{
    if (!cfg_finish(&c->model, d) || d->errors) return false;
    c->image_len = cfg_image_write(&c->model, c->image, sizeof c->image);
    if (c->image_len == 0) {
        diag_add(d, DIAG_ERROR, file, NULL, 0, 0, 0, "the config does not fit in a config image");
        return false;
    }
    enum cfg_open_result r = cfg_open(&c->cfg, c->image, c->image_len);
    if (r != CFG_OK) {
        diag_add(d, DIAG_ERROR, file, NULL, 0, 0, 0, "the written config image is invalid: %s",
                 cfg_open_strerror(r));
        return false;
    }
    return true;
}

/* The layer a layer keycode refers to, or -1. Checked here (cfg_finish checks it too) so the
 * message can point at the keycode in the scenario file. */
static int layer_of(kc_t kc)
{
    if (KC_IN(kc, QK_LAYER_TAP, QK_LAYER_TAP_MAX)) return QK_LAYER_TAP_GET_LAYER(kc);
    if (KC_IN(kc, QK_LAYER_MOD, QK_LAYER_MOD_MAX)) return QK_LAYER_MOD_GET_LAYER(kc);
    if (KC_IN(kc, QK_TO, QK_PERSISTENT_DEF_LAYER_MAX)) return QK_LAYER_GET(kc);
    return -1;
}

static bool load_layers(sim_config_t *c, const scn_t *s, diag_t *d)
{
    cfg_model_t *m = &c->model;
    bool ok = true;
    unsigned top = 0;
    for (size_t i = 0; i < s->nlayers; i++)
        if (s->layers[i].layer + 1 > top) top = s->layers[i].layer + 1;
    if (top > CFG_MAX_LAYERS) {
        diag_add(d, DIAG_ERROR, s->path, s->text, s->len, s->layers[0].line, 1,
                 "at most %u layers", CFG_MAX_LAYERS);
        return false;
    }
    if (top > cfg_max_layers_for(m->processor)) { /* the ATmega32U4 keeps 16 (core/ktime.h) */
        for (size_t i = 0; i < s->nlayers; i++)
            if (s->layers[i].layer >= cfg_max_layers_for(m->processor)) {
                diag_add(d, DIAG_ERROR, s->path, s->text, s->len, s->layers[i].line, 1,
                         "layer %u: the %s firmware keeps at most %u layers", s->layers[i].layer,
                         cfg_processor_name(m->processor), cfg_max_layers_for(m->processor));
                break;
            }
        return false;
    }
    m->layers = (uint8_t)top;
    for (unsigned l = 0; l < top; l++)
        for (unsigned p = 0; p < CFG_MAX_POSITIONS; p++) m->keymap[l][p] = KC_NO;
    for (size_t i = 0; i < s->nlayers; i++) {
        const scn_layer_t *L = &s->layers[i];
        if (L->nkc > m->nkeys) {
            const scn_text_t *t = &L->kc[m->nkeys];
            diag_add(d, DIAG_ERROR, s->path, s->text, s->len, t->line, t->col,
                     "layer %u has %zu keycodes but the keyboard's layout has %u keys", L->layer,
                     L->nkc, (unsigned)m->nkeys);
            ok = false;
            continue;
        }
        for (size_t k = 0; k < L->nkc; k++) {
            const scn_text_t *t = &L->kc[k];
            kc_t kc;
            kc_parse_error_t e;
            if (!kc_parse(t->s, t->n, &kc, &e)) {
                size_t off = e.offset < t->n ? e.offset : 0;
                diag_add(d, DIAG_ERROR, s->path, s->text, s->len, t->line, t->col + (int)off, "%s",
                         e.msg);
                ok = false;
                continue;
            }
            if (!kc_implemented(kc))
                diag_add(d, DIAG_WARNING, s->path, s->text, s->len, t->line, t->col,
                         "keycode '%.*s' is not implemented by this firmware yet (it does nothing)",
                         (int)t->n, t->s);
            m->keymap[L->layer][m->layout[k]] = kc;
            int ref = layer_of(kc);
            if (ref >= (int)top && !KC_IN(kc, QK_ONE_SHOT_MOD, QK_ONE_SHOT_MOD_MAX)) {
                diag_add(d, DIAG_ERROR, s->path, s->text, s->len, t->line, t->col,
                         "'%.*s' refers to layer %d, but the scenario defines layers 0..%u",
                         (int)t->n, t->s, ref, top - 1u);
                ok = false;
            }
        }
    }
    return ok;
}

bool sim_config_from_scenario(sim_config_t *c, const scn_t *s, diag_t *d)
{
    cfg_model_init(&c->model);
    const char *kb = keep_path(c, s->has_keyboard ? scn_resolve_path(s, &s->keyboard)
                                                  : dup_n(SIM_DEFAULT_KEYBOARD,
                                                          strlen(SIM_DEFAULT_KEYBOARD)));
    if (!cfg_load_keyboard(&c->model, kb, d)) return false;
    /* Every part is checked even after an error, so one run shows all of a scenario's mistakes. */
    bool ok;
    if (s->has_keymap) {
        const char *km = keep_path(c, scn_resolve_path(s, &s->keymap));
        ok = cfg_load_keymap(&c->model, km, d);
        ok &= apply_configs(c, s, d, true);
    } else {
        ok = apply_configs(c, s, d, true);
        ok &= load_layers(c, s, d);
    }
    ok &= apply_configs(c, s, d, false);
    return ok && finish(c, d, s->path);
}

bool sim_config_from_files(sim_config_t *c, const char *keyboard, const char *keymap,
                           const scn_t *events, diag_t *d)
{
    cfg_model_init(&c->model);
    if (!cfg_load_keyboard(&c->model, keyboard, d)) return false;
    if (!cfg_load_keymap(&c->model, keymap, d)) return false;
    if (events && !(apply_configs(c, events, d, true) && apply_configs(c, events, d, false)))
        return false;
    return finish(c, d, keymap);
}

bool sim_check_events(const sim_config_t *c, const scn_t *s, scn_error_t *err)
{
    for (size_t i = 0; i < s->nevents; i++) {
        const scn_event_t *e = &s->events[i];
        if (e->row >= c->cfg.rows || e->col >= c->cfg.cols) {
            err->line = e->line;
            err->col = e->colno;
            snprintf(err->msg, sizeof err->msg,
                     "key %u,%u is outside the keyboard's %ux%u matrix (rows 0..%u, columns 0..%u)",
                     e->row, e->col, c->cfg.rows, c->cfg.cols, c->cfg.rows - 1u, c->cfg.cols - 1u);
            return false;
        }
    }
    return true;
}

size_t sim_format_diag(const diag_t *d, char *buf, size_t cap)
{
    return diag_format_all(d, buf, cap);
}

void sim_print_diag(FILE *f, const diag_t *d)
{
    static char buf[DIAG_MAX * (3 * DIAG_MSG_MAX + 64) + 128];
    diag_format_all(d, buf, sizeof buf);
    fputs(buf, f);
}

int sim_cli_parse(const char *cmd, int argc, char **argv, bool allow_trace, void (*usage)(FILE *),
                  sim_cli_t *cli)
{
    memset(cli, 0, sizeof *cli);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--keyboard") || !strcmp(a, "--keymap")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "kestrel %s: %s needs a value\n", cmd, a);
                return 2;
            }
            if (!strcmp(a, "--keyboard")) cli->keyboard = argv[++i];
            else cli->keymap = argv[++i];
        } else if (!strncmp(a, "--keyboard=", 11)) {
            cli->keyboard = a + 11;
        } else if (!strncmp(a, "--keymap=", 9)) {
            cli->keymap = a + 9;
        } else if (allow_trace && !strcmp(a, "--trace")) {
            cli->trace = true;
        } else if (!strcmp(a, "--text")) {
            cli->text = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "kestrel %s: unknown option '%s' (try kestrel %s --help)\n", cmd, a, cmd);
            return 2;
        } else if (cli->events) {
            fprintf(stderr, "kestrel %s: one event script only ('%s' and '%s')\n", cmd, cli->events, a);
            return 2;
        } else {
            cli->events = a;
        }
    }
    if (!cli->keyboard || !cli->keymap) {
        fprintf(stderr, "kestrel %s: --keyboard and --keymap are required (try kestrel %s --help)\n",
                cmd, cmd);
        return 2;
    }
    if (!cli->events) cli->events = "-";
    return -1;
}

bool sim_cli_load(const char *cmd, const sim_cli_t *cli, scn_t *s, sim_config_t **out)
{
    scn_error_t perr;
    *out = NULL;
    if (!scn_parse_file(s, cli->events, SCN_EVENTS, &perr)) {
        scn_print_error(stderr, s, &perr);
        scn_free(s);
        return false;
    }
    sim_config_t *c = sim_config_new();
    static diag_t d;
    diag_init(&d);
    bool ok = sim_config_from_files(c, cli->keyboard, cli->keymap, s, &d);
    if (!ok) {
        sim_print_diag(stderr, &d);
        if (d.errors == 0) fprintf(stderr, "kestrel %s: the config could not be loaded\n", cmd);
    } else {
        if (d.n) sim_print_diag(stderr, &d); /* warnings */
        ok = sim_check_events(c, s, &perr);
        if (!ok) scn_print_error(stderr, s, &perr);
    }
    if (!ok) {
        sim_config_free(c);
        scn_free(s);
        return false;
    }
    *out = c;
    return true;
}
