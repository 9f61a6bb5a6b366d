/* The engine's decision trace (`kestrel sim --trace`): what the engine decided and why. The engine
 * only emits codes through engine_sink_t.trace; text for them lives here so every tool prints the
 * same words. */
#ifndef KESTREL_CORE_TRACE_H
#define KESTREL_CORE_TRACE_H

#include <stdint.h>

/* engine_trace_t.code. Fields used: pos/kc = the key concerned; arg and pos2 as listed. */
enum engine_trace_code {
    ENGINE_TRACE_TAPHOLD_PRESSED = 1, /* a dual-role key starts waiting for a decision; arg = term */
    ENGINE_TRACE_TAPHOLD_TAP,         /* decided tap;  arg = enum engine_trace_reason, pos2 = other key */
    ENGINE_TRACE_TAPHOLD_HOLD,        /* decided hold; arg = enum engine_trace_reason, pos2 = other key */
    ENGINE_TRACE_LAYER_ON,            /* arg = layer */
    ENGINE_TRACE_LAYER_OFF,           /* arg = layer */
    ENGINE_TRACE_DEFAULT_LAYER,       /* arg = new default layer */
    ENGINE_TRACE_ONESHOT_MODS,        /* one-shot mods armed; arg = 8-bit HID mods now pending */
    ENGINE_TRACE_ONESHOT_LOCKED,      /* one-shot mods locked by tap toggle; arg = mods */
    ENGINE_TRACE_ONESHOT_USED,        /* pending one-shot mods went out with a key; arg = mods */
    ENGINE_TRACE_ONESHOT_TIMEOUT,     /* pending one-shot mods or layer expired; arg = mods, or layer|0x100 */
    ENGINE_TRACE_ONESHOT_LAYER_ON,    /* arg = layer */
    ENGINE_TRACE_ONESHOT_LAYER_OFF,   /* arg = layer */
    ENGINE_TRACE_ONESHOT_ENABLED,     /* OS_ON/OS_OFF/OS_TOGG; arg = 1 on, 0 off */
    ENGINE_TRACE_KEY_DROPPED_6KRO,    /* a 7th key in 6KRO mode was dropped; kc = its keycode */
    ENGINE_TRACE_KEY_DROPPED_HELD,    /* more keys held than ENGINE_HELD_MAX: this press ignored */
    ENGINE_TRACE_BUFFER_OVERFLOW,     /* waiting buffer full: everything released (QMK does the same) */
    ENGINE_TRACE_NKRO,                /* arg = 1 NKRO on, 0 off */
    ENGINE_TRACE_ACTION,              /* a keycode handed to the firmware (QK_BOOT ...); kc */
    ENGINE_TRACE_RETRO_TAP,           /* a held dual-role key released alone sends its tap; kc */
    ENGINE_TRACE_SEQ_START,           /* the player starts a job; arg = kind (1 macro 2 unicode 3 key 4 dynamic macro), kc = MC_n */
    ENGINE_TRACE_SEQ_END,             /* the job playing ended */
    ENGINE_TRACE_SEQ_DROPPED,         /* a job found the player's queue full; arg = kind */
    ENGINE_TRACE_LEADER_START,        /* QK_LEAD: the leader sequence collects keys */
    ENGINE_TRACE_LEADER_KEY,          /* a key joined the sequence; kc = the keycode recorded, arg = count */
    ENGINE_TRACE_LEADER_END,          /* the sequence ended; arg = index of the matching entry, 0xFFFF none */
    ENGINE_TRACE_UNICODE_MODE,        /* unicode input mode changed; arg = mode (0 macOS .. 5 Emacs) */
    ENGINE_TRACE_DM_RECORD_START,     /* dynamic macro recording starts; arg = slot */
    ENGINE_TRACE_DM_RECORD_STOP,      /* recording stops; arg = slot << 8 | events kept */
    ENGINE_TRACE_DM_FULL,             /* a key event did not fit in the dynamic macro buffer */
    ENGINE_TRACE_CAPS_WORD,           /* caps word; arg = 1 on, 0 off */
    ENGINE_TRACE_AUTO_SHIFT,          /* an auto-shift key settled; kc = its keycode, arg = 1 shifted */
    ENGINE_TRACE_AUTO_SHIFT_STATE,    /* AS_ON/AS_OFF/AS_TOGG/AS_UP/AS_DOWN; arg = timeout, 0 = off */
    ENGINE_TRACE_KEY_OVERRIDE,        /* arg = override index + 1 activated, 0 = deactivated */
    ENGINE_TRACE_REPEAT,              /* repeat / alternate repeat; kc = the keycode sent */
    ENGINE_TRACE_LAYER_LOCK,          /* arg = layer, | 0x100 when locked (0 when unlocked) */
    ENGINE_TRACE_COMBO_PRESS,         /* a combo fired; pos = its first key, kc = result, arg = combo index */
    ENGINE_TRACE_COMBO_RELEASE,       /* its result released; pos = the key whose release did it */
    ENGINE_TRACE_COMBO_REPLAY,        /* a held-back press goes on as an ordinary key (no combo) */
    ENGINE_TRACE_COMBO_ENABLED,       /* CM_ON/CM_OFF/CM_TOGG; arg = 1 on, 0 off */
    ENGINE_TRACE_TAP_DANCE,           /* a tap dance ended; kc = keycode it gives, arg = taps | how << 8 */
    ENGINE_TRACE_CODE_LIMIT
};

/* Why a tap-hold key became tap or hold (engine_trace_t.arg of TAPHOLD_TAP / TAPHOLD_HOLD). */
enum engine_trace_reason {
    ENGINE_REASON_RELEASED_BEFORE_TERM = 1, /* tap: released within the tapping term */
    ENGINE_REASON_TERM_EXPIRED,             /* hold: still down when the term ran out */
    ENGINE_REASON_PERMISSIVE_HOLD,          /* hold: pos2 was pressed and released inside it */
    ENGINE_REASON_HOLD_ON_OTHER_KEY,        /* hold: pos2 was pressed */
    ENGINE_REASON_CHORDAL_SAME_HAND,        /* tap: pos2 is on the same hand (chordal hold) */
    ENGINE_REASON_CHORDAL_STREAK,           /* hold: part of a multi-key chord settled by chordal hold */
    ENGINE_REASON_FLOW_TAP,                 /* tap: pressed within flow_tap_term of the previous key */
    ENGINE_REASON_QUICK_TAP,                /* tap: re-pressed within the quick tap term (repeat) */
    ENGINE_REASON_PRIOR_IDLE,               /* tap: another key pressed within require_prior_idle */
    ENGINE_REASON_TERM_EXPIRED_TAP,         /* tap: tap-unless-interrupted flavour, term ran out */
    ENGINE_REASON_NEXT_TAP_KEY,             /* tap: an earlier tap's release was already buffered */
    ENGINE_REASON_LIMIT
};

/* How a tap dance ended (arg >> 8 of ENGINE_TRACE_TAP_DANCE) */
enum engine_td_end { ENGINE_TD_TAP = 0, ENGINE_TD_HOLD = 1, ENGINE_TD_INTERRUPTED = 2 };

/* Short text of a code ("tap-hold pressed", "layer on", ...); "?" for unknown codes. */
const char *engine_trace_text(uint8_t code);
/* Text of a reason ("released before term", "permissive hold", ...); "?" for unknown reasons. */
const char *engine_trace_reason_text(uint16_t reason);

#endif
