/* The RP2040 emulator back-end (tools/emu_rp2040.c) for `kestrel test --target rp2040` and
 * `kestrel emulate`. */
#ifndef KESTREL_TOOLS_EMU_RP2040_H
#define KESTREL_TOOLS_EMU_RP2040_H

#include <stdbool.h>
#include <stddef.h>

#include "tools/sim.h"

/* Finds the generic image (KESTREL_RP2040_FIRMWARE, else fw/rp2040/ next to kestrel). */
bool emu_rp2040_firmware(char *out, size_t cap);

/* Every raw line from the harness (reports "R <t_us> <ep> <hex>", actions, errors) as it comes. */
typedef void (*emu_rp2040_line_fn)(void *ctx, const char *line);

/* Runs one job on `firmware`; reports go to `out`. Returns 0, or 2 with a reason in err. */
int emu_rp2040_run(const sim_job_t *job, const char *firmware, sim_reports_t *out,
                   emu_rp2040_line_fn live, void *ctx, char *err, size_t errcap);

#endif
