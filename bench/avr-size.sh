#!/usr/bin/env bash
# Flash and RAM use of the ATmega32U4 generic image(s), against what Caterina / Atmel DFU leave
# (28,672 bytes of flash below 0x7000, shared by the code and the config region that follows it)
# and the chip's 2,560 bytes of SRAM; with --all, the line issue 9 asks for: the -all image, with
# every issue-9 behaviour built in (mk/avr.mk, AVR_ALL_ELF), and the room it leaves for the config
# against the AVR_CFG_MIN bytes every shipped image must keep (its link fails with less).
#   usage: bench/avr-size.sh IMAGE.elf... [--all ALL.elf]
set -euo pipefail
app=$(( ${AVR_APP_END:-0x7000} ))
min=$(( ${AVR_CFG_MIN:-1536} ))
sizes() { avr-size -A "$1" | awk '/^\.text/ {t=$2} /^\.data/ {d=$2} /^\.bss/ {b=$2} /^\.noinit/ {n=$2}
                                  END {print t + d, d + b + n}'; }
all=
while [ $# -gt 0 ]; do
  if [ "$1" = --all ]; then all=${2:?--all needs an ELF}; shift 2; continue; fi
  read -r flash ram < <(sizes "$1")
  awk -v name="$(basename "$1" .elf)" -v f="$flash" -v r="$ram" -v app="$app" -v min="$min" 'BEGIN {
    printf "%s: flash %d B code+data (%.1f%% of %d), config region %d B (at least %d kept: %d B to spare), RAM %d B static of 2560 (%d B left for the stack)\n",
           name, f, f * 100 / app, app, app - f, min, app - f - min, r, 2560 - r }'
  shift
done
if [ -n "$all" ]; then
  read -r flash ram < <(sizes "$all")
  awk -v f="$flash" -v r="$ram" -v app="$app" -v min="$min" 'BEGIN {
    d = app - min - f
    if (d >= 0)
      printf "atmega32u4 with every issue-9 behaviour: flash %d B code+data, config region %d B (at least %d kept: %d B to spare), RAM %d B static of 2560\n", f, app - f, min, d, r
    else
      printf "atmega32u4 with every issue-9 behaviour: flash %d B code+data, %d B OVER what leaves %d B for the config below %d, RAM %d B static of 2560\n", f, -d, min, app, r }'
fi
