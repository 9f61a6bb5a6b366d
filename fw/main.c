/* The firmware main loop. Each pass: handle USB; if a scan is due, run the engine timers due by
 * then, scan the matrix and feed every change of that scan to the engine (in scan order, all with
 * the scan's time); run the timers that are due, hand new reports to the controller, then sleep
 * until the next scan, the engine's deadline or an interrupt (USB, a key press on an idle matrix). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/cfg.h"
#include "core/debounce.h"
#include "core/engine.h"
#include "fw/fallback.h"
#include "fw/fw.h"
#include "fw/fw_drive.h"
#include "fw/hal.h"
#include "fw/matrix.h"
#include "usb/usb.h"

static cfg_t cfg;
static engine_t engine;
static matrix_t matrix;
static debounce_t debounce;
static usb_identity_t ident;
/* QK_BOOT / QK_REBOOT asked for (LEAVE_* bits; the bootloader wins when both were) */
#define LEAVE_BOOT 1u
#define LEAVE_REBOOT 2u
static uint8_t leave;
static ktime_t boot_request_ms;

#if HAL_MS_CLOCK
/* Engine time: the chip's own millisecond count (fw/hal.h). The loop then scans on every pass
 * and sleeps only while every key is up, which is what a scan period of 0 asks for. */
_Static_assert(FW_SCAN_PERIOD_US == 0 && FW_UPTIME_WAKE_MS == 0,
               "a millisecond clock is for a chip that scans back to back with no uptime window");
static ktime_t clock_ms;

static ktime_t clock_now(void)
{
    return clock_ms = hal_millis();
}
#else
/* Engine time: milliseconds since start, advanced from the µs counter without 64-bit division
 * and across its 71-minute wrap (the loop runs far more often than that). The loop's times are
 * engine times, 32 bits on these chips. */
_Static_assert(ENGINE_TIME_BITS == 32, "a microsecond clock makes 32-bit engine time");
static uint32_t clock_ms, clock_base_us;

/* The µs time at which engine millisecond `ms` starts. One copy of the 32-bit multiply: an
 * 8-bit CPU spends ~70 bytes of code on each one inlined. */
static __attribute__((noinline)) uint32_t us_at(uint32_t ms)
{
    return clock_base_us + (ms - clock_ms) * 1000u;
}

static uint32_t now_ms(uint32_t now_us)
{
    uint32_t d = now_us - clock_base_us;
    if (d >= 1000u) {
        /* The loop usually comes round within a millisecond; a 32-bit division costs ~600
         * cycles on an 8-bit CPU, so it is kept for longer sleeps. */
        uint32_t k = d < 2000u ? 1u : d / 1000u;
        clock_base_us = us_at(clock_ms + k);
        clock_ms += k;
    }
    return clock_ms;
}

static uint32_t clock_now(void)
{
    return now_ms(hal_micros());
}
#endif

/* Tells the harness which endpoint queue got a report (to time reports when they were made). */
static inline void queued(uint8_t ep)
{
    if (ep) hal_probe(FW_PROBE_QUEUED + ep);
}

static void sink_kbd(void *ctx, const kbd_report_t *r, ktime_t now)
{
    (void)ctx;
    (void)now;
    /* NK_ON/NK_OFF/NK_TOGG are the engine's: it keeps the mode (and clears the report when it
     * changes), and the report goes out in the form that mode allows. */
    usb_set_nkro(engine.nkro != 0);
    queued(usb_send_kbd(r));
}

static void sink_consumer(void *ctx, uint16_t usage, ktime_t now)
{
    (void)ctx;
    (void)now;
    queued(usb_send_consumer(usage));
}

static void sink_system(void *ctx, uint16_t usage, ktime_t now)
{
    (void)ctx;
    (void)now;
    queued(usb_send_system(usage));
}

static void sink_mouse(void *ctx, const mouse_report_t *r, ktime_t now)
{
    (void)ctx;
    (void)now;
    queued(usb_send_mouse(r));
}

