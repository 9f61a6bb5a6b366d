/* The USB host side of the simavr harness: control transfers over simavr's USB ioctls,
 * enumeration with descriptor checks, generated malformed requests, and interrupt-IN polling. */
#include <stdio.h>
#include <string.h>

#include <avr_usb.h>
#include <sim_io.h>

#include "emu/avr/harness.h"

#define CTL_TIMEOUT_MS 50.0
#define STEP_CYCLES    200u

static int usb_io(uint32_t req, uint8_t ep, uint8_t *buf, uint32_t *sz)
{
    struct avr_io_usb io = {.pipe = ep, .sz = *sz, .buf = buf};
    int r = avr_ioctl(hx.avr, req, &io);
    *sz = io.sz;
    return r;
}

/* Retries one host token until the device stops NAKing. */
static int usb_retry(uint32_t req, uint8_t ep, uint8_t *buf, uint32_t *sz)
{
    uint64_t limit = hx.avr->cycle + (uint64_t)(CTL_TIMEOUT_MS * HX_CYC_PER_MS);
    uint32_t want = *sz;
    for (;;) {
        *sz = want;
        int r = usb_io(req, ep, buf, sz);
        if (r != AVR_IOCTL_USB_NAK) return r == AVR_IOCTL_USB_OK ? 0 : r == AVR_IOCTL_USB_STALL ? HX_STALL : r;
        if (hx.avr->cycle >= limit) return HX_TIMEOUT;
        if (!hx_run_to(hx.avr->cycle + STEP_CYCLES)) return HX_STOPPED;
    }
}

/* EP0's UEINTX as the firmware would read it: through simavr's register hook, with EP0 selected
 * for the moment (UENUM is the firmware's, so it is put back). */
static uint8_t ep0_flags(void)
{
    avr_t *a = hx.avr;
    unsigned io = AVR_DATA_TO_IO(0xE8);
    if (!a->io[io].r.c) return 0;
    uint8_t uenum = a->data[0xE9];
    a->data[0xE9] = 0;
    uint8_t v = a->io[io].r.c(a, 0xE8, a->io[io].r.param);
    a->data[0xE9] = uenum;
    return v;
}

int hx_ctl(const uint8_t setup[8], uint8_t *data, uint16_t *len)
{
    uint8_t pkt[8], buf[64];
    memcpy(pkt, setup, 8);
    uint16_t wlen = (uint16_t)(setup[6] | setup[7] << 8);
    uint32_t sz = 8;
    if (usb_io(AVR_IOCTL_USB_SETUP, 0, pkt, &sz) != AVR_IOCTL_USB_OK) return -1;
    /* The chip NAKs everything after a SETUP until the firmware has taken it (RXSTPI cleared);
     * simavr would instead let OUT data overwrite it, so the host waits for that itself. */
    uint64_t limit = hx.avr->cycle + (uint64_t)(CTL_TIMEOUT_MS * HX_CYC_PER_MS);
    do {
        if (!hx_run_to(hx.avr->cycle + STEP_CYCLES)) return HX_STOPPED;
        if (hx.avr->cycle >= limit) return HX_TIMEOUT;
    } while (ep0_flags() & (1u << 3));
    int r;
    if (setup[0] & 0x80) {
        uint16_t got = 0;
        for (;;) {
            sz = sizeof buf; /* simavr copies the whole bank: never less than 64 */
            r = usb_retry(AVR_IOCTL_USB_READ, 0, buf, &sz);
            if (r) return r;
            if (got + sz > wlen) {
                hx_fail("control read returned %u bytes for wLength %u", (unsigned)(got + sz), wlen);
                sz = (uint32_t)(wlen - got);
            }
            if (data) memcpy(data + got, buf, sz);
            got = (uint16_t)(got + sz);
            if (sz < hx.ep0_size || got >= wlen) break;
        }
        if (len) *len = got;
        sz = 0;
        r = usb_retry(AVR_IOCTL_USB_WRITE, 0, buf, &sz); /* status stage */
    } else {
        uint16_t sent = 0;
        while (sent < wlen) {
            uint16_t k = (uint16_t)(wlen - sent > hx.ep0_size ? hx.ep0_size : wlen - sent);
            memcpy(buf, data + sent, k);
            sz = k;
            r = usb_retry(AVR_IOCTL_USB_WRITE, 0, buf, &sz);
            if (r) {
                if (hx.verbose) fprintf(stderr, "# data stage of %02x %02x: %d\n", setup[0], setup[1], r);
                return r;
            }
            sent = (uint16_t)(sent + k);
        }
        sz = sizeof buf;
        r = usb_retry(AVR_IOCTL_USB_READ, 0, buf, &sz); /* status stage: a ZLP */
        if (r && hx.verbose) fprintf(stderr, "# status stage of %02x %02x: %d\n", setup[0], setup[1], r);
        if (!r && sz != 0) hx_fail("status stage returned %u bytes", (unsigned)sz);
    }
    if (!r && !hx_run_to(hx.avr->cycle + 20 * STEP_CYCLES)) return HX_STOPPED;
    return r;
}

