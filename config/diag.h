/* Diagnostics: errors and warnings with file, line and column, collected without allocation.
 * Printed as `file:line:col: error: message` followed by the offending line and a caret. */
#ifndef KESTREL_CONFIG_DIAG_H
#define KESTREL_CONFIG_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#ifndef DIAG_MAX
#define DIAG_MAX 64          /* messages kept; more are counted, not stored (the firmware keeps fewer) */
#endif
#define DIAG_MSG_MAX 240

enum diag_level { DIAG_ERROR = 0, DIAG_WARNING = 1, DIAG_NOTE = 2 };

typedef struct diag_msg {
    enum diag_level level;
    const char *file;   /* not owned; must outlive the diag */
    int line, col;      /* 1-based; 0 = unknown */
    char text[DIAG_MSG_MAX];
    char source[DIAG_MSG_MAX]; /* the offending line of the file, when known ("" otherwise) */
    int caret;                 /* character index of the caret inside `source`, -1 = none */
} diag_msg_t;

typedef struct diag {
    diag_msg_t msg[DIAG_MAX];
    int n;               /* stored */
    int errors, warnings;/* counted, including those not stored (notes are not counted) */
} diag_t;

void diag_init(diag_t *d);
/* `src`/`srclen` is the whole file text, used to quote line `line` (may be NULL). */
void diag_add(diag_t *d, enum diag_level lvl, const char *file, const char *src, size_t srclen,
              int line, int col, const char *fmt, ...) __attribute__((format(printf, 8, 9)));
void diag_vadd(diag_t *d, enum diag_level lvl, const char *file, const char *src, size_t srclen,
               int line, int col, const char *fmt, va_list ap);
/* Same, with the offending line already cut out: `text`/`len` is that line and `caret_byte` the
 * byte offset of the problem inside it (long lines are shown as a window around it). */
void diag_vadd_line(diag_t *d, enum diag_level lvl, const char *file, const char *text,
                    size_t len, size_t caret_byte, int line, int col, const char *fmt, va_list ap);

/* One message as text: "file:line:col: error: message\n  source\n  ^\n" (lines that are
 * unknown are left out). Returns the length (truncated to cap - 1). */
size_t diag_format(const diag_msg_t *m, char *buf, size_t cap);
/* Every stored message, then "... and N more" when some were not stored. */
size_t diag_format_all(const diag_t *d, char *buf, size_t cap);

#endif
