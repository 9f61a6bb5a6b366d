/* The kestrel subcommands. Each lives in tools/cmd_<name>.c and returns the process exit status:
 * 0 success, 1 a check or test failed, 2 bad input or usage (one-line reason on stderr). */
#ifndef KESTREL_TOOLS_COMMANDS_H
#define KESTREL_TOOLS_COMMANDS_H

int cmd_check(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_emulate(int argc, char **argv);
int cmd_flash(int argc, char **argv);
int cmd_info(int argc, char **argv);

#endif
