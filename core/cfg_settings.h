/* The behaviour settings of a config image, as one X-macro table: id, dotted name (QMK's
 * keyboard.json name where QMK has one), default. The engine reads them by id; config/ maps the
 * names; the image stores every value as a uint16. Append only: ids are part of the image format.
 *
 * Special values: CFG_SAME_AS_TERM means "the key's tapping term". Enumerations are documented
 * next to their entry and in docs/keymap-format.md. */
#ifndef KESTREL_CORE_CFG_SETTINGS_H
#define KESTREL_CORE_CFG_SETTINGS_H

#define CFG_SAME_AS_TERM 0xFFFFu

/* auto_shift.retro_shift: 0 = off, CFG_RETRO_SHIFT_ANY = on with no hold-time limit, else the
 * limit in ms (QMK's RETRO_SHIFT with a value) */
#define CFG_RETRO_SHIFT_ANY 0xFFFFu

/* grave_esc.override: bits of the modifiers that make QK_GESC send Escape even with Shift/GUI held
 * (QMK's GRAVE_ESC_*_OVERRIDE) */
enum { CFG_GESC_ALT = 1, CFG_GESC_CTRL = 2, CFG_GESC_GUI = 4, CFG_GESC_SHIFT = 8 };

/* tapping.flavor */
enum { CFG_FLAVOR_QMK = 0, CFG_FLAVOR_HOLD_PREFERRED, CFG_FLAVOR_BALANCED, CFG_FLAVOR_TAP_PREFERRED,
       CFG_FLAVOR_TAP_UNLESS_INTERRUPTED };

/* build.debounce_type (QMK's names) */
enum { CFG_DEBOUNCE_ASYM_EAGER_DEFER_PK = 0, CFG_DEBOUNCE_SYM_DEFER_G, CFG_DEBOUNCE_SYM_DEFER_PR,
       CFG_DEBOUNCE_SYM_DEFER_PK, CFG_DEBOUNCE_SYM_EAGER_PR, CFG_DEBOUNCE_SYM_EAGER_PK };

/* unicode.input_mode (QMK's UNICODE_MODE_* order). unicode.selected_modes packs an ordered list
 * of up to five modes, 3 bits each from bit 0, each stored as mode + 1 (0 ends the list). */
enum { CFG_UC_MACOS = 0, CFG_UC_LINUX, CFG_UC_WINDOWS, CFG_UC_BSD, CFG_UC_WINCOMPOSE, CFG_UC_EMACS,
       CFG_UC_MODE_COUNT };

/* mouse_key.mode: QMK's build options as one run-time choice (default; MK_KINETIC_SPEED; MK_3_SPEED,
 * here "constant"; MK_COMBINED; MOUSEKEY_INERTIA). The constant mode's offsets and intervals
 * (mouse_key.c_* / w_*) are in speed order unmod, 0, 1, 2, offset then interval: bhv_mouse.c
 * indexes them from MOUSE_C_OFFSET_UNMOD / MOUSE_W_OFFSET_UNMOD. */
enum { CFG_MOUSE_ACCELERATED = 0, CFG_MOUSE_KINETIC, CFG_MOUSE_CONSTANT, CFG_MOUSE_COMBINED,
       CFG_MOUSE_INERTIA };

