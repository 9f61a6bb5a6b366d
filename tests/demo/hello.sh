#!/usr/bin/env bash
# The host demo: check the example keyboard and keymap, then simulate typing a sentence on it and
# show the reports and the text a host would receive. Fails if the text is not the sentence.
set -euo pipefail
kestrel=${1:?usage: hello.sh KESTREL}
kb=keyboards/test4x10/keyboard.json
km=keyboards/test4x10/keymap.json
events=tests/demo/hello_kestrel.events
want='Hello, Kestrel!'
echo "== kestrel check --keyboard $kb $km"
"$kestrel" check --keyboard "$kb" "$km"
echo
echo "== kestrel sim --keyboard $kb --keymap $km --text $events"
out=$("$kestrel" sim --keyboard "$kb" --keymap "$km" --text "$events")
echo "$out"
text=$(sed -n 's/^text: //p' <<<"$out")
if [ "$text" != "$want" ]; then
  echo "demo: expected the text '$want', got '$text'" >&2
  exit 1
fi
echo
echo "demo: typed '$text' through the engine on the host"
