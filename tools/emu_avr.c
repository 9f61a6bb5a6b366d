/* The ATmega32U4 back-end of `kestrel test --target atmega32u4` and `kestrel emulate`: puts the
 * job's config (rewired to the AVR test keyboard when it is the builtin 4x10) into the generic
 * firmware image, runs it in the simavr harness (build/emu/avr-harness) and turns the raw HID
 * reports the harness prints back into report_t, decoding them by the device's own report
 * descriptors. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/avr_images.h"
#include "config/load.h"
#include "tools/emu_avr.h"
#include "tools/sim.h"

#define AVR_TAIL_MS 40u /* after the host engine went idle: debounce + queued reports + polls */

static void errf(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

/* The build directory this kestrel binary lives in (build/), where the harness and the generic
 * image are; KESTREL_BUILD_DIR overrides it. */
static bool build_dir(char *out, size_t cap)
{
    const char *env = getenv("KESTREL_BUILD_DIR");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return true;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return false;
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash) return false;
    *slash = 0;
    /* build/kestrel and build/san/kestrel both find build/. */
    size_t l = strlen(exe);
    if (l >= 4 && strcmp(exe + l - 4, "/san") == 0) exe[l - 4] = 0;
    snprintf(out, cap, "%s", exe);
    return true;
}

/* The chip's pins in the order a scenario keyboard that names no ATmega32U4 pins is wired to
 * them: the Pro Micro's 18 edge pins first (as keyboards/test4x10_avr uses them), then the rest of
 * the 26. */
static const char avr_pin_order[][3] = {"D0", "D1", "D2", "D3", "F4", "F5", "F6", "F7", "B1",
                                        "B3", "B2", "B6", "B4", "B5", "D4", "C6", "D7", "E6",
                                        "B0", "B7", "D5", "C7", "F0", "F1", "D6", "E2"};
#define AVR_NPINS (sizeof avr_pin_order / sizeof avr_pin_order[0])

static uint8_t avr_pin(unsigned i)
{
    const char *n = avr_pin_order[i];
    return (uint8_t)((n[0] - 'A') << 3 | (n[1] - '0'));
}

/* A scenario's keyboard on this chip. An ATmega32U4 keyboard is used as is. builtin:test4x10 is
 * rewired as keyboards/test4x10_avr (same matrix, the chip's pins). Any other keyboard keeps its
 * matrix and gets the chip's pins in avr_pin_order (rows then columns, or one per direct key):
 * the scenario is about the engine, and the wiring only has to be one the chip can scan. */
static bool avr_wiring(cfg_model_t *m, const char *bdir, char *err, size_t cap)
{
    if (m->processor == CFG_PROC_ATMEGA32U4) return true;
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/../keyboards/test4x10_avr/keyboard.json", bdir);
    bool ok = true;
    if (m->rows == 4 && m->cols == 10 && m->matrix_kind == CFG_MATRIX_GRID && access(path, R_OK) == 0) {
        cfg_model_t *avr = malloc(sizeof *avr);
        diag_t *d = malloc(sizeof *d);
        ok = avr && d;
        if (ok) {
            cfg_model_init(avr);
            diag_init(d);
            ok = cfg_load_keyboard(avr, path, d);
            if (!ok) errf(err, cap, "%s: %s", path, d->n ? d->msg[0].text : "cannot be loaded");
        }
        if (ok) {
            m->bootloader = avr->bootloader;
            m->diode = avr->diode;
            m->io_delay_us = avr->io_delay_us;
            memcpy(m->row_pins, avr->row_pins, sizeof m->row_pins);
            memcpy(m->col_pins, avr->col_pins, sizeof m->col_pins);
        }
        free(avr);
        free(d);
    } else if (m->matrix_kind == CFG_MATRIX_DIRECT) {
        unsigned k = 0;
        for (unsigned p = 0; p < (unsigned)m->rows * m->cols && ok; p++) {
            if (m->direct_pins[p] == CFG_PIN_NONE) continue;
            if (k == AVR_NPINS) ok = false;
            else m->direct_pins[p] = avr_pin(k++);
        }
        if (!ok) errf(err, cap, "this scenario's keyboard has more direct pins than the chip's %u",
                      (unsigned)AVR_NPINS);
    } else if ((unsigned)m->rows + m->cols > AVR_NPINS) {
        errf(err, cap, "this scenario's %ux%u matrix needs %u pins; the chip has %u", m->rows, m->cols,
             m->rows + m->cols, (unsigned)AVR_NPINS);
        ok = false;
    } else {
        for (unsigned i = 0; i < m->rows; i++) m->row_pins[i] = avr_pin(i);
        for (unsigned i = 0; i < m->cols; i++) m->col_pins[i] = avr_pin(m->rows + i);
    }
    if (ok) {
        m->processor = CFG_PROC_ATMEGA32U4;
        if (m->bootloader == CFG_BOOT_UNKNOWN || m->bootloader == CFG_BOOT_RP2040 ||
            m->bootloader == CFG_BOOT_TINYUF2)
            m->bootloader = CFG_BOOT_CATERINA;
    }
    return ok;
}