static void sink_action(void *ctx, kc_t kc, ktime_t now)
{
    (void)ctx;
    (void)now; /* used by the drive only */
    hal_probe(FW_PROBE_ACTION);
    hal_probe(kc);
    switch (kc) {
    case QK_BOOT:
        leave |= LEAVE_BOOT;
        boot_request_ms = clock_ms;
        break;
    case QK_REBOOT:
        leave |= LEAVE_REBOOT;
        boot_request_ms = clock_ms;
        break;
#if KESTREL_DRIVE
    case KS_DRIVE_TOGGLE:
        fw_drive_toggle(now);
        break;
#endif
    default: break;
    }
}

static const engine_sink_t sink = {
    .kbd = sink_kbd,
    .consumer = sink_consumer,
    .system = sink_system,
    .mouse = sink_mouse,
    .action = sink_action,
    .trace = NULL,
};

#if KESTREL_DRIVE
static uint32_t region_crc; /* identifies the region's image for the drive's slots (0 = none) */
#endif

/* The built-in config; returns why (NULL where reasons are not shown: FW_FALLBACK_REASON). */
static const char *load_fallback(const char *why)
{
    size_t n;
    const uint8_t *fb = hal_cfg_fallback(&n);
    if (!fb) {
        static uint8_t fallback[FALLBACK_IMAGE_MAX];
        n = fallback_image(fallback);
        fb = fallback;
    }
    cfg_open(&cfg, fb, n); /* built here: cannot fail unless the format changed */
#if FW_FALLBACK_REASON
    return why;
#else
    (void)why;
    return NULL;
#endif
}

/* Uses the config region's image when it is valid and meant for this chip; else the built-in
 * fallback, and says why in the USB product string (what a user sees first). */
static const char *load_config(void)
{
    size_t max;
    const uint8_t *region = hal_cfg_region(&max);
    enum cfg_open_result r = cfg_open(&cfg, region, max);
#if KESTREL_DRIVE
    /* A config saved on the drive since the region was last flashed wins over the region's. */
    region_crc = r == CFG_OK ? cfg_crc32_image(region, cfg.size) : 0;
    const uint8_t *img;
    size_t len;
    cfg_t saved;
    if (fw_drive_pick(region_crc, &img, &len) && cfg_open(&saved, img, len) == CFG_OK &&
        hal_cfg_usable(&saved)) {
        cfg = saved;
        return NULL;
    }
#endif
    if (r == CFG_OK && hal_cfg_usable(&cfg)) return NULL;
#if FW_FALLBACK_REASON
    const char *why = r != CFG_OK ? cfg_open_strerror(r) : "config image is for another board";
    if (r == CFG_ERR_MAGIC && cfg_rd32(region) == 0xFFFFFFFFu) why = "no config image";
#else
    const char *why = NULL;
#endif
    return load_fallback(why);
}

#if FW_FALLBACK_REASON
/* The product string descriptor "Kestrel fallback (<why>)" (ASCII texts), without pulling printf
 * into the image; at most 95 characters. */
static const uint8_t *fallback_product(const char *why)
{
    static uint8_t d[2u + 2u * 95u];
    static const char head[] = "Kestrel fallback (";
    size_t n = 2;
    for (const char *p = head; *p && n < sizeof d - 2; p++, n += 2) d[n] = (uint8_t)*p;
    for (const char *p = why; *p && n < sizeof d - 2; p++, n += 2) d[n] = (uint8_t)*p;
    d[n] = ')';
    n += 2;
    d[0] = (uint8_t)n;
    d[1] = 3; /* STRING */
    return d;
}
#endif

/* A debounced change: straight to the engine, with the scan's time. */
static void key_change(void *ctx, uint8_t pos, bool pressed, ktime_t ms)
{
    (void)ctx;
    hal_probe(3);
    if (pressed && usb_suspended()) usb_wakeup();
    engine_key_event(&engine, pos, pressed, ms);
    hal_probe(4);
}

#if KESTREL_DRIVE
/* A new config from the drive, at once and on the same USB connection: whatever is held is
 * released (the host sees every key go up), then the engine starts over on the new tables. The
 * matrix is set up again only if its wiring changed; otherwise keys still held stay known to
 * the debouncer and their release is simply nothing to the new engine. USB names and IDs
 * change at the next plug-in. */
