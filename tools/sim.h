/* Running scenarios and event scripts: building the config they describe into a validated image,
 * running the engine over their events on the host, and the back-end interface through which an
 * emulated target (`kestrel test --target ...`) runs the very same job. */
#ifndef KESTREL_TOOLS_SIM_H
#define KESTREL_TOOLS_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config/diag.h"
#include "config/model.h"
#include "core/cfg.h"
#include "tools/report_fmt.h"
#include "tools/scenario.h"

#define SIM_DEFAULT_KEYBOARD "builtin:test4x10"
#define SIM_SETTLE_MS 10000u       /* how long a run continues after its last event (SPEC §5) */
#define SIM_TARGET_TOLERANCE_US 2000u /* emulated report times may differ this much (SPEC §5) */

/* A loaded config: the model, its image, and the opened image the engine reads. Large (the
 * image buffer alone is 64 KiB): allocate it with sim_config_new(). */
typedef struct sim_config {
    cfg_model_t model;
    uint8_t image[CFG_MAX_IMAGE];
    size_t image_len;
    cfg_t cfg;
    char *paths[4];   /* file names the diag points at; they must outlive it */
    size_t npaths;
} sim_config_t;

sim_config_t *sim_config_new(void);
void sim_config_free(sim_config_t *c);

/* The config a scenario describes: its keyboard (default builtin:test4x10), its keymap file or
 * inline layers, then its config lines in file order. Errors and warnings go to the diag. */
bool sim_config_from_scenario(sim_config_t *c, const scn_t *s, diag_t *d);
/* `kestrel sim`: a keyboard and a keymap file, then the event script's config lines (may be
 * NULL). */
bool sim_config_from_files(sim_config_t *c, const char *keyboard, const char *keymap,
                           const scn_t *events, diag_t *d);
/* Every event's R,C inside the keyboard's matrix. */
bool sim_check_events(const sim_config_t *c, const scn_t *s, scn_error_t *err);

/* Prints a diag as `file:line:col: error: message`, the offending line and a caret. */
void sim_print_diag(FILE *f, const diag_t *d);
/* The same text into a buffer (for expect-error matching); returns the length. */
size_t sim_format_diag(const diag_t *d, char *buf, size_t cap);

/* The command line `kestrel sim` and `kestrel emulate` share: --keyboard, --keymap, --text,
 * (--trace where allowed) and one event script (default stdin). */
typedef struct sim_cli {
    const char *keyboard, *keymap, *events;
    bool trace, text;
} sim_cli_t;

/* Returns -1 when the command should go on, else the exit status (0 after --help). */
int sim_cli_parse(const char *cmd, int argc, char **argv, bool allow_trace, void (*usage)(FILE *),
                  sim_cli_t *cli);
/* Parses the event script and loads the config it runs on, printing every error and warning.
 * False (exit status 2) when anything is wrong; *s and *c are then released. */
bool sim_cli_load(const char *cmd, const sim_cli_t *cli, scn_t *s, sim_config_t **c);

typedef struct sim_reports {
    report_t *v;
    size_t n, cap;
} sim_reports_t;

void sim_reports_push(sim_reports_t *l, const report_t *r);
void sim_reports_free(sim_reports_t *l);

/* One run: a config and a timeline. The same job goes to the host engine or to an emulator. */
typedef struct sim_job {
    const char *name;              /* the scenario or event file, for messages */
    const sim_config_t *config;
    const scn_event_t *events;     /* time-ordered; matrix position = row * cols + col */
    size_t nevents;
    uint32_t end_ms;               /* the time after the last statement */
    uint32_t settle_ms;            /* keep running while timers are pending, at most this long
                                      after end_ms */
    uint32_t idle_ms;              /* when the host engine went quiet (0 = unknown); a hint for
                                      emulators, which cannot see the engine's timers */
} sim_job_t;

typedef struct sim_host_opts {
    FILE *live;       /* print every line as it happens (NULL: only collect) */
    bool trace;       /* also print the engine's decisions to `live` */
} sim_host_opts_t;

/* Runs the job on the host engine. Returns 0, or 2 with a reason in err. *idle_ms (may be NULL)
 * receives the time the engine had no timer left (or the cap). */
int sim_host_run(const sim_job_t *job, const sim_host_opts_t *opts, sim_reports_t *out,
                 uint32_t *idle_ms, char *err, size_t errcap);

/* A place that runs jobs. Emulated back-ends (rp2040, atmega32u4) are separate files that define
 * sim_<target>_run(); until one is linked in, its target reports that it is not available. */
typedef struct sim_backend {
    const char *target;       /* "host", "rp2040", "atmega32u4" */
    bool emulated;            /* times in µs, printed with three decimals, compared within ±2 ms */
    int (*run)(const sim_job_t *job, sim_reports_t *out, char *err, size_t errcap);
} sim_backend_t;

/* NULL when the target is unknown; run == NULL when it is known but not built in. */
const sim_backend_t *sim_backend_find(const char *target);
int sim_rp2040_run(const sim_job_t *job, sim_reports_t *out, char *err, size_t errcap);
int sim_atmega32u4_run(const sim_job_t *job, sim_reports_t *out, char *err, size_t errcap);

/* Decodes keyboard reports into the text a US-layout host would type (key-down edges; Shift
 * for capitals and symbols; Enter as a newline; Backspace deletes; other keys as <NAME>). */
size_t sim_text_decode(const report_t *r, size_t n, char *buf, size_t cap);

#endif
