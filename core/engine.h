/* The engine: key events and ticks in, with explicit time; HID report changes out through a sink;
 * the next deadline exposed so callers can sleep or jump. No malloc, no clock, no I/O.
 * The same object code runs on the host (simulator, tests), the RP2040/RP2350 and the ATmega32U4. */
#ifndef KESTREL_CORE_ENGINE_H
#define KESTREL_CORE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cfg.h"
#include "core/ktime.h"
#include "core/keycodes.h"

#define ENGINE_NO_DEADLINE KTIME_NONE

/* Keyboard report state: 8-bit HID modifiers and a bitmap of keyboard-page usages (bit u&7 of
 * byte u>>3). In 6KRO mode at most six bits are set (see docs/behaviours.md for the 7th key). */
typedef struct kbd_report {
    uint8_t mods;
    uint8_t keys[32];
} kbd_report_t;

typedef struct mouse_report {
    uint8_t buttons;
    int8_t x, y, v, h;
} mouse_report_t;

/* What the engine decided and why, for `kestrel sim --trace`. Codes and arguments are listed in
 * core/trace.h; the sink formats them (the engine never formats text). */
typedef struct engine_trace {
    ktime_t time;
    uint8_t code;  /* enum engine_trace_code */
    uint8_t pos;   /* key position concerned, CFG_POS_NONE if none */
    kc_t kc;       /* keycode concerned */
    uint16_t arg;  /* code-specific */
    uint8_t pos2;  /* the other key involved (the interrupting key), CFG_POS_NONE if none */
} engine_trace_t;

/* The engine calls these only when a report really changed. `now` is the event's time. */
typedef struct engine_sink {
    void (*kbd)(void *ctx, const kbd_report_t *r, ktime_t now);
    void (*consumer)(void *ctx, uint16_t usage, ktime_t now);   /* 0 = released */
    void (*system)(void *ctx, uint16_t usage, ktime_t now);     /* 0 = released */
    void (*mouse)(void *ctx, const mouse_report_t *r, ktime_t now);
    /* Keycodes the firmware implements: QK_BOOT, QK_REBOOT, QK_CLEAR_EEPROM, ... (may be NULL) */
    void (*action)(void *ctx, kc_t kc, ktime_t now);
    void (*trace)(void *ctx, const engine_trace_t *t);           /* may be NULL */
} engine_sink_t;

/* struct engine is defined in core/engine_state.h so that callers can allocate it statically;
 * its fields are the engine's own. */
#include "core/engine_state.h"

#ifdef __AVR__
/* The ATmega32U4 firmware's one engine, its config and its sink: the engine there is compiled for
 * these alone (ENG_BHV_ENTRY, ENG_CFG, ENG_SINK: core/engine_int.h), so every engine function reads
 * them at their fixed addresses instead of being handed pointers (-660 B of flash). The firmware
 * calls engine_init(&engine_avr, &engine_avr_cfg, &engine_avr_sink, NULL) and nothing else. */
extern engine_t engine_avr;
extern cfg_t engine_avr_cfg;
extern const engine_sink_t engine_avr_sink;
#endif

/* `sink` may be NULL (nothing is reported) and any of its callbacks may be NULL. The config must
 * stay valid while the engine uses it; to switch configs, engine_release_all() then engine_init(). */
void engine_init(engine_t *e, const cfg_t *cfg, const engine_sink_t *sink, void *ctx);
/* A key at matrix position `pos` (row * cols + col; positions outside the matrix are ignored)
 * went down or up at `now_ms`. Timers due up to now_ms run first, each at its own time. Times
 * must not go backwards (an older time is taken as the current one); the first one after
 * engine_init may be any. Between two calls at most KTIME_SPAN_MAX ms pass (core/ktime.h). */
void engine_key_event(engine_t *e, uint8_t pos, bool pressed, ktime_t now_ms);
void engine_tick(engine_t *e, ktime_t now_ms);
/* Absolute time at which engine_tick() must next be called, or ENGINE_NO_DEADLINE. */
ktime_t engine_next_deadline(const engine_t *e);
/* True when no key is held, nothing is buffered, no timer is pending and every report is empty
 * (a one-shot modifier locked on purpose by oneshot.tap_toggle may stay in the keyboard report). */
bool engine_idle(const engine_t *e);
/* Releases everything cleanly (reports emptied), e.g. before switching to a new config. */
void engine_release_all(engine_t *e, ktime_t now_ms);
/* The host's keyboard LED state (Caps Lock etc.), for behaviours that read it. */
void engine_set_host_leds(engine_t *e, uint8_t leds);

#endif