/*        id                          dotted name                         default */
#define CFG_SETTINGS(X) \
    X(TAPPING_TERM,                "tapping.term",                      200) \
    X(QUICK_TAP_TERM,              "tapping.quick_tap_term",            CFG_SAME_AS_TERM) \
    X(PERMISSIVE_HOLD,             "tapping.permissive_hold",           0) \
    X(HOLD_ON_OTHER_KEY_PRESS,     "tapping.hold_on_other_key_press",   0) \
    X(RETRO_TAPPING,               "tapping.retro",                     0) \
    X(CHORDAL_HOLD,                "tapping.chordal_hold",              0) \
    X(FLOW_TAP_TERM,               "tapping.flow_tap_term",             0) \
    X(TAPPING_FLAVOR,              "tapping.flavor",                    CFG_FLAVOR_QMK) \
    X(REQUIRE_PRIOR_IDLE,          "tapping.require_prior_idle",        0) \
    X(TAPPING_TOGGLE,              "tapping.toggle",                    5) \
    X(ONESHOT_TAP_TOGGLE,          "oneshot.tap_toggle",                0) \
    X(ONESHOT_TIMEOUT,             "oneshot.timeout",                   0) \
    X(COMBO_TERM,                  "combo.term",                        50) \
    X(LEADER_TIMEOUT,              "leader_key.timeout",                300) \
    X(CAPS_WORD_IDLE_TIMEOUT,      "caps_word.idle_timeout",            5000) \
    X(CAPS_WORD_BOTH_SHIFTS,       "caps_word.both_shifts_turns_on",    0) \
    X(AUTO_SHIFT_ENABLED,          "auto_shift.enabled",                0) \
    X(AUTO_SHIFT_TIMEOUT,          "auto_shift.timeout",                175) \
    X(DEBOUNCE,                    "debounce",                          5) \
    X(DEBOUNCE_TYPE,               "build.debounce_type",               CFG_DEBOUNCE_ASYM_EAGER_DEFER_PK) \
    X(NKRO,                        "host.default.nkro",                 0) \
    X(TAP_CODE_DELAY,              "qmk.tap_keycode_delay",             0) \
    X(TAP_HOLD_CAPS_DELAY,         "qmk.tap_capslock_delay",            80) \
    X(MOUSE_DELAY,                 "mouse_key.delay",                   10) \
    X(MOUSE_INTERVAL,              "mouse_key.interval",                16) \
    X(MOUSE_MOVE_DELTA,            "mouse_key.move_delta",              8) \
    X(MOUSE_MAX_SPEED,             "mouse_key.max_speed",               10) \
    X(MOUSE_TIME_TO_MAX,           "mouse_key.time_to_max",             30) \
    X(MOUSE_WHEEL_DELAY,           "mouse_key.wheel_delay",             10) \
    X(MOUSE_WHEEL_INTERVAL,        "mouse_key.wheel_interval",          80) \
    X(MOUSE_WHEEL_MAX_SPEED,       "mouse_key.wheel_max_speed",         8) \
    X(MOUSE_WHEEL_TIME_TO_MAX,     "mouse_key.wheel_time_to_max",       40) \
    X(MACRO_TAP_DELAY,             "macro.tap_delay",                   0) \
    X(LEADER_PER_KEY_TIMING,       "leader_key.timing",                 0) \
    X(LEADER_STRICT_PROCESSING,    "leader_key.strict_processing",      0) \
    X(LEADER_NO_TIMEOUT,           "leader_key.no_timeout",             0) \
    X(UNICODE_INPUT_MODE,          "unicode.input_mode",                CFG_UC_MACOS) \
    X(UNICODE_SELECTED_MODES,      "unicode.selected_modes",            0) \
    X(UNICODE_TYPE_DELAY,          "unicode.type_delay",                10) \
    X(DYNAMIC_MACRO_DELAY,         "dynamic_macro.delay",               0) \
    X(CAPS_WORD_DOUBLE_TAP_SHIFT,  "caps_word.double_tap_shift_turns_on", 0) \
    X(CAPS_WORD_INVERT_ON_SHIFT,   "caps_word.invert_on_shift",         0) \
    X(AUTO_SHIFT_NO_ALPHA,         "auto_shift.no_alpha",               0) \
    X(AUTO_SHIFT_NO_NUMERIC,       "auto_shift.no_numeric",             0) \
    X(AUTO_SHIFT_NO_SPECIAL,       "auto_shift.no_special",             0) \
    X(AUTO_SHIFT_REPEAT,           "auto_shift.repeat",                 0) \
    X(AUTO_SHIFT_RETRO,            "auto_shift.retro_shift",            0) \
    X(LAYER_LOCK_TIMEOUT,          "layer_lock.timeout",                0) \
    X(TRI_LAYER_LOWER,             "tri_layer.lower",                   1) \
    X(TRI_LAYER_UPPER,             "tri_layer.upper",                   2) \
    X(TRI_LAYER_ADJUST,            "tri_layer.adjust",                  3) \
    X(GRAVE_ESC_OVERRIDE,          "grave_esc.override",                0) \
    X(MOUSE_MODE,                  "mouse_key.mode",                    CFG_MOUSE_ACCELERATED) \
    X(MOUSE_INITIAL_SPEED,         "mouse_key.initial_speed",           100) \
    X(MOUSE_BASE_SPEED,            "mouse_key.base_speed",              1000) \
    X(MOUSE_DECELERATED_SPEED,     "mouse_key.decelerated_speed",       400) \
    X(MOUSE_ACCELERATED_SPEED,     "mouse_key.accelerated_speed",       3000) \
    X(MOUSE_WHEEL_INITIAL_MOVEMENTS, "mouse_key.wheel_initial_movements", 16) \
    X(MOUSE_WHEEL_BASE_MOVEMENTS,  "mouse_key.wheel_base_movements",    32) \
    X(MOUSE_WHEEL_ACCELERATED_MOVEMENTS, "mouse_key.wheel_accelerated_movements", 48) \
    X(MOUSE_WHEEL_DECELERATED_MOVEMENTS, "mouse_key.wheel_decelerated_movements", 8) \
    X(MOUSE_FRICTION,              "mouse_key.friction",                24) \
    X(MOUSE_MOMENTARY_ACCEL,       "mouse_key.momentary_accel",         0) \
    X(MOUSE_C_OFFSET_UNMOD,        "mouse_key.c_offset_unmod",          16) \
    X(MOUSE_C_INTERVAL_UNMOD,      "mouse_key.c_interval_unmod",        16) \
    X(MOUSE_C_OFFSET_0,            "mouse_key.c_offset_0",              1) \
    X(MOUSE_C_INTERVAL_0,          "mouse_key.c_interval_0",            32) \
    X(MOUSE_C_OFFSET_1,            "mouse_key.c_offset_1",              4) \
    X(MOUSE_C_INTERVAL_1,          "mouse_key.c_interval_1",            16) \
    X(MOUSE_C_OFFSET_2,            "mouse_key.c_offset_2",              32) \
    X(MOUSE_C_INTERVAL_2,          "mouse_key.c_interval_2",            16) \
    X(MOUSE_W_OFFSET_UNMOD,        "mouse_key.w_offset_unmod",          1) \
    X(MOUSE_W_INTERVAL_UNMOD,      "mouse_key.w_interval_unmod",        40) \
    X(MOUSE_W_OFFSET_0,            "mouse_key.w_offset_0",              1) \
    X(MOUSE_W_INTERVAL_0,          "mouse_key.w_interval_0",            360) \
    X(MOUSE_W_OFFSET_1,            "mouse_key.w_offset_1",              1) \
    X(MOUSE_W_INTERVAL_1,          "mouse_key.w_interval_1",            120) \
    X(MOUSE_W_OFFSET_2,            "mouse_key.w_offset_2",              1) \
    X(MOUSE_W_INTERVAL_2,          "mouse_key.w_interval_2",            20)

enum cfg_setting_id {
#define CFG_X_ENUM(id, name, def) CFG_##id,
    CFG_SETTINGS(CFG_X_ENUM)
#undef CFG_X_ENUM
    CFG_SETTING_COUNT
};

#endif
