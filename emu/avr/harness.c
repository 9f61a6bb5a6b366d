/* avr-harness: boots a Kestrel ATmega32U4 image in simavr at 16 MHz, acts as its USB host
 * (enumeration with descriptor checks, interrupt-IN polling once per 1 ms frame, emulated SOF), models the key
 * matrix from the config image's pins, and prints every report with its emulated time.
 *
 *   avr-harness [options] IMAGE.hex|IMAGE.elf < EVENTS
 *
 * Output (stdout), one line each:  iface <n> <class> <sub> <proto> <ep> <report descriptor hex>
 *                                  <ms> <ep> <hex bytes> <rx ms> a report read from IN endpoint ep:
 *                                      made by the firmware at <ms>, read by the host at <rx ms>
 *                                  <ms> bootloader <name>       the firmware left for a bootloader
 *                                  <ms> reset watchdog          a watchdog reset without a key
 *                                  <ms> remote-wakeup           the device woke the suspended bus
 * Events (stdin or --events FILE): press R C | release R C | wait MS | suspend | resume | # ... */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <avr_ioport.h>
#include <avr_usb.h>
#include <sim_elf.h>
#include <sim_hex.h>
#include <sim_interrupts.h>
#include <sim_io.h>
#include <sim_irq.h>
#include <sim_cycle_timers.h>

#include "core/cfg.h"
#include "core/fwinfo.h"
#include "emu/avr/harness.h"
#include "usb/usb_desc_tmpl.h"

hx_t hx;

#define APP_LIMIT      0x7000u /* Caterina / DFU boot section start */
#define HALFKAY_START  0x7E00u
#define CATERINA_KEY   0x0800u
#define MCUSR_ADDR     0x54
#define WDRF_BIT       3

static uint64_t stop_cycle, detach_cycle;

void hx_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "avr-harness: at %.3f ms: ", hx_now_ms());
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    hx.checks_failed++;
}

double hx_now_ms(void)
{
    if (!hx.avr) return 0;
    return (double)((int64_t)hx.avr->cycle - (int64_t)hx.t0) * 1000.0 / HX_FREQ;
}

/* ---- the matrix model ----------------------------------------------------------------------- */

static uint8_t row_pin[CFG_MAX_ROWS], col_pin[CFG_MAX_COLS], direct_pin[CFG_MAX_POSITIONS];
static uint8_t nrows, ncols, diode, kind;
static bool pressed[CFG_MAX_ROWS][CFG_MAX_COLS];

/* A scanned matrix sees key changes only as states that last at least one scan, and sees the
 * changes of one scan in position order. A scenario may change a key twice in one instant (`tap
 * R,C 0`, a release and a re-press in the same ms) or list same-instant changes out of position
 * order (release 0,2 then 0,1). Key changes therefore go out in batches: a batch is a run of
 * changes in strictly increasing position, which one scan reports in that very order; a batch
 * goes in when a scan starts, once a scan has read every key of the one before (its select line
 * driven low alone -- a scan, not an all-lines idle set-up -- and then let go). */
#define HX_PENDING 256
typedef struct key_ev {
    uint8_t r, c;
    bool down;
} key_ev_t;
static key_ev_t pend[HX_PENDING];
static unsigned npend;
static bool key_unseen[CFG_MAX_ROWS][CFG_MAX_COLS], key_reading[CFG_MAX_ROWS][CFG_MAX_COLS];
static unsigned keys_unseen;   /* keys of the last batch no scan has read yet */

static bool pin_ok(uint8_t pin)
{
    return pin != CFG_PIN_NONE && (pin >> 3) >= 1 && (pin >> 3) <= 5;
}

static avr_irq_t *pin_irq(uint8_t pin)
{
    return avr_io_getirq(hx.avr, AVR_IOCTL_IOPORT_GETIRQ((char)('A' + (pin >> 3))), pin & 7);
}

/* A pin the firmware drives low: DDR bit 1, PORT bit 0 (data addresses 0x24/0x25 + 3 per port). */
static bool driven_low(uint8_t pin)
{
    if (!pin_ok(pin)) return false;
    unsigned base = 0x23u + 3u * ((pin >> 3) - 1u), b = pin & 7u;
    return ((hx.avr->data[base + 1] >> b) & 1) && !((hx.avr->data[base + 2] >> b) & 1);
}

