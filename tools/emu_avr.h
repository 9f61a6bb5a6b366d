/* Running a Kestrel ATmega32U4 image in the simavr harness from the kestrel tool. */
#ifndef KESTREL_TOOLS_EMU_AVR_H
#define KESTREL_TOOLS_EMU_AVR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tools/sim.h"

/* Boots `image` (HEX/ELF) with config image `cfg` (NULL = the one in the image) in the harness,
 * feeds it `events` (harness syntax: press R C / release R C / wait MS), runs `tail_ms` more, and
 * collects the reports. `extra_arg` is one more harness option (NULL = none); `raw` (may be NULL)
 * receives the harness's output as is. Returns 0, 1 when the emulation found a fault, 2 when it
 * could not run; err says why. */
int emu_avr_run_image(const char *image, const uint8_t *cfg, size_t cfglen, const char *events,
                      double tail_ms, const char *extra_arg, sim_reports_t *out, FILE *raw,
                      char *err, size_t errcap);

#endif
