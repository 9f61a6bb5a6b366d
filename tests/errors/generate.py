#!/usr/bin/env python3
# Writes the inputs of the error corpus (one folder per case: keyboard.json, keymap.json) so
# that a case is one line here. The `expect` files are not generated: each holds the message(s)
# the case must produce, reviewed by hand. Usage: tests/errors/generate.py tests/errors
import json, os, sys
root = sys.argv[1]
def kb(proc="RP2040", boot="rp2040", rows=("GP2","GP3"), cols=("GP4","GP5","GP6"), layout=None, extra=None, direct=None, name="errkb"):
    d = {"keyboard_name": name, "manufacturer": "Kestrel tests", "processor": proc}
    if boot: d["bootloader"] = boot
    d["usb"] = {"vid": "0xFEED", "pid": "0x0001", "device_version": "1.0.0"}
    d["diode_direction"] = "COL2ROW"
    if direct is not None: d["matrix_pins"] = {"direct": direct}
    else: d["matrix_pins"] = {"rows": list(rows), "cols": list(cols)}
    if layout is None:
        layout = [{"matrix": [r, c], "x": c, "y": r} for r in range(len(rows)) for c in range(len(cols))]
    d["layouts"] = {"LAYOUT": {"layout": layout}}
    if extra:
        for k, v in extra.items():
            if v is None: d.pop(k, None)
            else: d[k] = v
    return d
def dump_kb(d):
    # one layout key per line, so positions in messages are easy to read
    s = json.dumps(d, indent=4)
    return s + "\n"
def km(layers=None, extra=None, nkeys=6):
    if layers is None:
        layers = [["KC_A","KC_B","KC_C","KC_D","KC_E","KC_F"][:nkeys]]
    d = {"version": 1, "keyboard": "errkb", "keymap": "test", "layout": "LAYOUT", "layers": layers}
    if extra:
        for k, v in extra.items():
            if v is None: d.pop(k, None)
            else: d[k] = v
    return d
def dump_km(d):
    out = "{\n"
    items = []
    for k, v in d.items():
        if k == "layers" and isinstance(v, list):
            ls = ",\n".join("    " + json.dumps(l, ensure_ascii=False) for l in v)
            items.append('  "layers": [\n' + ls + "\n  ]")
        else:
            items.append("  " + json.dumps(k) + ": " + json.dumps(v, ensure_ascii=False))
    return out + ",\n".join(items) + "\n}\n"

cases = {}
def case(name, keymap=None, keyboard=None, raw_keymap=None, raw_keyboard=None):
    cases[name] = (keymap, keyboard, raw_keymap, raw_keyboard)

