#!/usr/bin/env bash
# Flash and RAM use of the ATmega32U4 generic image(s), against what Caterina / Atmel DFU leave
# (28,672 bytes of flash below 0x7000, config region included) and the chip's 2,560 bytes of SRAM;
# with --all, the same for the firmware with every issue-9 behaviour built in (mk/avr.mk,
# AVR_ALL_ELF), and how far that is under or over the code limit.
#   usage: bench/avr-size.sh IMAGE.elf... [--all ALL.elf]
set -euo pipefail
cfg=$(( ${AVR_CFG_ADDR:-0x6800} ))
sizes() { avr-size -A "$1" | awk '/^\.text/ {t=$2} /^\.data/ {d=$2} /^\.bss/ {b=$2} /^\.noinit/ {n=$2}
                                  END {print t + d, d + b + n}'; }
all=
while [ $# -gt 0 ]; do
  if [ "$1" = --all ]; then all=${2:?--all needs an ELF}; shift 2; continue; fi
  read -r flash ram < <(sizes "$1")
  awk -v name="$(basename "$1" .elf)" -v f="$flash" -v r="$ram" -v cfg="$cfg" 'BEGIN {
    printf "%s: flash %d B code+data (%.1f%% of 28672; code limit %d before the %d-byte config region: %d B left), RAM %d B static of 2560 (%d B left for the stack)\n",
           name, f, f * 100 / 28672, cfg, 28672 - cfg, cfg - f, r, 2560 - r }'
  shift
done
if [ -n "$all" ]; then
  read -r flash ram < <(sizes "$all")
  awk -v f="$flash" -v r="$ram" -v cfg="$cfg" 'BEGIN {
    d = cfg - f
    printf "atmega32u4 with every issue-9 behaviour: flash %d B code+data, %d B %s the %d-byte code limit, RAM %d B static of 2560\n",
           f, d < 0 ? -d : d, d < 0 ? "OVER" : "under", cfg, r }'
fi
