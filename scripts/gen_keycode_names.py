#!/usr/bin/env python3
"""Writes config/keycode_names.c: every QMK keycode name (canonical, alias, legacy) with its
16-bit value, as sorted constant tables for an allocation-free binary search.

The values are facts of QMK's public keycode tables (keycodes version 0.0.9 + 0.0.10 additions).
Run it after editing the lists below: `python3 scripts/gen_keycode_names.py > config/keycode_names.c`.
The unit test checks the committed output for order, uniqueness and agreement with core/keycodes.h.
"""
import sys

CANON, ALIAS, LEGACY = 0, 1, 2

entries = []   # (name, value, kind)
canonical = {}  # value -> canonical name


def canon(value, name, *aliases):
    assert value not in canonical, (hex(value), name, canonical.get(value))
    canonical[value] = name
    entries.append((name, value, CANON))
    for a in aliases:
        entries.append((a, value, ALIAS))


def alias(name, target, kind=ALIAS):
    """`target` is a name already defined (any kind) or an integer value."""
    if isinstance(target, int):
        value = target
    else:
        found = [v for (n, v, _) in entries if n == target]
        assert found, target
        value = found[0]
    entries.append((name, value, kind))


def legacy(name, target):
    alias(name, target, LEGACY)


# ---- basic 0x00-0xFF ---------------------------------------------------------------------------
canon(0x00, "KC_NO", "XXXXXXX")
canon(0x01, "KC_TRANSPARENT", "KC_TRNS", "_______")
for i in range(26):
    canon(0x04 + i, "KC_" + chr(ord("A") + i))
for i in range(1, 10):
    canon(0x1D + i, "KC_%d" % i)
canon(0x27, "KC_0")
basic = [
    (0x28, "KC_ENTER", "KC_ENT"), (0x29, "KC_ESCAPE", "KC_ESC"), (0x2A, "KC_BACKSPACE", "KC_BSPC"),
    (0x2B, "KC_TAB"), (0x2C, "KC_SPACE", "KC_SPC"), (0x2D, "KC_MINUS", "KC_MINS"),
    (0x2E, "KC_EQUAL", "KC_EQL"), (0x2F, "KC_LEFT_BRACKET", "KC_LBRC"),
    (0x30, "KC_RIGHT_BRACKET", "KC_RBRC"), (0x31, "KC_BACKSLASH", "KC_BSLS"),
    (0x32, "KC_NONUS_HASH", "KC_NUHS"), (0x33, "KC_SEMICOLON", "KC_SCLN"), (0x34, "KC_QUOTE", "KC_QUOT"),
    (0x35, "KC_GRAVE", "KC_GRV"), (0x36, "KC_COMMA", "KC_COMM"), (0x37, "KC_DOT"),
    (0x38, "KC_SLASH", "KC_SLSH"), (0x39, "KC_CAPS_LOCK", "KC_CAPS"),
]
for b in basic:
    canon(*b)
for i in range(1, 13):
    canon(0x39 + i, "KC_F%d" % i)
basic = [
    (0x46, "KC_PRINT_SCREEN", "KC_PSCR"), (0x47, "KC_SCROLL_LOCK", "KC_SCRL", "KC_BRMD"),
    (0x48, "KC_PAUSE", "KC_PAUS", "KC_BRK", "KC_BRMU"), (0x49, "KC_INSERT", "KC_INS"), (0x4A, "KC_HOME"),
    (0x4B, "KC_PAGE_UP", "KC_PGUP"), (0x4C, "KC_DELETE", "KC_DEL"), (0x4D, "KC_END"),
    (0x4E, "KC_PAGE_DOWN", "KC_PGDN"), (0x4F, "KC_RIGHT", "KC_RGHT"), (0x50, "KC_LEFT"), (0x51, "KC_DOWN"),
    (0x52, "KC_UP"), (0x53, "KC_NUM_LOCK", "KC_NUM"), (0x54, "KC_KP_SLASH", "KC_PSLS"),
    (0x55, "KC_KP_ASTERISK", "KC_PAST"), (0x56, "KC_KP_MINUS", "KC_PMNS"), (0x57, "KC_KP_PLUS", "KC_PPLS"),
    (0x58, "KC_KP_ENTER", "KC_PENT"),
]
for b in basic:
    canon(*b)
for i in range(1, 10):
    canon(0x58 + i, "KC_KP_%d" % i, "KC_P%d" % i)
basic = [
    (0x62, "KC_KP_0", "KC_P0"), (0x63, "KC_KP_DOT", "KC_PDOT"), (0x64, "KC_NONUS_BACKSLASH", "KC_NUBS"),
    (0x65, "KC_APPLICATION", "KC_APP"), (0x66, "KC_KB_POWER"), (0x67, "KC_KP_EQUAL", "KC_PEQL"),
]
for b in basic:
    canon(*b)
for i in range(13, 25):
    canon(0x68 + i - 13, "KC_F%d" % i)
basic = [
    (0x74, "KC_EXECUTE", "KC_EXEC"), (0x75, "KC_HELP"), (0x76, "KC_MENU"), (0x77, "KC_SELECT", "KC_SLCT"),
    (0x78, "KC_STOP"), (0x79, "KC_AGAIN", "KC_AGIN"), (0x7A, "KC_UNDO"), (0x7B, "KC_CUT"), (0x7C, "KC_COPY"),
    (0x7D, "KC_PASTE", "KC_PSTE"), (0x7E, "KC_FIND"), (0x7F, "KC_KB_MUTE"), (0x80, "KC_KB_VOLUME_UP"),
    (0x81, "KC_KB_VOLUME_DOWN"), (0x82, "KC_LOCKING_CAPS_LOCK", "KC_LCAP"),
    (0x83, "KC_LOCKING_NUM_LOCK", "KC_LNUM"), (0x84, "KC_LOCKING_SCROLL_LOCK", "KC_LSCR"),
    (0x85, "KC_KP_COMMA", "KC_PCMM"), (0x86, "KC_KP_EQUAL_AS400"),
]
for b in basic:
    canon(*b)
for i in range(1, 10):
    canon(0x86 + i, "KC_INTERNATIONAL_%d" % i, "KC_INT%d" % i)
for i in range(1, 10):
    canon(0x8F + i, "KC_LANGUAGE_%d" % i, "KC_LNG%d" % i)