K6 = ["KC_A","KC_B","KC_C","KC_D","KC_E","KC_F"]
# --- JSON syntax
case("json-missing-comma", raw_keymap='{\n  "layout": "LAYOUT"\n  "layers": [["KC_A"]]\n}\n', keyboard=kb())
case("json-unclosed-string", raw_keymap='{\n  "layout": "LAYOUT,\n  "layers": []\n}\n', keyboard=kb())
case("json-unclosed-object", raw_keymap='{\n  "layout": "LAYOUT",\n  "layers": [["KC_A"]\n', keyboard=kb())
case("json-single-quotes", raw_keymap="{\n  'layout': 'LAYOUT'\n}\n", keyboard=kb())
case("json-leading-zero", raw_keymap='{\n  "config": {"tapping": {"term": 0200}},\n  "layers": []\n}\n', keyboard=kb())
case("json-bad-escape", raw_keymap='{\n  "keymap": "a\\qb",\n  "layers": []\n}\n', keyboard=kb())
case("json-control-char", raw_keymap='{\n  "keymap": "tab\there",\n  "layers": []\n}\n', keyboard=kb())
case("json-invalid-utf8", raw_keymap=b'{\n  "keymap": "caf\xe9",\n  "layers": []\n}\n', keyboard=kb())
case("json-text-after-end", raw_keymap='{\n  "layers": []\n}\n}\n', keyboard=kb())
case("json-empty-file", raw_keymap='\n\n', keyboard=kb())
case("json-bare-word", raw_keymap='{\n  "layout": LAYOUT\n}\n', keyboard=kb())
case("json-mismatched-bracket", raw_keymap='{\n  "layers": [["KC_A"}\n}\n', keyboard=kb())
case("json-too-deep", raw_keymap='{"config": ' + "[" * 70 + "]" * 70 + "}\n", keyboard=kb())
case("json-keyboard-syntax", keymap=km(), raw_keyboard='{\n  "keyboard_name": "x",\n  "processor": "RP2040",,\n}\n')
# --- types
case("type-layers-object", keymap=km(extra={"layers": {"0": K6}}), keyboard=kb())
case("type-keycode-number", keymap=km(layers=[["KC_A", 5, "KC_C","KC_D","KC_E","KC_F"]]), keyboard=kb())
case("type-term-string", keymap=km(extra={"config": {"tapping": {"term": "200"}}}), keyboard=kb())
case("type-bool-number", keymap=km(extra={"config": {"tapping": {"permissive_hold": 1}}}), keyboard=kb())
case("type-term-fraction", keymap=km(extra={"config": {"tapping": {"term": 200.5}}}), keyboard=kb())
case("type-keymap-array", raw_keymap='[\n  "KC_A"\n]\n', keyboard=kb())
case("type-matrix-pins-string", keymap=km(), keyboard=kb(extra={"matrix_pins": {"rows": "GP2", "cols": ["GP4"]}}))
# --- keycodes
case("keycode-unknown-suggestion", keymap=km(layers=[["KC_A","KC_ENTR","KC_C","KC_D","KC_E","KC_F"]]), keyboard=kb())
case("keycode-lt-16", keymap=km(layers=[["KC_A","LT(16,KC_SPC)","KC_C","KC_D","KC_E","KC_F"]]), keyboard=kb())
case("keycode-mt-not-basic", keymap=km(layers=[["KC_A","LSFT_T(LCTL(KC_A))","KC_C","KC_D","KC_E","KC_F"]]), keyboard=kb())
case("keycode-layer-beyond", keymap=km(layers=[["KC_A","MO(2)","KC_C","KC_D","KC_E","KC_F"], ["KC_TRNS"]*6]), keyboard=kb())
case("keycode-lt-layer-beyond", keymap=km(layers=[["KC_A","LT(1,KC_SPC)","KC_C","KC_D","KC_E","KC_F"]]), keyboard=kb())
case("keycode-unclosed-call", keymap=km(layers=[["KC_A","MO(1","KC_C","KC_D","KC_E","KC_F"], ["KC_TRNS"]*6]), keyboard=kb())
# --- keymap structure
case("layer-count-mismatch", keymap=km(layers=[K6, K6[:5]]), keyboard=kb())
case("layers-empty", keymap=km(layers=[]), keyboard=kb())
case("layers-missing", keymap=km(extra={"layers": None}), keyboard=kb())
case("too-many-layers", keymap=km(layers=[K6]*33), keyboard=kb())
case("unknown-layout", keymap=km(extra={"layout": "LAYOUT_ortho_2x3"}), keyboard=kb())
case("alias-missing-layout", keymap=km(), keyboard=kb(extra={"layout_aliases": {"LAYOUT_ortho_2x3": "LAYOUT_2x3"}}))
case("encoders-without-encoder", keymap=km(extra={"encoders": [[{"ccw": "KC_VOLD", "cw": "KC_VOLU"}]]}), keyboard=kb())
case("encoders-count-mismatch", keymap=km(extra={"encoders": [[{"ccw": "KC_VOLD", "cw": "KC_VOLU"}, {"ccw": "KC_A", "cw": "KC_B"}]]}),
     keyboard=kb(extra={"encoder": {"rotary": [{"pin_a": "GP10", "pin_b": "GP11"}]}}))
