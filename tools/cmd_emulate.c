/* kestrel emulate: the real generic firmware with the keyboard's config, booted in its chip's
 * emulator, driven by an event script; prints the reports the emulated host received. The target
 * comes from the keyboard's processor; each emulator is a back-end of tools/sim.h
 * (tools/emu_rp2040.c, the ATmega32U4 one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/commands.h"
#include "tools/sim.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: kestrel emulate --keyboard KEYBOARD --keymap KEYMAP.json [--text] [EVENTS]\n"
            "\n"
            "Boots the generic firmware image of the keyboard's processor, with the keyboard's\n"
            "config in it, in an emulator (RP2040: rp2040js; ATmega32U4: simavr), plays the event\n"
            "script on the key matrix pins, acts as the USB host, and prints one line per report\n"
            "received, as `kestrel sim` does, with the emulated time in ms (three decimals) at\n"
            "which the firmware made the report. The event script is the one `kestrel sim` takes\n"
            "(press/release/tap/wait/config; a file, or stdin when EVENTS is missing or -).\n"
            "Events are post-debounce, as in `kestrel sim`: the emulated firmware runs with\n"
            "debounce 0.\n"
            "\n"
            "options:\n"
            "  --keyboard K   keyboard.json / info.json, a QMK keyboard folder, or builtin:NAME\n"
            "  --keymap M     keymap.json\n"
            "  --text         after the reports, print the text a US-layout host would type\n"
            "  --help         this text\n"
            "\n"
            "The firmware image is found in fw/<target>/ next to kestrel (or set\n"
            "KESTREL_RP2040_FIRMWARE). KESTREL_RP2040_PCAP=FILE also writes the whole USB session\n"
            "as a usbmon pcap (Wireshark/tshark). Exit status: 0 ran, 2 bad input, usage or\n"
            "emulator error.\n");
}

static const char *target_of(const sim_config_t *c)
{
    switch (cfg_info8(&c->cfg, CFG_INFO_PROCESSOR)) {
    case CFG_PROC_RP2040: return "rp2040";
    case CFG_PROC_ATMEGA32U4: return "atmega32u4";
    case CFG_PROC_RP2350: return "rp2350";
    default: return "unknown";
    }
}

int cmd_emulate(int argc, char **argv)
{
    sim_cli_t cli;
    int rc = sim_cli_parse("emulate", argc, argv, false, usage, &cli);
    if (rc >= 0) return rc;
    scn_t s;
    sim_config_t *c;
    if (!sim_cli_load("emulate", &cli, &s, &c)) return 2;
    rc = 2;
    sim_reports_t out = {0};
    const char *target = target_of(c);
    const sim_backend_t *be = sim_backend_find(target);
    if (!be || !be->emulated || !be->run) {
        fprintf(stderr, "kestrel emulate: no emulator for the %s in this build\n", target);
        goto done;
    }
    /* The host run tells the emulator how long the engine keeps timers after the last event. */
    sim_job_t job = {cli.events, c, s.events, s.nevents, s.end_ms, SIM_SETTLE_MS, 0};
    sim_host_opts_t quiet = {NULL, false};
    sim_reports_t host = {0};
    char err[256];
    uint32_t idle = 0;
    if (sim_host_run(&job, &quiet, &host, &idle, err, sizeof err) == 0) job.idle_ms = idle;
    sim_reports_free(&host);
    rc = be->run(&job, &out, err, sizeof err);
    if (rc) {
        fprintf(stderr, "kestrel emulate: %s\n", err);
        goto done;
    }
    char line[256];
    for (size_t i = 0; i < out.n; i++) {
        report_format(&out.v[i], true, line, sizeof line);
        printf("%s\n", line);
    }
    if (cli.text) {
        char buf[8192];
        sim_text_decode(out.v, out.n, buf, sizeof buf);
        printf("text: %s\n", buf);
    }
done:
    sim_reports_free(&out);
    sim_config_free(c);
    scn_free(&s);
    return rc;
}