static void mksetup(uint8_t s[8], uint8_t type, uint8_t req, uint16_t val, uint16_t idx, uint16_t len)
{
    s[0] = type;
    s[1] = req;
    s[2] = (uint8_t)val;
    s[3] = (uint8_t)(val >> 8);
    s[4] = (uint8_t)idx;
    s[5] = (uint8_t)(idx >> 8);
    s[6] = (uint8_t)len;
    s[7] = (uint8_t)(len >> 8);
}

static int get_desc(uint8_t type, uint8_t index, uint16_t lang, uint8_t *buf, uint16_t wlen, uint16_t *got)
{
    uint8_t s[8];
    mksetup(s, 0x80, 6, (uint16_t)(type << 8 | index), lang, wlen);
    return hx_ctl(s, buf, got);
}

static bool bus_reset(void)
{
    avr_ioctl(hx.avr, AVR_IOCTL_USB_RESET, NULL);
    return hx_run_ms(1.0);
}

#define CHECK(cond, ...) do { if (!(cond)) { hx_fail(__VA_ARGS__); return false; } } while (0)

static bool check_device_desc(const uint8_t *d, uint16_t n)
{
    CHECK(n == 18, "device descriptor is %u bytes, want 18", n);
    CHECK(d[0] == 18 && d[1] == 1, "device descriptor header %02x %02x", d[0], d[1]);
    uint16_t bcd = (uint16_t)(d[2] | d[3] << 8);
    CHECK(bcd == 0x0200 || bcd == 0x0110 || bcd == 0x0210, "bcdUSB %04x", bcd);
    CHECK(d[7] == 8 || d[7] == 16 || d[7] == 32 || d[7] == 64, "bMaxPacketSize0 %u", d[7]);
    CHECK(d[17] >= 1, "bNumConfigurations %u", d[17]);
    return true;
}

/* Walks the configuration descriptor: every descriptor's length stays inside, interfaces and
 * endpoints add up, HID interfaces carry a HID descriptor, endpoints fit this chip. */