static void set_level(uint8_t pin, bool low)
{
    if (pin_ok(pin)) avr_raise_irq(pin_irq(pin), low ? 0 : 1);
}

/* simavr re-applies pull-ups on every PORTx/DDRx write of a port, hiding an injected low level;
 * so the levels are recomputed after every port write (and after every key change). `all` also
 * releases lines no key holds down any more. */
static void matrix_update(bool all)
{
    if (kind == CFG_MATRIX_DIRECT) {
        for (unsigned p = 0; p < (unsigned)nrows * ncols; p++) {
            bool dn = pressed[p / ncols][p % ncols];
            if (dn || all) set_level(direct_pin[p], dn);
        }
        return;
    }
    bool c2r = diode == CFG_COL2ROW;
    unsigned nsense = c2r ? ncols : nrows, ndrive = c2r ? nrows : ncols;
    for (unsigned s = 0; s < nsense; s++) {
        bool any = false, low = false;
        for (unsigned d = 0; d < ndrive; d++) {
            bool dn = c2r ? pressed[d][s] : pressed[s][d];
            if (!dn) continue;
            any = true;
            if (driven_low(c2r ? row_pin[d] : col_pin[d])) low = true;
        }
        if (any || all) set_level(c2r ? col_pin[s] : row_pin[s], low);
    }
}

/* Applies the pending changes that form the next batch. */
static void batch_next(void)
{
    unsigned k = 0;
    int last = -1;
    while (k < npend) {
        int pos = pend[k].r * ncols + pend[k].c;
        if (pos <= last) break;
        last = pos;
        pressed[pend[k].r][pend[k].c] = pend[k].down;
        if (kind != CFG_MATRIX_DIRECT && !key_unseen[pend[k].r][pend[k].c]) {
            key_unseen[pend[k].r][pend[k].c] = true;
            key_reading[pend[k].r][pend[k].c] = false;
            keys_unseen++;
        }
        k++;
    }
    memmove(pend, pend + k, (npend - k) * sizeof pend[0]);
    npend -= k;
    matrix_update(true);
}

/* Follows the scan over the keys of the last batch (see key_ev_t): a key is read when the
 * firmware reads the PINx register of its sense line while its select line is the only one
 * driven low, and seen once that select line is let go. `pin_port` is the port whose PINx was just
 * read, 0 after a port write. */
static void scan_watch(char pin_port)
{
    if (!keys_unseen && !npend) return;
    bool c2r = diode == CFG_COL2ROW;
    unsigned ndrive = c2r ? nrows : ncols, driven = 0;
    for (unsigned d = 0; d < ndrive; d++) driven += driven_low(c2r ? row_pin[d] : col_pin[d]);
    for (unsigned r = 0; r < nrows && keys_unseen; r++)
        for (unsigned c = 0; c < ncols; c++) {
            if (!key_unseen[r][c]) continue;
            uint8_t sel = c2r ? row_pin[r] : col_pin[c], sense = c2r ? col_pin[c] : row_pin[r];
            if (pin_port) {
                if (driven == 1 && driven_low(sel) && pin_ok(sense) && 'A' + (sense >> 3) == pin_port)
                    key_reading[r][c] = true;
            } else if (key_reading[r][c] && !driven_low(sel)) {
                key_reading[r][c] = false;
                key_unseen[r][c] = false;
                keys_unseen--;
            }
        }
}

/* A scan starts (the firmware's probe 0, written after it took the scan's time). A scan must
 * never see half a batch, nor a batch made after it took its time: the firmware stamps a scan's
 * events with that time, and a later batch would be seen "earlier" than it happened (a timing
 * edge like 199 vs 200 ms would move). So the next batch goes in here, once the last one has
 * been seen. */
static void scan_start(void)
{
    if (kind != CFG_MATRIX_DIRECT && !keys_unseen && npend) batch_next();
}

/* PINx reads: the port module's own read handler (which computes the levels), then the watch.
 * simavr keeps one handler per register, so the harness wraps it. */
static struct {
    avr_io_read_t c;
    void *param;
} pin_reader[5];

