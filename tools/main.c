/* kestrel: one command, git-style subcommands (see docs/commands.md). */
#include <stdio.h>
#include <string.h>

#include "tools/commands.h"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"check", cmd_check, "validate a keyboard.json and a keymap.json"},
    {"sim", cmd_sim, "run the engine on the host over an event script and print reports"},
    {"test", cmd_test, "run scenario files (on the host, or --target rp2040|atmega32u4)"},
    {"build", cmd_build, "write a flashable image (UF2 or HEX) for a keyboard and keymap"},
    {"emulate", cmd_emulate, "boot the real firmware in the target's emulator and print reports"},
    {"flash", cmd_flash, "find the keyboard's bootloader and write an image, verified"},
    {"info", cmd_info, "tell what an image (UF2, HEX, BIN) is and verify its checksums"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: kestrel <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n`kestrel <command> --help` describes each. Exit status: 0 success, 1 a check or "
               "test failed, 2 bad input or usage.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "kestrel: unknown command '%s' (try kestrel --help)\n", argv[1]);
    return 2;
}
