/* What the engine's own files share: the behaviour interface, the report and layer primitives and
 * the tap-hold stage. Not for use outside core/ (callers use core/engine.h). */
#ifndef KESTREL_CORE_ENGINE_INT_H
#define KESTREL_CORE_ENGINE_INT_H

#include <stddef.h>

#include "core/engine.h"
#include "core/features.h"
#include "core/regbase.h"
#include "core/rom.h"
#include "core/trace.h"

/* A helper with several callers: one out-of-line copy on the ATmega32U4, where flash is short;
 * inlined into each caller elsewhere, where the engine's speed counts (make bench-engine). */
#ifdef __AVR__
#define ENG_SHARED static __attribute__((noinline))
#else
#define ENG_SHARED static inline __attribute__((always_inline))
#endif

/* Every behaviour's press and release starts with ENG_BHV_ENTRY(e). Nothing else tells the
 * compiler which engine they get when one is not inlined into its caller; on the ATmega32U4, where
 * there is one (engine_avr, core/engine.h), this says it, and the engine's functions then lose
 * their engine argument (it is a constant everywhere): each call and each field access costs less.
 * A behaviour without it still works, but every engine function it calls may keep the argument. */
#ifdef __AVR__
#define ENG_BHV_ENTRY(e) ((e) = &engine_avr)
#else
#define ENG_BHV_ENTRY(e) ((void)(e))
#endif
/* The engine's fields through a pointer register (core/regbase.h, REG_BASE): on the ATmega32U4 the
 * engine is at a constant address, so each e->f is a 4-byte lds/sts; through a pointer the
 * compiler cannot see through (the empty asm) it is a 2-byte ldd/std off Y or Z, for the fields
 * within 64 bytes after where the pointer points (engine_state.h's order). Used in each function
 * where it measured smaller. By convention the result is `E`, next to `e` for the calls, which
 * keep going to the copies specialised for the one engine.
 *   ENG_SELF(e)            the engine, pointing at its start;
 *   ENG_SELF_AT(e, field)  the engine, with the pointer register at `field`;
 *   ENG_NEAR(p)            p (a part of the engine) itself;
 *   ENG_NEAR_AT(e, field)  like ENG_SELF_AT, from e rather than the firmware's engine (not the
 *                          same code: in bhv_tap_dance.c it is 36 B smaller than ENG_SELF_AT). */
#ifdef __AVR__
#define ENG_SELF_AT(e, field) \
    ((void)(e), (engine_t *)(void *)((uint8_t *)REG_BASE((uint8_t *)&engine_avr + offsetof(engine_t, field)) - \
                                     offsetof(engine_t, field)))
#define ENG_SELF(e) ((void)(e), REG_BASE(&engine_avr))
#else
#define ENG_SELF_AT(e, field) (e)
#define ENG_SELF(e) (e)
#endif
#define ENG_NEAR(p) REG_BASE(p)
#define ENG_NEAR_AT(e, f) \
    ((__typeof__(e))(void *)(ENG_NEAR((char *)(e) + offsetof(engine_t, f)) - offsetof(engine_t, f)))
/* The engine's config, sink and context: e->cfg, e->sink, e->ctx, except on the ATmega32U4, where
 * they are the firmware's only ones (engine_avr_cfg, engine_avr_sink: core/engine.h), constants
 * the compiler then passes on: every config reader loses its config argument, every report goes
 * to the firmware's sink by a direct call. */
#ifdef __AVR__
#define ENG_CFG(e) ((void)(e), (const cfg_t *)&engine_avr_cfg)
#define ENG_SINK(e) ((void)(e), &engine_avr_sink)
#define ENG_CTX(e) ((void)(e), (void *)0)
#else
#define ENG_CFG(e) ((e)->cfg)
#define ENG_SINK(e) ((e)->sink)
#define ENG_CTX(e) ((e)->ctx)
#endif