static uint8_t pin_read(struct avr_t *avr, avr_io_addr_t addr, void *param)
{
    unsigned i = (unsigned)(uintptr_t)param;
    uint8_t v = pin_reader[i].c ? pin_reader[i].c(avr, addr, pin_reader[i].param) : avr->data[addr];
    scan_watch((char)('B' + i));
    return v;
}

static void port_written(struct avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq;
    (void)value;
    (void)param;
    matrix_update(false);
    scan_watch(0);
}

void hx_key(uint8_t row, uint8_t col, bool down)
{
    if (npend == HX_PENDING) {
        hx_fail("more key changes than the matrix scan can take (%u waiting)", npend);
        return;
    }
    pend[npend++] = (key_ev_t){row, col, down};
}

/* The changes of one instant are all in. A direct-pin matrix has no scan to wait for: they go at
 * once. A scanned one takes them at its next scan start (scan_start). */
static void keys_flush(void)
{
    if (kind == CFG_MATRIX_DIRECT && npend) batch_next();
}

/* ---- report times --------------------------------------------------------------------------- */

/* A ring per endpoint of the cycles at which the firmware queued reports; the host takes them in
 * order as it reads the reports (a queue that replaces its newest report when full stamps nothing,
 * so the counts stay in step). More than the ring holds means the host stopped reading: the oldest
 * stamps go. */
#define HX_MADE_MAX 64u
static struct {
    uint64_t c[HX_MADE_MAX];
    unsigned head, n;
} made[HX_MADE_EPS];

void hx_made_push(uint8_t ep, uint64_t cycle)
{
    if (ep < 1 || ep > HX_MADE_EPS) return;
    __typeof__(made[0]) *m = &made[ep - 1];
    if (m->n == HX_MADE_MAX) {
        m->head = (m->head + 1) % HX_MADE_MAX;
        m->n--;
    }
    m->c[(m->head + m->n++) % HX_MADE_MAX] = cycle;
}

bool hx_made_pop(uint8_t ep, uint64_t *cycle)
{
    if (ep < 1 || ep > HX_MADE_EPS || !made[ep - 1].n) return false;
    __typeof__(made[0]) *m = &made[ep - 1];
    *cycle = m->c[m->head];
    m->head = (m->head + 1) % HX_MADE_MAX;
    m->n--;
    return true;
}

/* ---- running ------------------------------------------------------------------------------ */

static void on_attach(struct avr_irq_t *irq, uint32_t value, void *param)
{
    (void)irq;
    (void)param;
    if (value) hx.attached = true;
}

static avr_int_vector_t *gen_vec;

/* The controller's SOF: simavr compiles its own 1 ms frame timer out, and firmware may count
 * frames, so the harness plays the host's frame clock while the device is attached. */
static avr_cycle_count_t sof_tick(struct avr_t *avr, avr_cycle_count_t when, void *param)
{
    (void)param;
    hx.sof_cycle = when;
    if (!hx.suspended && !(avr->data[0xE0] & 1) && (avr->data[0xD8] & 0x80)) {
        hx.frame = (uint16_t)((hx.frame + 1) & 0x7FF);
        avr->data[0xE4] = (uint8_t)hx.frame;
        avr->data[0xE5] = (uint8_t)(hx.frame >> 8);
        avr->data[0xE1] |= 1 << 2; /* SOFI */
        if ((avr->data[0xE2] & (1 << 2)) && gen_vec) avr_raise_interrupt(avr, gen_vec);
    }
    return when + HX_CYC_PER_MS;
}

/* Bus states the host drives: suspend (no SOF, no polling for 3 ms -> SUSPI) and resume (WAKEUPI,
 * then EORSMI), which simavr does not model. */
static void usb_gen_event(uint8_t bit)
{
    hx.avr->data[0xE1] |= (uint8_t)(1u << bit);
    if ((hx.avr->data[0xE2] >> bit) & 1 && gen_vec) avr_raise_interrupt(hx.avr, gen_vec);
}

static void host_suspend(void)
{
    hx.suspended = true;
    usb_gen_event(0); /* SUSPI */
}

static void host_resume(void)
{
    hx.suspended = false;
    usb_gen_event(4); /* WAKEUPI */
    usb_gen_event(5); /* EORSMI */
}

