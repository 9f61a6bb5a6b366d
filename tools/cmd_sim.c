/* kestrel sim — placeholder until its issue lands; says so plainly instead of pretending. */
#include <stdio.h>

#include "tools/commands.h"

int cmd_sim(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "kestrel sim: not available in this build yet\n");
    return 2;
}
