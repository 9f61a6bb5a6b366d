/* Shared between config/load.c (the language) and config/load_fs.c (files, folders, builtins):
 * the session's source store. Not a public interface. */
#ifndef KESTREL_CONFIG_LOAD_INTERNAL_H
#define KESTREL_CONFIG_LOAD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "config/diag.h"
#include "config/model.h"

/* Session bounds (documented in docs/keymap-format.md). */
#ifndef CFG_LS_SOURCES
#define CFG_LS_SOURCES   256          /* files + overrides in one session */
#endif
#ifndef CFG_LS_TEXT
#define CFG_LS_TEXT      (4u << 20)   /* bytes of source text kept by one session */
#endif
#ifndef CFG_LS_TOKENS
#define CFG_LS_TOKENS    262144       /* JSON tokens kept by one session */
#endif

/* Starts a session: resets the model and the store. */
void cfg_ls_begin(cfg_model_t *m);
/* Copies `text` into the store under `name` (interned) and parses it; returns the source index
 * or -1 (errors reported). */
int cfg_ls_add(const char *name, const char *text, size_t len, int base_line, int base_col,
               diag_t *d);
/* Room for reading a file straight into the store: returns a buffer of `cap` bytes or NULL. */
char *cfg_ls_reserve(size_t *cap);
/* Adds a source whose text was read into the buffer given by cfg_ls_reserve. */
int cfg_ls_add_reserved(const char *name, size_t len, diag_t *d);
/* A stable copy of a file name for messages. */
const char *cfg_ls_intern(const char *s);

/* Applies keyboard-definition sources (least specific first) and builds the keyboard part. */
bool cfg_ls_keyboard(cfg_model_t *m, const int *srcs, int n, diag_t *d);
/* False (with an error) when no keyboard was loaded into `m` in this session. */
bool cfg_ls_in_session(cfg_model_t *m, const char *file, diag_t *d);
/* Applies a keymap source. */
bool cfg_ls_keymap(cfg_model_t *m, int src, diag_t *d);

#endif