static void note_stop(enum hx_stop why)
{
    if (hx.stop) return;
    /* Leaving for a bootloader starts when the firmware lets go of the bus; the jump or reset
     * comes later (5 ms, or a 60 ms watchdog for Caterina). That first moment is the event. */
    if (detach_cycle && why != HX_DEAD) {
        hx.stop = why;
        hx.stop_pc = hx.avr->pc;
        stop_cycle = detach_cycle;
        return;
    }
    hx.stop = why;
    hx.stop_pc = hx.avr->pc;
    stop_cycle = hx.avr->cycle;
}

/* Checks, after each instruction, for the ways firmware leaves the application. */
static void check_exit(uint32_t pc_before)
{
    uint32_t pc = hx.avr->pc;
    if (pc >= APP_LIMIT) {
        note_stop(pc == HALFKAY_START ? HX_BOOT_HALFKAY : pc == APP_LIMIT ? HX_BOOT_DFU : HX_BOOT_OTHER);
        return;
    }
    if (pc == 0 && pc_before != 0) {
        /* A reset: simavr keeps SRAM across a watchdog reset, as the chip does, so Caterina's key
         * is still there for it to see. */
        const uint8_t *d = hx.avr->data;
        bool wdt = (d[MCUSR_ADDR] >> WDRF_BIT) & 1;
        bool key = d[CATERINA_KEY] == 0x77 && d[CATERINA_KEY + 1] == 0x77;
        note_stop(wdt && key ? HX_BOOT_CATERINA : wdt ? HX_WDT_RESET : HX_BOOT_OTHER);
    }
}

bool hx_run_to(uint64_t target)
{
    while (!hx.stop && hx.avr->cycle < target) {
        uint64_t lim = target;
        if (hx.polling && hx.next_poll < lim) lim = hx.next_poll;
        while (hx.avr->cycle < lim && !hx.stop) {
            uint32_t pc = hx.avr->pc;
            int st = avr_run(hx.avr);
            uint16_t sp = (uint16_t)(hx.avr->data[0x5D] | hx.avr->data[0x5E] << 8);
            if (sp < hx.min_sp && sp >= 0x100) hx.min_sp = sp;
            if (st == cpu_Done || st == cpu_Crashed) {
                hx_fail("the CPU stopped (state %d) at pc 0x%04x", st, hx.avr->pc);
                note_stop(HX_DEAD);
            }
            if (hx.attached && !detach_cycle && (hx.avr->data[0xE0] & 1)) detach_cycle = hx.avr->cycle;
            check_exit(pc);
            if (hx.suspended && (hx.avr->data[0xE0] & 2)) {
                /* The device signals remote wakeup (UDCON.RMWKUP); the host answers with resume,
                 * and the controller clears RMWKUP when the signalling is done. */
                printf("%.3f remote-wakeup\n", hx_now_ms());
                hx.avr->data[0xE0] &= (uint8_t)~2;
                host_resume();
            }
        }
        if (hx.polling && hx.avr->cycle >= hx.next_poll && !hx.stop) {
            if (!hx.suspended) hx_poll_all();
            hx.next_poll += hx.poll_cycles;
        }
    }
    return !hx.stop;
}

bool hx_run_ms(double ms)
{
    return hx_run_to(hx.avr->cycle + (uint64_t)(ms * HX_CYC_PER_MS));
}

/* ---- image and config --------------------------------------------------------------------- */