static bool parse_config(const uint8_t *c, uint16_t total)
{
    CHECK(total >= 9 && c[0] == 9 && c[1] == 2, "configuration descriptor header");
    CHECK((uint16_t)(c[2] | c[3] << 8) == total, "wTotalLength %u but %u bytes read",
          c[2] | c[3] << 8, total);
    uint8_t nif = c[4];
    CHECK(c[5] == 1, "bConfigurationValue %u, want 1", c[5]);
    hx.nif = 0;
    int eps_left = 0;
    hx_iface_t *cur = NULL;
    for (uint16_t o = c[0]; o < total;) {
        uint8_t l = c[o], t = o + 1 < total ? c[o + 1] : 0;
        CHECK(l >= 2 && o + l <= total, "descriptor at offset %u overruns (length %u)", o, l);
        if (t == 4) {
            CHECK(l == 9, "interface descriptor length %u", l);
            CHECK(!cur || eps_left == 0, "interface %u declares more endpoints than follow", cur->num);
            if (c[o + 3] == 0) { /* alternate settings are not used by a keyboard */
                CHECK(hx.nif < HX_MAX_IFACES, "too many interfaces");
                cur = &hx.ifs[hx.nif++];
                memset(cur, 0, sizeof *cur);
                cur->num = c[o + 2];
                cur->cls = c[o + 5];
                cur->sub = c[o + 6];
                cur->proto = c[o + 7];
                eps_left = c[o + 4];
            }
        } else if (t == 0x21) {
            CHECK(cur && cur->cls == 3, "HID descriptor outside a HID interface");
            CHECK(l >= 9 && c[o + 6] == 0x22, "HID descriptor without a report descriptor");
            cur->report_len = (uint16_t)(c[o + 7] | c[o + 8] << 8);
        } else if (t == 5) {
            CHECK(l == 7, "endpoint descriptor length %u", l);
            CHECK(cur && eps_left > 0, "endpoint descriptor beyond bNumEndpoints");
            eps_left--;
            uint8_t a = c[o + 2];
            uint16_t mps = (uint16_t)(c[o + 4] | c[o + 5] << 8);
            CHECK((a & 0x7F) >= 1 && (a & 0x7F) <= 4, "endpoint 0x%02x outside 1..4", a);
            CHECK(mps >= 1 && mps <= 64, "endpoint 0x%02x wMaxPacketSize %u", a, mps);
            CHECK(c[o + 6] >= 1, "endpoint 0x%02x bInterval 0", a);
            if (a & 0x80) {
                cur->ep_in = a;
                cur->ep_in_size = mps;
                cur->interval = c[o + 6];
            } else {
                cur->ep_out = a;
            }
        }
        o = (uint16_t)(o + l);
    }
    CHECK(eps_left == 0, "last interface declares more endpoints than follow");
    CHECK(hx.nif == nif, "bNumInterfaces %u but %d interfaces", nif, hx.nif);
    for (int i = 0; i < hx.nif; i++) {
        for (int j = 0; j < i; j++)
            CHECK(hx.ifs[i].ep_in == 0 || hx.ifs[i].ep_in != hx.ifs[j].ep_in, "endpoint reused");
        if (hx.ifs[i].cls == 3) CHECK(hx.ifs[i].report_len > 0, "HID interface %u without report", i);
    }
    return true;
}

static bool check_string(uint8_t index)
{
    uint8_t buf[256];
    uint16_t got = 0;
    int r = get_desc(3, index, 0x0409, buf, 255, &got);
    CHECK(r == 0, "string descriptor %u: error %d", index, r);
    CHECK(got >= 2 && buf[0] == got && buf[1] == 3 && (got & 1) == 0, "string descriptor %u malformed", index);
    return true;
}

