/* The engine's state: one struct, fixed-size tables, no pointers into the heap. Callers allocate it
 * (statically on the targets); only core/ reads or writes its fields.
 *
 * Bounds (documented in docs/behaviours.md):
 *   ENGINE_WAIT_MAX  events waiting for a tap-hold decision. When an event does not fit, the
 *                    engine releases everything cleanly (as QMK does on overflow): no stuck keys.
 *   ENGINE_HELD_MAX  keys held at the same time. A press beyond it is ignored (with its release).
 *   ENGINE_COMBO_ACTIVE_MAX  combos active at once; a combo that completes beyond it does not fire
 *                    (its keys are replayed as ordinary keys).
 * Size: 303 bytes on the ATmega32U4 (its image's behaviours, 16-bit time), 856 on x86-64 (every
 * behaviour). */
#ifndef KESTREL_CORE_ENGINE_STATE_H
#define KESTREL_CORE_ENGINE_STATE_H

#include "core/features.h"

#define ENGINE_WAIT_MAX 8u
#define ENGINE_HELD_MAX 16u
#define ENGINE_COMBO_ACTIVE_MAX 4u /* combos whose keys are held at the same time */

/* One key event as the tap-hold stage sees it. pos == CFG_POS_NONE is a timer tick. */
typedef struct engine_rec {
    ktime_t time;
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
    ktime_t timer[2];         /* time of the last cursor [0] / wheel [1] report */
    uint8_t repeat[2];        /* reports of the cursor [0] / wheel [1] since its keys went down */
    uint8_t accel;
#if ENGINE_HAS_MOUSE_MODES
    uint8_t kin_on;           /* kinetic: movement started at kin_t0 */
    uint8_t speed;            /* constant: 0 = the default speed, n + 1 after MS_ACLn */
    uint8_t frame;            /* inertia: 0 still, 1 first frame, 2 moving */
    int8_t idir[2], ivel[2];  /* inertia: keys held (-1 0 1) and velocity, [0] x and [1] y */
    uint16_t kin_wheel_iv;    /* kinetic: the wheel's interval, from its speed */
    ktime_t kin_t0;
#endif
} engine_mouse_state_t;

/* The sequence player (bhv_macro.c): macros, unicode input, leader results and dynamic macro
 * playback are jobs, played one after the other as timed steps (never blocking other keys).
 *   ENGINE_SEQ_JOBS  jobs waiting behind the one playing; one more is dropped (traced).
 *   ENGINE_SEQ_BUF   byte code generated for one job (a unicode input sequence needs <= 35). */
#define ENGINE_SEQ_JOBS 4u
#define ENGINE_SEQ_BUF  36u

typedef struct engine_seq_job {
    uint8_t kind;  /* ENG_JOB_* (engine_int.h) */
    uint8_t hi;    /* bits 16-23 of the argument (a code point) */
    uint16_t arg;
} engine_seq_job_t;

typedef struct engine_seq {
    uint8_t src;              /* what plays now: ENG_SEQ_SRC_* (0 = nothing) */
    uint8_t njobs;            /* waiting jobs in job[] */
    uint16_t pc, end;         /* next byte (or record) and the end of what plays */
    ktime_t due;             /* time of the next step; also paces the job after the last one */
    uint8_t rel;              /* a tapped key waiting for its release (0 = none) */
    uint8_t rel_mods;         /* its own mods (shift of a typed character, mods of LCTL(KC_C)) */
    uint8_t mods;             /* mods the player holds: reported with the keys, no one else's */
    uint8_t mask;             /* mods hidden from reports while a unicode sequence types */
    uint8_t reports;          /* reports sent so far (wraps); the player paces on its own share */
    uint8_t running;          /* inside eng_seq_task: jobs pushed meanwhile only queue up */
    uint8_t dm_slot;          /* the dynamic macro playing (1 or 2) */
    uint8_t saved_layers_on;  /* dynamic macro playback: layer state to restore */
    layer_state_t saved_layers;
    engine_seq_job_t job[ENGINE_SEQ_JOBS];
    uint8_t buf[ENGINE_SEQ_BUF];
} engine_seq_t;

/* Leader key (bhv_leader.c): QMK's sequence of up to five keycodes. */
#define ENGINE_LEADER_KEYS 5u
typedef struct engine_leader {
    uint8_t active, n;
    kc_t seq[ENGINE_LEADER_KEYS];
    ktime_t time;            /* the timer: from QK_LEAD, or the last key with per-key timing */
} engine_leader_t;

/* Dynamic macros (bhv_dynmacro.c): QMK's two recordings share one buffer, macro 1 from the start,
 * macro 2 from the end. ENGINE_DM_MAX key events in all (documented in docs/behaviours.md). */
#ifndef ENGINE_DM_MAX
#if defined(__AVR__)
#define ENGINE_DM_MAX 32u
#else
#define ENGINE_DM_MAX 128u
#endif
#endif
typedef struct engine_dynmacro {
    uint8_t recording;        /* 0, or the slot being recorded (1 or 2) */
    uint8_t len[2];           /* recorded events of slot 1 and 2 */
    uint8_t n;                /* events of the recording in progress */
    struct {
        uint8_t pos, flags;   /* an engine_rec_t without its time: pressed, tap count */
    } ev[ENGINE_DM_MAX];
} engine_dynmacro_t;
/* Caps word, auto shift, key overrides, repeat key, layer lock, space cadet, key cancellation
 * (core/engine_mods.c and the bhv files it calls). Zero = everything off. */