/* ---- behaviours ------------------------------------------------------------------------- */
/* One behaviour per file (core/bhv_*.c), found by keycode range (core/bhv.c). A behaviour gets the
 * held-key entry: kc is the resolved keycode, count the tap count the tap-hold stage decided
 * (0 = held / not a dual-role key). press() may rewrite count (e.g. an interrupted tap that
 * becomes a hold) so that release() undoes what press() did.
 * Each behaviour is one function, eng_bhv_<name>(e, k, down): press (down) and release in one body,
 * or a file's separate press and release joined by ENG_BHV_DEFINE(name, press, release). bhv.c
 * calls them directly from one switch (no pointers, no objects in flash), so that the compiler
 * inlines each into its one caller (on the ATmega32U4: -326 B against a table of press/release
 * pointers). A new behaviour: an ENG_BHV_* id below, its declaration, its file, a row in bhv.c's
 * table and a case in its switch. */
#define ENG_BHV_DEFINE(name, press, release) \
    void eng_bhv_##name(engine_t *e, engine_held_t *k, bool down) \
    { \
        if (down) press(e, k); \
        else release(e, k); \
    }
#define ENG_BHV_DECLARE(name) void eng_bhv_##name(engine_t *e, engine_held_t *k, bool down)

/* The behaviours' ids (what bhv.c's table gives per keycode range). Their order carries the flags:
 * the dual-role ones (through the tap-hold stage: MT LT OSM TT OSL) are ENG_BHV_MOD_TAP ..
 * ENG_BHV_OSL, the layer keys (which do not consume a one-shot layer by themselves: TT OSL MO..
 * TL_*) ENG_BHV_TAP_TOGGLE .. ENG_BHV_TRI_LAYER. */
enum {
    ENG_BHV_NONE,        /* keycodes the engine does not implement: held and ignored */
    ENG_BHV_KEY,         /* bhv_key.c: basic keys, modifiers, modded keycodes */
    ENG_BHV_MOUSE,       /* bhv_mouse.c */
    ENG_BHV_MOD_TAP,     /* bhv_mod_tap.c */
    ENG_BHV_LAYER_TAP,   /* bhv_layer_tap.c */
    ENG_BHV_OSM,         /* bhv_oneshot.c */
    ENG_BHV_TAP_TOGGLE,  /* bhv_layer.c: TT */
    ENG_BHV_OSL,         /* bhv_oneshot.c */
    ENG_BHV_LAYER,       /* bhv_layer.c: MO TG TO DF PDF LM */
    ENG_BHV_TRI_LAYER,   /* bhv_tri_layer.c: TL_LOWR TL_UPPR */
    ENG_BHV_OS_CTL,      /* bhv_oneshot.c: OS_ON OS_OFF OS_TOGG */
    ENG_BHV_SYSTEM,      /* bhv_system.c: QK_BOOT QK_RBT EE_CLR, NK_* */
    ENG_BHV_MACRO,       /* bhv_macro.c: MC_n */
    ENG_BHV_UNICODE,     /* bhv_unicode.c: UC() UM() UP() */
    ENG_BHV_UC_MODE,     /* bhv_unicode.c: UC_NEXT .. UC_EMAC */
    ENG_BHV_LEADER,      /* bhv_leader.c: QK_LEAD */
    ENG_BHV_DYNMACRO,    /* bhv_dynmacro.c: DM_REC1 .. DM_PLY2 */
    ENG_BHV_TAP_DANCE,   /* bhv_tap_dance.c: TD(i) */
    ENG_BHV_COMBO_CTL,   /* engine_combo.c: CM_ON CM_OFF CM_TOGG */
    ENG_BHV_GRAVE_ESC,   /* bhv_grave_esc.c: QK_GESC */
};
ENG_BHV_DECLARE(key);
ENG_BHV_DECLARE(mouse);
ENG_BHV_DECLARE(mod_tap);
ENG_BHV_DECLARE(layer_tap);
ENG_BHV_DECLARE(osm);
ENG_BHV_DECLARE(tap_toggle);
ENG_BHV_DECLARE(osl);
ENG_BHV_DECLARE(layer);
ENG_BHV_DECLARE(tri_layer);
ENG_BHV_DECLARE(os_ctl);
ENG_BHV_DECLARE(system);
ENG_BHV_DECLARE(macro);
ENG_BHV_DECLARE(unicode);
ENG_BHV_DECLARE(uc_mode);
ENG_BHV_DECLARE(leader);
ENG_BHV_DECLARE(dynmacro);
ENG_BHV_DECLARE(tap_dance);
ENG_BHV_DECLARE(combo_ctl);
ENG_BHV_DECLARE(grave_esc);

