/* USB mass storage: the bulk-only transport (USB MSC BOT 1.0: CBW, data, CSW, the thirteen
 * host/device cases, reset recovery) and the SCSI commands of a removable direct-access disk
 * (SPC/SBC: INQUIRY, TEST UNIT READY, REQUEST SENSE, READ CAPACITY(10), READ FORMAT CAPACITIES,
 * MODE SENSE(6/10), READ(10), WRITE(10), VERIFY(10), SYNCHRONIZE CACHE(10), PREVENT ALLOW MEDIUM
 * REMOVAL, START STOP UNIT). One 512-byte block moves per bulk transfer; the storage answers
 * synchronously, and while it works (a flash erase) the endpoints are simply not armed, so the
 * controller NAKs the host until it is done. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/le.h"
#include "usb/dcd.h"
#include "usb/msc.h"
#include "usb/usb_internal.h"

#if USB_MSC

#define CBW_SIG 0x43425355u /* "USBC" */
#define CSW_SIG 0x53425355u /* "USBS" */
#define CBW_LEN 31u
#define CSW_LEN 13u

enum msc_stage {
    MSC_OFF,         /* not configured */
    MSC_CBW,         /* waiting for a command */
    MSC_DATA_IN,
    MSC_DATA_OUT,
    MSC_CSW_WAIT,    /* CSW due once the host has cleared the IN endpoint's halt */
    MSC_CSW,         /* CSW in flight */
    MSC_NEED_RESET   /* an invalid CBW: both endpoints stall until Bulk-Only Mass Storage Reset */
};

enum { CSW_PASSED = 0, CSW_FAILED = 1, CSW_PHASE = 2 };

/* SCSI sense keys and additional sense codes (SPC-3 4.5.6) */
#define SK_NOT_READY 0x02u
#define SK_MEDIUM_ERROR 0x03u
#define SK_ILLEGAL 0x05u
#define SK_UNIT_ATTENTION 0x06u
#define ASC_INVALID_OPCODE 0x20u
#define ASC_LBA_RANGE 0x21u
#define ASC_INVALID_FIELD 0x24u
#define ASC_MEDIUM_CHANGED 0x28u
#define ASC_NO_MEDIUM 0x3Au
#define ASC_WRITE_FAULT 0x03u
#define ASC_READ_ERROR 0x11u

static struct {
    const usb_msc_ops_t *ops;
    uint8_t stage;
    bool present, ejected, attention;
    uint32_t tag, h;         /* dCBWTag, dCBWDataTransferLength */
    bool h_in;               /* direction bit of the CBW */
    uint32_t moved;          /* data-phase bytes moved so far */
    uint8_t status;          /* bCSWStatus to send */
    /* READ/WRITE in progress */
    uint32_t lba, blocks;
    uint8_t sense_key, asc;
    uint8_t cbw[USB_MSC_EP_SIZE];
    uint8_t csw[CSW_LEN];
    uint8_t buf[USB_MSC_BLOCK];
} msc;