bool hx_enumerate(void)
{
    uint8_t buf[512], s[8];
    uint16_t got = 0;
    for (int i = 0; i < 200 && !hx.attached; i++)
        if (!hx_run_ms(1.0)) return false;
    CHECK(hx.attached, "the device never attached (UDCON.DETACH stayed set)");
    if (!bus_reset()) return false;
    /* As Linux does: ask for 64 bytes and take the first packet, whatever bMaxPacketSize0 is. */
    hx.ep0_size = 64;
    int r = get_desc(1, 0, 0, buf, 64, &got);
    CHECK(r == 0 && got >= 8, "first GET_DESCRIPTOR(device) failed (%d, %u bytes)", r, got);
    hx.ep0_size = buf[7];
    if (!bus_reset()) return false;
    mksetup(s, 0x00, 5, 9, 0, 0);
    CHECK(hx_ctl(s, NULL, NULL) == 0, "SET_ADDRESS failed");
    if (!hx_run_ms(2.0)) return false; /* the SetAddress recovery interval (USB 2.0 9.2.6.3) */
    CHECK(hx.avr->data[0xE3] == (0x80 | 9), "UDADDR is %02x after SET_ADDRESS(9)", hx.avr->data[0xE3]);
    r = get_desc(1, 0, 0, buf, 18, &got);
    CHECK(r == 0, "GET_DESCRIPTOR(device) failed (%d)", r);
    if (!check_device_desc(buf, got)) return false;
    hx.vid = (uint16_t)(buf[8] | buf[9] << 8);
    hx.pid = (uint16_t)(buf[10] | buf[11] << 8);
    uint8_t istr[3] = {buf[14], buf[15], buf[16]};
    r = get_desc(2, 0, 0, buf, 9, &got);
    CHECK(r == 0 && got == 9, "GET_DESCRIPTOR(config, 9) failed (%d, %u)", r, got);
    uint16_t total = (uint16_t)(buf[2] | buf[3] << 8);
    CHECK(total <= sizeof buf, "wTotalLength %u", total);
    r = get_desc(2, 0, 0, buf, total, &got);
    CHECK(r == 0 && got == total, "GET_DESCRIPTOR(config, %u) failed (%d, %u)", total, r, got);
    if (!parse_config(buf, total)) return false;
    bool can_wake = (buf[7] & 0x20) != 0; /* bmAttributes: remote wakeup */
    /* Strings: either none at all (STALL on index 0) or a language list and every named string. */
    r = get_desc(3, 0, 0, buf, 255, &got);
    if (r == 0) {
        CHECK(got >= 4 && buf[1] == 3, "string descriptor 0 malformed");
        for (int i = 0; i < 3; i++)
            if (istr[i] && !check_string(istr[i])) return false;
    } else {
        CHECK(r == HX_STALL, "string descriptor 0: error %d", r);
        CHECK(!istr[0] && !istr[1] && !istr[2], "strings named but string 0 stalls");
    }
    mksetup(s, 0x00, 9, 1, 0, 0);
    CHECK(hx_ctl(s, NULL, NULL) == 0, "SET_CONFIGURATION(1) failed");
    if (can_wake) { /* as Linux does for keyboards: allow remote wakeup */
        mksetup(s, 0x00, 3, 1, 0, 0);
        CHECK(hx_ctl(s, NULL, NULL) == 0, "SET_FEATURE(DEVICE_REMOTE_WAKEUP) failed");
    }
    mksetup(s, 0x80, 8, 0, 0, 1);
    r = hx_ctl(s, buf, &got);
    CHECK(r == 0 && got == 1 && buf[0] == 1, "GET_CONFIGURATION does not return 1");
    mksetup(s, 0x80, 0, 0, 0, 2);
    r = hx_ctl(s, buf, &got);
    CHECK(r == 0 && got == 2, "GET_STATUS(device) failed");
    for (int i = 0; i < hx.nif; i++) {
        hx_iface_t *f = &hx.ifs[i];
        if (f->cls != 3) continue;
        mksetup(s, 0x21, 0x0A, 0, f->num, 0);
        r = hx_ctl(s, NULL, NULL);
        CHECK(r == 0 || r == HX_STALL, "SET_IDLE on interface %u: error %d", f->num, r);
        mksetup(s, 0x81, 6, 0x2200, f->num, (uint16_t)(f->report_len + 64));
        r = hx_ctl(s, buf, &got);
        CHECK(r == 0 && got == f->report_len && got <= sizeof f->report,
              "report descriptor of interface %u: %d, %u of %u bytes", f->num, r, got, f->report_len);
        memcpy(f->report, buf, got);
        /* The LED output report, Caps Lock on and then off again: the scenarios are written for
         * a host whose lock keys are off (as the host simulation's), and unicode input reads
         * them (Caps Lock flips a UP() pair and is turned off around a Linux sequence). */
        for (uint8_t led = 0x02; f->sub == 1 && f->proto == 1; led = 0) {
            mksetup(s, 0x21, 0x09, 0x0200, f->num, 1);
            r = hx_ctl(s, &led, NULL);
            CHECK(r == 0, "SET_REPORT(LEDs %02x) on interface %u failed (%d)", led, f->num, r);
            if (!led) break;
        }
    }
    hx.polling = true;
    /* What a reader of the report lines needs to decode them: each interface, its IN endpoint
     * and its report descriptor (report IDs and what they carry). */
    for (int i = 0; i < hx.nif; i++) {
        hx_iface_t *f = &hx.ifs[i];
        printf("iface %u %u %u %u %02x ", f->num, f->cls, f->sub, f->proto, f->ep_in);
        for (unsigned k = 0; k < f->report_len; k++) printf("%02x", f->report[k]);
        printf("%s\n", f->report_len ? "" : "-");
    }
    if (hx.verbose) {
        fprintf(stderr, "# enumerated %04x:%04x ep0=%u, %d interfaces\n", hx.vid, hx.pid, hx.ep0_size, hx.nif);
        for (int i = 0; i < hx.nif; i++)
            fprintf(stderr, "#  if %u class %u/%u/%u in %02x out %02x report %u\n", hx.ifs[i].num,
                    hx.ifs[i].cls, hx.ifs[i].sub, hx.ifs[i].proto, hx.ifs[i].ep_in,
                    hx.ifs[i].ep_out, hx.ifs[i].report_len);
    }
    return true;
}