static void switch_config(const uint8_t *img, size_t n, uint32_t ms)
{
    engine_release_all(&engine, ms);
    cfg_t next;
    if (cfg_open(&next, img, n) != CFG_OK) return;
    uint16_t n1, l1, n2, l2;
    const uint8_t *p1 = cfg_section(&cfg, CFG_SEC_PINS, &n1, &l1);
    const uint8_t *p2 = cfg_section(&next, CFG_SEC_PINS, &n2, &l2);
    bool rewire = next.rows != cfg.rows || next.cols != cfg.cols || l1 != l2 || !p1 || !p2 ||
                  memcmp(p1, p2, l1) != 0 ||
                  cfg_info8(&next, CFG_INFO_DIODE) != cfg_info8(&cfg, CFG_INFO_DIODE) ||
                  cfg_info8(&next, CFG_INFO_MATRIX_KIND) != cfg_info8(&cfg, CFG_INFO_MATRIX_KIND) ||
                  cfg_info16(&next, CFG_INFO_IO_DELAY) != cfg_info16(&cfg, CFG_INFO_IO_DELAY);
    bool redebounce = rewire || cfg_setting(&next, CFG_DEBOUNCE_TYPE) != cfg_setting(&cfg, CFG_DEBOUNCE_TYPE) ||
                      cfg_setting(&next, CFG_DEBOUNCE) != cfg_setting(&cfg, CFG_DEBOUNCE);
    cfg = next;
    if (rewire) matrix_init(&matrix, &cfg);
    if (redebounce) {
        debounce_init(&debounce, (uint8_t)cfg_setting(&cfg, CFG_DEBOUNCE_TYPE),
                      (uint8_t)cfg_setting(&cfg, CFG_DEBOUNCE), cfg.rows, cfg.cols);
    }
    engine_init(&engine, &cfg, &sink, NULL);
    hal_probe(FW_PROBE_CONFIG);
}
#endif

