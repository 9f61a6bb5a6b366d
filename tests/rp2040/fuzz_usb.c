/* libFuzzer target for the USB device stack (usb/) over a fake device controller: arbitrary
 * sequences of bus resets, SETUP packets, transfer completions (with arbitrary OUT data),
 * suspend/resume and reports from the engine side, and the mass-storage interface (built with
 * USB_MSC: command blocks, valid or not, bulk data both ways, medium changes). Checks what the
 * host relies on: every SETUP gets exactly one answer (data, status or STALL), an IN data stage
 * never exceeds wLength, only open endpoints move data, a command's data-in stays within the
 * length its CBW announced and its CSW carries the CBW's tag, and nothing reads or writes out of
 * bounds (ASan/UBSan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cfg.h"
#include "usb/dcd.h"
#include "usb/msc.h"
#include "usb/usb.h"

#define EPS 16

static struct {
    bool open[EPS][2];
    uint16_t mps[EPS][2];
    bool busy[EPS][2];
    uint8_t *buf[EPS][2];
    uint16_t len[EPS][2];
    bool stalled0;
    unsigned answers; /* EP0 actions since the last SETUP */
    uint16_t wlength;
    bool in_request;
} f;

#define DIR(a) (((a) & 0x80u) ? 1 : 0)
#define NUM(a) ((a) & 0x0Fu)

static void check(bool ok)
{
    if (!ok) abort();
}

void dcd_init(void) {}
void dcd_connect(bool on) { (void)on; }
void dcd_set_address(uint8_t addr) { check(addr < 128); }
bool dcd_ep_open(uint8_t ep, enum dcd_ep_type type, uint16_t mps)
{
    check(NUM(ep) != 0 && mps && mps <= 64);
    check(type == (NUM(ep) == NUM(USB_EP_MSC_IN) ? DCD_EP_BULK : DCD_EP_INTERRUPT));
    f.open[NUM(ep)][DIR(ep)] = true;
    f.mps[NUM(ep)][DIR(ep)] = mps;
    return true;
}
void dcd_ep_close_all(void)
{
    for (int n = 1; n < EPS; n++)
        for (int d = 0; d < 2; d++) f.open[n][d] = f.busy[n][d] = false;
}
bool dcd_ep_xfer(uint8_t ep, uint8_t *buf, uint16_t len)
{
    int n = NUM(ep), d = DIR(ep);
    check(n == 0 || f.open[n][d]);
    if (f.busy[n][d]) return false;
    if (n == 0) f.answers++;
    if (n == 0 && d == 1 && f.in_request && len) check(len <= f.wlength);
    if (n == NUM(USB_EP_MSC_IN)) check(len <= USB_MSC_BLOCK); /* a block, a CBW, a CSW */
    else if (n != 0) check(len <= f.mps[n][d]); /* one report per packet */
    /* Touch every byte the controller would move: ASan finds a buffer that is too short. */
    volatile uint8_t sink = 0;
    for (uint16_t i = 0; i < len; i++) sink ^= d ? buf[i] : (buf[i] = (uint8_t)i);
    (void)sink;
    f.busy[n][d] = true;
    f.buf[n][d] = buf;
    f.len[n][d] = len;
    return true;
}
bool dcd_ep_busy(uint8_t ep) { return f.busy[NUM(ep)][DIR(ep)]; }
void dcd_ep_stall(uint8_t ep)
{
    if (NUM(ep) == 0) {
        f.stalled0 = true;
        f.answers++;
        f.busy[0][0] = f.busy[0][1] = false;
    } else {
        f.busy[NUM(ep)][DIR(ep)] = false;
    }
}
void dcd_ep_clear_stall(uint8_t ep) { f.busy[NUM(ep)][DIR(ep)] = false; }
void dcd_remote_wakeup(void) {}
void dcd_poll(void) {}

/* The drive behind the mass-storage interface: 16 blocks of RAM. */
static uint8_t disk[16][USB_MSC_BLOCK];
static bool disk_read(uint32_t lba, uint8_t *buf)
{
    check(lba < 16);
    memcpy(buf, disk[lba], USB_MSC_BLOCK);
    return lba != 13; /* one bad block: the medium-error path */
}
static bool disk_write(uint32_t lba, const uint8_t *buf)
{
    check(lba < 16);
    memcpy(disk[lba], buf, USB_MSC_BLOCK);
    return lba != 14;
}
static void disk_sync(void) {}
static const usb_msc_ops_t disk_ops = {16, disk_read, disk_write, disk_sync};

