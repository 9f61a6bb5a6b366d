/* kestrel test — runs scenario files (SPEC §5) on the host engine or an emulated target, prints
 * PASS/FAIL per file with a diff of expected and actual lines, and `N passed, N failed` last. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tools/commands.h"
#include "tools/sim.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kestrel test [--target host|rp2040|atmega32u4] [--trace] [--quiet] FILE|DIR...\n"
            "\n"
            "Runs scenario files (*.scn; folders are searched recursively) and compares the reports\n"
            "with each file's `expect` block, or its `expect-error` block with the errors. Prints\n"
            "`PASS file` or `FAIL file` with a diff (- expected, + actual) for each, and\n"
            "`N passed, N failed` as the last line.\n"
            "\n"
            "options:\n"
            "  --target T  host (default) runs the engine natively; rp2040 and atmega32u4 run the\n"
            "              real firmware in the target's emulator (times match within 2 ms)\n"
            "  --trace     on a failure, also show the host engine's decisions for that file\n"
            "  --quiet     print only failures and the summary\n"
            "  --help      this text\n"
            "\n"
            "exit status: 0 all passed, 1 a scenario failed, 2 bad input (a scenario that does not\n"
            "parse or load, an unknown file) or usage\n");
}

typedef struct files {
    char **v;
    size_t n, cap;
} files_t;

static void files_add(files_t *f, const char *path)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->v = realloc(f->v, f->cap * sizeof *f->v);
        if (!f->v) {
            fprintf(stderr, "kestrel: out of memory\n");
            exit(2);
        }
    }
    f->v[f->n++] = strdup(path);
}

static void files_free(files_t *f)
{
    for (size_t i = 0; i < f->n; i++) free(f->v[i]);
    free(f->v);
    memset(f, 0, sizeof *f);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Collects *.scn below `dir` in name order, so runs are reproducible. */
static bool collect(files_t *f, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return false;
    files_t here = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        size_t n = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (!p) exit(2);
        snprintf(p, n, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", e->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && (S_ISDIR(st.st_mode) || ends_with(p, ".scn"))) files_add(&here, p);
        free(p);
    }
    closedir(d);
    qsort(here.v, here.n, sizeof *here.v, cmp_str);
    for (size_t i = 0; i < here.n; i++) {
        struct stat st;
        if (stat(here.v[i], &st) == 0 && S_ISDIR(st.st_mode))
            collect(f, here.v[i]);
        else
            files_add(f, here.v[i]);
        free(here.v[i]);
    }
    free(here.v);
    return true;
}

/* Longest-common-subsequence diff of expected and actual lines, printed unified-style. */
static void print_diff(const scn_t *s, const sim_reports_t *a, bool emulated, uint64_t tol)
{
    size_t n = s->nexpect, m = a->n;
    size_t w = m + 1;
    unsigned *L = calloc((n + 1) * (m + 1), sizeof *L);
    if (!L) exit(2);
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            L[i * w + j] = report_matches(&s->expect[i].e, &a->v[j], tol)
                               ? L[(i + 1) * w + j + 1] + 1
                               : (L[(i + 1) * w + j] > L[i * w + j + 1] ? L[(i + 1) * w + j]
                                                                      : L[i * w + j + 1]);
    printf("  --- expected (%s:%d)\n  +++ actual (%s)\n", s->path, s->expect_line,
           emulated ? "emulated" : "host");
    size_t i = 0, j = 0;
    char line[256];
    while (i < n || j < m) {
        if (i < n && j < m && report_matches(&s->expect[i].e, &a->v[j], tol)) {
            report_format(&a->v[j], emulated, line, sizeof line);
            printf("   %s\n", line);
            i++, j++;
        } else if (j < m && (i == n || L[i * w + j + 1] >= L[(i + 1) * w + j])) {
            report_format(&a->v[j], emulated, line, sizeof line);
            printf("  +%s\n", line);
            j++;
        } else {
            printf("  -%.*s\n", (int)s->expect[i].text.n, s->expect[i].text.s);
            i++;
        }
    }
    free(L);
}

enum outcome { PASSED, FAILED, BAD_INPUT };

static enum outcome check_expect_error(const scn_t *s, const char *errtext, bool quiet)
{
    bool ok = errtext[0] != '\0';
    for (size_t i = 0; i < s->nexpect_error && ok; i++) {
        char sub[512];
        const scn_text_t *t = &s->expect_error[i];
        size_t k = t->n < sizeof sub - 1 ? t->n : sizeof sub - 1;
        memcpy(sub, t->s, k);
        sub[k] = '\0';
        if (!strstr(errtext, sub)) ok = false;
    }
    if (ok) {
        if (!quiet) printf("PASS %s\n", s->path);
        return PASSED;
    }
    printf("FAIL %s\n", s->path);
    if (!errtext[0]) {
        printf("  expected an error, but the scenario loaded without one\n");
    } else {
        printf("  the error output does not contain every expected line:\n");
        for (size_t i = 0; i < s->nexpect_error; i++) {
            const scn_text_t *t = &s->expect_error[i];
            printf("    %s%.*s\n", "", (int)t->n, t->s);
        }
        printf("  error output:\n");
        for (const char *p = errtext; *p;) {
            size_t n = strcspn(p, "\n");
            printf("    %.*s\n", (int)n, p);
            p += n + (p[n] == '\n');
        }
    }
    return FAILED;
}

