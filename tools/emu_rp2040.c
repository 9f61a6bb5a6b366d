/* The rp2040 back-end of `kestrel test --target rp2040` and `kestrel emulate`: each job runs on
 * the real generic firmware image, with the job's config image in its config region, in rp2040js
 * (emu/rp2040/harness.mjs), which boots it, enumerates it, plays the key events on the modelled
 * matrix pins and hands back the HID reports the host received. One Node process serves every
 * job of a run (jobs go as JSON lines, reports come back as lines: emu/rp2040/README.md). */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cfg.h"
#include "core/keycodes.h"
#include "tools/emu_rp2040.h"
#include "tools/report_fmt.h"
#include "tools/sim.h"

extern char **environ;

static struct {
    pid_t pid;
    FILE *to, *from;
    char firmware[PATH_MAX];
} node = {.pid = -1};

/* `dir` of the running kestrel binary (build/ or build/san/). */
static bool exe_dir(char *buf, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
    if (n <= 0) return false;
    buf[n] = 0;
    char *slash = strrchr(buf, '/');
    if (!slash) return false;
    *slash = 0;
    return true;
}

/* First existing file among `rel` paths tried next to the binary and one and two levels up. */
static bool find_near_exe(const char *env, const char *const *rel, char *out, size_t cap)
{
    const char *e = getenv(env);
    if (e && *e) {
        snprintf(out, cap, "%s", e);
        return access(out, R_OK) == 0;
    }
    char dir[PATH_MAX];
    if (!exe_dir(dir, sizeof dir)) return false;
    static const char *const ups[] = {"", "/..", "/../.."};
    for (size_t u = 0; u < 3; u++)
        for (size_t i = 0; rel[i]; i++) {
            snprintf(out, cap, "%s%s/%s", dir, ups[u], rel[i]);
            if (access(out, R_OK) == 0) return true;
        }
    return false;
}

bool emu_rp2040_firmware(char *out, size_t cap)
{
    static const char *const rel[] = {"fw/rp2040/kestrel-rp2040.bin", "build/fw/rp2040/kestrel-rp2040.bin", NULL};
    return find_near_exe("KESTREL_RP2040_FIRMWARE", rel, out, cap);
}

static bool find_harness(char *out, size_t cap)
{
    static const char *const rel[] = {"emu/rp2040/harness.mjs", NULL};
    return find_near_exe("KESTREL_RP2040_HARNESS", rel, out, cap);
}

static void node_stop(void)
{
    if (node.to) fclose(node.to);
    if (node.from) fclose(node.from);
    node.to = node.from = NULL;
    if (node.pid > 0) {
        kill(node.pid, SIGTERM);
        waitpid(node.pid, NULL, 0);
    }
    node.pid = -1;
}