/* engine_held_t.count flag: pressed while one-shot keys were off (OS_OFF), so released as plain */
#define ENG_HELD_PLAIN 0x40u

/* Run the press (down) or release of k->kc's behaviour on k. */
void eng_bhv_act(engine_t *e, engine_held_t *k, bool down);
/* kc's behaviour: an ENG_BHV_* id. */
uint8_t eng_bhv_for(kc_t kc);

static inline bool eng_is_tap_hold_kc(kc_t kc)
{
    return (uint8_t)(eng_bhv_for(kc) - ENG_BHV_MOD_TAP) <= ENG_BHV_OSL - ENG_BHV_MOD_TAP;
}
static inline bool eng_is_layer_kc(kc_t kc)
{
    return (uint8_t)(eng_bhv_for(kc) - ENG_BHV_TAP_TOGGLE) <= ENG_BHV_TRI_LAYER - ENG_BHV_TAP_TOGGLE;
}
static inline bool eng_is_mt_or_lt(kc_t kc)
{
    return kc >= QK_MOD_TAP && kc <= QK_LAYER_TAP_MAX;
}

/* ---- trace ---------------------------------------------------------------------------- */
/* The ATmega32U4 firmware never prints a trace; compiling it out there saves flash it lacks. */
#if defined(__AVR__) && !defined(ENGINE_TRACE)
#define ENGINE_NO_TRACE 1
#endif
#ifdef ENGINE_NO_TRACE
static inline void eng_trace(engine_t *e, uint8_t code, uint8_t pos, kc_t kc, uint16_t arg, uint8_t pos2)
{
    (void)e; (void)code; (void)pos; (void)kc; (void)arg; (void)pos2;
}
#else
void eng_trace(engine_t *e, uint8_t code, uint8_t pos, kc_t kc, uint16_t arg, uint8_t pos2);
#endif

/* ---- reports (report.c) ------------------------------------------------------------------ */
void eng_send_kbd(engine_t *e);
void eng_register_code(engine_t *e, uint8_t code);   /* QMK's register_code: any basic keycode */
void eng_unregister_code(engine_t *e, uint8_t code);
void eng_tap_code(engine_t *e, uint8_t code);
/* The release of a tapped key: after qmk.tap_keycode_delay (qmk.tap_capslock_delay for Caps Lock) */
void eng_release_tap(engine_t *e, uint8_t code);
void eng_flush_tap_release(engine_t *e);      /* a waiting tap release goes out now */
void eng_register_mods(engine_t *e, uint8_t mods);   /* add + send */
void eng_unregister_mods(engine_t *e, uint8_t mods);
/* Every change of a modifier byte (real or weak) and its report: mods added (down) or taken out of
 * *m, and the report sent; nothing when mods is 0. */
void eng_mods_set(engine_t *e, uint8_t *m, uint8_t mods, bool down);
void eng_clear_keyboard(engine_t *e);                /* every report emptied and sent */
void eng_consumer_send(engine_t *e, uint16_t usage);
void eng_system_send(engine_t *e, uint16_t usage);
void eng_clear_oneshot_mods(engine_t *e);
void eng_add_oneshot_mods(engine_t *e, uint8_t mods);
void eng_del_oneshot_mods(engine_t *e, uint8_t mods);
/* Has a one-shot armed at *since run out at now (oneshot.timeout; 0 = never)? */
bool eng_oneshot_timed_out(const engine_t *e, const ktime_t *since, ktime_t now);
bool eng_oneshot_mods_expired(const engine_t *e, ktime_t now);

/* ---- mouse keys (bhv_mouse.c) ------------------------------------------------------------- */
void eng_mouse_key(engine_t *e, uint8_t code, bool down);
void eng_mouse_send(engine_t *e);
void eng_mouse_task(engine_t *e);
ktime_t eng_mouse_deadline(const engine_t *e);
void eng_mouse_clear(engine_t *e);