# --- pins and matrix
case("pins-duplicate", keymap=km(), keyboard=kb(rows=("GP2","GP3"), cols=("GP4","GP3","GP6")))
case("pins-encoder-duplicate", keymap=km(), keyboard=kb(extra={"encoder": {"rotary": [{"pin_a": "GP4", "pin_b": "GP11"}]}}))
case("pins-not-on-rp2040", keymap=km(), keyboard=kb(cols=("GP4","GP30","GP6")))
case("pins-avr-name-on-rp2040", keymap=km(), keyboard=kb(cols=("GP4","B0","GP6")))
case("pins-not-on-atmega32u4", keymap=km(), keyboard=kb(proc="atmega32u4", boot="caterina", rows=("D0","D1"), cols=("F4","F2","F6")))
case("pins-gp-on-atmega32u4", keymap=km(), keyboard=kb(proc="atmega32u4", boot="caterina", rows=("D0","D1"), cols=("F4","GP5","F6")))
# the ATmega32U4's engine keeps 16-bit layer state and time (core/ktime.h)
AVR = dict(proc="atmega32u4", boot="caterina", rows=("D0","D1"), cols=("F4","F5","F6"))
case("avr-seventeen-layers", keymap=km(layers=[K6] * 17), keyboard=kb(**AVR))
case("avr-time-setting-too-long", keymap=km(extra={"config": {"tapping": {"term": 40000}}}), keyboard=kb(**AVR))
case("pins-rp2350-gp48", keymap=km(), keyboard=kb(proc="RP2350", rows=("GP2","GP47"), cols=("GP4","GP48","GP6")))
case("matrix-position-outside", keymap=km(), keyboard=kb(layout=[{"matrix": [r, c], "x": c, "y": r} for r, c in [(0,0),(0,1),(0,2),(1,0),(1,1),(2,2)]]))
case("matrix-position-duplicate", keymap=km(), keyboard=kb(layout=[{"matrix": [r, c], "x": c, "y": r} for r, c in [(0,0),(0,1),(0,2),(1,0),(1,1),(0,1)]]))
case("matrix-position-missing", keymap=km(), keyboard=kb(layout=[{"matrix": [0,0], "x": 0, "y": 0}, {"x": 1, "y": 0}] + [{"matrix": [r, c], "x": c, "y": r} for r, c in [(0,2),(1,0),(1,1),(1,2)]]))
case("matrix-too-many-positions", keymap=km(), keyboard=kb(proc="RP2350", rows=tuple("GP%d" % i for i in range(16)), cols=tuple("GP%d" % i for i in range(16, 32)),
     layout=[{"matrix": [0, 0], "x": 0, "y": 0}]))