void fw_run(void)
{
    hal_init();
    const char *fallback_why = load_config();
    /* An image without what this firmware's USB needs from it (an older writer's): the fallback
     * (which has it: hal/atmega32u4/host/gen_fallback.c checks). */
    while (!usb_identity_from_cfg(&ident, &cfg, hal_serial()))
        fallback_why = load_fallback("config image is from another version of kestrel");
    matrix_init(&matrix, &cfg);
#if FW_FALLBACK_REASON
    if (fallback_why) {
        ident.desc[1] = fallback_product(fallback_why);
    }
#else
    (void)fallback_why;
#endif
#if KESTREL_DRIVE
    fw_drive_start(&cfg, region_crc, &ident);
#endif
    usb_init(&ident);
    engine_init(&engine, &cfg, &sink, NULL);
    debounce_init(&debounce, (uint8_t)cfg_setting(&cfg, CFG_DEBOUNCE_TYPE),
                  (uint8_t)cfg_setting(&cfg, CFG_DEBOUNCE), cfg.rows, cfg.cols);
    /* Engine time counts from the timer's start (reset), so it is the same on every run. */
#if HAL_MS_CLOCK
    hal_millis_start();
#else
    uint32_t next_scan_us = hal_micros();
#endif
    bool armed = false;
    for (;;) {
#if HAL_MS_CLOCK
        ktime_t ms = clock_now();
#else
        uint32_t now_us = hal_micros();
        ktime_t ms = now_ms(now_us);
#endif
        hal_uptime_mark(ms);
        usb_task();
        if (usb_leds_changed()) engine_set_host_leds(&engine, usb_host_leds());

        if (armed) { /* woken from an idle sleep: whatever woke us, look at the keys now */
            matrix_disarm_wake(&matrix);
            armed = false;
#if !HAL_MS_CLOCK
            now_us = hal_micros();
            next_scan_us = now_us;
#endif
        }
#if HAL_MS_CLOCK
        {
#else
        if ((int32_t)(now_us - next_scan_us) >= 0) {
#endif
            uint32_t scanned[MATRIX_WORDS];
            /* The scan's events carry the time the scan starts, not the loop's: USB above may
             * have taken the clock into the next millisecond. Timers due by then run first, as
             * on the host, where a timer and a key event of the same millisecond come in that
             * order. */
            for (uint8_t i = 0;; i++) { /* until no timer is due at the scan's time */
                ms = clock_now();
                ktime_t due = engine_next_deadline(&engine);
                if (i == 3 || due == ENGINE_NO_DEADLINE || ktime_diff(due, (ktime_t)ms) > 0) break;
                engine_tick(&engine, (ktime_t)ms);
            }
            hal_probe(0); /* the scan's time is taken: emulators make key changes here */
            bool changed = matrix_scan(&matrix, scanned);
            /* The debouncer runs on every scan while it has timers, else only on changes. */
            if (changed || debounce.busy) {
                memcpy(matrix.state, scanned, sizeof matrix.state);
                /* Little-endian words are the byte bitmap the debouncer takes. */
                debounce_scan(&debounce, (const uint8_t *)scanned, (ktime_t)ms, key_change, NULL);
            }
            hal_probe(1);
            /* After a change, look again at once: more changes tend to follow (rolls, chords). */
#if !HAL_MS_CLOCK
            next_scan_us = changed ? hal_micros() : now_us + FW_SCAN_PERIOD_US;
#endif
        }
#if ENGINE_TIME_BITS < 32
        /* On every pass: with 16-bit time the engine must not go KTIME_SPAN_MAX without a call. */
        engine_tick(&engine, ms);
        ktime_t deadline = engine_next_deadline(&engine);
#else
        ktime_t deadline = engine_next_deadline(&engine);
        if (deadline != KTIME_NONE && ktime_diff(deadline, ms) <= 0) {
            engine_tick(&engine, ms);
            deadline = engine_next_deadline(&engine);
        }
#endif
        deadline = ktime_earliest(deadline, usb_tick(ms));
#if KESTREL_DRIVE
        const uint8_t *img;
        size_t n;
        if (fw_drive_task(ms, &img, &n)) switch_config(img, n, ms);
        deadline = ktime_earliest(deadline, fw_drive_deadline());
#endif
        deadline = ktime_earliest(deadline, debounce_next_deadline(&debounce));
        usb_task(); /* hand the new reports to the controller now, not after the sleep */

        /* QK_BOOT / QK_REBOOT leave once every key is up and the host has the last reports, so
         * nothing stays pressed on the host (or after 2 s, if a key is held down). */
        if (leave &&
            ((engine_idle(&engine) && !usb_reports_pending()) || (ktime_t)(ms - boot_request_ms) > 2000u)) {
            if (leave & LEAVE_BOOT) hal_bootloader_jump(cfg_info8(&cfg, CFG_INFO_BOOTLOADER));
            hal_reset();
        }

        /* Sleep: keys down means periodic scanning; an idle matrix waits for a press. */
#if HAL_MS_CLOCK
        if (matrix_any_down(&matrix) || debounce.busy || leave)
            continue; /* scan again at once */
        matrix_arm_wake(&matrix);
        armed = true;
        hal_sleep_until_ms(deadline, deadline != KTIME_NONE);
#else
        uint32_t wake_us = 0;
        bool timed = false;
        if (deadline != KTIME_NONE) {
            wake_us = us_at(deadline);
            timed = true;
        }
#if FW_UPTIME_WAKE_MS
        /* During the first second, wake every 50 ms even when idle, so hal_uptime_mark() sees
         * the double-tap window close in time. (ms is clock_ms here, below 1000: 16 bits.) */
        if (ms < FW_UPTIME_WAKE_MS) {
            uint32_t w = us_at(ms + 50u - (uint16_t)ms % 50u);
            if (!timed || (int32_t)(w - wake_us) < 0) wake_us = w;
            timed = true;
        }
#endif
        if (matrix_any_down(&matrix) || debounce.busy || leave) {
            if (!timed || (int32_t)(next_scan_us - wake_us) < 0) wake_us = next_scan_us;
            timed = true;
        } else {
            matrix_arm_wake(&matrix);
            armed = true;
        }
        hal_sleep_until(wake_us, timed);
#endif
    }
}
