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
    sim_cli_t cli;
    int rc = sim_cli_parse("sim", argc, argv, true, usage, &cli);
    if (rc >= 0) return rc;
    scn_t s;
    sim_config_t *c;
    if (!sim_cli_load("sim", &cli, &s, &c)) return 2;
    sim_job_t job = {cli.events, c, s.events, s.nevents, s.end_ms, SIM_SETTLE_MS, 0};
    sim_host_opts_t opts = {stdout, cli.trace};
    sim_reports_t out = {0};
    char err[256];
    rc = sim_host_run(&job, &opts, &out, NULL, err, sizeof err);
    if (rc) fprintf(stderr, "kestrel sim: %s\n", err);
    if (rc == 0 && cli.text) {
        char buf[8192];
        sim_text_decode(out.v, out.n, buf, sizeof buf);
        printf("text: %s\n", buf);
    }
    sim_reports_free(&out);
    sim_config_free(c);
    scn_free(&s);
    return rc;
}