basic = [
    (0x99, "KC_ALTERNATE_ERASE", "KC_ERAS"), (0x9A, "KC_SYSTEM_REQUEST", "KC_SYRQ"),
    (0x9B, "KC_CANCEL", "KC_CNCL"), (0x9C, "KC_CLEAR", "KC_CLR"), (0x9D, "KC_PRIOR", "KC_PRIR"),
    (0x9E, "KC_RETURN", "KC_RETN"), (0x9F, "KC_SEPARATOR", "KC_SEPR"), (0xA0, "KC_OUT"), (0xA1, "KC_OPER"),
    (0xA2, "KC_CLEAR_AGAIN", "KC_CLAG"), (0xA3, "KC_CRSEL", "KC_CRSL"), (0xA4, "KC_EXSEL", "KC_EXSL"),
    # QMK-internal: system control, consumer
    (0xA5, "KC_SYSTEM_POWER", "KC_PWR"), (0xA6, "KC_SYSTEM_SLEEP", "KC_SLEP"),
    (0xA7, "KC_SYSTEM_WAKE", "KC_WAKE"), (0xA8, "KC_AUDIO_MUTE", "KC_MUTE"),
    (0xA9, "KC_AUDIO_VOL_UP", "KC_VOLU"), (0xAA, "KC_AUDIO_VOL_DOWN", "KC_VOLD"),
    (0xAB, "KC_MEDIA_NEXT_TRACK", "KC_MNXT"), (0xAC, "KC_MEDIA_PREV_TRACK", "KC_MPRV"),
    (0xAD, "KC_MEDIA_STOP", "KC_MSTP"), (0xAE, "KC_MEDIA_PLAY_PAUSE", "KC_MPLY"),
    (0xAF, "KC_MEDIA_SELECT", "KC_MSEL"), (0xB0, "KC_MEDIA_EJECT", "KC_EJCT"), (0xB1, "KC_MAIL"),
    (0xB2, "KC_CALCULATOR", "KC_CALC"), (0xB3, "KC_MY_COMPUTER", "KC_MYCM"),
    (0xB4, "KC_WWW_SEARCH", "KC_WSCH"), (0xB5, "KC_WWW_HOME", "KC_WHOM"), (0xB6, "KC_WWW_BACK", "KC_WBAK"),
    (0xB7, "KC_WWW_FORWARD", "KC_WFWD"), (0xB8, "KC_WWW_STOP", "KC_WSTP"),
    (0xB9, "KC_WWW_REFRESH", "KC_WREF"), (0xBA, "KC_WWW_FAVORITES", "KC_WFAV"),
    (0xBB, "KC_MEDIA_FAST_FORWARD", "KC_MFFD"), (0xBC, "KC_MEDIA_REWIND", "KC_MRWD"),
    (0xBD, "KC_BRIGHTNESS_UP", "KC_BRIU"), (0xBE, "KC_BRIGHTNESS_DOWN", "KC_BRID"),
    (0xBF, "KC_CONTROL_PANEL", "KC_CPNL"), (0xC0, "KC_ASSISTANT", "KC_ASST"),
    (0xC1, "KC_MISSION_CONTROL", "KC_MCTL"), (0xC2, "KC_LAUNCHPAD", "KC_LPAD"),
    # mouse keys: QK_MOUSE_* canonical since keycodes 0.0.5
    (0xCD, "QK_MOUSE_CURSOR_UP", "MS_UP"), (0xCE, "QK_MOUSE_CURSOR_DOWN", "MS_DOWN"),
    (0xCF, "QK_MOUSE_CURSOR_LEFT", "MS_LEFT"), (0xD0, "QK_MOUSE_CURSOR_RIGHT", "MS_RGHT"),
]
for b in basic:
    canon(*b)
for i in range(1, 9):
    canon(0xD0 + i, "QK_MOUSE_BUTTON_%d" % i, "MS_BTN%d" % i)
basic = [
    (0xD9, "QK_MOUSE_WHEEL_UP", "MS_WHLU"), (0xDA, "QK_MOUSE_WHEEL_DOWN", "MS_WHLD"),
    (0xDB, "QK_MOUSE_WHEEL_LEFT", "MS_WHLL"), (0xDC, "QK_MOUSE_WHEEL_RIGHT", "MS_WHLR"),
    (0xDD, "QK_MOUSE_ACCELERATION_0", "MS_ACL0"), (0xDE, "QK_MOUSE_ACCELERATION_1", "MS_ACL1"),
    (0xDF, "QK_MOUSE_ACCELERATION_2", "MS_ACL2"),
    (0xE0, "KC_LEFT_CTRL", "KC_LCTL"), (0xE1, "KC_LEFT_SHIFT", "KC_LSFT"),
    (0xE2, "KC_LEFT_ALT", "KC_LALT", "KC_LOPT"), (0xE3, "KC_LEFT_GUI", "KC_LGUI", "KC_LCMD", "KC_LWIN"),
    (0xE4, "KC_RIGHT_CTRL", "KC_RCTL"), (0xE5, "KC_RIGHT_SHIFT", "KC_RSFT"),
    (0xE6, "KC_RIGHT_ALT", "KC_RALT", "KC_ROPT", "KC_ALGR"),
    (0xE7, "KC_RIGHT_GUI", "KC_RGUI", "KC_RCMD", "KC_RWIN"),
]
for b in basic:
    canon(*b)

# ---- US ANSI shifted symbols (keymap_us): LSFT(basic) ----------------------------------------
S = 0x0200
for (base, key, *al) in [
    (0x35, "KC_TILD", "KC_TILDE"), (0x1E, "KC_EXLM", "KC_EXCLAIM"), (0x1F, "KC_AT"), (0x20, "KC_HASH"),
    (0x21, "KC_DLR", "KC_DOLLAR"), (0x22, "KC_PERC", "KC_PERCENT"), (0x23, "KC_CIRC", "KC_CIRCUMFLEX"),
    (0x24, "KC_AMPR", "KC_AMPERSAND"), (0x25, "KC_ASTR", "KC_ASTERISK"), (0x26, "KC_LPRN", "KC_LEFT_PAREN"),
    (0x27, "KC_RPRN", "KC_RIGHT_PAREN"), (0x2D, "KC_UNDS", "KC_UNDERSCORE"), (0x2E, "KC_PLUS"),
    (0x2F, "KC_LCBR", "KC_LEFT_CURLY_BRACE"), (0x30, "KC_RCBR", "KC_RIGHT_CURLY_BRACE"), (0x31, "KC_PIPE"),
    (0x33, "KC_COLN", "KC_COLON"), (0x34, "KC_DQUO", "KC_DOUBLE_QUOTE", "KC_DQT"),
    (0x36, "KC_LABK", "KC_LEFT_ANGLE_BRACKET", "KC_LT"), (0x37, "KC_RABK", "KC_RIGHT_ANGLE_BRACKET", "KC_GT"),
    (0x38, "KC_QUES", "KC_QUESTION"),
]:
    canon(S | base, key, *al)
# macros of quantum_keycodes.h, not table entries in QMK: aliases here
alias("KC_MEH", 0x0700)
alias("KC_HYPR", 0x0F00)

# ---- one-shot mod shortcuts (OSM(mod) = 0x52A0 | mod) -----------------------------------------
for (name, m) in [
    ("OS_LCTL", 0x01), ("OS_LSFT", 0x02), ("OS_LALT", 0x04), ("OS_LGUI", 0x08),
    ("OS_LCS", 0x03), ("OS_LCA", 0x05), ("OS_LCG", 0x09), ("OS_LSA", 0x06), ("OS_LSG", 0x0A), ("OS_LAG", 0x0C),
    ("OS_LCSG", 0x0B), ("OS_LCAG", 0x0D), ("OS_LSAG", 0x0E),
    ("OS_RCTL", 0x11), ("OS_RSFT", 0x12), ("OS_RALT", 0x14), ("OS_RGUI", 0x18),
    ("OS_RCS", 0x13), ("OS_RCA", 0x15), ("OS_RCG", 0x19), ("OS_RSA", 0x16), ("OS_RSG", 0x1A), ("OS_RAG", 0x1C),
    ("OS_RCSG", 0x1B), ("OS_RCAG", 0x1D), ("OS_RSAG", 0x1E),
    ("OS_MEH", 0x07), ("OS_HYPR", 0x0F),
]:
    alias(name, 0x52A0 | m)