static bool node_start(char *err, size_t errcap)
{
    char harness[PATH_MAX];
    if (!find_harness(harness, sizeof harness)) {
        snprintf(err, errcap, "rp2040 emulator: emu/rp2040/harness.mjs not found (set KESTREL_RP2040_HARNESS)");
        return false;
    }
    int in[2], out[2];
    if (pipe(in) || pipe(out)) {
        snprintf(err, errcap, "rp2040 emulator: pipe: %s", strerror(errno));
        return false;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    char *argv[] = {"node", harness, "serve", NULL};
    int rc = posix_spawnp(&node.pid, "node", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    if (rc) {
        close(in[1]);
        close(out[0]);
        node.pid = -1;
        snprintf(err, errcap, "rp2040 emulator: cannot run node: %s (run scripts/setup)", strerror(rc));
        return false;
    }
    node.to = fdopen(in[1], "w");
    node.from = fdopen(out[0], "r");
    static bool registered;
    if (!registered) {
        atexit(node_stop);
        signal(SIGPIPE, SIG_IGN);
        registered = true;
    }
    return node.to && node.from;
}

/* Scenario events are post-debounce (the host simulation has no debouncing), so the emulated
 * firmware runs the job's config with `debounce` 0: a release then reaches the engine in the scan
 * that sees it, as on the host. Debouncing itself is tested by the firmware's own tests. */
static bool config_for_emulation(const sim_config_t *c, uint8_t *img, size_t *len, char *err,
                                 size_t errcap)
{
    if (cfg_info8(&c->cfg, CFG_INFO_PROCESSOR) != CFG_PROC_RP2040) {
        snprintf(err, errcap, "the keyboard's processor is not RP2040");
        return false;
    }
    memcpy(img, c->image, c->image_len);
    *len = c->image_len;
    cfg_t t;
    if (cfg_open(&t, img, *len) != CFG_OK || t.count[CFG_SEC_SETTINGS] <= CFG_DEBOUNCE) {
        snprintf(err, errcap, "config image has no debounce setting to turn off for emulation");
        return false;
    }
    uint8_t *p = img + t.off[CFG_SEC_SETTINGS] + 2u * CFG_DEBOUNCE;
    p[0] = p[1] = 0;
    uint32_t crc = cfg_crc32(0, img + 16, *len - 16);
    for (int i = 0; i < 4; i++) img[12 + i] = (uint8_t)(crc >> (8 * i));
    return cfg_open(&t, img, *len) == CFG_OK;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    return -1;
}

/* "R <t_us> <ep> <hex> <received_us>" -> a report timed when the firmware queued it (EP1: boot
 * keyboard; EP2: report ID, then the report). */
static bool parse_report(const char *line, report_t *r)
{
    double t;
    unsigned ep;
    int off = 0;
    if (sscanf(line, "R %lf %u %n", &t, &ep, &off) != 2 || off == 0) return false;
    uint8_t d[64];
    size_t n = 0;
    for (const char *h = line + off; hexval(h[0]) >= 0 && hexval(h[1]) >= 0 && n < sizeof d; h += 2)
        d[n++] = (uint8_t)(hexval(h[0]) << 4 | hexval(h[1]));
    uint64_t us = t < 0 ? 0 : (uint64_t)(t + 0.5);
    if (ep == 1) return report_from_raw(r, REPORT_RAW_BOOT_KBD, d, n, us);
    if (ep != 2 || n < 1) return false;
    switch (d[0]) {
    case 1: return report_from_raw(r, REPORT_RAW_NKRO, d + 1, n - 1, us);
    case 2: return report_from_raw(r, REPORT_RAW_SYSTEM, d + 1, n - 1, us);
    case 3: return report_from_raw(r, REPORT_RAW_CONSUMER, d + 1, n - 1, us);
    case 4: return report_from_raw(r, REPORT_RAW_MOUSE, d + 1, n - 1, us);
    default: return false;
    }
}

int emu_rp2040_run(const sim_job_t *job, const char *firmware, sim_reports_t *out,
                   emu_rp2040_line_fn live, void *ctx, char *err, size_t errcap)
{
    static uint8_t img[CFG_MAX_IMAGE];
    size_t len;
    if (!config_for_emulation(job->config, img, &len, err, errcap)) return 2;
    if (node.pid < 0 && !node_start(err, errcap)) return 2;

    FILE *f = node.to;
    fprintf(f, "{\"image\":\"");
    for (const char *p = firmware; *p; p++) fprintf(f, (*p == '"' || *p == '\\') ? "\\%c" : "%c", *p);
    fprintf(f, "\",\"config\":\"");
    for (size_t i = 0; i < len; i++) fprintf(f, "%02x", img[i]);
    fprintf(f, "\",\"events\":[");
    unsigned cols = job->config->cfg.cols;
    for (size_t i = 0; i < job->nevents; i++) {
        const scn_event_t *e = &job->events[i];
        (void)cols;
        fprintf(f, "%s[%u,%u,%u,%d]", i ? "," : "", e->time_ms, e->row, e->col, e->pressed ? 1 : 0);
    }
    fprintf(f, "],\"end_ms\":%u,\"settle_ms\":%u,\"idle_ms\":%u", job->end_ms, job->settle_ms,
            job->idle_ms);
    /* KESTREL_RP2040_PCAP=FILE: the harness also writes the job's USB session there (usbmon). */
    const char *pcap = getenv("KESTREL_RP2040_PCAP");
    if (pcap && *pcap) {
        fprintf(f, ",\"pcap\":\"");
        for (const char *p = pcap; *p; p++) fprintf(f, (*p == '"' || *p == '\\') ? "\\%c" : "%c", *p);
        fprintf(f, "\"");
    }
    fprintf(f, "}\n");
    if (fflush(f) != 0) {
        node_stop();
        snprintf(err, errcap, "rp2040 emulator: the harness stopped");
        return 2;
    }

    char line[512];
    int rc = 0;
    err[0] = 0;
    for (;;) {
        if (!fgets(line, sizeof line, node.from)) {
            node_stop();
            snprintf(err, errcap, "rp2040 emulator: the harness stopped (node error above?)");
            return 2;
        }
        line[strcspn(line, "\n")] = 0;
        if (!strcmp(line, "D")) break;
        if (live) live(ctx, line);
        report_t r;
        if (line[0] == 'R') {
            if (!parse_report(line, &r)) {
                snprintf(err, errcap, "rp2040 emulator: unreadable report '%s'", line);
                rc = 2;
                continue;
            }
            sim_reports_push(out, &r);
        } else if (line[0] == 'A') {
            double t;
            unsigned kc;
            if (sscanf(line, "A %lf %x", &t, &kc) == 2) {
                memset(&r, 0, sizeof r);
                r.kind = REPORT_ACTION;
                r.usage = (uint16_t)kc;
                r.time_us = t < 0 ? 0 : (uint64_t)(t + 0.5);
                sim_reports_push(out, &r);
            }
        } else if (line[0] == 'E' && !err[0]) {
            snprintf(err, errcap, "rp2040 emulator: %s", line + 2);
            rc = 2;
        }
    }
    return rc;
}

int sim_rp2040_run(const sim_job_t *job, sim_reports_t *out, char *err, size_t errcap)
{
    if (!node.firmware[0] && !emu_rp2040_firmware(node.firmware, sizeof node.firmware)) {
        node.firmware[0] = 0;
        snprintf(err, errcap, "rp2040 emulator: build/fw/rp2040/kestrel-rp2040.bin not found "
                              "(run make, or set KESTREL_RP2040_FIRMWARE)");
        return 2;
    }
    return emu_rp2040_run(job, node.firmware, out, NULL, NULL, err, errcap);
}