static uint32_t rng;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* One request no correct device may accept. */
static void malformed_setup(uint8_t s[8])
{
    uint16_t len = (uint16_t)(rnd() % 3 == 0 ? 0 : rnd() % 300);
    uint8_t bad_if = (uint8_t)(hx.nif + rnd() % 200);
    switch (rnd() % 10) {
    case 0: { /* unassigned standard request codes */
        static const uint8_t codes[] = {2, 4, 13, 14, 15, 16, 0x20, 0x55, 0x7F, 0xFF};
        mksetup(s, (uint8_t)((rnd() & 1) ? 0x80 : 0x00), codes[rnd() % sizeof codes], (uint16_t)rnd(), 0, len);
        break;
    }
    case 1: { /* descriptor types a full-speed keyboard does not have */
        static const uint8_t types[] = {0, 4, 5, 6, 7, 8, 9, 0x0B, 0x0F, 0x23, 0x29, 0x30, 0x7F, 0xFF};
        mksetup(s, 0x80, 6, (uint16_t)(types[rnd() % sizeof types] << 8 | (rnd() & 0xFF)), 0, (uint16_t)(len | 1));
        break;
    }
    case 2: /* configuration indices beyond the one configuration */
        mksetup(s, 0x80, 6, (uint16_t)(0x0200 | (1 + rnd() % 255)), 0, (uint16_t)(len | 1));
        break;
    case 3: /* string indices no device of ours names */
        mksetup(s, 0x80, 6, (uint16_t)(0x0300 | (0x40 + rnd() % 0xC0)), 0x0409, (uint16_t)(len | 1));
        break;
    case 4: /* configuration values that do not exist */
        mksetup(s, 0x00, 9, (uint16_t)(2 + rnd() % 0xFFFD), 0, 0);
        break;
    case 5: /* addresses outside 0..127 */
        mksetup(s, 0x00, 5, (uint16_t)(128 + rnd() % 0xFF80), 0, 0);
        break;
    case 6: /* class requests to interfaces that do not exist */
        mksetup(s, (uint8_t)((rnd() & 1) ? 0xA1 : 0x21), (uint8_t)(1 + rnd() % 11), (uint16_t)rnd(), bad_if, len);
        break;
    case 7: /* vendor requests: this device defines none */
        mksetup(s, (uint8_t)(((rnd() & 1) ? 0xC0 : 0x40) | rnd() % 3), (uint8_t)rnd(), (uint16_t)rnd(), (uint16_t)rnd(), len);
        break;
    case 8: /* endpoint requests to endpoints that do not exist */
        mksetup(s, (uint8_t)((rnd() & 1) ? 0x82 : 0x02), (uint8_t)((rnd() & 1) ? 1 : 3), 0,
                (uint16_t)(((rnd() & 1) ? 0x80 : 0) | (5 + rnd() % 11)), 0);
        if (s[0] == 0x82) { s[1] = 0; s[6] = 2; }
        break;
    default: /* reserved recipients and types */
        mksetup(s, (uint8_t)(((rnd() & 1) ? 0x80 : 0) | (0x60 | (4 + rnd() % 28))), (uint8_t)rnd(), (uint16_t)rnd(), 0, len);
        break;
    }
}