# ---- swap hands --------------------------------------------------------------------------------
for (v, k, a) in [
    (0x56F0, "QK_SWAP_HANDS_TOGGLE", "SH_TOGG"), (0x56F1, "QK_SWAP_HANDS_TAP_TOGGLE", "SH_TT"),
    (0x56F2, "QK_SWAP_HANDS_MOMENTARY_ON", "SH_MON"), (0x56F3, "QK_SWAP_HANDS_MOMENTARY_OFF", "SH_MOFF"),
    (0x56F4, "QK_SWAP_HANDS_OFF", "SH_OFF"), (0x56F5, "QK_SWAP_HANDS_ON", "SH_ON"),
    (0x56F6, "QK_SWAP_HANDS_ONE_SHOT", "SH_OS"),
]:
    canon(v, k, a)

# ---- Plover HID (0x5A40..0x5A7F; in QMK's keycodes 0.0.9 table, so accepted) ------------------
plv = ["S1", "TL", "KL", "PL", "WL", "HL", "RL", "A", "O", "ST1", "E", "U", "FR", "RR", "PR", "BR", "LR",
       "GR", "TR", "SR", "DR", "ZR", "N1", "S2", "ST2", "ST3", "ST4", "N2", "N3", "N4", "N5", "N6", "N7",
       "N8", "N9", "NA", "NB", "NC"] + ["X%d" % i for i in range(1, 27)]
assert len(plv) == 64
for i, n in enumerate(plv):
    canon(0x5A40 + i, "PLV_" + n)

# ---- magic -------------------------------------------------------------------------------------
magic = [
    ("SWAP_CONTROL_CAPS_LOCK", "CL_SWAP"), ("UNSWAP_CONTROL_CAPS_LOCK", "CL_NORM"),
    ("TOGGLE_CONTROL_CAPS_LOCK", "CL_TOGG"), ("CAPS_LOCK_AS_CONTROL_OFF", "CL_CAPS"),
    ("CAPS_LOCK_AS_CONTROL_ON", "CL_CTRL"), ("SWAP_LALT_LGUI", "AG_LSWP"), ("UNSWAP_LALT_LGUI", "AG_LNRM"),
    ("SWAP_RALT_RGUI", "AG_RSWP"), ("UNSWAP_RALT_RGUI", "AG_RNRM"), ("GUI_ON", "GU_ON"), ("GUI_OFF", "GU_OFF"),
    ("TOGGLE_GUI", "GU_TOGG"), ("SWAP_GRAVE_ESC", "GE_SWAP"), ("UNSWAP_GRAVE_ESC", "GE_NORM"),
    ("SWAP_BACKSLASH_BACKSPACE", "BS_SWAP"), ("UNSWAP_BACKSLASH_BACKSPACE", "BS_NORM"),
    ("TOGGLE_BACKSLASH_BACKSPACE", "BS_TOGG"), ("NKRO_ON", "NK_ON"), ("NKRO_OFF", "NK_OFF"),
    ("TOGGLE_NKRO", "NK_TOGG"), ("SWAP_ALT_GUI", "AG_SWAP"), ("UNSWAP_ALT_GUI", "AG_NORM"),
    ("TOGGLE_ALT_GUI", "AG_TOGG"), ("SWAP_LCTL_LGUI", "CG_LSWP"), ("UNSWAP_LCTL_LGUI", "CG_LNRM"),
    ("SWAP_RCTL_RGUI", "CG_RSWP"), ("UNSWAP_RCTL_RGUI", "CG_RNRM"), ("SWAP_CTL_GUI", "CG_SWAP"),
    ("UNSWAP_CTL_GUI", "CG_NORM"), ("TOGGLE_CTL_GUI", "CG_TOGG"), ("EE_HANDS_LEFT", "EH_LEFT"),
    ("EE_HANDS_RIGHT", "EH_RGHT"), ("SWAP_ESCAPE_CAPS_LOCK", "EC_SWAP"), ("UNSWAP_ESCAPE_CAPS_LOCK", "EC_NORM"),
    ("TOGGLE_ESCAPE_CAPS_LOCK", "EC_TOGG"),
]
for i, (k, a) in enumerate(magic):
    canon(0x7000 + i, "QK_MAGIC_" + k, a)
assert canonical[0x7011] == "QK_MAGIC_NKRO_ON" and canonical[0x7022] == "QK_MAGIC_TOGGLE_ESCAPE_CAPS_LOCK"

# ---- MIDI --------------------------------------------------------------------------------------
canon(0x7100, "QK_MIDI_ON", "MI_ON")
canon(0x7101, "QK_MIDI_OFF", "MI_OFF")
canon(0x7102, "QK_MIDI_TOGGLE", "MI_TOGG")
notes = [("C", "C", None), ("C_SHARP", "Cs", "Db"), ("D", "D", None), ("D_SHARP", "Ds", "Eb"), ("E", "E", None),
         ("F", "F", None), ("F_SHARP", "Fs", "Gb"), ("G", "G", None), ("G_SHARP", "Gs", "Ab"), ("A", "A", None),
         ("A_SHARP", "As", "Bb"), ("B", "B", None)]
v = 0x7103
for octave in range(6):
    for (k, a1, a2) in notes:
        suffix = "" if octave == 0 else str(octave)
        al = ["MI_" + a1 + suffix] + (["MI_" + a2 + suffix] if a2 else [])
        canon(v, "QK_MIDI_NOTE_%s_%d" % (k, octave), *al)
        v += 1
assert v == 0x714B
for (k, a) in [("N2", "OCN2"), ("N1", "OCN1")] + [(str(i), "OC%d" % i) for i in range(8)]:
    canon(v, "QK_MIDI_OCTAVE_" + k, "MI_" + a)
    v += 1
canon(v, "QK_MIDI_OCTAVE_DOWN", "MI_OCTD"); v += 1
canon(v, "QK_MIDI_OCTAVE_UP", "MI_OCTU"); v += 1
for k in ["N6", "N5", "N4", "N3", "N2", "N1", "0", "1", "2", "3", "4", "5", "6"]:
    canon(v, "QK_MIDI_TRANSPOSE_" + k, "MI_TRN" + k[1:] if k.startswith("N") else "MI_TR" + k)
    v += 1
canon(v, "QK_MIDI_TRANSPOSE_DOWN", "MI_TRSD"); v += 1
canon(v, "QK_MIDI_TRANSPOSE_UP", "MI_TRSU"); v += 1
assert v == 0x7166
for i in range(11):
    canon(v, "QK_MIDI_VELOCITY_%d" % i, "MI_VL%d" % i); v += 1