/* ---- the sequence player (bhv_macro.c) ------------------------------------------------------ */
/* Jobs: a keymap macro (arg = index), a code point to type with the unicode input mode (arg|hi<<16),
 * a keycode to tap (leader results), a dynamic macro to play (arg = slot 1 or 2). */
enum { ENG_JOB_MACRO = 1, ENG_JOB_UNICODE, ENG_JOB_KEY, ENG_JOB_DM };
enum { ENG_SEQ_SRC_CFG = 1, ENG_SEQ_SRC_RAM, ENG_SEQ_SRC_DM };
/* Byte code ops: the MACROS section's (core/cfg.h, CFG_MOP_*: typed usages, and these five), and
 * the others generated in RAM only (unicode input), outside the typed usages' byte values. */
enum { ENG_OP_DELAY = CFG_MOP_DELAY, ENG_OP_TAP = CFG_MOP_TAP, ENG_OP_DOWN = CFG_MOP_DOWN,
       ENG_OP_UP = CFG_MOP_UP, ENG_OP_BEEP = CFG_MOP_BEEP,
       ENG_OP_MASK = 0x41, ENG_OP_UNMASK = 0x42 };
#if ENGINE_HAS_PLAYER
/* Every report sent counts (the player paces on them); the player's mods join the keyboard's. */
#ifdef __AVR__ /* one copy there (report.c) */
void eng_seq_count_report(engine_t *e);
#else
static inline void eng_seq_count_report(engine_t *e) { e->seq.reports++; }
#endif
static inline uint8_t eng_seq_mods(const engine_t *e, uint8_t mods)
{
#if ENGINE_HAS_UNICODE
    mods = (uint8_t)(mods & ~e->seq.mask);
#endif
    return (uint8_t)(mods | e->seq.mods);
}
static inline void eng_seq_clear_mods(engine_t *e) { e->seq.mods = e->seq.mask = 0; }
void eng_seq_push(engine_t *e, uint8_t kind, uint16_t arg, uint8_t hi); /* hi: a code point's bits 16-23 */
void eng_seq_task(engine_t *e);                 /* runs every step due by e->now */
ktime_t eng_seq_deadline(const engine_t *e);
bool eng_seq_busy(const engine_t *e);
void eng_seq_reset(engine_t *e);                /* stops everything it plays, releases what it holds */
#else
static inline void eng_seq_count_report(engine_t *e) { (void)e; }
static inline uint8_t eng_seq_mods(const engine_t *e, uint8_t mods) { (void)e; return mods; }
static inline void eng_seq_clear_mods(engine_t *e) { (void)e; }
static inline void eng_seq_task(engine_t *e) { (void)e; }
static inline ktime_t eng_seq_deadline(const engine_t *e) { (void)e; return ENGINE_NO_DEADLINE; }
static inline void eng_seq_reset(engine_t *e) { (void)e; }
#endif
/* unicode (bhv_unicode.c): writes the input sequence of code point hi:lo into e->seq.buf */
uint8_t eng_unicode_compile(engine_t *e, uint8_t hi, uint16_t lo);
#if ENGINE_HAS_UNICODE
void eng_unicode_init(engine_t *e);
#else
static inline void eng_unicode_init(engine_t *e) { (void)e; }
#endif
/* leader key (bhv_leader.c): a press while the leader sequence collects keys is taken by it */
#if ENGINE_HAS_LEADER
bool eng_leader_take(engine_t *e, kc_t kc);
void eng_leader_task(engine_t *e);
ktime_t eng_leader_deadline(const engine_t *e);
static inline bool eng_leader_active(const engine_t *e) { return e->leader.active != 0; }
#else
static inline bool eng_leader_take(engine_t *e, kc_t kc) { (void)e; (void)kc; return false; }
static inline void eng_leader_task(engine_t *e) { (void)e; }
static inline ktime_t eng_leader_deadline(const engine_t *e) { (void)e; return ENGINE_NO_DEADLINE; }
static inline bool eng_leader_active(const engine_t *e) { (void)e; return false; }
#endif
/* dynamic macros (bhv_dynmacro.c) */
bool eng_dm_play_start(engine_t *e, uint8_t slot); /* sets e->seq.pc = 0, end = its length */
void eng_dm_play_event(engine_t *e, uint16_t i);   /* replays event i of e->seq.dm_slot */
void eng_dm_play_end(engine_t *e);
#if ENGINE_HAS_DYNMACRO
void eng_dm_record(engine_t *e, const engine_rec_t *r, kc_t kc);
static inline bool eng_dm_recording(const engine_t *e) { return e->dm.recording != 0; }
#else
static inline void eng_dm_record(engine_t *e, const engine_rec_t *r, kc_t kc) { (void)e; (void)r; (void)kc; }
static inline bool eng_dm_recording(const engine_t *e) { (void)e; return false; }
#endif