bool hx_malformed(unsigned n, uint32_t seed)
{
    rng = seed ? seed : 1;
    uint8_t s[8], data[512];
    memset(data, 0xA5, sizeof data);
    unsigned stalled = 0;
    for (unsigned i = 0; i < n; i++) {
        malformed_setup(s);
        uint16_t got = 0;
        int r = hx_ctl(s, data, &got);
        if (r == HX_STOPPED) return false;
        if (r != HX_STALL) {
            hx_fail("malformed request %u (%02x %02x %02x%02x %02x%02x %02x%02x) was not stalled (%d)", i,
                    s[0], s[1], s[3], s[2], s[5], s[4], s[7], s[6], r);
            return false;
        }
        stalled++;
    }
    /* The device must still answer normally afterwards, at the address it had. */
    uint16_t got = 0;
    int r = get_desc(1, 0, 0, data, 18, &got);
    CHECK(r == 0 && got == 18 && data[1] == 1, "GET_DESCRIPTOR(device) fails after malformed requests");
    CHECK(hx.avr->data[0xE3] == (0x80 | 9), "address changed by malformed requests (UDADDR %02x)",
          hx.avr->data[0xE3]);
    mksetup(s, 0x80, 8, 0, 0, 1);
    r = hx_ctl(s, data, &got);
    CHECK(r == 0 && data[0] == 1, "configuration changed by malformed requests");
    fprintf(stderr, "# %u malformed requests, %u stalled\n", n, stalled);
    return true;
}

void hx_poll_all(void)
{
    /* One frame's reads, printed in the order the firmware made them: the host reads each
     * endpoint once per frame in interface order, so two reports of different endpoints made in
     * the same frame would otherwise come out keyboard first whatever their order of making. */
    struct read {
        double t, rx;
        uint8_t ep;
        uint32_t sz;
        uint8_t buf[64];
    } got[HX_MAX_IFACES];
    int n = 0;
    uint32_t round = hx.polls++;
    for (int i = 0; i < hx.nif; i++) {
        struct read in = {.ep = hx.ifs[i].ep_in};
        if (!in.ep || round % hx.ifs[i].interval) continue;
        in.sz = hx.ifs[i].ep_in_size;
        if (usb_io(AVR_IOCTL_USB_READ, in.ep, in.buf, &in.sz) != AVR_IOCTL_USB_OK) continue;
        /* The line's time is when the firmware made the report (its probe); a report without a
         * stamp (none was queued for it) is timed when it arrived. */
        in.rx = in.t = hx_now_ms();
        uint64_t c;
        if (hx_made_pop((uint8_t)(in.ep & 0x7F), &c) && c <= hx.avr->cycle)
            in.t = (double)((int64_t)c - (int64_t)hx.t0) * 1000.0 / HX_FREQ;
        int k = n++; /* by time; equal times keep the interface order */
        for (; k > 0 && got[k - 1].t > in.t; k--) got[k] = got[k - 1];
        got[k] = in;
    }
    for (int k = 0; k < n; k++) {
        printf("%.3f %02x ", got[k].t, got[k].ep);
        for (uint32_t b = 0; b < got[k].sz; b++) printf("%02x", got[k].buf[b]);
        printf(" %.3f\n", got[k].rx);
    }
}