static int load_image(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".elf") == 0) {
        elf_firmware_t f;
        memset(&f, 0, sizeof f);
        /* simavr's loader chats on stdout, which is this program's report stream. */
        fflush(stdout);
        int keep = dup(1), null = open("/dev/null", O_WRONLY);
        if (keep >= 0 && null >= 0) dup2(null, 1);
        int r = elf_read_firmware(path, &f);
        if (r == 0) avr_load_firmware(hx.avr, &f);
        fflush(stdout);
        if (keep >= 0) {
            dup2(keep, 1);
            close(keep);
        }
        if (null >= 0) close(null);
        if (r) {
            fprintf(stderr, "avr-harness: %s: cannot read ELF\n", path);
            return -1;
        }
        return 0;
    }
    /* A `kestrel build` HEX has two chunks, the firmware and the config region: load them all. */
    ihex_chunk_p chunks = NULL;
    int n_chunks = read_ihex_chunks(path, &chunks);
    if (n_chunks <= 0) {
        fprintf(stderr, "avr-harness: %s: cannot read Intel HEX\n", path);
        return -1;
    }
    for (int i = 0; i < n_chunks; i++) {
        uint32_t base = chunks[i].baseaddr, size = chunks[i].size;
        if (base + size > APP_LIMIT)
            fprintf(stderr, "avr-harness: %s: warning: image reaches 0x%x, past 0x7000\n", path, base + size);
        if (base + size > hx.avr->flashend + 1u) {
            fprintf(stderr, "avr-harness: %s: data at 0x%x is outside the flash\n", path, base);
            free_ihex_chunks(chunks);
            return -1;
        }
        avr_loadcode(hx.avr, chunks[i].data, size, base);
    }
    free_ihex_chunks(chunks);
    return 0;
}

static const uint8_t *find_fwinfo(void)
{
    const uint8_t *f = hx.avr->flash;
    for (uint32_t a = 0; a + sizeof(fw_info_t) <= APP_LIMIT; a += 2)
        if (cfg_rd32(f + a) == FWINFO_MAGIC0 && cfg_rd32(f + a + 4) == FWINFO_MAGIC1) return f + a;
    return NULL;
}

/* --old-usb-strings: the region's image as an older writer made it, with only the two names in
 * USB_STRINGS (no device and configuration descriptors after them: usb/usb_desc_tmpl.h), its CRC
 * made again. The firmware must not use it (it serves those descriptors from the image). */
static bool old_usb_strings;

static int make_usb_strings_old(uint8_t *img, uint32_t max)
{
    uint32_t size = cfg_rd32(img + 8);
    uint16_t nsec = (uint16_t)(img[6] | img[7] << 8);
    for (uint16_t i = 0; i < nsec && size <= max && size >= CFG_HEADER_SIZE; i++) {
        uint8_t *e = img + CFG_HEADER_SIZE + i * CFG_SECTION_ENTRY_SIZE;
        uint16_t len = (uint16_t)(e[4] | e[5] << 8), cut = USB_DESC_DEVICE_LEN + USB_CONFIG_LEN;
        if (e[0] != CFG_SEC_USB_STRINGS || len < cut) continue;
        len = (uint16_t)(len - cut);
        e[4] = (uint8_t)len;
        e[5] = (uint8_t)(len >> 8);
        e[6] = 2; /* the count: the two names */
        e[7] = 0;
        uint32_t crc = cfg_crc32(0, img + 16, size - 16);
        for (unsigned k = 0; k < 4; k++) img[12 + k] = (uint8_t)(crc >> (8 * k));
        return 0;
    }
    fprintf(stderr, "avr-harness: --old-usb-strings: the config image has no USB descriptors to take out\n");
    return -1;
}

static int load_config(const char *cfgfile)
{
    const uint8_t *fi = find_fwinfo();
    if (!fi) {
        fprintf(stderr, "avr-harness: no firmware info block in the image (not a Kestrel image?)\n");
        return -1;
    }
    uint32_t addr = cfg_rd32(fi + offsetof(fw_info_t, config_addr));
    uint32_t max = cfg_rd32(fi + offsetof(fw_info_t, config_max));
    if (cfg_rd32(fi + offsetof(fw_info_t, target)) != FW_TARGET_ATMEGA32U4 || addr + max > APP_LIMIT) {
        fprintf(stderr, "avr-harness: the firmware info block is not an ATmega32U4 one\n");
        return -1;
    }
    if (cfgfile) {
        FILE *fp = fopen(cfgfile, "rb");
        if (!fp) {
            fprintf(stderr, "avr-harness: %s: %s\n", cfgfile, strerror(errno));
            return -1;
        }
        memset(hx.avr->flash + addr, 0xFF, max);
        size_t n = fread(hx.avr->flash + addr, 1, max, fp);
        int more = fgetc(fp);
        fclose(fp);
        if (more != EOF) {
            fprintf(stderr, "avr-harness: %s: larger than the %u-byte config region\n", cfgfile, max);
            return -1;
        }
        (void)n;
    }
    if (old_usb_strings && make_usb_strings_old(hx.avr->flash + addr, max)) return -1;
    cfg_t c;
    enum cfg_open_result r = cfg_open(&c, hx.avr->flash + addr, max);
    if (r != CFG_OK) {
        /* The firmware then runs its fallback config: no matrix for the harness to model. */
        fprintf(stderr, "avr-harness: note: no valid config image (%s); no matrix\n", cfg_open_strerror(r));
        return 0;
    }
    nrows = c.rows;
    ncols = c.cols;
    diode = cfg_info8(&c, CFG_INFO_DIODE);
    kind = cfg_info8(&c, CFG_INFO_MATRIX_KIND);
    if (kind == CFG_MATRIX_DIRECT) {
        for (unsigned p = 0; p < c.npos; p++) direct_pin[p] = cfg_pin(&c, p);
    } else {
        for (unsigned i = 0; i < nrows; i++) row_pin[i] = cfg_pin(&c, i);
        for (unsigned i = 0; i < ncols; i++) col_pin[i] = cfg_pin(&c, nrows + i);
    }
    return 0;
}