static enum outcome run_file(const char *path, const sim_backend_t *be, bool trace, bool quiet)
{
    scn_t s;
    scn_error_t perr;
    static diag_t d;
    static char errtext[65536];
    enum outcome res;
    if (!scn_parse_file(&s, path, SCN_SCENARIO, &perr)) {
        printf("FAIL %s\n", path);
        fflush(stdout);
        scn_print_error(stderr, &s, &perr);
        scn_free(&s);
        return BAD_INPUT;
    }
    sim_config_t *c = sim_config_new();
    diag_init(&d);
    errtext[0] = '\0';
    bool loaded = sim_config_from_scenario(c, &s, &d) && d.errors == 0;
    if (!loaded) {
        sim_format_diag(&d, errtext, sizeof errtext);
        if (!errtext[0]) snprintf(errtext, sizeof errtext, "%s: error: the config could not be loaded\n", path);
    } else if (!sim_check_events(c, &s, &perr)) {
        snprintf(errtext, sizeof errtext, "%s:%d:%d: error: %s\n", path, perr.line, perr.col, perr.msg);
        loaded = false;
    }
    if (s.has_expect_error) {
        res = check_expect_error(&s, errtext, quiet);
        goto done;
    }
    if (!loaded) {
        printf("FAIL %s\n", path);
        fflush(stdout);
        fputs(errtext, stderr);
        res = BAD_INPUT;
        goto done;
    }

    sim_job_t job = {path, c, s.events, s.nevents, s.end_ms, SIM_SETTLE_MS, 0};
    sim_reports_t out = {0};
    char err[256] = "";
    if (be->emulated) {
        /* The emulators cannot see the engine's timers; tell them when the host run went quiet. */
        sim_reports_t host = {0};
        if (sim_host_run(&job, NULL, &host, &job.idle_ms, err, sizeof err) != 0) job.idle_ms = 0;
        sim_reports_free(&host);
    }
    int rc = be->run(&job, &out, err, sizeof err);
    if (rc != 0) {
        printf("FAIL %s\n", path);
        fflush(stdout);
        fprintf(stderr, "%s: error: %s\n", path, err[0] ? err : "the run failed");
        sim_reports_free(&out);
        res = BAD_INPUT;
        goto done;
    }
    uint64_t tol = be->emulated ? SIM_TARGET_TOLERANCE_US : 0;
    bool same = out.n == s.nexpect;
    for (size_t i = 0; same && i < out.n; i++)
        if (!report_matches(&s.expect[i].e, &out.v[i], tol)) same = false;
    if (same) {
        if (!quiet) printf("PASS %s\n", path);
        res = PASSED;
    } else {
        printf("FAIL %s\n", path);
        print_diff(&s, &out, be->emulated, tol);
        if (trace) {
            printf("  trace (host engine):\n");
            fflush(stdout);
            sim_reports_t again = {0};
            sim_host_opts_t opts = {stdout, true};
            sim_host_run(&job, &opts, &again, NULL, err, sizeof err);
            sim_reports_free(&again);
        }
        res = FAILED;
    }
    sim_reports_free(&out);
done:
    sim_config_free(c);
    scn_free(&s);
    return res;
}

int cmd_test(int argc, char **argv)
{
    const char *target = "host";
    bool trace = false, quiet = false;
    files_t files = {0};
    int rc = 2; /* every early exit below is bad usage */
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            rc = 0;
            goto out;
        } else if (!strcmp(a, "--target")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "kestrel test: --target needs a value (host, rp2040, atmega32u4)\n");
                goto out;
            }
            target = argv[++i];
        } else if (!strncmp(a, "--target=", 9)) {
            target = a + 9;
        } else if (!strcmp(a, "--trace")) {
            trace = true;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            quiet = true;
        } else if (a[0] == '-') {
            fprintf(stderr, "kestrel test: unknown option '%s' (try kestrel test --help)\n", a);
            goto out;
        } else {
            struct stat st;
            if (stat(a, &st) != 0) {
                fprintf(stderr, "kestrel test: %s: no such file or folder\n", a);
                goto out;
            }
            if (S_ISDIR(st.st_mode)) {
                if (!collect(&files, a)) {
                    fprintf(stderr, "kestrel test: %s: cannot read the folder\n", a);
                    goto out;
                }
            } else {
                files_add(&files, a);
            }
        }
    }
    const sim_backend_t *be = sim_backend_find(target);
    if (!be) {
        fprintf(stderr, "kestrel test: unknown target '%s' (expected host, rp2040 or atmega32u4)\n",
                target);
        goto out;
    }
    if (!be->run) {
        fprintf(stderr, "kestrel test: the %s emulator back-end is not part of this build yet; "
                        "only --target host runs\n", target);
        goto out;
    }
    if (files.n == 0) {
        fprintf(stderr, "kestrel test: no scenario files given (try kestrel test --help)\n");
        goto out;
    }
    unsigned passed = 0, failed = 0;
    bool bad = false;
    for (size_t i = 0; i < files.n; i++) {
        enum outcome o = run_file(files.v[i], be, trace, quiet);
        if (o == PASSED) passed++;
        else failed++;
        if (o == BAD_INPUT) bad = true;
        fflush(stdout);
    }
    printf("%u passed, %u failed\n", passed, failed);
    rc = bad ? 2 : failed ? 1 : 0;
out:
    files_free(&files);
    return rc;
}
