/* Text for the engine's trace codes (core/trace.h). Kept apart from the engine so firmware that
 * never prints a trace does not link the strings (on AVR they would sit in RAM). */
#include "core/trace.h"

const char *engine_trace_text(uint8_t code)
{
    static const char *const text[ENGINE_TRACE_CODE_LIMIT] = {
        [ENGINE_TRACE_TAPHOLD_PRESSED] = "tap-hold pressed",
        [ENGINE_TRACE_TAPHOLD_TAP] = "tap",
        [ENGINE_TRACE_TAPHOLD_HOLD] = "hold",
        [ENGINE_TRACE_LAYER_ON] = "layer on",
        [ENGINE_TRACE_LAYER_OFF] = "layer off",
        [ENGINE_TRACE_DEFAULT_LAYER] = "default layer",
        [ENGINE_TRACE_ONESHOT_MODS] = "one-shot mods armed",
        [ENGINE_TRACE_ONESHOT_LOCKED] = "one-shot locked",
        [ENGINE_TRACE_ONESHOT_USED] = "one-shot mods used",
        [ENGINE_TRACE_ONESHOT_TIMEOUT] = "one-shot timed out",
        [ENGINE_TRACE_ONESHOT_LAYER_ON] = "one-shot layer on",
        [ENGINE_TRACE_ONESHOT_LAYER_OFF] = "one-shot layer off",
        [ENGINE_TRACE_ONESHOT_ENABLED] = "one-shot keys enabled",
        [ENGINE_TRACE_KEY_DROPPED_6KRO] = "key dropped (6KRO full)",
        [ENGINE_TRACE_KEY_DROPPED_HELD] = "key dropped (too many keys held)",
        [ENGINE_TRACE_BUFFER_OVERFLOW] = "waiting buffer overflow: all released",
        [ENGINE_TRACE_NKRO] = "NKRO",
        [ENGINE_TRACE_ACTION] = "firmware action",
        [ENGINE_TRACE_RETRO_TAP] = "retro tap",
        [ENGINE_TRACE_SEQ_START] = "sequence starts",
        [ENGINE_TRACE_SEQ_END] = "sequence ends",
        [ENGINE_TRACE_SEQ_DROPPED] = "sequence dropped (queue full)",
        [ENGINE_TRACE_LEADER_START] = "leader starts",
        [ENGINE_TRACE_LEADER_KEY] = "leader key",
        [ENGINE_TRACE_LEADER_END] = "leader ends",
        [ENGINE_TRACE_UNICODE_MODE] = "unicode input mode",
        [ENGINE_TRACE_DM_RECORD_START] = "dynamic macro recording",
        [ENGINE_TRACE_DM_RECORD_STOP] = "dynamic macro recorded",
        [ENGINE_TRACE_DM_FULL] = "dynamic macro buffer full",
        [ENGINE_TRACE_CAPS_WORD] = "caps word",
        [ENGINE_TRACE_AUTO_SHIFT] = "auto shift",
        [ENGINE_TRACE_AUTO_SHIFT_STATE] = "auto shift state",
        [ENGINE_TRACE_KEY_OVERRIDE] = "key override",
        [ENGINE_TRACE_REPEAT] = "repeat",
        [ENGINE_TRACE_LAYER_LOCK] = "layer lock",
        [ENGINE_TRACE_COMBO_PRESS] = "combo",
        [ENGINE_TRACE_COMBO_RELEASE] = "combo released",
        [ENGINE_TRACE_COMBO_REPLAY] = "no combo: key replayed",
        [ENGINE_TRACE_COMBO_ENABLED] = "combos enabled",
        [ENGINE_TRACE_TAP_DANCE] = "tap dance",
    };
    return code < ENGINE_TRACE_CODE_LIMIT && text[code] ? text[code] : "?";
}

const char *engine_trace_reason_text(uint16_t reason)
{
    static const char *const text[ENGINE_REASON_LIMIT] = {
        [ENGINE_REASON_RELEASED_BEFORE_TERM] = "released before term",
        [ENGINE_REASON_TERM_EXPIRED] = "term expired",
        [ENGINE_REASON_PERMISSIVE_HOLD] = "permissive hold",
        [ENGINE_REASON_HOLD_ON_OTHER_KEY] = "hold on other key press",
        [ENGINE_REASON_CHORDAL_SAME_HAND] = "chordal hold: same hand",
        [ENGINE_REASON_CHORDAL_STREAK] = "chordal hold: chord",
        [ENGINE_REASON_FLOW_TAP] = "flow tap",
        [ENGINE_REASON_QUICK_TAP] = "quick tap repeat",
        [ENGINE_REASON_PRIOR_IDLE] = "require prior idle",
        [ENGINE_REASON_TERM_EXPIRED_TAP] = "term expired (tap-unless-interrupted)",
        [ENGINE_REASON_NEXT_TAP_KEY] = "released before term (buffered)",
    };
    return reason < ENGINE_REASON_LIMIT && text[reason] ? text[reason] : "?";
}