/* ---- layers (layer.c) ---------------------------------------------------------------------- */
/* Layer l's bit (l is taken modulo the layers this build has; the loader keeps keymaps within).
 * Out of line on the ATmega32U4, where a shift by a variable is a loop. */
static inline layer_state_t eng_layer_bit_inline(uint8_t l)
{
    return (layer_state_t)((layer_state_t)1u << (l & (ENGINE_LAYER_BITS - 1u)));
}
#ifdef __AVR__
layer_state_t eng_layer_bit(uint8_t l);
#else
static inline layer_state_t eng_layer_bit(uint8_t l) { return eng_layer_bit_inline(l); }
#endif
void eng_layer_state_set(engine_t *e, layer_state_t state);
void eng_layer_on(engine_t *e, uint8_t layer);
void eng_layer_off(engine_t *e, uint8_t layer);
void eng_layer_invert(engine_t *e, uint8_t layer);
void eng_default_layer_set(engine_t *e, uint8_t layer);
kc_t eng_keymap_lookup(const engine_t *e, uint8_t pos); /* highest active layer, KC_TRNS falls */
/* The same, and the layer it resolved on (0 when none did: QMK's layer for key overrides). */
kc_t eng_keymap_lookup_at(const engine_t *e, uint8_t pos, uint8_t *layer);

/* ---- one-shot layer (bhv_oneshot.c) --------------------------------------------------------- */
#define ENG_OSL_PRESSED       0x01u /* the OSL key is still down */
#define ENG_OSL_OTHER_PRESSED 0x02u /* no other key has used it yet */
#define ENG_OSL_START         0x03u
#define ENG_OSL_TOGGLED       0x04u /* locked by oneshot.tap_toggle */
static inline uint8_t eng_osl_state(const engine_t *e) { return e->os_layer & 0x07u; }
static inline uint8_t eng_osl_layer(const engine_t *e) { return (uint8_t)(e->os_layer >> 3); }
void eng_osl_clear_state(engine_t *e, uint8_t bits);
bool eng_osl_expired(const engine_t *e, ktime_t now);

/* ---- the combo stage (engine_combo.c): first in the pipeline, before the tap-hold stage -------- */
/* An event after the combo stage: into the tap-hold stage and on (pos may be a combo's virtual key) */
void eng_exec(engine_t *e, uint8_t pos, bool pressed, ktime_t t);
#define ENG_COMBO_RELEASED 0x80u /* cb_act[].idx: the result is already released (fast release) */
#if ENGINE_HAS_COMBO
void eng_combo_stage(engine_t *e, uint8_t pos, bool pressed, ktime_t t);
/* A matrix key event; without combos it goes straight on (no call into the stage). */
static inline void eng_combo_event(engine_t *e, uint8_t pos, bool pressed, ktime_t t)
{
    if (ENG_CFG(e)->count[CFG_SEC_COMBOS]) eng_combo_stage(e, pos, pressed, t);
    else eng_exec(e, pos, pressed, t);
}
void eng_combo_tick(engine_t *e, ktime_t t);
void eng_combo_reset(engine_t *e);    /* forget held-back presses and active combos */
#else
static inline void eng_combo_event(engine_t *e, uint8_t pos, bool pressed, ktime_t t)
{
    eng_exec(e, pos, pressed, t);
}
static inline void eng_combo_tick(engine_t *e, ktime_t t) { (void)e; (void)t; }
static inline void eng_combo_reset(engine_t *e) { (void)e; }
#endif