canon(v, "QK_MIDI_VELOCITY_DOWN", "MI_VELD"); v += 1
canon(v, "QK_MIDI_VELOCITY_UP", "MI_VELU"); v += 1
for i in range(1, 17):
    canon(v, "QK_MIDI_CHANNEL_%d" % i, "MI_CH%d" % i); v += 1
canon(v, "QK_MIDI_CHANNEL_DOWN", "MI_CHND"); v += 1
canon(v, "QK_MIDI_CHANNEL_UP", "MI_CHNU"); v += 1
assert v == 0x7185
for (k, a) in [("ALL_NOTES_OFF", "AOFF"), ("SUSTAIN", "SUST"), ("PORTAMENTO", "PORT"), ("SOSTENUTO", "SOST"),
               ("SOFT", "SOFT"), ("LEGATO", "LEG"), ("MODULATION", "MOD"), ("MODULATION_SPEED_DOWN", "MODD"),
               ("MODULATION_SPEED_UP", "MODU"), ("PITCH_BEND_DOWN", "BNDD"), ("PITCH_BEND_UP", "BNDU")]:
    canon(v, "QK_MIDI_" + k, "MI_" + a); v += 1
assert v == 0x7190

# ---- sequencer, joystick, programmable buttons, audio -----------------------------------------
for i, (k, a) in enumerate([("ON", "ON"), ("OFF", "OFF"), ("TOGGLE", "TOGG"), ("TEMPO_DOWN", "TMPD"),
                            ("TEMPO_UP", "TMPU"), ("RESOLUTION_DOWN", "RESD"), ("RESOLUTION_UP", "RESU"),
                            ("STEPS_ALL", "SALL"), ("STEPS_CLEAR", "SCLR")]):
    canon(0x7200 + i, "QK_SEQUENCER_" + k, "SQ_" + a)
for i in range(32):
    canon(0x7400 + i, "QK_JOYSTICK_BUTTON_%d" % i, "JS_%d" % i)
for i in range(1, 33):
    canon(0x743F + i, "QK_PROGRAMMABLE_BUTTON_%d" % i, "PB_%d" % i)
for (v, k, a) in [
    (0x7480, "QK_AUDIO_ON", "AU_ON"), (0x7481, "QK_AUDIO_OFF", "AU_OFF"), (0x7482, "QK_AUDIO_TOGGLE", "AU_TOGG"),
    (0x748A, "QK_AUDIO_CLICKY_TOGGLE", "CK_TOGG"), (0x748B, "QK_AUDIO_CLICKY_ON", "CK_ON"),
    (0x748C, "QK_AUDIO_CLICKY_OFF", "CK_OFF"), (0x748D, "QK_AUDIO_CLICKY_UP", "CK_UP"),
    (0x748E, "QK_AUDIO_CLICKY_DOWN", "CK_DOWN"), (0x748F, "QK_AUDIO_CLICKY_RESET", "CK_RST"),
    (0x7490, "QK_MUSIC_ON", "MU_ON"), (0x7491, "QK_MUSIC_OFF", "MU_OFF"), (0x7492, "QK_MUSIC_TOGGLE", "MU_TOGG"),
    (0x7493, "QK_MUSIC_MODE_NEXT", "MU_NEXT"), (0x7494, "QK_AUDIO_VOICE_NEXT", "AU_NEXT"),
    (0x7495, "QK_AUDIO_VOICE_PREVIOUS", "AU_PREV"),
]:
    canon(v, k, a)

# ---- steno (0x74C0..0x751F since keycodes 0.0.9) -----------------------------------------------
steno = [
    (0x74C0, "FUNCTION", "FN"), (0x74C1, "N1", "N1", "NUM"), (0x74C2, "N2", "N2"), (0x74C3, "N3", "N3"),
    (0x74C4, "N4", "N4"), (0x74C5, "N5", "N5"), (0x74C6, "N6", "N6"), (0x74C7, "S1", "S1", "SL"),
    (0x74C8, "S2", "S2"), (0x74C9, "TL", "TL"), (0x74CA, "KL", "KL"), (0x74CB, "PL", "PL"), (0x74CC, "WL", "WL"),
    (0x74CD, "HL", "HL"), (0x74CE, "RL", "RL"), (0x74CF, "A", "A"), (0x74D0, "O", "O"),
    (0x74D1, "ST1", "ST1", "STR"), (0x74D2, "ST2", "ST2"), (0x74D3, "RESET1", "RE1", "RES1"),
    (0x74D4, "RESET2", "RE2", "RES2"), (0x74D5, "POWER", "PWR"), (0x74D6, "ST3", "ST3"), (0x74D7, "ST4", "ST4"),
    (0x74D8, "E", "E"), (0x74D9, "U", "U"), (0x74DA, "FR", "FR"), (0x74DB, "RR", "RR"), (0x74DC, "PR", "PR"),
    (0x74DD, "BR", "BR"), (0x74DE, "LR", "LR"), (0x74DF, "GR", "GR"), (0x74E0, "TR", "TR"), (0x74E1, "SR", "SR"),
    (0x74E2, "DR", "DR"), (0x74E3, "N7", "N7"), (0x74E4, "N8", "N8"), (0x74E5, "N9", "N9"), (0x74E6, "NA", "NA"),
    (0x74E7, "NB", "NB"), (0x74E8, "NC", "NC"), (0x74E9, "ZR", "ZR"),
] + [(0x74E9 + i, "X%d" % i, "X%d" % i) for i in range(1, 27)] + [
    (0x750B, "S3", "S3"), (0x750C, "TKL", "TKL"), (0x750D, "PWL", "PWL"), (0x750E, "HRL", "HRL"),
    (0x750F, "FRR", "FRR"), (0x7510, "PBR", "PBR"), (0x7511, "LGR", "LGR"), (0x7512, "TSR", "TSR"),
    (0x7513, "DZR", "DZR"), (0x7514, "AO", "AO"), (0x7515, "EU", "EU"), (0x751C, "MODE_BOLT", "BOLT"),
    (0x751D, "MODE_GEMINI", "GEMI"), (0x751E, "MODE_NEXT", "NEXT"), (0x751F, "MODE_PREVIOUS", "PREV"),
]
assert steno[-16][0] == 0x7503
for (v, k, *al) in steno:
    canon(v, "QK_STENO_" + k, *["ST_" + a for a in al])

# ---- macros, connection ------------------------------------------------------------------------
for i in range(32):
    canon(0x7700 + i, "QK_MACRO_%d" % i, "MC_%d" % i)
