/* The host side of loading: files, QMK folder chains (info.json/keyboard.json from the top folder
 * down) and the keyboards compiled into the tool. The language itself is in config/load.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/load.h"
#include "config/load_internal.h"

#define FS_PATH   1024
#define FS_LEVELS 16

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Reads a whole file into the session's store and parses it; -1 on errors (reported). */
static int read_src(const char *path, diag_t *d)
{
    const char *name = cfg_ls_intern(path);
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_add(d, DIAG_ERROR, name, NULL, 0, 0, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    size_t cap;
    char *buf = cfg_ls_reserve(&cap);
    size_t n = fread(buf, 1, cap, f);
    bool err = ferror(f), more = n == cap && fgetc(f) != EOF;
    fclose(f);
    if (err) {
        diag_add(d, DIAG_ERROR, name, NULL, 0, 0, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    if (more) {
        diag_add(d, DIAG_ERROR, name, NULL, 0, 0, 0,
                 "the files of this load exceed %u bytes together", (unsigned)CFG_LS_TEXT);
        return -1;
    }
    return cfg_ls_add_reserved(path, n, d);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Parent folder of `dir` into out (false at the top of the file system or for ""). */
static bool parent_of(const char *dir, char *out, size_t cap)
{
    char tmp[FS_PATH];
    snprintf(tmp, sizeof tmp, "%s", dir);
    size_t n = strlen(tmp);
    while (n > 1 && tmp[n - 1] == '/') tmp[--n] = 0;
    char *s = strrchr(tmp, '/');
    if (!s) {
        /* a relative single component: its parent is ".." relative to it */
        if (!strcmp(tmp, "..") || !strcmp(tmp, "/")) return false;
        snprintf(out, cap, "%s/..", tmp);
        return true;
    }
    if (!strcmp(s + 1, "..")) {
        snprintf(out, cap, "%s/..", tmp);
        return true;
    }
    if (s == tmp) {
        snprintf(out, cap, "/");
        return strcmp(tmp, "/") != 0;
    }
    *s = 0;
    snprintf(out, cap, "%s", tmp);
    return true;
}

static bool has_def(const char *dir)
{
    char p[FS_PATH + 16];
    snprintf(p, sizeof p, "%s/info.json", dir);
    if (is_file(p)) return true;
    snprintf(p, sizeof p, "%s/keyboard.json", dir);
    return is_file(p);
}

/* The real name of a folder (resolves "." and ".."), for the "keyboards" check. */
static const char *real_base(const char *dir, char *buf, size_t cap)
{
    char tmp[4096];
    if (!realpath(dir, tmp)) return base_name(dir);
    const char *b = base_name(tmp);
    size_t n = strnlen(b, cap - 1);
    memcpy(buf, b, n);
    buf[n] = 0;
    return buf;
}

/* Collects the chain of folders from the top of the tree down to `dir` (inclusive). QMK merges
 * every level below keyboards/; outside such a tree the chain stops at the first folder whose
 * parent holds no definition. */
static int chain_of(const char *dir, char chain[FS_LEVELS][FS_PATH])
{
    char cur[FS_PATH], up[FS_PATH], nm[256];
    char tmp[FS_LEVELS][FS_PATH];
    int n = 0;
    bool in_tree = false;
    snprintf(cur, sizeof cur, "%s", dir);
    /* is there a keyboards/ folder above? */
    snprintf(up, sizeof up, "%s", dir);
    for (int i = 0; i < FS_LEVELS && parent_of(up, up, sizeof up); i++)
        if (!strcmp(real_base(up, nm, sizeof nm), "keyboards")) {
            in_tree = true;
            break;
        }
    snprintf(tmp[n++], FS_PATH, "%s", cur);
    while (n < FS_LEVELS && parent_of(cur, up, sizeof up)) {
        if (!strcmp(real_base(up, nm, sizeof nm), "keyboards")) break;
        if (!in_tree && !has_def(up)) break;
        snprintf(cur, sizeof cur, "%s", up);
        snprintf(tmp[n++], FS_PATH, "%s", cur);
    }
    for (int i = 0; i < n; i++) snprintf(chain[i], FS_PATH, "%s", tmp[n - 1 - i]);
    return n;
}

bool cfg_load_keyboard(cfg_model_t *m, const char *path, diag_t *d)
{
    int errors = d->errors;
    if (!strncmp(path, "builtin:", 8)) {
        for (const cfg_builtin_t *b = cfg_builtins; b->name; b++)
            if (!strcmp(b->name, path + 8)) return cfg_load_keyboard_text(m, path, b->text, b->len, d);
        cfg_ls_begin(m);
        char list[256] = "";
        for (const cfg_builtin_t *b = cfg_builtins; b->name; b++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%sbuiltin:%s",
                     list[0] ? ", " : "", b->name);
        diag_add(d, DIAG_ERROR, cfg_ls_intern(path), NULL, 0, 0, 0,
                 "no such builtin keyboard (known: %s)", list);
        return false;
    }
    cfg_ls_begin(m);
    char dir[FS_PATH];
    if (strlen(path) >= FS_PATH - 32) {
        diag_add(d, DIAG_ERROR, cfg_ls_intern(path), NULL, 0, 0, 0, "path too long");
        return false;
    }
    if (is_dir(path)) {
        snprintf(dir, sizeof dir, "%s", path);
        size_t n = strlen(dir);
        while (n > 1 && dir[n - 1] == '/') dir[--n] = 0;
        if (!has_def(dir)) {
            diag_add(d, DIAG_ERROR, cfg_ls_intern(path), NULL, 0, 0, 0,
                     "this folder holds no keyboard.json or info.json");
            return false;
        }
    } else if (is_file(path)) {
        const char *b = base_name(path);
        size_t bl = strlen(b);
        bool json = bl >= 5 && !strcmp(b + bl - 5, ".json");
        if (json && strcmp(b, "keyboard.json") && strcmp(b, "info.json")) {
            /* a standalone definition under another name: just this file */
            int s = read_src(path, d);
            cfg_ls_keyboard(m, &s, 1, d);
            return d->errors == errors;
        }
        /* keyboard.json, info.json, or another file of the tree (rules.mk, config.h): the
         * definitions of its folder */
        if (b == path) snprintf(dir, sizeof dir, ".");
        else snprintf(dir, sizeof dir, "%.*s", (int)(b - path - 1), path);
        if (!dir[0]) snprintf(dir, sizeof dir, "/");
        if (!has_def(dir)) {
            diag_add(d, DIAG_ERROR, cfg_ls_intern(path), NULL, 0, 0, 0,
                     "its folder holds no keyboard.json or info.json");
            return false;
        }
    } else {
        diag_add(d, DIAG_ERROR, cfg_ls_intern(path), NULL, 0, 0, 0, "cannot open: %s",
                 strerror(errno ? errno : ENOENT));
        return false;
    }
    static char chain[FS_LEVELS][FS_PATH];
    int n = chain_of(dir, chain), srcs[2 * FS_LEVELS], ns = 0;
    for (int i = 0; i < n; i++) {
        static const char *const files[] = {"info.json", "keyboard.json"};
        for (int f = 0; f < 2; f++) {
            char p[FS_PATH + 16];
            if (!strcmp(chain[i], ".")) snprintf(p, sizeof p, "%s", files[f]);
            else snprintf(p, sizeof p, "%s%s%s", chain[i], chain[i][strlen(chain[i]) - 1] == '/' ? "" : "/", files[f]);
            if (!is_file(p)) continue;
            srcs[ns++] = read_src(p, d);
        }
    }
    cfg_ls_keyboard(m, srcs, ns, d); /* a file that failed marks the keyboard broken */
    return d->errors == errors;
}

bool cfg_load_keymap(cfg_model_t *m, const char *path, diag_t *d)
{
    int errors = d->errors;
    if (!cfg_ls_in_session(m, path, d)) return false;
    int s = read_src(path, d);
    if (s < 0) return false;
    cfg_ls_keymap(m, s, d);
    return d->errors == errors;
}