/* The command in progress as the host sees it: its tag, announced length and data-in so far. */
static struct {
    bool open;
    uint32_t tag, h, in;
} cmd;

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A minimal valid config image (INFO, KEYMAP, SETTINGS, USB_STRINGS) for the identity. */
static uint8_t image[512];
static cfg_t cfg;

static size_t put_image(void)
{
    memset(image, 0, sizeof image);
    size_t off = 16 + 4 * 8;
    uint8_t *e = image + 16;
    uint8_t *info = image + off;
    info[CFG_INFO_ROWS] = 1;
    info[CFG_INFO_COLS] = 1;
    info[CFG_INFO_LAYERS] = 1;
    info[CFG_INFO_POLL_MS] = 1;
    /* the manufacturer "K", the product "Kb" (string descriptors, as the loader writes them) */
    static const uint8_t strings[] = {4, 3, 'K', 0, 6, 3, 'K', 0, 'b', 0};
    struct { uint8_t id; uint16_t len, count; } secs[4] = {
        {CFG_SEC_INFO, CFG_INFO_SIZE, 1}, {CFG_SEC_KEYMAP, 2, 1}, {CFG_SEC_SETTINGS, 0, 0},
        {CFG_SEC_USB_STRINGS, sizeof strings, 2}};
    for (int i = 0; i < 4; i++) {
        if (secs[i].id == CFG_SEC_USB_STRINGS) memcpy(image + off, strings, sizeof strings);
        e[0] = secs[i].id;
        e[2] = (uint8_t)off; e[3] = (uint8_t)(off >> 8);
        e[4] = (uint8_t)secs[i].len; e[5] = (uint8_t)(secs[i].len >> 8);
        e[6] = (uint8_t)secs[i].count;
        off += secs[i].len;
        e += 8;
    }
    image[0] = 'K'; image[1] = 'C'; image[2] = 'F'; image[3] = 'G';
    image[4] = CFG_VERSION;
    image[6] = 4;
    image[8] = (uint8_t)off; image[9] = (uint8_t)(off >> 8);
    uint32_t crc = cfg_crc32(0, image + 16, off - 16);
    for (int i = 0; i < 4; i++) image[12 + i] = (uint8_t)(crc >> (8 * i));
    return off;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool once;
    static usb_identity_t id;
    if (!once) {
        size_t n = put_image();
        if (cfg_open(&cfg, image, n) != CFG_OK) abort();
        usb_identity_from_cfg(&id, &cfg, "0123456789ABCDEF");
        usb_msc_init(&disk_ops);
        id.msc = true;
        once = true;
    }
    memset(&f, 0, sizeof f);
    memset(&cmd, 0, sizeof cmd);
    usb_msc_set_present(true);
    usb_init(&id);
    size_t i = 0;
    while (i < size) {
        uint8_t op = data[i++] % 12;
        switch (op) {
        case 0:
            memset(&f, 0, sizeof f);
            usbd_on_bus_reset();
            break;
        case 1: { /* SETUP: the stack must answer it exactly once */
            uint8_t s[8] = {0};
            for (int k = 0; k < 8 && i < size; k++) s[k] = data[i++];
            f.busy[0][0] = f.busy[0][1] = false;
            f.stalled0 = false;
            f.answers = 0;
            f.wlength = (uint16_t)(s[6] | s[7] << 8);
            f.in_request = (s[0] & 0x80u) != 0;
            usbd_on_setup(s);
            check(f.answers == 1);
            break;
        }
        case 2: /* the host completes the EP0 IN packet(s) */
            if (f.busy[0][1]) {
                f.busy[0][1] = false;
                usbd_on_xfer_done(0x80, f.len[0][1]);
            }
            break;
        case 3: { /* the host sends OUT data (or the status ZLP) */
            if (!f.busy[0][0]) break;
            uint16_t n = i < size ? data[i++] : 0;
            if (n > f.len[0][0]) n = f.len[0][0];
            for (uint16_t k = 0; k < n && i < size; k++) f.buf[0][0][k] = data[i++];
            f.busy[0][0] = false;
            usbd_on_xfer_done(0x00, n);
            break;
        }
        case 4:
            if (i < size && (data[i++] & 1)) usbd_on_suspend();
            else usbd_on_resume();
            break;
        case 5: { /* a keyboard report from the engine */
            kbd_report_t r;
            memset(&r, 0, sizeof r);
            for (size_t k = 0; k < sizeof r && i < size; k++) ((uint8_t *)&r)[k] = data[i++];
            usb_send_kbd(&r);
            break;
        }
        case 6: {
            uint16_t u = i + 1 < size ? (uint16_t)(data[i] | data[i + 1] << 8) : 0;
            i += 2;
            if (u & 1) usb_send_consumer(u); else usb_send_system(u);
            mouse_report_t m = {(uint8_t)u, (int8_t)u, (int8_t)(u >> 8), 1, -1};
            usb_send_mouse(&m);
            if (i < size) usb_set_nkro(data[i++] & 1);
            break;
        }
        case 7: /* the host polls the interrupt endpoints */
            for (uint8_t n = 1; n < EPS; n++)
                if (f.busy[n][1]) {
                    f.busy[n][1] = false;
                    usbd_on_xfer_done((uint8_t)(0x80 | n), f.len[n][1]);
                }
            break;
        case 9: { /* the host sends a bulk OUT packet: a well-formed CBW around fuzz bytes, or raw */
            uint8_t *b = f.buf[3][0];
            if (!f.busy[3][0] || i >= size) break;
            uint8_t how = data[i++];
            uint16_t n = 0;
            /* A CBW only where a host would send one: the device waits for a command (its OUT
             * buffer is the 64-byte CBW one) and nothing is left on IN. */
            if ((how & 3u) != 0 && f.len[3][0] == USB_MSC_EP_SIZE && !f.busy[3][1]) {
                uint8_t raw[31] = {0};
                for (int k = 8; k < 31 && i < size; k++) raw[k] = data[i++];
                memcpy(raw, "USBC", 4);
                raw[4] = how;                          /* tag */
                raw[13] = 0;                           /* LUN 0 */
                if (raw[14] == 0 || raw[14] > 16) raw[14] = 10;
                memcpy(b, raw, 31);
                n = 31;
                cmd.open = true;
                cmd.tag = le32(raw + 4);
                cmd.h = le32(raw + 8);
                cmd.in = 0;
            } else {
                n = i + 1 < size ? (uint16_t)(data[i] | data[i + 1] << 8) : 0;
                i += 2;
                if (n > f.len[3][0]) n = f.len[3][0];
                for (uint16_t k = 0; k < n && i < size; k++) b[k] = data[i++];
                /* never a valid CBW by chance: the model would not know its tag */
                if (f.len[3][0] == USB_MSC_EP_SIZE && n >= 4 && memcmp(b, "USBC", 4) == 0) b[0] ^= 0xFFu;
            }
            f.busy[3][0] = false;
            usbd_on_xfer_done(USB_EP_MSC_OUT, n);
            break;
        }
        case 10: /* the host takes what the device queued on bulk IN */
            if (f.busy[3][1]) {
                uint16_t n = f.len[3][1];
                const uint8_t *b = f.buf[3][1];
                f.busy[3][1] = false;
                bool csw = n == 13 && memcmp(b, "USBS", 4) == 0;
                if (cmd.open && csw) {
                    check(le32(b + 4) == cmd.tag);
                    check(le32(b + 8) <= cmd.h); /* the residue never exceeds what was asked */
                    check(b[12] <= 2);
                    cmd.open = false;
                } else if (cmd.open) {
                    cmd.in += n;
                    check(cmd.in <= cmd.h); /* no more data in than the CBW announced */
                }
                usbd_on_xfer_done(USB_EP_MSC_IN, n);
            }
            break;
        case 11: /* the medium goes away, comes back, or is changed under the host */
            if (i < size) {
                uint8_t m = data[i++] % 3;
                if (m == 0) usb_msc_set_present(false);
                else if (m == 1) usb_msc_set_present(true);
                else usb_msc_media_changed();
            }
            break;
        default:
            usb_task();
            usb_tick((uint32_t)i * 3u);
            (void)usb_wakeup();
            break;
        }
    }
    return 0;
}