# qmk.md lists an older draft of this block (0x7780 = OU_NEXT); QMK's newest table has OU_AUTO first.
for (v, k, a) in [
    (0x7780, "QK_OUTPUT_AUTO", "OU_AUTO"), (0x7781, "QK_OUTPUT_NEXT", "OU_NEXT"),
    (0x7782, "QK_OUTPUT_PREV", "OU_PREV"), (0x7783, "QK_OUTPUT_NONE", "OU_NONE"),
    (0x7784, "QK_OUTPUT_USB", "OU_USB"), (0x7785, "QK_OUTPUT_2P4GHZ", "OU_2P4G"),
    (0x7786, "QK_OUTPUT_BLUETOOTH", "OU_BT"), (0x7790, "QK_BLUETOOTH_PROFILE_NEXT", "BT_NEXT"),
    (0x7791, "QK_BLUETOOTH_PROFILE_PREV", "BT_PREV"), (0x7792, "QK_BLUETOOTH_UNPAIR", "BT_UNPR"),
] + [(0x7792 + i, "QK_BLUETOOTH_PROFILE%d" % i, "BT_PRF%d" % i) for i in range(1, 6)]:
    canon(v, k, a)

# ---- lighting ----------------------------------------------------------------------------------
for i, (k, a) in enumerate([("ON", "ON"), ("OFF", "OFF"), ("TOGGLE", "TOGG"), ("DOWN", "DOWN"), ("UP", "UP"),
                            ("STEP", "STEP"), ("TOGGLE_BREATHING", "BRTG")]):
    canon(0x7800 + i, "QK_BACKLIGHT_" + k, "BL_" + a)
for i, (k, a) in enumerate([("ON", "ON"), ("OFF", "OFF"), ("TOGGLE", "TOGG"), ("MODE_NEXT", "NEXT"),
                            ("MODE_PREVIOUS", "PREV"), ("BRIGHTNESS_UP", "BRIU"), ("BRIGHTNESS_DOWN", "BRID"),
                            ("SPEED_UP", "SPDU"), ("SPEED_DOWN", "SPDD"), ("FLAG_NEXT", "FLGN"),
                            ("FLAG_PREVIOUS", "FLGP")]):
    canon(0x7810 + i, "QK_LED_MATRIX_" + k, "LM_" + a)
for i, (k, a) in enumerate([("TOGGLE", "TOGG"), ("MODE_NEXT", "NEXT"), ("MODE_PREVIOUS", "PREV"),
                            ("HUE_UP", "HUEU"), ("HUE_DOWN", "HUED"), ("SATURATION_UP", "SATU"),
                            ("SATURATION_DOWN", "SATD"), ("VALUE_UP", "VALU"), ("VALUE_DOWN", "VALD"),
                            ("SPEED_UP", "SPDU"), ("SPEED_DOWN", "SPDD")]):
    canon(0x7820 + i, "QK_UNDERGLOW_" + k, "UG_" + a)
for i, (k, a) in enumerate([("PLAIN", "P"), ("BREATHE", "B"), ("RAINBOW", "R"), ("SWIRL", "SW"), ("SNAKE", "SN"),
                            ("KNIGHT", "K"), ("XMAS", "X"), ("GRADIENT", "G"), ("RGBTEST", "T"),
                            ("TWINKLE", "TW")]):
    canon(0x782B + i, "RGB_MODE_" + k, "RGB_M_" + a)
for i, (k, a) in enumerate([("ON", "ON"), ("OFF", "OFF"), ("TOGGLE", "TOGG"), ("MODE_NEXT", "NEXT"),
                            ("MODE_PREVIOUS", "PREV"), ("HUE_UP", "HUEU"), ("HUE_DOWN", "HUED"),
                            ("SATURATION_UP", "SATU"), ("SATURATION_DOWN", "SATD"), ("VALUE_UP", "VALU"),
                            ("VALUE_DOWN", "VALD"), ("SPEED_UP", "SPDU"), ("SPEED_DOWN", "SPDD"),
                            ("FLAG_NEXT", "FLGN"), ("FLAG_PREVIOUS", "FLGP")]):
    canon(0x7840 + i, "QK_RGB_MATRIX_" + k, "RM_" + a)