/* ---- tap dance (bhv_tap_dance.c) ---------------------------------------------------------------- */
/* Presses and releases kc through its behaviour as a tap (tap count 1: a dual-role keycode acts as
 * its tap); tap dance endings and leader results share it. */
void eng_tap_kc(engine_t *e, kc_t kc, uint8_t pos);
#if ENGINE_HAS_TAP_DANCE
void eng_td_interrupt(engine_t *e);   /* another key is pressed: the dance ends first */
void eng_td_tick(engine_t *e, ktime_t t);
static inline void eng_td_reset(engine_t *e) { e->td_idx = 0xFFu; }
#else
static inline void eng_td_tick(engine_t *e, ktime_t t) { (void)e; (void)t; }
static inline void eng_td_reset(engine_t *e) { (void)e; }
#endif

/* ---- deadlines (engine.c) -------------------------------------------------------------------- */
/* Every deadline is made with ktime_deadline(), so that none reads as ENGINE_NO_DEADLINE.
 * eng_earliest: the sooner of two deadlines (either may be none: ktime_earliest, core/ktime.h);
 * eng_due_at: the sooner of deadline d and the time t at which something is due. One copy each on
 * the ATmega32U4. */
static inline ktime_t eng_earliest(ktime_t a, ktime_t b) { return ktime_earliest(a, b); }
#ifdef __AVR__
ktime_t eng_due_at(ktime_t d, ktime_t t);
#else
static inline ktime_t eng_due_at(ktime_t d, ktime_t t) { return eng_earliest(d, ktime_deadline(t)); }
#endif

/* ---- the processing pipeline (engine.c) and the tap-hold stage (engine_tap.c) ----------------- */
/* Must this release wait behind a pending decision (a modifier or layer key), QMK's rule? */
bool eng_release_must_wait(engine_t *e, const engine_rec_t *r);
void eng_process_record(engine_t *e, engine_rec_t *r); /* QMK's process_record */
bool eng_tap_process(engine_t *e, engine_rec_t *r);    /* true: consumed; false: buffer it */
void eng_tap_reset(engine_t *e);
engine_rec_t eng_wait_pop(engine_t *e);                /* the waiting buffer's front event, out */
engine_held_t *eng_held_find(engine_t *e, uint8_t pos);
uint16_t eng_setting(const engine_t *e, enum cfg_setting_id id, kc_t kc); /* per-key aware */
/* A global setting. Out of line on the ATmega32U4: the engine is one object there, so each of the
 * many calls passes only the setting's id. */
#ifdef __AVR__
uint16_t eng_cfg(const engine_t *e, enum cfg_setting_id id);
#else
static inline uint16_t eng_cfg(const engine_t *e, enum cfg_setting_id id) { return cfg_setting(e->cfg, id); }
#endif

/* ---- caps word, auto shift, key overrides, repeat key, layer lock, tri layer, grave escape, space
 * cadet, key cancellation (core/engine_mods.c calls the features in QMK's order) ---------------- */
/* engine_held_t.count flags */
#define ENG_HELD_HOOKED  0x20u /* a feature took this press: the key's behaviour did not run */
#define ENG_HELD_SHIFTED 0x80u /* a weak Shift was added for this key (caps word): it goes after it */
/* auto_shift.repeat: this key is down in the report for auto shift, which has moved on to another
 * key; its release takes it out. The same bit as ENG_HELD_PLAIN, which only OSM/OSL keys use. */
#define ENG_HELD_AS_DOWN 0x40u

/* Every processed press and release passes here before its behaviour runs; true = consumed (the
 * behaviour is not run, and the press is marked ENG_HELD_HOOKED). A press hook may rewrite k->kc
 * (repeat key) so that the release undoes what the press did. */
#if ENGINE_HAS_MODS
bool eng_mods_event(engine_t *e, engine_held_t *k, const engine_rec_t *r, bool pressed);
/* After the behaviour ran (or was skipped): bookkeeping that needs the new state. */
void eng_mods_after(engine_t *e, const engine_held_t *k, bool pressed);
ktime_t eng_mods_deadline_slow(const engine_t *e);
/* Whether any feature's timer can be running (caps word, a key waiting for auto shift, a deferred
 * key override, a layer lock). engine_next_deadline() and the task ask this very often. */