/* ---- decoding the device's reports ----------------------------------------------------------- */

typedef struct avr_iface {
    uint8_t ep, boot;
    uint8_t kind_by_id[256]; /* 0 = unknown, else enum report_raw_kind + 1; id 0 = no report IDs */
    bool has_ids;
} avr_iface_t;

/* Which application collection each report ID belongs to, from a HID report descriptor. */
static void parse_report_desc(avr_iface_t *f, const uint8_t *d, size_t n)
{
    uint16_t page = 0, usage = 0;
    uint8_t id = 0, app = 0;
    int depth = 0;
    for (size_t i = 0; i < n;) {
        uint8_t b = d[i];
        if (b == 0xFE) { /* long item */
            if (i + 1 >= n) break;
            i += 3u + d[i + 1];
            continue;
        }
        size_t sz = (b & 3) == 3 ? 4 : (b & 3);
        if (i + 1 + sz > n) break;
        uint32_t v = 0;
        for (size_t k = 0; k < sz; k++) v |= (uint32_t)d[i + 1 + k] << (8 * k);
        uint8_t type = (b >> 2) & 3, tag = b >> 4;
        if (type == 1 && tag == 0) page = (uint16_t)v;
        else if (type == 1 && tag == 8) {
            id = (uint8_t)v;
            f->has_ids = true;
        } else if (type == 2 && tag == 0) usage = (uint16_t)v;
        else if (type == 0 && tag == 0xA) {
            if (depth++ == 0 && v == 1) {
                app = 0;
                if (page == 1 && usage == 6) app = REPORT_RAW_NKRO + 1;
                else if (page == 1 && usage == 2) app = REPORT_RAW_MOUSE + 1;
                else if (page == 1 && usage == 0x80) app = REPORT_RAW_SYSTEM + 1;
                else if (page == 0x0C && usage == 1) app = REPORT_RAW_CONSUMER + 1;
            }
        } else if (type == 0 && tag == 0xC) {
            if (depth > 0) depth--;
        }
        if (type == 0 && depth > 0 && tag >= 8 && tag <= 0xB && app && !f->kind_by_id[id])
            f->kind_by_id[id] = app;
        if (type == 0) usage = 0; /* local items end with each main item */
        i += 1 + sz;
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (n < cap && hexval(s[0]) >= 0 && hexval(s[1]) >= 0) {
        out[n++] = (uint8_t)(hexval(s[0]) << 4 | hexval(s[1]));
        s += 2;
    }
    return n;
}

static uint64_t ms_to_us(double ms)
{
    return ms <= 0 ? 0 : (uint64_t)(ms * 1000.0 + 0.5);
}

/* One line of harness output. Returns false on a line it cannot make sense of. */
static bool take_line(char *line, avr_iface_t *ifs, int *nif, sim_reports_t *out)
{
    unsigned num, cls, sub, proto, ep;
    char hex[1100];
    if (sscanf(line, "iface %u %u %u %u %x %1099s", &num, &cls, &sub, &proto, &ep, hex) == 6) {
        if (*nif >= 8) return false;
        avr_iface_t *f = &ifs[(*nif)++];
        memset(f, 0, sizeof *f);
        f->ep = (uint8_t)ep;
        f->boot = cls == 3 && sub == 1 && proto == 1;
        uint8_t desc[550];
        size_t n = unhex(hex, desc, sizeof desc);
        parse_report_desc(f, desc, n);
        return true;
    }
    double t;
    char word[32];
    if (sscanf(line, "%lf bootloader %31s", &t, word) == 2) {
        report_t r = {.kind = REPORT_ACTION, .time_us = ms_to_us(t), .usage = QK_BOOT};
        sim_reports_push(out, &r);
        return true;
    }
    if (sscanf(line, "%lf reset %31s", &t, word) == 2) {
        report_t r = {.kind = REPORT_ACTION, .time_us = ms_to_us(t), .usage = QK_REBOOT};
        sim_reports_push(out, &r);
        return true;
    }
    if (sscanf(line, "%lf %x %1099s", &t, &ep, hex) != 3) return false;
    const avr_iface_t *f = NULL;
    for (int i = 0; i < *nif; i++)
        if (ifs[i].ep == ep) f = &ifs[i];
    if (!f) return false;
    uint8_t data[64];
    size_t n = unhex(hex, data, sizeof data);
    const uint8_t *p = data;
    uint8_t id = 0;
    if (f->has_ids && n > 0) {
        id = data[0];
        p++;
        n--;
    }
    uint8_t k = f->kind_by_id[id];
    if (!k) return true; /* a report this tool does not print (raw HID, vendor pages) */
    enum report_raw_kind kind = (enum report_raw_kind)(k - 1);
    if (kind == REPORT_RAW_NKRO && (f->boot || n == 8)) kind = REPORT_RAW_BOOT_KBD;
    report_t r;
    if (!report_from_raw(&r, kind, p, n, ms_to_us(t))) return false;
    sim_reports_push(out, &r);
    return true;
}

/* ---- running the harness --------------------------------------------------------------------- */

static bool write_file(const char *path, const void *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(buf, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

int emu_avr_run_image(const char *image, const uint8_t *cfg, size_t cfglen, const char *events,
                      double tail_ms, const char *extra_arg, sim_reports_t *out, FILE *raw,
                      char *err, size_t errcap)
{
    char bdir[PATH_MAX], harness[PATH_MAX + 32];
    if (!build_dir(bdir, sizeof bdir)) {
        errf(err, errcap, "cannot find the build directory (set KESTREL_BUILD_DIR)");
        return 2;
    }
    snprintf(harness, sizeof harness, "%s/emu/avr-harness", bdir);
    if (access(harness, X_OK) != 0) {
        errf(err, errcap, "%s is missing (run make)", harness);
        return 2;
    }
    char cfgpath[] = "/tmp/kestrel-avr-cfg-XXXXXX", evpath[] = "/tmp/kestrel-avr-ev-XXXXXX";
    char errpath[] = "/tmp/kestrel-avr-err-XXXXXX";
    int fc = cfg ? mkstemp(cfgpath) : -1, fe = mkstemp(evpath), fr = mkstemp(errpath);
    if ((cfg && fc < 0) || fe < 0 || fr < 0) {
        errf(err, errcap, "cannot create temporary files: %s", strerror(errno));
        return 2;
    }
    if (fc >= 0) close(fc);
    close(fe);
    int rc = 2;
    FILE *p = NULL;
    if ((cfg && !write_file(cfgpath, cfg, cfglen)) || !write_file(evpath, events, strlen(events))) {
        errf(err, errcap, "cannot write temporary files: %s", strerror(errno));
        goto done;
    }
    int pfd[2];
    if (pipe(pfd) != 0) {
        errf(err, errcap, "pipe: %s", strerror(errno));
        goto done;
    }
    pid_t pid = fork();
    if (pid < 0) {
        errf(err, errcap, "fork: %s", strerror(errno));
        close(pfd[0]);
        close(pfd[1]);
        goto done;
    }
    if (pid == 0) {
        dup2(pfd[1], 1);
        const char *tr = getenv("KESTREL_AVR_TRACE");
        if (!tr || *tr != '1') dup2(fr, 2);
        close(pfd[0]);
        close(pfd[1]);
        char tail[32];
        snprintf(tail, sizeof tail, "%.3f", tail_ms);
        const char *argv[16];
        int a = 0;
        argv[a++] = harness;
        if (cfg) {
            argv[a++] = "--config";
            argv[a++] = cfgpath;
        }
        argv[a++] = "--events";
        argv[a++] = evpath;
        argv[a++] = "--tail";
        argv[a++] = tail;
        if (extra_arg) argv[a++] = extra_arg;
        const char *times = getenv("KESTREL_AVR_TIMES");
        if (times && *times) argv[a++] = "-v"; /* for the stack depth below */
        /* KESTREL_AVR_TRACE=1: the harness's own account (enumeration, probes, stack) on stderr. */
        const char *trace = getenv("KESTREL_AVR_TRACE");
        if (trace && *trace == '1') {
            argv[a++] = "-v";
            argv[a++] = "--probes";
        }
        argv[a++] = image;
        argv[a] = NULL;
        execv(harness, (char *const *)argv);
        _exit(127);
    }
    close(pfd[1]);
    p = fdopen(pfd[0], "r");
    avr_iface_t ifs[8];
    int nif = 0;
    char line[1400];
    bool bad = false;
    while (p && fgets(line, sizeof line, p)) {
        if (raw) fputs(line, raw);
        if (!take_line(line, ifs, &nif, out) && !bad) {
            bad = true;
            line[strcspn(line, "\n")] = 0;
            errf(err, errcap, "unexpected harness output: %.200s", line);
        }
    }
    int st = 0;
    waitpid(pid, &st, 0);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    if (code != 0) {
        char msg[600] = "";
        FILE *e = fopen(errpath, "r");
        size_t n = e ? fread(msg, 1, sizeof msg - 1, e) : 0;
        if (e) fclose(e);
        msg[n] = 0;
        msg[strcspn(msg, "\n")] = 0; /* the first complaint is the one that matters */
        errf(err, errcap, "the ATmega32U4 emulation failed: %s", msg[0] ? msg : "harness exited abnormally");
        rc = code == 2 ? 2 : 1;
    } else {
        rc = bad ? 1 : 0;
    }
    /* KESTREL_AVR_TIMES: the run's deepest stack too (the harness's -v account). */
    const char *times = getenv("KESTREL_AVR_TIMES");
    FILE *tf = times && *times ? fopen(times, "a") : NULL, *e = tf ? fopen(errpath, "r") : NULL;
    unsigned sp;
    while (e && fgets(line, sizeof line, e))
        if (sscanf(line, "# lowest stack pointer 0x%x", &sp) == 1) fprintf(tf, "# sp 0x%04x\n", sp);
    if (e) fclose(e);
    if (tf) fclose(tf);
done:
    if (p) fclose(p);
    close(fr);
    if (cfg) unlink(cfgpath);
    unlink(evpath);
    unlink(errpath);
    return rc;
}

int sim_atmega32u4_run(const sim_job_t *job, sim_reports_t *out, char *err, size_t errcap)
{
    char bdir[PATH_MAX], image[PATH_MAX + 64];
    if (!build_dir(bdir, sizeof bdir)) {
        errf(err, errcap, "cannot find the build directory (set KESTREL_BUILD_DIR)");
        return 2;
    }
    cfg_model_t *m = malloc(sizeof *m);
    uint8_t *img = malloc(CFG_MAX_IMAGE);
    size_t cap = 64 + job->nevents * 32;
    char *ev = malloc(cap);
    int rc = 2;
    if (!m || !img || !ev) {
        errf(err, errcap, "out of memory");
        goto done;
    }
    *m = job->config->model;
    /* the image with the behaviours the scenario's keymap uses, as `kestrel build` picks it */
    snprintf(image, sizeof image, "%s/fw/atmega32u4/kestrel-atmega32u4%s.hex", bdir,
             cfg_avr_image_for(cfg_features_used(m), NULL)->suffix);
    if (!avr_wiring(m, bdir, err, errcap)) goto done;
    /* Scenario events are post-debounce (the host simulation has none), so the firmware runs
     * without it: a release reaches the engine in the scan that sees it, as on the host. */
    m->settings[CFG_DEBOUNCE] = 0;
    size_t n = cfg_image_write(m, img, CFG_MAX_IMAGE);
    if (!n) {
        errf(err, errcap, "the config does not fit a config image");
        goto done;
    }
    /* The timeline as the harness reads it: waits between events, in scenario order. */
    size_t len = 0;
    uint32_t t = 0;
    for (size_t i = 0; i < job->nevents; i++) {
        const scn_event_t *e = &job->events[i];
        if (e->time_ms > t) len += (size_t)snprintf(ev + len, cap - len, "wait %u\n", e->time_ms - t);
        t = e->time_ms > t ? e->time_ms : t;
        len += (size_t)snprintf(ev + len, cap - len, "%s %u %u\n", e->pressed ? "press" : "release",
                                e->row, e->col);
    }
    /* Run until the host engine went quiet (plus the target's own latencies), or the cap. */
    uint32_t end = job->end_ms;
    if (job->idle_ms > end) end = job->idle_ms;
    if (!job->idle_ms) end = job->end_ms + job->settle_ms;
    double tail = (double)(end - t) + AVR_TAIL_MS;
    const char *trace = getenv("KESTREL_AVR_TRACE");
    if (trace && *trace == '1') {
        fprintf(stderr, "# events:\n%s# tail %.3f ms; config image in /tmp/kestrel-avr-trace.cfg\n", ev, tail);
        write_file("/tmp/kestrel-avr-trace.cfg", img, n);
    }
    size_t first = out->n;
    rc = emu_avr_run_image(image, img, n, ev, tail, NULL, out, NULL, err, errcap);
    /* KESTREL_AVR_TIMES=FILE: every run's report lines appended there, with their times
     * (bench/avr-margin.sh pairs them with the expected times to measure how late the chip is;
     * two runs' files diff to show the emulation is deterministic). */
    const char *times = getenv("KESTREL_AVR_TIMES");
    FILE *tf = times && *times && rc == 0 ? fopen(times, "a") : NULL;
    if (tf) {
        fprintf(tf, "# %s\n", job->name);
        char line[200];
        for (size_t i = first; i < out->n; i++) {
            report_format(&out->v[i], true, line, sizeof line);
            fprintf(tf, "%s\n", line);
        }
        fclose(tf);
    }
done:
    free(m);
    free(img);
    free(ev);
    return rc;
}