# ---- quantum 0x7C00.. --------------------------------------------------------------------------
for (v, k, *al) in [
    (0x7C00, "QK_BOOTLOADER", "QK_BOOT"), (0x7C01, "QK_REBOOT", "QK_RBT"), (0x7C02, "QK_DEBUG_TOGGLE", "DB_TOGG"),
    (0x7C03, "QK_CLEAR_EEPROM", "EE_CLR"), (0x7C04, "QK_MAKE"),
    (0x7C10, "QK_AUTO_SHIFT_DOWN", "AS_DOWN"), (0x7C11, "QK_AUTO_SHIFT_UP", "AS_UP"),
    (0x7C12, "QK_AUTO_SHIFT_REPORT", "AS_RPT"), (0x7C13, "QK_AUTO_SHIFT_ON", "AS_ON"),
    (0x7C14, "QK_AUTO_SHIFT_OFF", "AS_OFF"), (0x7C15, "QK_AUTO_SHIFT_TOGGLE", "AS_TOGG"),
    (0x7C16, "QK_GRAVE_ESCAPE", "QK_GESC"), (0x7C17, "QK_VELOCIKEY_TOGGLE", "VK_TOGG"),
    (0x7C18, "QK_SPACE_CADET_LEFT_CTRL_PARENTHESIS_OPEN", "SC_LCPO"),
    (0x7C19, "QK_SPACE_CADET_RIGHT_CTRL_PARENTHESIS_CLOSE", "SC_RCPC"),
    (0x7C1A, "QK_SPACE_CADET_LEFT_SHIFT_PARENTHESIS_OPEN", "SC_LSPO"),
    (0x7C1B, "QK_SPACE_CADET_RIGHT_SHIFT_PARENTHESIS_CLOSE", "SC_RSPC"),
    (0x7C1C, "QK_SPACE_CADET_LEFT_ALT_PARENTHESIS_OPEN", "SC_LAPO"),
    (0x7C1D, "QK_SPACE_CADET_RIGHT_ALT_PARENTHESIS_CLOSE", "SC_RAPC"),
    (0x7C1E, "QK_SPACE_CADET_RIGHT_SHIFT_ENTER", "SC_SENT"),
    (0x7C30, "QK_UNICODE_MODE_NEXT", "UC_NEXT"), (0x7C31, "QK_UNICODE_MODE_PREVIOUS", "UC_PREV"),
    (0x7C32, "QK_UNICODE_MODE_MACOS", "UC_MAC"), (0x7C33, "QK_UNICODE_MODE_LINUX", "UC_LINX"),
    (0x7C34, "QK_UNICODE_MODE_WINDOWS", "UC_WIN"), (0x7C35, "QK_UNICODE_MODE_BSD", "UC_BSD"),
    (0x7C36, "QK_UNICODE_MODE_WINCOMPOSE", "UC_WINC"), (0x7C37, "QK_UNICODE_MODE_EMACS", "UC_EMAC"),
    (0x7C40, "QK_HAPTIC_ON", "HF_ON"), (0x7C41, "QK_HAPTIC_OFF", "HF_OFF"), (0x7C42, "QK_HAPTIC_TOGGLE", "HF_TOGG"),
    (0x7C43, "QK_HAPTIC_RESET", "HF_RST"), (0x7C44, "QK_HAPTIC_FEEDBACK_TOGGLE", "HF_FDBK"),
    (0x7C45, "QK_HAPTIC_BUZZ_TOGGLE", "HF_BUZZ"), (0x7C46, "QK_HAPTIC_MODE_NEXT", "HF_NEXT"),
    (0x7C47, "QK_HAPTIC_MODE_PREVIOUS", "HF_PREV"), (0x7C48, "QK_HAPTIC_CONTINUOUS_TOGGLE", "HF_CONT"),
    (0x7C49, "QK_HAPTIC_CONTINUOUS_UP", "HF_CONU"), (0x7C4A, "QK_HAPTIC_CONTINUOUS_DOWN", "HF_COND"),
    (0x7C4B, "QK_HAPTIC_DWELL_UP", "HF_DWLU"), (0x7C4C, "QK_HAPTIC_DWELL_DOWN", "HF_DWLD"),
    (0x7C50, "QK_COMBO_ON", "CM_ON"), (0x7C51, "QK_COMBO_OFF", "CM_OFF"), (0x7C52, "QK_COMBO_TOGGLE", "CM_TOGG"),
    (0x7C53, "QK_DYNAMIC_MACRO_RECORD_START_1", "DM_REC1"), (0x7C54, "QK_DYNAMIC_MACRO_RECORD_START_2", "DM_REC2"),
    (0x7C55, "QK_DYNAMIC_MACRO_RECORD_STOP", "DM_RSTP"), (0x7C56, "QK_DYNAMIC_MACRO_PLAY_1", "DM_PLY1"),
    (0x7C57, "QK_DYNAMIC_MACRO_PLAY_2", "DM_PLY2"), (0x7C58, "QK_LEADER", "QK_LEAD"), (0x7C59, "QK_LOCK"),
    (0x7C5A, "QK_ONE_SHOT_ON", "OS_ON"), (0x7C5B, "QK_ONE_SHOT_OFF", "OS_OFF"),
    (0x7C5C, "QK_ONE_SHOT_TOGGLE", "OS_TOGG"), (0x7C5D, "QK_KEY_OVERRIDE_TOGGLE", "KO_TOGG"),
    (0x7C5E, "QK_KEY_OVERRIDE_ON", "KO_ON"), (0x7C5F, "QK_KEY_OVERRIDE_OFF", "KO_OFF"),
    (0x7C60, "QK_SECURE_LOCK", "SE_LOCK"), (0x7C61, "QK_SECURE_UNLOCK", "SE_UNLK"),
    (0x7C62, "QK_SECURE_TOGGLE", "SE_TOGG"), (0x7C63, "QK_SECURE_REQUEST", "SE_REQ"),
    (0x7C70, "QK_DYNAMIC_TAPPING_TERM_PRINT", "DT_PRNT"), (0x7C71, "QK_DYNAMIC_TAPPING_TERM_UP", "DT_UP"),
    (0x7C72, "QK_DYNAMIC_TAPPING_TERM_DOWN", "DT_DOWN"), (0x7C73, "QK_CAPS_WORD_TOGGLE", "CW_TOGG"),
    (0x7C74, "QK_AUTOCORRECT_ON", "AC_ON"), (0x7C75, "QK_AUTOCORRECT_OFF", "AC_OFF"),
    (0x7C76, "QK_AUTOCORRECT_TOGGLE", "AC_TOGG"), (0x7C77, "QK_TRI_LAYER_LOWER", "TL_LOWR"),
    (0x7C78, "QK_TRI_LAYER_UPPER", "TL_UPPR"), (0x7C79, "QK_REPEAT_KEY", "QK_REP"),
    (0x7C7A, "QK_ALT_REPEAT_KEY", "QK_AREP"), (0x7C7B, "QK_LAYER_LOCK", "QK_LLCK"),
    # keycodes 0.0.10 additions
    (0x7C7C, "QK_OS_DETECTION_SKIP_RESET", "QK_OS_SKIP"), (0x7C7D, "QK_OS_DETECTION_TOGGLE", "QK_OS_TOG"),
]:
    canon(v, k, *al)
for i in range(32):
    canon(0x7E00 + i, "QK_KB_%d" % i)
# Kestrel's own, at the top of the keyboard-level range (QMK names none above QK_KB_31, and a
# Kestrel keyboard has no keyboard-level C code): the firmware's functions.
canon(0x7E3F, "KS_DRIVE_TOGGLE", "KS_DRV")  # show/hide the keyboard's drive (docs/drive.md)
for i in range(32):
    canon(0x7E40 + i, "QK_USER_%d" % i)

