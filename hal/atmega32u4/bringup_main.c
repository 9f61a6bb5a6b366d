/* TEMPORARY bring-up firmware (deleted once usb/ and fw/ land): a boot keyboard that enumerates
 * through dcd_avr.c with a minimal control handler, to prove the driver and the simavr harness. */
#include <avr/pgmspace.h>
#include <string.h>

#include "hal/atmega32u4/dcd_avr.h"
#include "hal/atmega32u4/hal_avr.h"
#include "usb/dcd.h"

static const uint8_t dev_desc[18] PROGMEM = {
    18, 1, 0x00, 0x02, 0, 0, 0, DCD_AVR_EP0_SIZE, 0xED, 0xFE, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 1};
static const uint8_t report_desc[] PROGMEM = {
    0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01,
    0x75, 0x01, 0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01, 0x95, 0x05, 0x75, 0x01,
    0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02, 0x95, 0x01, 0x75, 0x03, 0x91, 0x01, 0x95, 0x06,
    0x75, 0x08, 0x15, 0x00, 0x25, 0xFF, 0x05, 0x07, 0x19, 0x00, 0x29, 0xFF, 0x81, 0x00, 0xC0};
static const uint8_t cfg_desc[34] PROGMEM = {
    9, 2, 34, 0, 1, 1, 0, 0xA0, 50,
    9, 4, 0, 0, 1, 3, 1, 1, 0,
    9, 0x21, 0x11, 0x01, 0, 1, 0x22, sizeof report_desc, 0,
    7, 5, 0x81, 3, 8, 0, 1};

static uint8_t ctl[80];
static uint8_t report[8];
static volatile uint8_t configured;

static void send_pgm(const uint8_t *p, uint16_t n, uint16_t wlen)
{
    if (n > wlen) n = wlen;
    memcpy_P(ctl, p, n);
    dcd_ep_xfer(0x80, ctl, n);
}

void usbd_on_bus_reset(void)
{
    configured = 0;
}

void usbd_on_setup(const uint8_t s[8])
{
    uint16_t wval = (uint16_t)(s[2] | s[3] << 8), wlen = (uint16_t)(s[6] | s[7] << 8);
    switch ((uint16_t)(s[0] << 8 | s[1])) {
    case 0x8006:
    case 0x8106:
        if (wval == 0x0100) return send_pgm(dev_desc, sizeof dev_desc, wlen);
        if (wval == 0x0200) return send_pgm(cfg_desc, sizeof cfg_desc, wlen);
        if (wval == 0x2200) return send_pgm(report_desc, sizeof report_desc, wlen);
        break;
    case 0x8008:
        ctl[0] = configured;
        dcd_ep_xfer(0x80, ctl, 1);
        return;
    case 0x8000:
        ctl[0] = ctl[1] = 0;
        dcd_ep_xfer(0x80, ctl, 2);
        return;
    case 0x0005:
        dcd_set_address((uint8_t)wval);
        dcd_ep_xfer(0x80, NULL, 0);
        return;
    case 0x0009:
        dcd_ep_close_all();
        if (wval == 1) dcd_ep_open(0x81, DCD_EP_INTERRUPT, 8);
        configured = (uint8_t)wval;
        dcd_ep_xfer(0x80, NULL, 0);
        return;
    case 0x210A:
        dcd_ep_xfer(0x80, NULL, 0);
        return;
    case 0x2109:
        if (wlen == 1) {
            dcd_ep_xfer(0x00, ctl, 1);
            return;
        }
        break;
    }
    dcd_ep_stall(0);
}

void usbd_on_xfer_done(uint8_t ep, uint16_t len)
{
    if (ep == 0x00 && len) dcd_ep_xfer(0x80, NULL, 0); /* SET_REPORT data in: status stage */
    else if (ep == 0x80 && len) dcd_ep_xfer(0x00, NULL, 0);
}
void usbd_on_suspend(void) {}
void usbd_on_resume(void) {}
void usbd_on_sof(uint16_t frame) { (void)frame; }

int main(void)
{
    hal_init();
    uint16_t cfg_max;
    if (hal_config_region(&cfg_max) == NULL) return 1;
    dcd_init();
    dcd_connect(true);
    /* B0 low types an 'A': enough to see an interrupt-IN report in the harness. */
    hal_pin_input_pullup(1 << 3 | 0);
    uint8_t last = 1;
    for (;;) {
        dcd_poll();
        uint8_t now = hal_pin_read(1 << 3 | 0);
        if (configured && now != last && !dcd_ep_busy(0x81)) {
            memset(report, 0, sizeof report);
            if (!now) report[2] = 4;
            if (dcd_ep_xfer(0x81, report, 8)) last = now;
        }
        hal_sleep();
    }
}