/* ---- events ------------------------------------------------------------------------------- */

static int run_events(FILE *in, const char *name)
{
    char line[256];
    int lineno = 0;
    double t = 0;
    while (fgets(line, sizeof line, in)) {
        lineno++;
        char *h = strchr(line, '#');
        if (h) *h = 0;
        char op[16];
        double a = 0;
        unsigned r = 0, c = 0;
        int k = sscanf(line, "%15s", op);
        if (k != 1) continue;
        if (!strcmp(op, "wait") && sscanf(line, "%*s %lf", &a) == 1 && a >= 0) {
            keys_flush();
            t += a;
            if (!hx_run_to(hx.t0 + (uint64_t)(t * HX_CYC_PER_MS))) return 0;
        } else if ((!strcmp(op, "press") || !strcmp(op, "release")) &&
                   sscanf(line, "%*s %u %u", &r, &c) == 2) {
            if (r >= nrows || c >= ncols) {
                fprintf(stderr, "%s:%d: key %u,%u outside the %ux%u matrix\n", name, lineno, r, c, nrows, ncols);
                return 2;
            }
            hx_key((uint8_t)r, (uint8_t)c, op[0] == 'p');
            if (kind == CFG_MATRIX_DIRECT) keys_flush();
        } else if (!strcmp(op, "suspend")) {
            host_suspend();
        } else if (!strcmp(op, "resume")) {
            host_resume();
        } else {
            fprintf(stderr, "%s:%d: expected 'press R C', 'release R C', 'wait MS', 'suspend' or 'resume'\n",
                    name, lineno);
            return 2;
        }
    }
    return 0;
}

/* hal_probe() writes GPIOR0 (fw/fw.h): FW_PROBE_QUEUED + endpoint stamps when the firmware made a
 * report, which is the time a report line carries (SPEC §8: press -> report handed to the USB
 * controller; the host simulation's times mean the same). With --probes every probe is also
 * printed on stderr, for benchmarks. */
#define PROBE_SCAN   0u
#define PROBE_ACTION 7u
#define PROBE_QUEUED 8u
static bool probes_print;
static bool probe_skip; /* the write after FW_PROBE_ACTION is a keycode, not a probe */

static void probe_write(struct avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param)
{
    (void)param;
    avr->data[addr] = v;
    if (probes_print) fprintf(stderr, "probe %u %llu\n", v, (unsigned long long)avr->cycle);
    if (probe_skip) {
        probe_skip = false;
        return;
    }
    if (v == PROBE_SCAN) scan_start();
    else if (v == PROBE_ACTION) probe_skip = true;
    else if (v > PROBE_QUEUED && v <= PROBE_QUEUED + HX_MADE_EPS) hx_made_push((uint8_t)(v - PROBE_QUEUED), avr->cycle);
}