# ---- legacy names (older QMK releases; same values today) --------------------------------------
for (old, new) in [
    ("KC_BSPACE", "KC_BACKSPACE"), ("KC_LBRACKET", "KC_LEFT_BRACKET"), ("KC_RBRACKET", "KC_RIGHT_BRACKET"),
    ("KC_BSLASH", "KC_BACKSLASH"), ("KC_SCOLON", "KC_SEMICOLON"), ("KC_CAPSLOCK", "KC_CAPS_LOCK"),
    ("KC_PSCREEN", "KC_PRINT_SCREEN"), ("KC_SCROLLLOCK", "KC_SCROLL_LOCK"), ("KC_PGDOWN", "KC_PAGE_DOWN"),
    ("KC_NUMLOCK", "KC_NUM_LOCK"), ("KC_NONUS_BSLASH", "KC_NONUS_BACKSLASH"), ("KC_POWER", "KC_KB_POWER"),
    ("KC__MUTE", "KC_KB_MUTE"), ("KC__VOLUP", "KC_KB_VOLUME_UP"), ("KC__VOLDOWN", "KC_KB_VOLUME_DOWN"),
    ("KC_LOCKING_CAPS", "KC_LOCKING_CAPS_LOCK"), ("KC_LOCKING_NUM", "KC_LOCKING_NUM_LOCK"),
    ("KC_LOCKING_SCROLL", "KC_LOCKING_SCROLL_LOCK"), ("KC_ALT_ERASE", "KC_ALTERNATE_ERASE"),
    ("KC_SYSREQ", "KC_SYSTEM_REQUEST"), ("KC_LCTRL", "KC_LEFT_CTRL"), ("KC_LSHIFT", "KC_LEFT_SHIFT"),
    ("KC_RCTRL", "KC_RIGHT_CTRL"), ("KC_RSHIFT", "KC_RIGHT_SHIFT"), ("KC_ZKHK", "KC_GRAVE"),
    ("KC_RO", "KC_INTERNATIONAL_1"), ("KC_KANA", "KC_INTERNATIONAL_2"), ("KC_JYEN", "KC_INTERNATIONAL_3"),
    ("KC_HENK", "KC_INTERNATIONAL_4"), ("KC_MHEN", "KC_INTERNATIONAL_5"), ("KC_HAEN", "KC_LANGUAGE_1"),
    ("KC_HANJ", "KC_LANGUAGE_2"), ("KC_CLCK", "KC_CAPS_LOCK"), ("KC_SLCK", "KC_SCROLL_LOCK"),
    ("KC_NLCK", "KC_NUM_LOCK"), ("KC_DELT", "KC_DELETE"),
    # mouse keys before keycodes 0.0.5
    ("KC_MS_UP", "MS_UP"), ("KC_MS_U", "MS_UP"), ("KC_MS_DOWN", "MS_DOWN"), ("KC_MS_D", "MS_DOWN"),
    ("KC_MS_LEFT", "MS_LEFT"), ("KC_MS_L", "MS_LEFT"), ("KC_MS_RIGHT", "MS_RGHT"), ("KC_MS_R", "MS_RGHT"),
    ("KC_MS_WH_UP", "MS_WHLU"), ("KC_WH_U", "MS_WHLU"), ("KC_MS_WH_DOWN", "MS_WHLD"), ("KC_WH_D", "MS_WHLD"),
    ("KC_MS_WH_LEFT", "MS_WHLL"), ("KC_WH_L", "MS_WHLL"), ("KC_MS_WH_RIGHT", "MS_WHLR"),
    ("KC_WH_R", "MS_WHLR"),
    # lighting before 0.0.5/0.0.6
    ("RGB_TOG", "UG_TOGG"), ("RGB_MOD", "UG_NEXT"), ("RGB_MODE_FORWARD", "UG_NEXT"), ("RGB_RMOD", "UG_PREV"),
    ("RGB_MODE_REVERSE", "UG_PREV"), ("RGB_HUI", "UG_HUEU"), ("RGB_HUD", "UG_HUED"), ("RGB_SAI", "UG_SATU"),
    ("RGB_SAD", "UG_SATD"), ("RGB_VAI", "UG_VALU"), ("RGB_VAD", "UG_VALD"), ("RGB_SPI", "UG_SPDU"),
    ("RGB_SPD", "UG_SPDD"), ("BL_INC", "BL_UP"), ("BL_DEC", "BL_DOWN"),
    # quantum renames around QMK 0.19
    ("RESET", "QK_BOOT"), ("DEBUG", "DB_TOGG"), ("GRAVE_ESC", "QK_GESC"), ("EEPROM_RESET", "EE_CLR"),
    ("KC_GESC", "QK_GESC"), ("EEP_RST", "EE_CLR"), ("KC_LEAD", "QK_LEAD"), ("KC_LOCK", "QK_LOCK"),
    ("KC_ASUP", "AS_UP"), ("KC_ASDN", "AS_DOWN"), ("KC_ASRP", "AS_RPT"), ("KC_ASTG", "AS_TOGG"),
    ("KC_ASON", "AS_ON"), ("KC_ASOFF", "AS_OFF"), ("VLK_TOG", "VK_TOGG"), ("CAPSWRD", "CW_TOGG"),
    ("CAPS_WORD", "CW_TOGG"), ("KEY_OVERRIDE_TOGGLE", "KO_TOGG"), ("KEY_OVERRIDE_ON", "KO_ON"),
    ("KEY_OVERRIDE_OFF", "KO_OFF"), ("ONESHOT_ENABLE", "OS_ON"), ("ONESHOT_DISABLE", "OS_OFF"),
    ("ONESHOT_TOGGLE", "OS_TOGG"), ("CMB_ON", "CM_ON"), ("CMB_OFF", "CM_OFF"), ("CMB_TOG", "CM_TOGG"),
    ("UC_MOD", "UC_NEXT"), ("UC_RMOD", "UC_PREV"), ("UC_M_MA", "UC_MAC"), ("UC_M_LN", "UC_LINX"),
    ("UC_M_WI", "UC_WIN"), ("UC_M_BS", "UC_BSD"), ("UC_M_WC", "UC_WINC"), ("UC_M_EM", "UC_EMAC"),
    ("UNICODE_MODE_FORWARD", "UC_NEXT"), ("UNICODE_MODE_REVERSE", "UC_PREV"), ("UNICODE_MODE_MAC", "UC_MAC"),
    ("UNICODE_MODE_LNX", "UC_LINX"), ("UNICODE_MODE_WIN", "UC_WIN"), ("UNICODE_MODE_BSD", "UC_BSD"),
    ("UNICODE_MODE_WINC", "UC_WINC"), ("UNICODE_MODE_EMACS", "UC_EMAC"),
    ("SECURE_LOCK", "SE_LOCK"), ("SECURE_UNLOCK", "SE_UNLK"), ("SECURE_TOGGLE", "SE_TOGG"),
    ("SECURE_REQUEST", "SE_REQ"), ("KC_LSPO", "SC_LSPO"), ("KC_RSPC", "SC_RSPC"), ("KC_LCPO", "SC_LCPO"),
    ("KC_RCPC", "SC_RCPC"), ("KC_LAPO", "SC_LAPO"), ("KC_RAPC", "SC_RAPC"), ("KC_SFTENT", "SC_SENT"),
    ("HPT_ON", "HF_ON"), ("HPT_OFF", "HF_OFF"), ("HPT_TOG", "HF_TOGG"), ("HPT_RST", "HF_RST"),
    ("HPT_FBK", "HF_FDBK"), ("HPT_BUZ", "HF_BUZZ"), ("HPT_MODI", "HF_NEXT"), ("HPT_MODD", "HF_PREV"),
    ("HPT_CONT", "HF_CONT"), ("HPT_CONI", "HF_CONU"), ("HPT_COND", "HF_COND"), ("HPT_DWLI", "HF_DWLU"),
    ("HPT_DWLD", "HF_DWLD"), ("DYN_REC_START1", "DM_REC1"), ("DYN_REC_START2", "DM_REC2"),
    ("DYN_REC_STOP", "DM_RSTP"), ("DYN_MACRO_PLAY1", "DM_PLY1"), ("DYN_MACRO_PLAY2", "DM_PLY2"),
    ("AU_TOG", "AU_TOGG"), ("CLICKY_TOGGLE", "CK_TOGG"), ("CLICKY_ENABLE", "CK_ON"),
    ("CLICKY_DISABLE", "CK_OFF"), ("CLICKY_UP", "CK_UP"), ("CLICKY_DOWN", "CK_DOWN"),
    ("CLICKY_RESET", "CK_RST"), ("MU_TOG", "MU_TOGG"), ("MU_MOD", "MU_NEXT"), ("MUV_IN", "AU_NEXT"),
    ("MUV_DE", "AU_PREV"), ("MI_TOG", "MI_TOGG"), ("SQ_TOG", "SQ_TOGG"), ("OUT_AUTO", "OU_AUTO"),
    ("OUT_USB", "OU_USB"), ("OUT_BT", "OU_BT"), ("SH_TG", "SH_TOGG"),
    # magic, before QMK 0.19
    ("MAGIC_SWAP_CONTROL_CAPSLOCK", "CL_SWAP"), ("MAGIC_UNSWAP_CONTROL_CAPSLOCK", "CL_NORM"),
    ("MAGIC_TOGGLE_CONTROL_CAPSLOCK", "CL_TOGG"), ("MAGIC_CAPSLOCK_TO_CONTROL", "CL_CTRL"),
    ("MAGIC_UNCAPSLOCK_TO_CONTROL", "CL_CAPS"), ("MAGIC_SWAP_LALT_LGUI", "AG_LSWP"),
    ("MAGIC_UNSWAP_LALT_LGUI", "AG_LNRM"), ("MAGIC_SWAP_RALT_RGUI", "AG_RSWP"),
    ("MAGIC_UNSWAP_RALT_RGUI", "AG_RNRM"), ("MAGIC_NO_GUI", "GU_OFF"), ("MAGIC_UNNO_GUI", "GU_ON"),
    ("MAGIC_TOGGLE_GUI", "GU_TOGG"), ("MAGIC_SWAP_GRAVE_ESC", "GE_SWAP"), ("MAGIC_UNSWAP_GRAVE_ESC", "GE_NORM"),
    ("MAGIC_SWAP_BACKSLASH_BACKSPACE", "BS_SWAP"), ("MAGIC_UNSWAP_BACKSLASH_BACKSPACE", "BS_NORM"),
    ("MAGIC_TOGGLE_BACKSLASH_BACKSPACE", "BS_TOGG"), ("MAGIC_HOST_NKRO", "NK_ON"),
    ("MAGIC_UNHOST_NKRO", "NK_OFF"), ("MAGIC_TOGGLE_NKRO", "NK_TOGG"), ("MAGIC_SWAP_ALT_GUI", "AG_SWAP"),
    ("MAGIC_UNSWAP_ALT_GUI", "AG_NORM"), ("MAGIC_TOGGLE_ALT_GUI", "AG_TOGG"),
    ("MAGIC_SWAP_LCTL_LGUI", "CG_LSWP"), ("MAGIC_UNSWAP_LCTL_LGUI", "CG_LNRM"),
    ("MAGIC_SWAP_RCTL_RGUI", "CG_RSWP"), ("MAGIC_UNSWAP_RCTL_RGUI", "CG_RNRM"),
    ("MAGIC_SWAP_CTL_GUI", "CG_SWAP"), ("MAGIC_UNSWAP_CTL_GUI", "CG_NORM"),
    ("MAGIC_TOGGLE_CTL_GUI", "CG_TOGG"), ("MAGIC_EE_HANDS_LEFT", "EH_LEFT"),
    ("MAGIC_EE_HANDS_RIGHT", "EH_RGHT"), ("LAG_SWP", "AG_LSWP"), ("LAG_NRM", "AG_LNRM"),
    ("RAG_SWP", "AG_RSWP"), ("RAG_NRM", "AG_RNRM"), ("GUI_ON", "GU_ON"), ("GUI_OFF", "GU_OFF"),
    ("GUI_TOG", "GU_TOGG"), ("LCG_SWP", "CG_LSWP"), ("LCG_NRM", "CG_LNRM"), ("RCG_SWP", "CG_RSWP"),
    ("RCG_NRM", "CG_RNRM"),
    # MIDI before QMK 0.19
    ("MI_OCTD", "MI_OCTD"), ("MI_CHD", "MI_CHND"), ("MI_CHU", "MI_CHNU"), ("MI_ALLOFF", "MI_AOFF"),
    ("MI_SUS", "MI_SUST"), ("MI_MODSD", "MI_MODD"), ("MI_MODSU", "MI_MODU"), ("MI_BENDD", "MI_BNDD"),
    ("MI_BENDU", "MI_BNDU"), ("MI_TRNSD", "MI_TRSD"), ("MI_TRNSU", "MI_TRSU"),
]:
    if old == new:
        continue
    legacy(old, new)