typedef struct engine_mods {
    uint8_t cw;                /* caps word: ENG_CW_* bits */
    uint8_t cw_held;           /* invert_on_shift: shift bits held while on, kept out of the report */
    ktime_t cw_time, cw_dtap_time; /* last event while on (idle timeout); double-tap shift window */
    uint8_t as_state;          /* auto shift: ENG_AS_* bits */
    uint8_t as_pos;            /* position + 1 of the key waiting for its shift decision, 0 = none */
    uint8_t as_code;           /* its basic keycode */
    uint8_t as_last;           /* last resolved keycode, for auto_shift.repeat's tap-then-hold */
    uint8_t as_retro_pos;      /* retro shift: position + 1 of a held MT/LT whose hold waits, 0 = none */
    uint16_t as_timeout;       /* auto_shift.timeout as AS_UP / AS_DOWN left it */
    ktime_t as_time, as_last_time, as_retro_time;
    kc_t rep_kc;               /* repeat key: the last key and the mods it was pressed with */
    uint8_t rep_mods;
    layer_state_t ll_layers;   /* layer lock: locked layers ... */
    ktime_t ll_time;           /* ... and the last key event */
    kc_t sc_kc;                /* space cadet: the key pressed last if it is one (0 otherwise) */
    ktime_t sc_time;
    uint8_t ko_active;         /* key override: index + 1 of the active one, 0 = none */
    uint8_t ko_flags;          /* ENG_KO_* */
    uint8_t ko_suppressed, ko_weak; /* mods kept out of the report / added by the replacement */
    kc_t ko_last_kc, ko_deferred; /* last non-modifier key pressed; key to register later */
    ktime_t ko_last_time, ko_defer_at;
    uint16_t socd_last;        /* key cancellation: bit i = pair i's second key came last */
    uint8_t cfg_bits;          /* ENG_MC_*: settings read once at engine_init (eng_mods_init) */
} engine_mods_t;

typedef struct engine engine_t;

struct engine {
    /* The fields used most come first: the AVR reaches the first 64 bytes of a struct straight
     * from its pointer (ldd/std with a displacement), anything further needs address arithmetic at
     * every use. This order saves ~500 B of the ATmega32U4 image with every behaviour in (measured
     * against other orders of the same fields: avrsize.sh). */
    ktime_t now;
    uint8_t real_mods, weak_mods, os_mods, os_locked_mods; /* modifiers (one-shots further down) */
    const cfg_t *cfg;
    const engine_sink_t *sink;
    void *ctx;
#if ENGINE_HAS_MODS
    engine_mods_t mods;        /* not on the ATmega32U4 (ENGINE_HAS_MODS, core/features.h) */
#endif
    /* layers: bit i = layer i on */
    layer_state_t layer_state, default_layer_state;
    /* one-shots */
    uint8_t os_layer;          /* layer << 3 | state bits (ENGINE_OSL_*) */
    uint8_t os_disabled;       /* OS_OFF */
    ktime_t os_mods_time, os_layer_time;
#if ENGINE_HAS_TAP_DANCE
    /* tap dance (bhv_tap_dance.c): the dance in progress */
    uint8_t td_idx;            /* 0xFF = none */
    uint8_t td_pos, td_count, td_down;
    uint16_t td_term;
    ktime_t td_deadline;      /* its last press + its term */
#endif

    ktime_t rec_time;         /* time of the event being processed (may be older than now) */

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
    ktime_t flow_prev_time;   /* flow tap: time of the previous key event */
    ktime_t idle_prev_time;   /* require-prior-idle: time of the last non-modifier press */

    /* keyboard report being built and the last one sent */
    uint8_t nkro, nkeys;
    kbd_report_t kbd, kbd_sent;
    uint16_t consumer, system;
    uint8_t tap_release;       /* a tapped key whose release waits for QMK's tap delay, 0 = none */
    ktime_t tap_release_at;
    engine_mouse_state_t mouse;
    uint8_t host_leds;         /* the host's LEDs (engine_set_host_leds): caps/num lock for unicode */
    uint8_t started;           /* a time has been given since engine_init (now is one) */
#if ENGINE_TIME_BITS == 32
    ktime_t aged_at;           /* when eng_age last ran (core/engine.c) */
#endif
#if ENGINE_HAS_UNICODE
    uint8_t uc_mode, uc_index; /* unicode input mode and its place in unicode.selected_modes */
#endif
#if ENGINE_HAS_PLAYER
    engine_seq_t seq;
#endif
#if ENGINE_HAS_LEADER
    engine_leader_t leader;
#endif
#if ENGINE_HAS_DYNMACRO
    engine_dynmacro_t dm;
#endif

#if ENGINE_HAS_COMBO
    /* combos (engine_combo.c): presses held back while a combo may still complete, as positions
     * and ms after the first one (all fall inside the combo term, so 16 bits are enough) */
    uint8_t cb_n;
    uint8_t cb_done;           /* a complete combo waiting for longer ones to fail, 0xFF = none */
    uint8_t cb_off;            /* CM_OFF */
    uint8_t cb_pos[CFG_COMBO_KEYS_MAX];
    uint16_t cb_dt[CFG_COMBO_KEYS_MAX];
    uint8_t cb_top;            /* the highest active layer at the first held-back press */
    ktime_t cb_first, cb_deadline;
    struct {
        uint8_t idx;           /* combo index | ENG_COMBO_RELEASED; 0xFF = free slot */
        uint8_t keys;          /* bit k: the combo's key k is still down */
    } cb_act[ENGINE_COMBO_ACTIVE_MAX];
#endif
};

#endif