static void put32be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}
static uint32_t get32be(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void usb_msc_init(const usb_msc_ops_t *ops)
{
    msc.ops = ops;
    msc.present = true;
    msc.ejected = false;
    msc.attention = false;
}

bool usb_msc_enabled(void)
{
    return msc.ops != NULL;
}

void usb_msc_set_present(bool present)
{
    if (present && !msc.present) msc.attention = true;
    if (present) msc.ejected = false;
    msc.present = present;
}

bool usb_msc_present(void)
{
    return msc.present;
}

void usb_msc_media_changed(void)
{
    msc.attention = true;
}

bool usb_msc_busy(void)
{
    return msc.stage != MSC_OFF && msc.stage != MSC_CBW && msc.stage != MSC_NEED_RESET;
}

bool usb_msc_ejected(void)
{
    return msc.ejected;
}

static void arm_cbw(void)
{
    msc.stage = MSC_CBW;
    dcd_ep_xfer(USB_EP_MSC_OUT, msc.cbw, sizeof msc.cbw);
}

static void send_csw(void)
{
    uint32_t residue = msc.h > msc.moved ? msc.h - msc.moved : 0;
    le_wr32(msc.csw, CSW_SIG);
    le_wr32(msc.csw + 4, msc.tag);
    le_wr32(msc.csw + 8, residue);
    msc.csw[12] = msc.status;
    msc.stage = MSC_CSW;
    dcd_ep_xfer(USB_EP_MSC_IN, msc.csw, CSW_LEN);
}

/* The data phase is over (or never started): stall what the host still expects data on, then
 * the CSW (after the IN halt is cleared when IN was stalled). */
static void finish(void)
{
    if (msc.moved < msc.h) {
        if (msc.h_in) {
            dcd_ep_stall(USB_EP_MSC_IN);
            usb_ep_set_halted(USB_EP_MSC_IN, true);
            msc.stage = MSC_CSW_WAIT;
            return;
        }
        dcd_ep_stall(USB_EP_MSC_OUT);
        usb_ep_set_halted(USB_EP_MSC_OUT, true);
    }
    send_csw();
}

static void fail(uint8_t key, uint8_t asc)
{
    msc.sense_key = key;
    msc.asc = asc;
    msc.status = CSW_FAILED;
}

/* A data-in answer built in msc.buf: sends what the host asked for, at most. */
static void data_in(uint32_t len)
{
    if (!msc.h_in || msc.h == 0) { /* the host expects no data in: cases 2 and 10 */
        msc.status = len ? CSW_PHASE : msc.status;
        finish();
        return;
    }
    uint32_t n = len < msc.h ? len : msc.h;
    if (n == 0) {
        finish();
        return;
    }
    msc.stage = MSC_DATA_IN;
    /* an answer shorter than the host asked for is followed by a stall (case 5; finish()) */
    dcd_ep_xfer(USB_EP_MSC_IN, msc.buf, (uint16_t)n);
}

static bool need_medium(void)
{
    if (!msc.present) {
        fail(SK_NOT_READY, ASC_NO_MEDIUM);
        return false;
    }
    if (msc.attention) {
        msc.attention = false;
        fail(SK_UNIT_ATTENTION, ASC_MEDIUM_CHANGED);
        return false;
    }
    return true;
}

static void read_next(void)
{
    if (!msc.ops->read(msc.lba, msc.buf)) {
        fail(SK_MEDIUM_ERROR, ASC_READ_ERROR);
        finish();
        return;
    }
    msc.stage = MSC_DATA_IN;
    dcd_ep_xfer(USB_EP_MSC_IN, msc.buf, USB_MSC_BLOCK);
}

static void rw_start(const uint8_t *cb, bool write)
{
    uint32_t lba = get32be(cb + 2), n = (uint32_t)cb[7] << 8 | cb[8];
    uint64_t bytes = (uint64_t)n * USB_MSC_BLOCK;
    if (!need_medium()) {
        finish();
        return;
    }
    if ((uint64_t)lba + n > msc.ops->blocks) {
        fail(SK_ILLEGAL, ASC_LBA_RANGE);
        finish();
        return;
    }
    /* the thirteen cases, for a command that moves `bytes` in its direction */
    if (n == 0) {
        finish();
        return;
    }
    if (msc.h == 0 || msc.h_in != !write || msc.h < bytes) {
        msc.status = CSW_PHASE; /* cases 2, 3, 7, 8, 10, 13 */
        finish();
        return;
    }
    msc.lba = lba;
    msc.blocks = n;
    msc.moved = 0;
    if (write) {
        msc.stage = MSC_DATA_OUT;
        dcd_ep_xfer(USB_EP_MSC_OUT, msc.buf, USB_MSC_BLOCK);
    } else {
        read_next();
    }
}

static void inquiry(const uint8_t *cb)
{
    if (cb[1] & 1u) { /* vital product data pages: none */
        fail(SK_ILLEGAL, ASC_INVALID_FIELD);
        finish();
        return;
    }
    memset(msc.buf, 0, 36);
    msc.buf[0] = 0x00;    /* direct-access block device */
    msc.buf[1] = 0x80;    /* removable */
    msc.buf[2] = 0x04;    /* SPC-2 */
    msc.buf[3] = 0x02;    /* response data format */
    msc.buf[4] = 31;      /* additional length */
    memcpy(msc.buf + 8, "Kestrel ", 8);
    memcpy(msc.buf + 16, "Keyboard drive  ", 16);
    memcpy(msc.buf + 32, "1.0 ", 4);
    uint32_t alloc = (uint32_t)cb[3] << 8 | cb[4];
    data_in(alloc < 36 ? alloc : 36);
}

static void request_sense(const uint8_t *cb)
{
    memset(msc.buf, 0, 18);
    msc.buf[0] = 0x70;    /* current error, fixed format */
    msc.buf[2] = msc.sense_key;
    msc.buf[7] = 10;      /* additional length */
    msc.buf[12] = msc.asc;
    msc.sense_key = msc.asc = 0;
    data_in(cb[4] < 18 ? cb[4] : 18);
}

static void mode_sense(const uint8_t *cb, bool ten)
{
    uint8_t page = cb[2] & 0x3Fu;
    if (!need_medium()) {
        finish();
        return;
    }
    /* a header only (no block descriptors); the caching page says no write cache, so hosts do
     * not rely on SYNCHRONIZE CACHE to get their data written */
    uint32_t n = ten ? 8u : 4u, alloc = ten ? ((uint32_t)cb[7] << 8 | cb[8]) : cb[4];
    memset(msc.buf, 0, 32);
    if (page == 0x08 || page == 0x3F) {
        msc.buf[n] = 0x08;
        msc.buf[n + 1] = 0x12; /* caching page, 18 bytes, WCE = 0 */
        n += 20;
    } else if (page != 0x00) {
        fail(SK_ILLEGAL, ASC_INVALID_FIELD);
        finish();
        return;
    }
    if (ten) msc.buf[1] = (uint8_t)(n - 2);
    else msc.buf[0] = (uint8_t)(n - 1);
    data_in(alloc < n ? alloc : n);
}

static void scsi(const uint8_t *cb)
{
    msc.status = CSW_PASSED;
    msc.moved = 0;
    msc.blocks = 0;
    switch (cb[0]) {
    case 0x12: inquiry(cb); return;
    case 0x03: request_sense(cb); return;
    case 0x00: /* TEST UNIT READY */
        need_medium();
        break;
    case 0x25: /* READ CAPACITY(10) */
        if (!need_medium()) break;
        put32be(msc.buf, msc.ops->blocks - 1u);
        put32be(msc.buf + 4, USB_MSC_BLOCK);
        data_in(8);
        return;
    case 0x23: /* READ FORMAT CAPACITIES */
        memset(msc.buf, 0, 12);
        msc.buf[3] = 8;
        put32be(msc.buf + 4, msc.ops->blocks);
        msc.buf[8] = msc.present ? 0x02 : 0x03; /* formatted media / no media */
        msc.buf[10] = USB_MSC_BLOCK >> 8;
        data_in(((uint32_t)cb[7] << 8 | cb[8]) < 12 ? ((uint32_t)cb[7] << 8 | cb[8]) : 12);
        return;
    case 0x1A: mode_sense(cb, false); return;
    case 0x5A: mode_sense(cb, true); return;
    case 0x28: rw_start(cb, false); return;
    case 0x2A: rw_start(cb, true); return;
    case 0x2F: /* VERIFY(10): the flash holds what it holds */
        need_medium();
        break;
    case 0x35: /* SYNCHRONIZE CACHE(10) */
        if (need_medium() && msc.ops->sync) msc.ops->sync();
        break;
    case 0x1E: /* PREVENT ALLOW MEDIUM REMOVAL: allowed means the host let go of the medium */
        if (!(cb[4] & 1u) && msc.ops->sync) msc.ops->sync();
        break;
    case 0x1B: /* START STOP UNIT: LoEj without Start is an eject */
        if ((cb[4] & 3u) == 2u) {
            if (msc.ops->sync) msc.ops->sync();
            msc.present = false;
            msc.ejected = true;
        }
        break;
    default:
        fail(SK_ILLEGAL, ASC_INVALID_OPCODE);
        break;
    }
    finish();
}

static void on_cbw(uint16_t len)
{
    const uint8_t *c = msc.cbw;
    if (len != CBW_LEN || le_rd32(c) != CBW_SIG || (c[13] & 0x0Fu) != 0 || c[14] < 1 || c[14] > 16) {
        /* an invalid or meaningless CBW: stall both ways until reset recovery (BOT 6.6.1) */
        msc.stage = MSC_NEED_RESET;
        dcd_ep_stall(USB_EP_MSC_IN);
        dcd_ep_stall(USB_EP_MSC_OUT);
        usb_ep_set_halted(USB_EP_MSC_IN, true);
        usb_ep_set_halted(USB_EP_MSC_OUT, true);
        return;
    }
    msc.tag = le_rd32(c + 4);
    msc.h = le_rd32(c + 8);
    msc.h_in = (c[12] & 0x80u) != 0;
    scsi(c + 15);
}

void usb_msc_xfer_done(uint8_t ep, uint16_t len)
{
    switch (msc.stage) {
    case MSC_CBW:
        if (ep == USB_EP_MSC_OUT) on_cbw(len);
        return;
    case MSC_DATA_IN:
        if (ep != USB_EP_MSC_IN) return;
        msc.moved += len;
        if (msc.blocks) { /* READ(10) */
            msc.lba++;
            if (--msc.blocks) {
                read_next();
                return;
            }
        }
        finish();
        return;
    case MSC_DATA_OUT:
        if (ep != USB_EP_MSC_OUT) return;
        if (len != USB_MSC_BLOCK) { /* the host sent less than it announced */
            msc.moved += len;
            msc.status = CSW_PHASE;
            finish();
            return;
        }
        msc.moved += len;
        if (!msc.ops->write(msc.lba, msc.buf)) {
            fail(SK_MEDIUM_ERROR, ASC_WRITE_FAULT);
            finish();
            return;
        }
        msc.lba++;
        if (--msc.blocks) {
            dcd_ep_xfer(USB_EP_MSC_OUT, msc.buf, USB_MSC_BLOCK);
            return;
        }
        finish();
        return;
    case MSC_CSW:
        if (ep == USB_EP_MSC_IN) arm_cbw();
        return;
    default:
        return;
    }
}

void usb_msc_configured(void)
{
    dcd_ep_open(USB_EP_MSC_IN, DCD_EP_BULK, USB_MSC_EP_SIZE);
    dcd_ep_open(USB_EP_MSC_OUT, DCD_EP_BULK, USB_MSC_EP_SIZE);
    arm_cbw();
}

void usb_msc_reset(void)
{
    msc.stage = MSC_OFF;
}

/* The host cleared a halt on one of our endpoints (CLEAR_FEATURE, or SET_INTERFACE). */
void usb_msc_halt_cleared(uint8_t ep)
{
    if (msc.stage == MSC_NEED_RESET) { /* only the class reset ends this state */
        dcd_ep_stall(ep);
        usb_ep_set_halted(ep, true);
        return;
    }
    if (ep == USB_EP_MSC_IN && msc.stage == MSC_CSW_WAIT) send_csw();
    else if (ep == USB_EP_MSC_OUT && msc.stage == MSC_CBW && !dcd_ep_busy(USB_EP_MSC_OUT)) arm_cbw();
}

enum usb_ctrl_result usb_msc_request(const usb_setup_t *s)
{
    bool in = s->bmRequestType & USB_DIR_IN;
    switch (s->bRequest) {
    case 0xFE: /* Get Max LUN: one unit */
        if (!in || s->wValue || s->wLength != 1) return USB_CTRL_STALL;
        usb_ctrl_buf[0] = 0;
        usb_ctrl_in_data = usb_ctrl_buf;
        usb_ctrl_in_len = 1;
        return USB_CTRL_IN;
    case 0xFF: /* Bulk-Only Mass Storage Reset: ready for a CBW; the halts stay until cleared */
        if (in || s->wValue || s->wLength) return USB_CTRL_STALL;
        msc.stage = MSC_CBW;
        if (!usb_ep_halted(USB_EP_MSC_OUT)) {
            dcd_ep_clear_stall(USB_EP_MSC_OUT);
            arm_cbw();
        }
        return USB_CTRL_STATUS;
    default:
        return USB_CTRL_STALL;
    }
}

#endif
