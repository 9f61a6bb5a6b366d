/* kestrel sim — runs the engine on the host over an event script and prints the reports it sends
 * (SPEC §4, §6); with --trace also the engine's decisions, with --text the typed text. */
#include <stdlib.h>
#include <string.h>

#include "tools/commands.h"
#include "tools/sim.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kestrel sim --keyboard KEYBOARD --keymap KEYMAP.json [options] [EVENTS]\n"
            "\n"
            "Runs the engine on the host over an event script (a file, or stdin when EVENTS is\n"
            "missing or -) and prints one line per HID report the keyboard sends:\n"
            "  <ms> kbd MODS KEYS | -     <ms> consumer USAGE | -     <ms> system USAGE | -\n"
            "  <ms> mouse b=B x=X y=Y v=V h=H     <ms> action KEYCODE (QK_BOOT, QK_REBOOT, ...)\n"
            "\n"
            "Event script, one statement per line, # starts a comment:\n"
            "  press R,C | release R,C    a key at matrix row R, column C goes down / up\n"
            "  tap R,C [HOLD_MS]          press, wait HOLD_MS (default 1), release\n"
            "  wait MS                    time passes (events themselves take no time)\n"
            "  config KEY VALUE           a setting (dotted keyboard.json name, JSON value),\n"
            "                             before the first event; e.g. config tapping.term 180\n"
            "After the last event the run continues while the engine has timers pending (at most\n"
            "10 s). Events are post-debounce: debouncing is not part of the host simulation.\n"
            "\n"
            "options:\n"
            "  --keyboard K   keyboard.json / info.json, a QMK keyboard folder, or builtin:test4x10\n"
            "  --keymap M     keymap.json\n"
            "  --trace        also print the engine's decisions (\"<ms> trace ...\")\n"
            "  --text         after the reports, print the text a US-layout host would type\n"
            "  --help         this text\n"
            "\n"
            "exit status: 0 ran, 2 bad input or usage\n");
}

int cmd_sim(int argc, char **argv)
{
    const char *keyboard = NULL, *keymap = NULL, *events = NULL;
    bool trace = false, text = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--keyboard") || !strcmp(a, "--keymap")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "kestrel sim: %s needs a value\n", a);
                return 2;
            }
            if (!strcmp(a, "--keyboard")) keyboard = argv[++i];
            else keymap = argv[++i];
        } else if (!strncmp(a, "--keyboard=", 11)) {
            keyboard = a + 11;
        } else if (!strncmp(a, "--keymap=", 9)) {
            keymap = a + 9;
        } else if (!strcmp(a, "--trace")) {
            trace = true;
        } else if (!strcmp(a, "--text")) {
            text = true;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "kestrel sim: unknown option '%s' (try kestrel sim --help)\n", a);
            return 2;
        } else if (events) {
            fprintf(stderr, "kestrel sim: one event script only ('%s' and '%s')\n", events, a);
            return 2;
        } else {
            events = a;
        }
    }
    if (!keyboard || !keymap) {
        fprintf(stderr, "kestrel sim: --keyboard and --keymap are required (try kestrel sim --help)\n");
        return 2;
    }
    if (!events) events = "-";

    scn_t s;
    scn_error_t perr;
    if (!scn_parse_file(&s, events, SCN_EVENTS, &perr)) {
        scn_print_error(stderr, &s, &perr);
        scn_free(&s);
        return 2;
    }
    sim_config_t *c = sim_config_new();
    static diag_t d;
    diag_init(&d);
    if (!sim_config_from_files(c, keyboard, keymap, &s, &d)) {
        sim_print_diag(stderr, &d);
        if (d.errors == 0) fprintf(stderr, "kestrel sim: the config could not be loaded\n");
        sim_config_free(c);
        scn_free(&s);
        return 2;
    }
    if (d.n) sim_print_diag(stderr, &d); /* warnings */
    if (!sim_check_events(c, &s, &perr)) {
        scn_print_error(stderr, &s, &perr);
        sim_config_free(c);
        scn_free(&s);
        return 2;
    }
    sim_job_t job = {events, c, s.events, s.nevents, s.end_ms, SIM_SETTLE_MS, 0};
    sim_host_opts_t opts = {stdout, trace};
    sim_reports_t out = {0};
    char err[256];
    int rc = sim_host_run(&job, &opts, &out, NULL, err, sizeof err);
    if (rc) fprintf(stderr, "kestrel sim: %s\n", err);
    if (rc == 0 && text) {
        char buf[8192];
        sim_text_decode(out.v, out.n, buf, sizeof buf);
        printf("text: %s\n", buf);
    }
    sim_reports_free(&out);
    sim_config_free(c);
    scn_free(&s);
    return rc;
}