case("layout-too-many-keys", keymap=km(), keyboard=kb(layout=[{"matrix": [0, 0], "x": i, "y": 0} for i in range(256)]))
case("matrix-direct-and-rows", keymap=km(), keyboard=kb(extra={"matrix_pins": {"rows": ["GP2"], "cols": ["GP3"], "direct": [["GP4"]]}}))
case("matrix-missing", keymap=km(), keyboard=kb(extra={"matrix_pins": {"io_delay": 5}}))
case("matrix-custom", keymap=km(), keyboard=kb(extra={"matrix_pins": {"custom": True}}))
case("layout-hand-bad", keymap=km(), keyboard=kb(layout=[{"matrix": [r, c], "x": c, "y": r, "hand": "left" if (r, c) == (1, 2) else "L"} for r in range(2) for c in range(3)]))
# --- identity, usb
case("processor-unsupported", keymap=km(), keyboard=kb(proc="STM32F411", boot="stm32-dfu"))
case("processor-missing", keymap=km(), keyboard=kb(extra={"processor": None, "bootloader": None}))
case("dev-board-unsupported", keymap=km(), keyboard=kb(extra={"processor": None, "bootloader": None, "development_board": "proton_c"}))
case("bootloader-wrong-chip", keymap=km(), keyboard=kb(boot="caterina"))
case("usb-vid-format", keymap=km(), keyboard=kb(extra={"usb": {"vid": "0xFEE", "pid": "0x0001", "device_version": "1.0.0"}}))
case("usb-pid-number", keymap=km(), keyboard=kb(extra={"usb": {"vid": "0xFEED", "pid": 4660, "device_version": "1.0.0"}}))
case("usb-device-version", keymap=km(), keyboard=kb(extra={"usb": {"vid": "0xFEED", "pid": "0x0001", "device_version": "1.0"}}))
case("usb-polling-interval", keymap=km(), keyboard=kb(extra={"usb": {"vid": "0xFEED", "pid": "0x0001", "polling_interval": 0}}))
case("diode-direction", keymap=km(), keyboard=kb(extra={"diode_direction": "COL_2_ROW"}))
# --- settings
case("flavor-unknown", keymap=km(extra={"config": {"tapping": {"flavor": "hold_preferred"}}}), keyboard=kb())
case("debounce-type-unknown", keymap=km(), keyboard=kb(extra={"build": {"debounce_type": "sym_eager_g"}}))
case("debounce-type-custom", keymap=km(), keyboard=kb(extra={"build": {"debounce_type": "custom"}}))
case("term-out-of-range", keymap=km(extra={"config": {"tapping": {"term": 70000}}}), keyboard=kb())
case("per-key-unknown-setting", keymap=km(extra={"config": {"tapping": {"per_key": {"LSFT_T(KC_A)": {"trem": 250}}}}}), keyboard=kb())
case("per-key-bad-keycode", keymap=km(extra={"config": {"tapping": {"per_key": {"LSFT_T(KC_AA)": {"term": 250}}}}}), keyboard=kb())
case("per-key-bad-flavor", keymap=km(extra={"config": {"tapping": {"per_key": {"KC_A": {"flavor": "fast"}}}}}), keyboard=kb())
# --- macros
case("macro-non-ascii", keymap=km(extra={"macros": [["Gr\u00fc\u00dfe"]]}), keyboard=kb())
case("macro-unknown-action", keymap=km(extra={"macros": [[{"action": "press", "keycodes": ["A"]}]]}), keyboard=kb())
case("macro-delay-no-duration", keymap=km(extra={"macros": [[{"action": "delay"}]]}), keyboard=kb())
case("macro-bad-keycode", keymap=km(extra={"macros": [[{"action": "tap", "keycodes": ["LCTL", "CC"]}]]}), keyboard=kb())
case("macro-too-many", keymap=km(extra={"macros": [["x"]] * 129}), keyboard=kb())
# --- leader key, unicode input, sequence settings
LS = lambda seq, res="KC_X": {"sequence": seq, "result": res}
case("leader-too-long", keymap=km(extra={"leader_sequences": [LS(["KC_A"] * 6)]}), keyboard=kb())
case("leader-trns-in-sequence", keymap=km(extra={"leader_sequences": [LS(["KC_A", "KC_TRNS"])]}), keyboard=kb())
case("leader-duplicate", keymap=km(extra={"leader_sequences": [LS(["KC_A", "KC_B"]), LS(["KC_A", "KC_B"], "KC_Y")]}), keyboard=kb())
case("leader-result-lead", keymap=km(extra={"leader_sequences": [LS(["KC_A"], "QK_LEAD")]}), keyboard=kb())
case("leader-no-result", keymap=km(extra={"leader_sequences": [{"sequence": ["KC_A"]}]}), keyboard=kb())
case("leader-bad-keycode", keymap=km(extra={"leader_sequences": [LS(["KC_A", "KC_BB"])]}), keyboard=kb())
case("unicode-map-two-chars", keymap=km(extra={"unicode_map": ["\u00e9\u00e8"]}), keyboard=kb())
case("unicode-map-bad-code-point", keymap=km(extra={"unicode_map": ["U+110000"]}), keyboard=kb())
case("unicode-map-surrogate", keymap=km(extra={"unicode_map": ["U+D800"]}), keyboard=kb())
case("unicode-um-beyond-map", keymap=km(layers=[["UM(2)", "KC_B", "KC_C", "KC_D", "KC_E", "KC_F"]], extra={"unicode_map": ["U+E9", "U+C9"]}), keyboard=kb())
case("unicode-uc-with-map", keymap=km(layers=[["UC(0xE9)", "KC_B", "KC_C", "KC_D", "KC_E", "KC_F"]], extra={"unicode_map": ["U+E9"]}), keyboard=kb())
case("unicode-um-without-map", keymap=km(layers=[["UM(0)", "KC_B", "KC_C", "KC_D", "KC_E", "KC_F"]]), keyboard=kb())
case("unicode-mode-unknown", keymap=km(extra={"config": {"unicode": {"input_mode": "osx"}}}), keyboard=kb())
case("unicode-modes-twice", keymap=km(extra={"config": {"unicode": {"selected_modes": ["macos", "linux", "macos"]}}}), keyboard=kb())
case("mouse-mode-unknown", keymap=km(extra={"config": {"mouse_key": {"mode": "fast"}}}), keyboard=kb())
case("mouse-friction-too-big", keymap=km(extra={"config": {"mouse_key": {"friction": 300}}}), keyboard=kb())
case("dynamic-macro-delay-negative", keymap=km(extra={"config": {"dynamic_macro": {"delay": -5}}}), keyboard=kb())
case("leader-timing-not-bool", keymap=km(extra={"config": {"leader_key": {"timing": "yes"}}}), keyboard=kb())
case("macro-tap-delay-string", keymap=km(extra={"config": {"macro": {"tap_delay": "10ms"}}}), keyboard=kb())

# --- combos and tap dances
def CB(keys, result="KC_X", **kw):
    d = {"keys": keys, "result": result}
    d.update(kw)
    return d