static inline bool eng_mods_timing(const engine_t *e)
{
    const engine_mods_t *m = &e->mods;
    return (m->cw | m->as_pos | m->ko_deferred) || m->ll_layers;
}
/* The features' tests of whether they can matter (eng_mods_timing, the hook's gates) save calls;
 * on the ATmega32U4 they only cost flash (~300 B), as each feature is then inlined and its own
 * first test says the same. -DENG_MODS_GATES=0 builds the chip's form on the host (to compare). */
#ifndef ENG_MODS_GATES
#ifdef __AVR__
#define ENG_MODS_GATES 0
#else
#define ENG_MODS_GATES 1
#endif
#endif
static inline ktime_t eng_mods_deadline(const engine_t *e)
{
    return !ENG_MODS_GATES || eng_mods_timing(e) ? eng_mods_deadline_slow(e) : ENGINE_NO_DEADLINE;
}
void eng_mods_task(engine_t *e);
void eng_mods_reset(engine_t *e);
void eng_mods_init(engine_t *e);
/* 1 << (code & 7): a modifier key's report bit, a usage's bit in its report byte. One copy on the
 * ATmega32U4 (report.c), where a shift by a variable is a 16-bit loop at every use. */
#ifdef __AVR__
uint8_t eng_code_bit(uint8_t code);
#else
static inline uint8_t eng_code_bit(uint8_t code) { return (uint8_t)(1u << (code & 7u)); }
#endif
/* The report's modifier byte as the features shape it (key overrides' suppressed mods). */
static inline uint8_t eng_mods_report(const engine_t *e, uint8_t mods)
{
    return (uint8_t)((mods & ~e->mods.ko_suppressed) | e->mods.ko_weak);
}
#else
static inline bool eng_mods_event(engine_t *e, engine_held_t *k, const engine_rec_t *r, bool p)
{
    (void)e; (void)k; (void)r; (void)p;
    return false;
}
static inline void eng_mods_after(engine_t *e, const engine_held_t *k, bool p) { (void)e; (void)k; (void)p; }
static inline ktime_t eng_mods_deadline(const engine_t *e) { (void)e; return ENGINE_NO_DEADLINE; }
static inline void eng_mods_task(engine_t *e) { (void)e; }
static inline void eng_mods_reset(engine_t *e) { (void)e; }
static inline void eng_mods_init(engine_t *e) { (void)e; }
static inline uint8_t eng_mods_report(const engine_t *e, uint8_t mods) { (void)e; return mods; }
#endif
/* Key cancellation: drops the losing keys of pressed pairs from a report about to be sent. */
#if ENGINE_HAS_KEY_CANCEL
void eng_socd_filter(const engine_t *e, kbd_report_t *r);
void eng_socd_note_press(engine_t *e, uint8_t code);
#else
static inline void eng_socd_filter(const engine_t *e, kbd_report_t *r) { (void)e; (void)r; }
static inline void eng_socd_note_press(engine_t *e, uint8_t code) { (void)e; (void)code; }
#endif

#define ENG_CW_ON   0x01u
#define ENG_CW_DTAP 0x02u /* double-tap shift: left shift pressed once */

#define ENG_AS_ON       0x02u
#define ENG_AS_SHIFT    0x04u /* the waiting key is shifted whatever its duration (caps word, Shift) */
#define ENG_AS_RETRO    0x08u /* the waiting key is a dual-role key's tap (retro shift): no timer */
#define ENG_AS_HELD     0x10u /* auto_shift.repeat: the key is registered and stays until release */
#define ENG_AS_LAST_SHIFTED 0x20u

#define ENG_MC_CW_DTAP 0x01u /* engine_mods_t.cfg_bits: caps_word.double_tap_shift_turns_on */

#define ENG_KO_TRIGGER_DOWN 0x01u
#define ENG_KO_OFF          0x02u /* KO_OFF */
#define ENG_KO_DEFER_TRIGGER 0x04u /* ko_deferred is the trigger coming back (not a replacement) */

