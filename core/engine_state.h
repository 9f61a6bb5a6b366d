/* The engine's state: one struct, fixed-size tables, no pointers into the heap. Callers allocate it
 * (statically on the targets); only core/ reads or writes its fields.
 *
 * Bounds (documented in docs/behaviours.md):
 *   ENGINE_WAIT_MAX  events waiting for a tap-hold decision. When an event does not fit, the
 *                    engine releases everything cleanly (as QMK does on overflow): no stuck keys.
 *   ENGINE_HELD_MAX  keys held at the same time. A press beyond it is ignored (with its release).
 *   ENGINE_COMBO_ACTIVE_MAX  combos active at once; a combo that completes beyond it does not fire
 *                    (its keys are replayed as ordinary keys).
 * Size: 290 bytes on the ATmega32U4, 360 on x86-64 (docs/performance.md). */
#ifndef KESTREL_CORE_ENGINE_STATE_H
#define KESTREL_CORE_ENGINE_STATE_H

#define ENGINE_WAIT_MAX 8u
#define ENGINE_HELD_MAX 16u
#define ENGINE_COMBO_ACTIVE_MAX 4u /* combos whose keys are held at the same time */

/* One key event as the tap-hold stage sees it. pos == CFG_POS_NONE is a timer tick. */
typedef struct engine_rec {
    uint32_t time;
    uint8_t pos;
    uint8_t flags; /* ENGINE_REC_PRESSED | ENGINE_REC_INTERRUPTED | tap count (ENGINE_REC_COUNT) */
} engine_rec_t;

#define ENGINE_REC_COUNT       0x0Fu
#define ENGINE_REC_INTERRUPTED 0x10u
#define ENGINE_REC_PRESSED     0x80u

/* A key whose press has been processed: the keycode it resolved to (so its release undoes exactly
 * that, on the layer it was pressed on) and the tap count it was pressed with (0 = hold). */
typedef struct engine_held {
    kc_t kc;
    uint8_t pos;
    uint8_t count; /* tap count | ENGINE_REC_INTERRUPTED, as the tap-hold stage decided */
    uint8_t aux;   /* behaviour-specific (e.g. one-shot mods a held OSM absorbed) */
} engine_held_t;

typedef struct engine_mouse_state {
    mouse_report_t dir;       /* what the held keys ask for (units of the last step) */
    mouse_report_t last;      /* last report sent */
    uint32_t timer_c, timer_w; /* time of the last cursor / wheel report */
    uint8_t repeat, wheel_repeat, accel;
} engine_mouse_state_t;

typedef struct engine engine_t;

struct engine {
    const cfg_t *cfg;
    const engine_sink_t *sink;
    void *ctx;
    uint32_t now;
    uint32_t rec_time;         /* time of the event being processed (may be older than now) */

    /* layers: bit i = layer i on */
    uint32_t layer_state, default_layer_state;

    /* processed, still held keys */
    uint8_t nheld;
    engine_held_t held[ENGINE_HELD_MAX];

    /* tap-hold: the key being decided (tk.pos == CFG_POS_NONE: none), its settings, the buffer */
    engine_rec_t tk;
    kc_t tk_kc;
    uint16_t tk_term;
    uint8_t tk_opts;
    uint8_t nwait;
    engine_rec_t wait[ENGINE_WAIT_MAX];
    uint8_t retro_pos;         /* retro tapping: the last key pressed ... */
    uint8_t retro_primed;      /* ... is a dual-role key held with nothing pressed since */
    uint8_t drain_pending;     /* buffered events wait for the next tick (QMK's 1 ms scan) */
    kc_t flow_prev_kc;
    uint8_t flow_valid;
    uint8_t idle_valid;
    uint32_t flow_prev_time;   /* flow tap: time of the previous key event */
    uint32_t idle_prev_time;   /* require-prior-idle: time of the last non-modifier press */

    /* modifiers and one-shots */
    uint8_t real_mods, weak_mods, os_mods, os_locked_mods;
    uint8_t os_layer;          /* layer << 3 | state bits (ENGINE_OSL_*) */
    uint8_t os_disabled;       /* OS_OFF */
    uint32_t os_mods_time, os_layer_time;

    /* keyboard report being built and the last one sent */
    uint8_t nkro, nkeys;
    kbd_report_t kbd, kbd_sent;
    uint16_t consumer, system;
    uint8_t tap_release;       /* a tapped key whose release waits for QMK's tap delay, 0 = none */
    uint32_t tap_release_at;
    engine_mouse_state_t mouse;

#ifndef KESTREL_NO_COMBOS
    /* combos (engine_combo.c): presses held back while a combo may still complete, as positions
     * and ms after the first one (all fall inside the combo term, so 16 bits are enough) */
    uint8_t cb_n;
    uint8_t cb_done;           /* a complete combo waiting for longer ones to fail, 0xFF = none */
    uint8_t cb_off;            /* CM_OFF */
    uint8_t cb_pos[CFG_COMBO_KEYS_MAX];
    uint16_t cb_dt[CFG_COMBO_KEYS_MAX];
    uint32_t cb_first, cb_deadline;
    uint32_t cb_cand;          /* combos that contain every held-back key and can still complete */
    struct {
        uint8_t idx;           /* combo index | ENG_COMBO_RELEASED; 0xFF = free slot */
        uint8_t keys;          /* bit k: the combo's key k is still down */
    } cb_act[ENGINE_COMBO_ACTIVE_MAX];

    /* tap dance (bhv_tap_dance.c): the dance in progress */
    uint8_t td_idx;            /* 0xFF = none */
    uint8_t td_pos, td_count, td_down;
    uint16_t td_term;
    uint32_t td_time;          /* its last press */
#endif
};

#endif