/* hal_millis() marks its time 0 with GPIOR1 = 0xA5 (see align_t0). */
static uint64_t fw_clock_zero;
static long sof_offset = -1; /* cycles after the firmware ms boundary (--sof-phase); -1: free-running */
static bool fw_clock_seen;
static void gpior1_write(struct avr_t *avr, avr_io_addr_t addr, uint8_t v, void *param)
{
    (void)param;
    avr->data[addr] = v;
    if (v == 0xA5 && !fw_clock_seen) {
        fw_clock_seen = true;
        fw_clock_zero = avr->cycle;
        /* Frames start on the firmware's millisecond from now on, so the host's polls keep a
         * fixed phase against its timer tick and scans (align_t0 relies on it; the firmware
         * takes no USB interrupt and polls the controller on the tick). A host's frame clock is
         * free-running; any phase is one a real host could have. */
        if (sof_offset >= 0) {
            avr_cycle_timer_cancel(avr, sof_tick, NULL);
            avr_cycle_timer_register(avr, HX_CYC_PER_MS + (avr_cycle_count_t)sof_offset, sof_tick, NULL);
        }
    }
}

/* The host's interrupt-IN transactions: early in each frame (HX_POLL_IN_FRAME after its SOF), one
 * per endpoint per poll interval, as a full-speed host schedules them. */
static void poll_align(void)
{
    uint64_t now = hx.avr->cycle, next = hx.sof_cycle + HX_POLL_IN_FRAME;
    while (next <= now) next += hx.poll_cycles;
    hx.next_poll = next;
}

/* Scenario time 0 is put 50 us after one of the firmware's millisecond boundaries. Its timer
 * ticks (and the scans they wake) fall on the whole and half milliseconds of its clock, and a
 * scan reads the matrix 150 us or more after its tick, so a key event at a whole scenario
 * millisecond is always scanned within that same firmware millisecond: the engine sees every
 * event at its scenario time plus one constant, and timing edges (199 vs 200) come out as on
 * the host. Without the mark, time 0 is simply now. */
static void align_t0(void)
{
    uint64_t now = hx.avr->cycle;
    if (fw_clock_seen && now >= fw_clock_zero) {
        uint64_t ms = (now - fw_clock_zero) / HX_CYC_PER_MS + 1;
        hx_run_to(fw_clock_zero + ms * HX_CYC_PER_MS + HX_CYC_PER_MS / 20);
    }
    hx.t0 = hx.avr->cycle;
    poll_align();
    if (hx.verbose)
        fprintf(stderr, "# firmware clock zero %s at cycle %llu; t0 at cycle %llu\n", fw_clock_seen ? "seen" : "not seen",
                (unsigned long long)fw_clock_zero, (unsigned long long)hx.t0);
}

static void no_sleep(avr_t *avr, avr_cycle_count_t how_long)
{
    (void)avr;
    (void)how_long;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: avr-harness [--config CFG.bin] [--events FILE] [--tail MS] [--poll-ms MS]\n"
            "                   [--malformed N] [--seed S] [--enum-only] [--probes] [--old-usb-strings]\n"
            "                   [-v] IMAGE.hex|.elf\n");
}

