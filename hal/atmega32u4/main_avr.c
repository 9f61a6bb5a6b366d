/* The ATmega32U4 image's entry: everything else is the portable main loop (fw/). */
#include "fw/fw.h"

int main(void)
{
    fw_run();
}