for i in range(1, 4):
    legacy("KC_BTN%d" % i, "MS_BTN%d" % i)
for i in range(1, 9):
    legacy("KC_MS_BTN%d" % i, "MS_BTN%d" % i)
    if i > 3:
        legacy("KC_BTN%d" % i, "MS_BTN%d" % i)
for i in range(3):
    legacy("KC_MS_ACCEL%d" % i, "MS_ACL%d" % i)
    legacy("KC_ACL%d" % i, "MS_ACL%d" % i)
for i in range(1, 10):
    legacy("KC_LANG%d" % i, "KC_LANGUAGE_%d" % i)
for i in range(32):
    legacy("MACRO_%d" % i, "QK_MACRO_%d" % i)
    legacy("JS_BUTTON%d" % i, "JS_%d" % i)
for i in range(1, 33):
    legacy("PROGRAMMABLE_BUTTON_%d" % i, "PB_%d" % i)
for octave in range(1, 6):
    for (k, a1, a2) in notes:
        legacy("MI_%s_%d" % (a1, octave), "MI_%s%d" % (a1, octave))
        if a2:
            legacy("MI_%s_%d" % (a2, octave), "MI_%s%d" % (a2, octave))
for (k, a) in [("N2", "OCN2"), ("N1", "OCN1")] + [(str(i), "OC%d" % i) for i in range(8)]:
    legacy("MI_OCT_" + k, "MI_" + a)
for k in ["N6", "N5", "N4", "N3", "N2", "N1"]:
    legacy("MI_TRNS_" + k, "MI_TRN" + k[1:])
for i in range(7):
    legacy("MI_TRNS_%d" % i, "MI_TR%d" % i)
for i in range(11):
    legacy("MI_VEL_%d" % i, "MI_VL%d" % i)


# ---- checks and output -------------------------------------------------------------------------
names = {}
for (n, val, kind) in entries:
    assert n not in names, "duplicate name " + n
    names[n] = (val, kind)
    assert 0 <= val <= 0xFFFF

order = sorted(names)          # byte order, the order strcmp() uses
pool = bytearray()
offsets = {}
for n in order:
    offsets[n] = len(pool)
    pool += n.encode() + b"\0"
assert len(pool) < 65536
index = {n: i for i, n in enumerate(order)}

out = sys.stdout
out.write("/* Generated by scripts/gen_keycode_names.py from QMK's keycode tables (keycodes 0.0.9 and\n"
          " * the 0.0.10 additions, US shifted symbols, legacy names). Edit the script, not this file. */\n")
out.write('#include "config/keycode_names.h"\n\n')
out.write("const char kc_name_pool[] =\n")
line = '    "'
for n in order:
    piece = n + "\\0"
    if len(line) + len(piece) > 98:
        out.write(line + '"\n')
        line = '    "'
    line += piece
out.write(line + '";\n\n')
out.write("const kc_name_entry_t kc_names[] = {\n")
kinds = {CANON: "KC_NAME_CANONICAL", ALIAS: "KC_NAME_ALIAS", LEGACY: "KC_NAME_LEGACY"}
for n in order:
    val, kind = names[n]
    out.write("    {%5d, 0x%04X, %s}, /* %s */\n" % (offsets[n], val, kinds[kind], n))
out.write("};\n")
out.write("const size_t kc_names_count = sizeof kc_names / sizeof kc_names[0];\n\n")
out.write("const kc_canon_entry_t kc_canon[] = {\n")
for val in sorted(canonical):
    out.write("    {0x%04X, %4d},\n" % (val, index[canonical[val]]))
out.write("};\n")
out.write("const size_t kc_canon_count = sizeof kc_canon / sizeof kc_canon[0];\n")