K2 = [["KC_A","KC_B","KC_C","KC_D","KC_E","KC_F"], ["KC_TRNS"]*6]
case("combo-unknown-field", keymap=km(extra={"combos": [CB([[0,0],[0,1]], trem=30)]}), keyboard=kb())
case("combo-one-key", keymap=km(extra={"combos": [CB([[0,0]])]}), keyboard=kb())
case("combo-nine-keys", keymap=km(extra={"combos": [CB([[0,0],[0,1],[0,2],[1,0],[1,1],[1,2],[0,0],[0,1],[0,2]])]}), keyboard=kb())
case("combo-key-outside", keymap=km(extra={"combos": [CB([[0,0],[2,1]])]}), keyboard=kb())
case("combo-key-twice", keymap=km(extra={"combos": [CB([[0,0],[0,0]])]}), keyboard=kb())
case("combo-key-not-a-position", keymap=km(extra={"combos": [CB([[0,0],"KC_B"])]}), keyboard=kb())
case("combo-layout-index-beyond", keymap=km(extra={"combos": [CB([0, 6])]}), keyboard=kb())
case("combo-no-result", keymap=km(extra={"combos": [{"keys": [[0,0],[0,1]]}]}), keyboard=kb())
case("combo-no-keys", keymap=km(extra={"combos": [{"result": "KC_X"}]}), keyboard=kb())
case("combo-result-trns", keymap=km(extra={"combos": [CB([[0,0],[0,1]], "KC_TRNS")]}), keyboard=kb())
case("combo-result-unknown", keymap=km(extra={"combos": [CB([[0,0],[0,1]], "KC_ESCC")]}), keyboard=kb())
case("combo-result-layer-beyond", keymap=km(layers=K2, extra={"combos": [CB([[0,0],[0,1]], "MO(2)")]}), keyboard=kb())
case("combo-layers-empty", keymap=km(extra={"combos": [CB([[0,0],[0,1]], layers=[])]}), keyboard=kb())
case("combo-layer-beyond", keymap=km(layers=K2, extra={"combos": [CB([[0,0],[0,1]], layers=[0, 2])]}), keyboard=kb())
case("combo-same-keys", keymap=km(extra={"combos": [CB([[0,0],[0,1]]), CB([[0,1],[0,0]], "KC_Y")]}), keyboard=kb())
case("combo-term-zero", keymap=km(extra={"combos": [CB([[0,0],[0,1]], term=0)]}), keyboard=kb())
case("combo-slow-release-string", keymap=km(extra={"combos": [CB([[0,0],[0,1]], slow_release="yes")]}), keyboard=kb())
case("combo-too-many", keymap=km(extra={"combos": [CB([[0,0],[0,1]], layers=[0])] * 33}), keyboard=kb())
case("combos-not-array", keymap=km(extra={"combos": {"keys": [[0,0],[0,1]], "result": "KC_X"}}), keyboard=kb())
case("tap-dance-unknown-field", keymap=km(extra={"tap_dances": [{"on_tap": "KC_A", "on_doubletap": "KC_B"}]}), keyboard=kb())
case("tap-dance-nested", keymap=km(extra={"tap_dances": [{"on_tap": "KC_A", "on_hold": "TD(1)"}]}), keyboard=kb())
case("tap-dance-trns", keymap=km(extra={"tap_dances": [{"on_tap": "KC_TRNS"}]}), keyboard=kb())
case("tap-dance-layer-beyond", keymap=km(layers=K2, extra={"tap_dances": [{"on_tap": "KC_A", "on_hold": "MO(2)"}]}), keyboard=kb())
case("tap-dance-term-string", keymap=km(extra={"tap_dances": [{"on_tap": "KC_A", "term": "150"}]}), keyboard=kb())
case("tap-dance-bad-keycode", keymap=km(extra={"tap_dances": [{"on_tap": "KC_A", "on_double_tap": "LSFT(KC_Q"}]}), keyboard=kb())
case("tap-dance-too-many", keymap=km(extra={"tap_dances": [{"on_tap": "KC_A"}] * 33}), keyboard=kb())
case("tap-dance-entry-not-object", keymap=km(extra={"tap_dances": ["KC_A"]}), keyboard=kb())

for name, (k, b, rk, rb) in cases.items():
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    if rk is not None:
        open(os.path.join(d, "keymap.json"), "wb").write(rk if isinstance(rk, bytes) else rk.encode())
    elif k is not None:
        open(os.path.join(d, "keymap.json"), "w").write(dump_km(k))
    if rb is not None:
        open(os.path.join(d, "keyboard.json"), "w").write(rb)
    elif b is not None:
        open(os.path.join(d, "keyboard.json"), "w").write(dump_kb(b))
print(len(cases), "cases")