int main(int argc, char **argv)
{
    const char *image = NULL, *cfgfile = NULL, *events = NULL;
    double tail = 0, poll_ms = 1.0;
    unsigned malformed = 0;
    uint32_t seed = 1;
    bool enum_only = false, probes = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (!strcmp(a, "--config") && more) cfgfile = argv[++i];
        else if (!strcmp(a, "--events") && more) events = argv[++i];
        else if (!strcmp(a, "--tail") && more) tail = atof(argv[++i]);
        else if (!strcmp(a, "--poll-ms") && more) poll_ms = atof(argv[++i]);
        else if (!strncmp(a, "--poll-ms=", 10)) poll_ms = atof(a + 10);
        else if (!strcmp(a, "--malformed") && more) malformed = (unsigned)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(a, "--seed") && more) seed = (uint32_t)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(a, "--enum-only")) enum_only = true;
        else if (!strcmp(a, "-v")) hx.verbose = true;
        else if (!strcmp(a, "--probes")) probes = true;
        else if (!strcmp(a, "--old-usb-strings")) old_usb_strings = true;
        else if (!strcmp(a, "--sof-phase") && more) sof_offset = (long)(atof(argv[++i]) * HX_CYC_PER_MS);
        else if (a[0] == '-' || image) {
            usage();
            return 2;
        } else image = a;
    }
    if (!image || poll_ms <= 0 || tail < 0) {
        usage();
        return 2;
    }
    hx.avr = avr_make_mcu_by_name("atmega32u4");
    if (!hx.avr || avr_init(hx.avr) != 0) {
        fprintf(stderr, "avr-harness: simavr has no atmega32u4 core\n");
        return 2;
    }
    hx.avr->log = LOG_ERROR;
    if (load_image(image) || load_config(cfgfile)) return 2;
    hx.avr->frequency = HX_FREQ;
    hx.min_sp = 0xFFFF;
    hx.poll_cycles = (uint32_t)(poll_ms * HX_CYC_PER_MS);
    hx.avr->sleep = no_sleep; /* emulated time runs as fast as it can, not wall-clock */
    FILE *in = stdin;
    if (events && !(in = fopen(events, "r"))) {
        fprintf(stderr, "avr-harness: %s: %s\n", events, strerror(errno));
        return 2;
    }

    avr_irq_register_notify(avr_io_getirq(hx.avr, AVR_IOCTL_USB_GETIRQ(), USB_IRQ_ATTACH), on_attach, NULL);
    for (char p = 'B'; p <= 'F'; p++) {
        avr_irq_register_notify(avr_io_getirq(hx.avr, AVR_IOCTL_IOPORT_GETIRQ(p), IOPORT_IRQ_PIN_ALL),
                                port_written, NULL);
        unsigned i = (unsigned)(p - 'B'), io = AVR_DATA_TO_IO(0x23u + 3u * i);
        pin_reader[i].c = hx.avr->io[io].r.c;
        pin_reader[i].param = hx.avr->io[io].r.param;
        hx.avr->io[io].r.c = pin_read;
        hx.avr->io[io].r.param = (void *)(uintptr_t)i;
    }
    for (int i = 0; i < hx.avr->interrupts.vector_count; i++)
        if (hx.avr->interrupts.vector[i] && hx.avr->interrupts.vector[i]->vector == 10)
            gen_vec = hx.avr->interrupts.vector[i];
    avr_cycle_timer_register(hx.avr, HX_CYC_PER_MS, sof_tick, NULL);
    probes_print = probes;
    avr_register_io_write(hx.avr, 0x3E, probe_write, NULL);
    avr_register_io_write(hx.avr, 0x4A, gpior1_write, NULL);

    int rc = 0;
    if (!hx_enumerate()) rc = 1;
    hx.t0 = hx.avr->cycle;
    poll_align();
    if (!rc && malformed && !hx_malformed(malformed, seed)) rc = 1;
    if (!rc && !enum_only) {
        align_t0();
        rc = run_events(in, events ? events : "<stdin>");
        keys_flush();
        if (!rc) hx_run_ms(tail);
        /* A firmware that let go of the bus is on its way out (a bootloader jump, or Caterina's
         * 60 ms watchdog): follow it there. */
        if (!rc && detach_cycle && !hx.stop) hx_run_ms(200);
    }
    if (in != stdin) fclose(in);
    if (hx.stop) {
        uint64_t c = stop_cycle;
        double ms = (double)((int64_t)c - (int64_t)hx.t0) * 1000.0 / HX_FREQ;
        switch (hx.stop) {
        case HX_BOOT_CATERINA: printf("%.3f bootloader caterina\n", ms); break;
        case HX_BOOT_DFU: printf("%.3f bootloader atmel-dfu\n", ms); break;
        case HX_BOOT_HALFKAY: printf("%.3f bootloader halfkay\n", ms); break;
        case HX_WDT_RESET: printf("%.3f reset watchdog\n", ms); break;
        case HX_BOOT_OTHER:
            printf("%.3f reset other\n", ms);
            hx_fail("unexpected jump or reset to pc 0x%04x", hx.stop_pc);
            break;
        default: break;
        }
    }
    if (hx.verbose) fprintf(stderr, "# lowest stack pointer 0x%04x, t0 at cycle %llu\n", hx.min_sp, (unsigned long long)hx.t0);
    if (hx.checks_failed && !rc) rc = 1;
    fflush(stdout);
    return rc;
}