/* Each feature behind the hook; a build without one gets stubs that do nothing (features.h). */
#if ENGINE_HAS_CAPS_WORD
bool eng_cw_press(engine_t *e, engine_held_t *k, const engine_rec_t *r);
bool eng_cw_release(engine_t *e, engine_held_t *k);
void eng_cw_before(engine_t *e);
ktime_t eng_cw_deadline(const engine_t *e);
void eng_cw_task(engine_t *e);
#else
static inline bool eng_cw_press(engine_t *e, engine_held_t *k, const engine_rec_t *r) { (void)e; (void)k; (void)r; return false; }
static inline bool eng_cw_release(engine_t *e, engine_held_t *k) { (void)e; (void)k; return false; }
static inline void eng_cw_before(engine_t *e) { (void)e; }
static inline ktime_t eng_cw_deadline(const engine_t *e) { (void)e; return ENGINE_NO_DEADLINE; }
static inline void eng_cw_task(engine_t *e) { (void)e; }
#endif
#if ENGINE_HAS_AUTO_SHIFT
bool eng_as_retro_hold(engine_t *e, engine_held_t *k, const engine_rec_t *r);
bool eng_as_press(engine_t *e, engine_held_t *k, const engine_rec_t *r);
bool eng_as_release(engine_t *e, engine_held_t *k);
void eng_as_interrupt(engine_t *e);
void eng_as_task(engine_t *e);
ktime_t eng_as_deadline(const engine_t *e);
#else
static inline bool eng_as_retro_hold(engine_t *e, engine_held_t *k, const engine_rec_t *r) { (void)e; (void)k; (void)r; return false; }
static inline bool eng_as_press(engine_t *e, engine_held_t *k, const engine_rec_t *r) { (void)e; (void)k; (void)r; return false; }
static inline bool eng_as_release(engine_t *e, engine_held_t *k) { (void)e; (void)k; return false; }
static inline void eng_as_interrupt(engine_t *e) { (void)e; }
static inline void eng_as_task(engine_t *e) { (void)e; }
static inline ktime_t eng_as_deadline(const engine_t *e) { (void)e; return ENGINE_NO_DEADLINE; }
#endif
#if ENGINE_HAS_KEY_OVERRIDE
bool eng_ko_event(engine_t *e, engine_held_t *k, bool pressed);
void eng_ko_task(engine_t *e);
#else
static inline bool eng_ko_event(engine_t *e, engine_held_t *k, bool p) { (void)e; (void)k; (void)p; return false; }
static inline void eng_ko_task(engine_t *e) { (void)e; }
#endif
#if ENGINE_HAS_REPEAT_KEY
bool eng_rep_press(engine_t *e, engine_held_t *k);
#else
static inline bool eng_rep_press(engine_t *e, engine_held_t *k) { (void)e; (void)k; return false; }
#endif
#if ENGINE_HAS_LAYER_LOCK
bool eng_ll_event(engine_t *e, engine_held_t *k, bool pressed);
void eng_ll_task(engine_t *e);
#else
static inline bool eng_ll_event(engine_t *e, engine_held_t *k, bool p) { (void)e; (void)k; (void)p; return false; }
static inline void eng_ll_task(engine_t *e) { (void)e; }
#endif
#if ENGINE_HAS_SPACE_CADET
bool eng_sc_event(engine_t *e, engine_held_t *k, bool pressed);
#else
static inline bool eng_sc_event(engine_t *e, engine_held_t *k, bool p) { (void)e; (void)k; (void)p; return false; }
#endif

static inline uint8_t eng_rec_count(const engine_rec_t *r) { return r->flags & ENGINE_REC_COUNT; }
static inline bool eng_rec_pressed(const engine_rec_t *r) { return (r->flags & ENGINE_REC_PRESSED) != 0; }
static inline void eng_rec_set_count(engine_rec_t *r, uint8_t n)
{
    r->flags = (uint8_t)((r->flags & ~ENGINE_REC_COUNT) | (n & ENGINE_REC_COUNT));
}

#endif
