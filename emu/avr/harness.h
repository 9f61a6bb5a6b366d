/* The simavr harness's shared state: one emulated ATmega32U4, its clock, matrix model and the
 * USB host that talks to it through simavr's USB ioctls. */
#ifndef KESTREL_EMU_AVR_HARNESS_H
#define KESTREL_EMU_AVR_HARNESS_H

#include <stdbool.h>
#include <stdint.h>

#include <sim_avr.h>

#define HX_FREQ        16000000u
#define HX_CYC_PER_MS  (HX_FREQ / 1000u)
#define HX_MAX_IFACES  8
#define HX_POLL_IN_FRAME (HX_CYC_PER_MS / 100u) /* the IN tokens come 10 us into the frame */

/* Why a run stopped early. */
enum hx_stop { HX_RUNNING = 0, HX_BOOT_CATERINA, HX_BOOT_DFU, HX_BOOT_HALFKAY, HX_BOOT_OTHER,
               HX_WDT_RESET, HX_DEAD };

typedef struct hx_iface {
    uint8_t num, cls, sub, proto;
    uint8_t ep_in, ep_out;    /* 0 = none */
    uint16_t ep_in_size;
    uint8_t interval;         /* bInterval of the IN endpoint: polled every that many frames */
    uint16_t report_len;      /* wDescriptorLength of the HID report descriptor */
    uint8_t report[512];      /* the report descriptor as read */
} hx_iface_t;

typedef struct hx {
    avr_t *avr;
    bool attached;
    enum hx_stop stop;
    uint32_t stop_pc;
    uint64_t t0;              /* cycle of scenario time 0 */
    uint64_t next_poll;
    uint32_t poll_cycles;
    bool polling, verbose, suspended;
    uint16_t frame;
    uint64_t sof_cycle;       /* cycle of the last start-of-frame */
    uint32_t polls;           /* poll rounds so far (bInterval counts in them) */
    int nif;
    hx_iface_t ifs[HX_MAX_IFACES];
    uint8_t ep0_size;
    uint16_t vid, pid;
    uint16_t min_sp;          /* deepest stack seen (the stack grows down from 0x0AFF) */
    unsigned checks_failed;
} hx_t;

extern hx_t hx;

/* Runs the CPU up to an absolute cycle (polling interrupt-IN endpoints when enabled). Returns
 * false once a stop condition (bootloader entry, reset, crash) has been seen. */
bool hx_run_to(uint64_t cycle);
bool hx_run_ms(double ms);
double hx_now_ms(void);
void hx_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* USB host (usbhost.c). Results: 0 ok, -3 stall, -4 timeout, -5 stopped. */
#define HX_STALL   (-3)
#define HX_TIMEOUT (-4)
#define HX_STOPPED (-5)
int hx_ctl(const uint8_t setup[8], uint8_t *data, uint16_t *len);
bool hx_enumerate(void);
bool hx_malformed(unsigned n, uint32_t seed);
void hx_poll_all(void);

/* When the firmware made the reports still on their way to the host, per IN endpoint 1..2
 * (harness.c stamps them from the firmware's probes, usbhost.c takes them as it reads reports). */
#define HX_MADE_EPS 2u
void hx_made_push(uint8_t ep, uint64_t cycle);
bool hx_made_pop(uint8_t ep, uint64_t *cycle);

/* Matrix model (harness.c). */
void hx_key(uint8_t row, uint8_t col, bool down);

#endif
