/* TEMPORARY bring-up firmware (deleted once usb/ and fw/ land): a boot keyboard that enumerates
 * through dcd_avr.c with a minimal control handler, to prove the driver and the simavr harness. */
#include <avr/pgmspace.h>
#include <string.h>

#include "core/cfg.h"
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

static cfg_t cfg;

/* Position 3 of the config's first row/col pins pressed -> the config's bootloader. */
static bool boot_key(void)
{
    uint8_t r = cfg_pin(&cfg, 1), c = cfg_pin(&cfg, cfg.rows + 1);
    hal_pin_drive_low(r);
    hal_pin_settle();
    bool down = !hal_pin_read(c);
    hal_pin_release(r);
    return down;
}

int main(void)
{
    hal_init();
    size_t cfg_max;
    const uint8_t *region = hal_cfg_region(&cfg_max);
    bool have_cfg = cfg_open(&cfg, region, cfg_max) == CFG_OK;
    if (have_cfg)
        for (uint8_t i = 0; i < cfg.rows + cfg.cols; i++) hal_pin_input_pullup(cfg_pin(&cfg, i));
    dcd_init();
    dcd_connect(true);
    for (;;) {
        dcd_poll();
        if (have_cfg && cfg_keycode(&cfg, 0, 3) == QK_BOOT && boot_key())
            hal_bootloader_jump(cfg_info8(&cfg, CFG_INFO_BOOTLOADER));
        hal_sleep_until(0, false);
    }
}
