/* RP2040 entry: everything after start-up is the portable main loop. */
#include "fw/fw.h"

int main(void)
{
    fw_run();
}
