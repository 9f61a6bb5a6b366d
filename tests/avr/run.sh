#!/usr/bin/env bash
# The ATmega32U4 firmware in simavr: enumeration and descriptor checks, generated malformed
# control requests, bootloader entry for caterina / atmel-dfu / halfkay, suspend and remote
# wake-up, and the engine scenario suite on the emulated chip (kestrel test --target atmega32u4).
# Scenarios the chip cannot run as the host does are listed, with the reason, in tests/avr/EXCLUDED.
#   usage: tests/avr/run.sh KESTREL HARNESS GENERIC_HEX
set -uo pipefail
kestrel=${1:?usage: run.sh KESTREL HARNESS GENERIC_HEX}
harness=${2:?}
generic=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

ok()   { echo "avr: ok   $1"; }
bad()  { echo "avr: FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | tail -n 20; failed=1; }

# A keyboard per bootloader: the AVR test wiring, KC_A at 0,0 and QK_BOOT at 0,1.
keys='"KC_A","QK_BOOT"'
for i in $(seq 3 40); do keys="$keys,\"KC_NO\""; done
printf '{"keyboard":"test4x10_avr","keymap":"avrtest","layout":"LAYOUT","layers":[[%s]]}\n' "$keys" >"$tmp/keymap.json"
for boot in caterina atmel-dfu halfkay; do
  sed "s/\"bootloader\": *\"[^\"]*\"/\"bootloader\": \"$boot\"/" "$root/keyboards/test4x10_avr/keyboard.json" >"$tmp/kb-$boot.json"
  if ! "$kestrel" build --keyboard "$tmp/kb-$boot.json" --keymap "$tmp/keymap.json" -o "$tmp/$boot.hex" >"$tmp/build.log" 2>&1; then
    bad "kestrel build ($boot)" "$tmp/build.log"
  fi
done

# 1. The generic image (no config: the built-in fallback keyboard) enumerates; descriptors check.
if "$harness" --enum-only "$generic" >"$tmp/enum.out" 2>"$tmp/enum.err"; then ok "enumeration, generic image"
else bad "enumeration, generic image" "$tmp/enum.err"; fi

# 1b. A product name of 31 characters makes a 64-byte string descriptor: asked for with wLength
#     255, the answer is one full packet and then the ZLP that ends a short answer (the harness
#     waits for it; without it the read times out).
sed 's/"keyboard_name": *"[^"]*"/"keyboard_name": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcde"/' \
  "$root/keyboards/test4x10_avr/keyboard.json" >"$tmp/kb-name64.json"
if "$kestrel" build --keyboard "$tmp/kb-name64.json" --keymap "$tmp/keymap.json" -o "$tmp/name64.hex" >"$tmp/name64.log" 2>&1 &&
   "$harness" --enum-only "$tmp/name64.hex" >"$tmp/name64.out" 2>>"$tmp/name64.log"
then ok "a 64-byte string descriptor ends with a ZLP"; else bad "64-byte string descriptor" "$tmp/name64.log"; fi

# 1c. The device and configuration descriptors come from the config image (the loader writes them
#     after the USB names, core/cfg.h USB_STRINGS): an image without them (an older writer's) is
#     not used; the firmware runs its fallback keyboard (VID:PID FEED:0000, not the keyboard's).
if "$harness" -v --enum-only "$tmp/caterina.hex" 2>"$tmp/usbnew.err" >/dev/null &&
   grep -q '^# enumerated feed:4a10 ' "$tmp/usbnew.err" &&
   "$harness" -v --enum-only --old-usb-strings "$tmp/caterina.hex" 2>"$tmp/usbold.err" >/dev/null &&
   grep -q '^# enumerated feed:0000 ' "$tmp/usbold.err"
then ok "an image without the USB descriptors is not used: the fallback enumerates"
else cat "$tmp/usbnew.err" >>"$tmp/usbold.err"; bad "image without the USB descriptors" "$tmp/usbold.err"; fi

# 2. A built image enumerates and types: A pressed and released.
printf 'wait 5\npress 0 0\nwait 10\nrelease 0 0\nwait 10\n' >"$tmp/type.ev"
if "$harness" --events "$tmp/type.ev" "$tmp/caterina.hex" >"$tmp/type.out" 2>"$tmp/type.err" &&
   grep -q ' 81 0000040000000000 ' "$tmp/type.out" && tail -n 1 "$tmp/type.out" | grep -q ' 81 0000000000000000 '
then ok "typing (A down, A up)"; else bad "typing" "$tmp/type.err"; fi

# 3. Hundreds of generated malformed SETUP packets are all stalled; the device keeps its address
#    and configuration and still types afterwards.
if "$harness" --malformed 400 --seed 7 --events "$tmp/type.ev" "$tmp/caterina.hex" >"$tmp/mal.out" 2>"$tmp/mal.err" &&
   grep -q '400 malformed requests, 400 stalled' "$tmp/mal.err" &&
   grep -q ' 81 0000040000000000 ' "$tmp/mal.out" && tail -n 1 "$tmp/mal.out" | grep -q ' 81 0000000000000000 '
then ok "400 malformed requests stalled, keyboard still types"; else bad "malformed requests" "$tmp/mal.err"; fi

# 4. QK_BOOT (tapped: the firmware leaves once every key is up) enters the bootloader the config
#    names: Caterina by its RAM key and a watchdog
#    reset, Atmel DFU by a jump to 0x7000, HalfKay by a jump to 0x7E00.
printf 'wait 5\npress 0 1\nwait 5\nrelease 0 1\nwait 300\n' >"$tmp/boot.ev"
for boot in caterina atmel-dfu halfkay; do
  if "$harness" --events "$tmp/boot.ev" "$tmp/$boot.hex" >"$tmp/boot.out" 2>"$tmp/boot.err" &&
     grep -q " bootloader $boot\$" "$tmp/boot.out"
  then ok "QK_BOOT enters $boot"; else cat "$tmp/boot.out" >>"$tmp/boot.err"; bad "QK_BOOT enters $boot" "$tmp/boot.err"; fi
done

# 4b. The config region follows the code (the firmware info block says where, computed at link
#     time): the built image's config sits at the first byte after the code, the firmware reads it
#     from there (test 2 typed with it), and a config bigger than the region is refused by name.
"$kestrel" info "$tmp/caterina.hex" >"$tmp/info.out" 2>&1
code_end=$(sed -n 's/.*code 0x\([0-9A-F]*\)\.\.0x\([0-9A-F]*\) .*/\2/p' "$tmp/info.out")
region=$(sed -n 's/.*config region 0x\([0-9A-F]*\), \([0-9,]*\) bytes.*/\1 \2/p' "$tmp/info.out")
cfg_at=$(sed -n 's/^config: .* bytes at 0x\([0-9A-F]*\), CRC .* OK$/\1/p' "$tmp/info.out")
read -r reg_at reg_len <<<"$region"
if [ -n "$code_end" ] && [ -n "$reg_at" ] && [ "$((0x$code_end + 1))" = "$((0x$reg_at))" ] &&
   [ "$cfg_at" = "$reg_at" ] && [ "$((0x$reg_at + ${reg_len//,/}))" = "$((0x7000))" ]
then ok "config region 0x$reg_at..0x6FFF follows the code, config read there"
else bad "config region follows the code" "$tmp/info.out"; fi
# The biggest config the chip takes: a 6x20 matrix on 26 pins, 16 layers, two long macros (about
# 5.9 KB, more than any region this image could leave: the test4x10 keyboard's biggest is 3.7 KB,
# which a smaller image's region already holds).
rows='"D0","D1","D2","D3","F4","F5"'
cols='"F6","F7","B1","B3","B2","B6","B4","B5","D4","C6","D7","E6","B0","B7","D5","C7","F0","F1","D6","E2"'
keys=""; big=""
for r in $(seq 0 5); do for c in $(seq 0 19); do
  keys="$keys${keys:+,}{\"matrix\":[$r,$c],\"x\":$c,\"y\":$r}"; big="$big${big:+,}\"KC_A\""
done; done
big="\"MC_0\",\"MC_1\",${big#\"KC_A\",\"KC_A\",}"
printf '{"keyboard_name":"big","processor":"atmega32u4","bootloader":"caterina","diode_direction":"COL2ROW","matrix_pins":{"rows":[%s],"cols":[%s]},"layouts":{"LAYOUT":{"layout":[%s]}}}\n' \
  "$rows" "$cols" "$keys" >"$tmp/bigkb.json"
layers="[$big]"; for i in $(seq 2 16); do layers="$layers,[$big]"; done
text=$(printf 'x%.0s' $(seq 1000))
printf '{"keyboard":"big","keymap":"big","layout":"LAYOUT","layers":[%s],"macros":[["%s"],["%s"]]}\n' \
  "$layers" "$text" "$text" >"$tmp/big.json"
"$kestrel" check --keyboard "$tmp/bigkb.json" "$tmp/big.json" --image "$tmp/big.bin" >/dev/null 2>&1
need=$(stat -c %s "$tmp/big.bin" 2>/dev/null || echo 0)
"$kestrel" build --keyboard "$tmp/bigkb.json" --keymap "$tmp/big.json" -o "$tmp/big.hex" >"$tmp/big.log" 2>&1
rc=$?
if [ "$need" -gt "${reg_len//,/}" ] && [ $rc = 2 ] && [ ! -e "$tmp/big.hex" ] &&
   grep -q "config image is $(echo "$need" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta') bytes; the atmega32u4 firmware's config region holds $reg_len" "$tmp/big.log"
then ok "a $need-byte config is refused: the region holds $reg_len"
else bad "a config bigger than the region is refused (needs $need, region $reg_len, exit $rc)" "$tmp/big.log"; fi

# 4c. `kestrel build` picks the image with the behaviours the keymap uses: unicode input is in
#     the -seq image only (core/features.h), at either clock; the main image's behaviours stay on it.
gen=$(dirname "$generic")
lead='"UC(0x00E9)","KC_A"'; for i in $(seq 3 40); do lead="$lead,\"KC_NO\""; done
printf '{"keyboard":"test4x10_avr","keymap":"lead","layout":"LAYOUT","layers":[[%s]]}\n' "$lead" >"$tmp/lead.json"
"$kestrel" build --keyboard "$root/keyboards/test4x10_avr/keyboard.json" --keymap "$tmp/lead.json" -o "$tmp/lead.hex" >"$tmp/lead.log" 2>&1
"$kestrel" build --keyboard "$root/keyboards/test4x10_avr/keyboard.json" --keymap "$tmp/lead.json" \
  --firmware "$gen/kestrel-atmega32u4-8mhz.hex" -o "$tmp/lead8.hex" >>"$tmp/lead.log" 2>&1
"$kestrel" build --keyboard "$root/keyboards/test4x10_avr/keyboard.json" --keymap "$tmp/keymap.json" -o "$tmp/plain.hex" >>"$tmp/lead.log" 2>&1
if grep -q "firmware  .*/kestrel-atmega32u4-seq\.bin " "$tmp/lead.log" &&
   grep -q "firmware  .*/kestrel-atmega32u4-seq-8mhz\.hex " "$tmp/lead.log" &&
   grep -q "firmware  .*/kestrel-atmega32u4\.bin " "$tmp/lead.log" && ! grep -q warning "$tmp/lead.log"
then ok "kestrel build picks the -seq image for unicode input (16 and 8 MHz), the main one otherwise"
else bad "kestrel build picks the image by the keymap's behaviours" "$tmp/lead.log"; fi

# 5. Suspend: no reports while the bus sleeps; a key press wakes the host (remote wake-up, which
#    the harness enables as Linux does), and the key then reaches it.
printf 'wait 5\nsuspend\nwait 20\npress 0 0\nwait 20\nrelease 0 0\nwait 10\n' >"$tmp/susp.ev"
if "$harness" --events "$tmp/susp.ev" "$tmp/caterina.hex" >"$tmp/susp.out" 2>"$tmp/susp.err" &&
   grep -q ' remote-wakeup$' "$tmp/susp.out" && grep -q ' 81 0000040000000000 ' "$tmp/susp.out"
then ok "suspend, remote wake-up, key delivered"; else cat "$tmp/susp.out" >>"$tmp/susp.err"; bad "suspend and remote wake-up" "$tmp/susp.err"; fi

# 6. The engine scenario suite on the emulated chip, minus the listed exclusions
#    (AVR_SUITE=0 skips it, for a quick run of the checks above).
[ "${AVR_SUITE:-1}" = 0 ] && { [ $failed -eq 0 ] && echo "avr: checks passed (suite skipped)"; exit $failed; }
excluded="$here/EXCLUDED"
# Scenarios of behaviours that every ATmega32U4 image leaves out ([F] ENGINE_HAS_X) are not run;
# the switches are read as avr-gcc sees core/features.h for this chip (the main image) and from
# its ENGINE_AVR_IMAGE_* lines (the further images, which `kestrel test` picks from as `kestrel
# build` does), and a listed scenario whose behaviour some image has is an error (it must run and
# pass).
switches=$(sed -n 's/^[^#].*# *\[F\] *\(ENGINE_HAS_[A-Z_0-9]*\).*/\1/p' "$excluded" | sort -u)
features=$( { echo '#include "core/features.h"'
               for s in $switches; do printf '#if %s\n"%s" on\n#else\n"%s" off\n#endif\n' "$s" "$s" "$s"; done; } |
            avr-gcc -mmcu=atmega32u4 -I"$root" -E -P -x c - 2>"$tmp/features.err") ||
  bad "core/features.h for avr-gcc" "$tmp/features.err"
declare -A left_out=()
allowed=()
while read -r path tag sw; do
  if [ "$tag" = "[F]" ]; then
    if grep -qx "\"$sw\" off" <<<"$features" &&
       ! grep -q "^#define ENGINE_AVR_IMAGE_[A-Z0-9_]* .*[\" ]${sw#ENGINE_HAS_}[\" ]" "$root/core/features.h"
    then left_out[$path]=$sw
    else bad "tests/avr/EXCLUDED lists $path as left out, but an ATmega32U4 image has $sw: remove it (it must pass)"; fi
  else allowed+=("$path"); fi
done < <(sed -e '/^[[:space:]]*#/d' -e '/^[[:space:]]*$/d' -e 's/#[[:space:]]*\(\[[A-Z]\]\)[[:space:]]*\([A-Z_0-9]*\).*/\1 \2/' "$excluded")
run=()
while IFS= read -r f; do
  rel=${f#"$root/tests/scenarios/"}
  [ -n "${left_out[$rel]:-}${left_out[${rel%/*}/]:-}" ] || run+=("$f")
done < <(find "$root/tests/scenarios" -name '*.scn' | sort)
not_run=$(( $(find "$root/tests/scenarios" -name '*.scn' | wc -l) - ${#run[@]} ))
start=$(date +%s)
"$kestrel" test --quiet --target atmega32u4 "${run[@]}" >"$tmp/suite.out" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
mapfile -t fails < <(sed -n 's/^FAIL //p' "$tmp/suite.out" | sed "s|^$root/tests/scenarios/||")
unexpected=()
for f in "${fails[@]}"; do
  hit=0; for a in "${allowed[@]}"; do [ "$a" = "$f" ] && hit=1; done
  [ $hit -eq 1 ] || unexpected+=("$f")
done
mapfile -t marginal < <(grep 'marginal' "$excluded" | sed -e 's/#.*//' -e 's/[[:space:]]*$//')
for a in "${allowed[@]}"; do
  seen=0; for f in "${fails[@]}" "${marginal[@]}"; do [ "$a" = "$f" ] && seen=1; done
  [ $seen -eq 1 ] || echo "avr: note: $a passes on the emulated chip now; remove it from tests/avr/EXCLUDED"
done
if [ $rc -eq 2 ] && [ ${#fails[@]} -eq 0 ]; then bad "scenario suite (bad input)" "$tmp/suite.out"
elif [ ${#unexpected[@]} -gt 0 ]; then
  for u in "${unexpected[@]}"; do
    awk -v f="FAIL $root/tests/scenarios/$u" '$0==f{p=1;print;next} /^(PASS|FAIL) /{p=0} p' "$tmp/suite.out"
  done
  bad "scenario suite: unexpected failures: ${unexpected[*]}"
else
  ok "scenario suite: $(tail -n 1 "$tmp/suite.out") (${#allowed[@]} excluded for the chip, $not_run not run: behaviours left out of the image; see tests/avr/EXCLUDED), ${secs}s"
fi

[ $failed -eq 0 ] && echo "avr: all ATmega32U4 tests passed"
exit $failed
