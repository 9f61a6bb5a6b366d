#!/bin/sh
# Proves from the linker maps that the RP2350 image is built from the same portable sources as the
# RP2040 image (engine, USB stack, matrix and main loop, the RP2 device-controller driver and pin
# code, and the keyboard's drive: config/ and drive/): apart from each chip's own hal/<chip>/
# folder, both images link exactly the same files.
# Usage: check_shared.sh RP2040.map RP2040_OBJDIR RP2350.map RP2350_OBJDIR
set -eu
objs() { # the link's input objects, as source-relative paths
  grep "^LOAD $2/" "$1" | sed "s|^LOAD $2/||" | sort -u
}
fail() { echo "check_shared: $*" >&2; exit 1; }
a=$(objs "$1" "$2" | grep -v '^hal/rp2040/' | grep -v '^boot2_blob\.o$')
b=$(objs "$3" "$4" | grep -v '^hal/rp2350/')
[ -n "$a" ] || fail "no objects found in $1"
[ "$a" = "$b" ] || fail "the images differ beyond their own hal folders:
$(printf '%s\n' "$a" > /tmp/check_shared.$$.a; printf '%s\n' "$b" | diff /tmp/check_shared.$$.a - ; rm -f /tmp/check_shared.$$.a)"
for must in fw/main.o fw/matrix.o fw/fw_drive.o usb/usbd.o usb/msc.o core/engine.o hal/rp2/dcd_rp2.o \
            hal/rp2/hal_rp2.o config/load.o drive/fat.o drive/slots.o; do
  printf '%s\n' "$b" | grep -qx "$must" || fail "$must is not linked into the RP2350 image"
done
own=$(objs "$3" "$4" | grep '^hal/rp2350/' | wc -l)
echo "check_shared: RP2040 and RP2350 link the same $(printf '%s\n' "$b" | wc -l) portable objects (fw/, usb/, core/, hal/rp2/, config/, drive/); the RP2350 adds $own of hal/rp2350/"
