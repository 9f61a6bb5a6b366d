/* Config image reader: validates an image completely before anything uses it, then answers the
 * engine's questions (keycodes, settings, hands, pins) straight from the image bytes. */
#include "core/cfg.h"
#include "core/regbase.h"
#include "core/rom.h"

#include <string.h>

/* On AVR a const table would be copied to the 2.5 KB of RAM at start-up; keep it in flash. */
#if defined(__AVR__)
#define CFG_TABLE PROGMEM
#define CFG_TABLE_RD16(p) pgm_read_word(p)
#else
#define CFG_TABLE
#define CFG_TABLE_RD16(p) (*(p))
#endif

/* The defaults as one byte each: the few above 248 are stored as an index into `big` (a byte table
 * is half the flash of a uint16 table; the check below rejects any default it cannot hold). */
#define CFG_BIG(X) X(0xFFFFu) X(300u) X(360u) X(400u) X(1000u) X(3000u) X(5000u)
#define CFG_BIG_FIRST 0xF9u
static const uint16_t big[] CFG_TABLE = {
#define CFG_X_BIG(v) (v),
    CFG_BIG(CFG_X_BIG)
#undef CFG_X_BIG
};
_Static_assert(CFG_BIG_FIRST + sizeof big / sizeof big[0] == 0x100u, "big values fill the byte codes");
#define CFG_ENC(v) ((v) < CFG_BIG_FIRST ? (v) : (v) == 0xFFFFu ? 0xF9u : (v) == 300u ? 0xFAu : \
                    (v) == 360u ? 0xFBu : (v) == 400u ? 0xFCu : (v) == 1000u ? 0xFDu : \
                    (v) == 3000u ? 0xFEu : (v) == 5000u ? 0xFFu : 0x100u)
#define CFG_X_CHECK(id, name, def) \
    _Static_assert(CFG_ENC((unsigned)(def)) <= 0xFFu, "default of " #id " needs an entry in CFG_BIG");
CFG_SETTINGS(CFG_X_CHECK)
#undef CFG_X_CHECK

static const uint8_t setting_defaults[CFG_SETTING_COUNT] CFG_TABLE = {
#define CFG_X_DEFAULT(id, name, def) (uint8_t)CFG_ENC((unsigned)(def)),
    CFG_SETTINGS(CFG_X_DEFAULT)
#undef CFG_X_DEFAULT
};

#if defined(__AVR__)
uint16_t cfg_rd16(const uint8_t *p)
{
    return pgm_read_word(p);
}

uint8_t cfg_info8(const cfg_t *c, unsigned field)
{
    return CFG_RD8(c->base + c->off[CFG_SEC_INFO] + field);
}
#endif

/* Bitwise CRC-32: no table, so it costs no flash on AVR; images are small and checked once. */
static uint32_t crc_step(uint32_t crc, uint8_t b)
{
    crc ^= b;
    for (uint8_t k = 8; k; k--) {
        /* a test of the low byte and one xor: an 8-bit CPU has no cheap 32-bit mask */
        bool odd = (uint8_t)crc & 1u;
        crc >>= 1;
        if (odd) crc ^= 0xEDB88320u;
    }
    return crc;
}

uint32_t cfg_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--) crc = crc_step(crc, *p++);
    return ~crc;
}

uint32_t cfg_crc32_image(const uint8_t *img, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) crc = crc_step(crc, CFG_RD8(img + i));
    return ~crc;
}

const char *cfg_open_strerror(enum cfg_open_result r)
{
    switch (r) {
    case CFG_OK: return "ok";
    case CFG_ERR_SHORT: return "config image is truncated";
    case CFG_ERR_MAGIC: return "not a config image (bad magic)";
    case CFG_ERR_VERSION: return "config image format version not supported";
    case CFG_ERR_CRC: return "config image CRC mismatch";
    case CFG_ERR_SECTIONS: return "config image section table is inconsistent";
    case CFG_ERR_MISSING: return "config image lacks a required section";
    case CFG_ERR_BOUNDS: return "config image exceeds a documented bound";
    }
    return "unknown config image error";
}

/* Sections of fixed-size records: one loop checks them all (their count against the bound, their
 * length against the count), which is smaller than a check per section on the ATmega32U4. A
 * section the firmware leaves out is not checked, as it is never read. */
static const struct cfg_records {
    uint8_t id, size;
    uint16_t max;
} records[] ROM_DATA = {
    {CFG_SEC_PERKEY, 6u, CFG_MAX_PERKEY},
#if ENGINE_HAS_KEY_OVERRIDE
    {CFG_SEC_KEY_OVERRIDES, CFG_KO_SIZE, CFG_MAX_KEY_OVERRIDES},
#endif
#if ENGINE_HAS_KEY_CANCEL
    {CFG_SEC_KEY_CANCEL, CFG_KEY_CANCEL_SIZE, CFG_MAX_KEY_CANCEL},
#endif
#if ENGINE_HAS_LEADER
    {CFG_SEC_LEADER, 12u, CFG_MAX_LEADER},
#endif
#if ENGINE_HAS_UNICODE
    {CFG_SEC_UNICODE_MAP, 3u, CFG_MAX_UNICODE_MAP},
#endif
#if ENGINE_HAS_COMBO
    {CFG_SEC_COMBOS, CFG_CB_SIZE, CFG_MAX_COMBOS},
#endif
#if ENGINE_HAS_TAP_DANCE
    {CFG_SEC_TAP_DANCES, CFG_TAP_DANCE_SIZE, CFG_MAX_TAP_DANCES},
#endif
};

/* The layout and the encoders are read by the host tool only; a firmware that has no room to
 * spare (the ATmega32U4) does not check them either. */
#if defined(__AVR__)
#define CFG_CHECK_HOST_SECTIONS 0
#else
#define CFG_CHECK_HOST_SECTIONS 1
#endif

/* Expected body length of a known section given the dimensions (0 = variable, checked apart). */
static enum cfg_open_result check_shapes(cfg_t *c)
{
    const uint16_t *len = c->len, *cnt = c->count;
    if (cnt[CFG_SEC_KEYMAP] != c->layers) return CFG_ERR_SECTIONS;
    if (len[CFG_SEC_KEYMAP] != 2u * c->layers * c->npos) return CFG_ERR_SECTIONS;
    if (len[CFG_SEC_SETTINGS] != 2u * cnt[CFG_SEC_SETTINGS]) return CFG_ERR_SECTIONS;
    if (c->off[CFG_SEC_HAND] && len[CFG_SEC_HAND] != c->npos) return CFG_ERR_SECTIONS;
#if CFG_CHECK_HOST_SECTIONS
    if (c->off[CFG_SEC_LAYOUT]) {
        if (cnt[CFG_SEC_LAYOUT] > CFG_MAX_KEYS) return CFG_ERR_BOUNDS;
        if (len[CFG_SEC_LAYOUT] != cnt[CFG_SEC_LAYOUT]) return CFG_ERR_SECTIONS;
        for (uint16_t i = 0; i < cnt[CFG_SEC_LAYOUT]; i++)
            if (CFG_RD8(c->base + c->off[CFG_SEC_LAYOUT] + i) >= c->npos) return CFG_ERR_SECTIONS;
    }
#endif
    if (c->off[CFG_SEC_PINS]) {
        uint8_t kind = cfg_info8(c, CFG_INFO_MATRIX_KIND);
        unsigned want = kind == CFG_MATRIX_DIRECT ? c->npos : (unsigned)c->rows + c->cols;
        if (len[CFG_SEC_PINS] != want) return CFG_ERR_SECTIONS;
    }
#if CFG_CHECK_HOST_SECTIONS
    if (c->off[CFG_SEC_ENCODERS]) {
        uint16_t n = cnt[CFG_SEC_ENCODERS];
        if (n > CFG_MAX_ENCODERS) return CFG_ERR_BOUNDS;
        if (len[CFG_SEC_ENCODERS] != 4u * n * c->layers + 4u * n) return CFG_ERR_SECTIONS;
    }
#endif
#if ENGINE_HAS_PLAYER
    if (c->off[CFG_SEC_MACROS]) {
        uint16_t n = cnt[CFG_SEC_MACROS], l = len[CFG_SEC_MACROS];
        if (n > CFG_MAX_MACROS) return CFG_ERR_BOUNDS;
        if (l < 2u * (n + 1u) || l - 2u * (n + 1u) > CFG_MAX_MACRO_BYTES) return CFG_ERR_SECTIONS;
        const uint8_t *t = c->base + c->off[CFG_SEC_MACROS];
        uint16_t prev = (uint16_t)(2u * (n + 1u));
        for (uint16_t i = 0; i <= n; i++) {
            uint16_t o = cfg_rd16(t + 2u * i);
            if (o < prev || o > l) return CFG_ERR_SECTIONS;
            prev = o;
        }
        if (prev != l) return CFG_ERR_SECTIONS;
    }
#endif
    for (uint8_t i = 0; i < sizeof records / sizeof records[0]; i++) {
        uint8_t id = ROM_RD8(&records[i].id);
        if (!c->off[id]) continue;
        if (cnt[id] > ROM_RD16(&records[i].max)) return CFG_ERR_BOUNDS;
        if (len[id] != ROM_RD8(&records[i].size) * cnt[id]) return CFG_ERR_SECTIONS;
    }
#if ENGINE_HAS_COMBO
    /* each combo's result is a virtual key numbered after the matrix */
    if (c->npos + cnt[CFG_SEC_COMBOS] >= CFG_POS_NONE) return CFG_ERR_BOUNDS;
#endif
    return CFG_OK;
}

/* The header and the section entries as they lie in the image (little-endian, like every target):
 * copied to RAM once, their fields cost a load each instead of a flash read with its pointer set-up
 * on the ATmega32U4. */
struct cfg_header {
    uint16_t magic_lo, magic_hi, version, nsec, size, size_hi;
    uint32_t crc;
};
struct cfg_entry {
    uint8_t id, reserved;
    uint16_t off, len, cnt;
};
_Static_assert(sizeof(struct cfg_header) == CFG_HEADER_SIZE &&
               sizeof(struct cfg_entry) == CFG_SECTION_ENTRY_SIZE &&
               __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the structs are the image's layout");

static enum cfg_open_result open_image(cfg_t *c, const uint8_t *img, size_t avail)
{
    if (!img || avail < CFG_HEADER_SIZE) return CFG_ERR_SHORT;
    struct cfg_header h;
    CFG_COPY(&h, img, sizeof h);
    /* two 16-bit halves: a 32-bit compare is twice the code on an 8-bit CPU */
    if (h.magic_lo != (uint16_t)CFG_MAGIC || h.magic_hi != (uint16_t)(CFG_MAGIC >> 16))
        return CFG_ERR_MAGIC;
    if (h.version != CFG_VERSION) return CFG_ERR_VERSION;
    /* 16-bit sizes from here (CFG_MAX_IMAGE): an 8-bit CPU does 32-bit work in four times the
     * code. */
    _Static_assert(CFG_MAX_IMAGE == 0xFFFFu, "the size's high half must be 0");
    if (h.size_hi != 0 || h.size > avail) return CFG_ERR_SHORT;
    if (h.nsec > CFG_MAX_SECTIONS) return CFG_ERR_BOUNDS;
    uint16_t size = h.size, body = (uint16_t)(CFG_HEADER_SIZE + h.nsec * CFG_SECTION_ENTRY_SIZE);
    if (size < body) return CFG_ERR_SHORT;
    if (cfg_crc32_image(img + 16, size - 16) != h.crc) return CFG_ERR_CRC;

    const uint8_t *p = img + CFG_HEADER_SIZE;
    for (uint8_t i = (uint8_t)h.nsec; i; i--, p += CFG_SECTION_ENTRY_SIZE) {
        struct cfg_entry e;
        CFG_COPY(&e, p, sizeof e);
        if (e.off < body || e.off > size || e.len > size - e.off || e.id == 0)
            return CFG_ERR_SECTIONS;
        if (e.id >= CFG_SEC_ID_LIMIT) continue; /* a later format's optional section */
        if (c->off[e.id]) return CFG_ERR_SECTIONS;
        c->off[e.id] = e.off;
        c->len[e.id] = e.len;
        c->count[e.id] = e.cnt;
    }
    if (!c->off[CFG_SEC_INFO] || !c->off[CFG_SEC_KEYMAP] || !c->off[CFG_SEC_SETTINGS])
        return CFG_ERR_MISSING;
    c->base = img;
    c->size = size;
    if (c->len[CFG_SEC_INFO] < CFG_INFO_SIZE) return CFG_ERR_SECTIONS;
    const uint8_t *info = img + c->off[CFG_SEC_INFO];
    uint8_t rows = CFG_RD8(info + CFG_INFO_ROWS), cols = CFG_RD8(info + CFG_INFO_COLS),
            layers = CFG_RD8(info + CFG_INFO_LAYERS);
    c->rows = rows;
    c->cols = cols;
    c->layers = layers;
    if ((uint8_t)(rows - 1u) >= CFG_MAX_ROWS || (uint8_t)(cols - 1u) >= CFG_MAX_COLS ||
        (unsigned)rows * cols > CFG_MAX_POSITIONS || (uint8_t)(layers - 1u) >= CFG_MAX_LAYERS)
        return CFG_ERR_BOUNDS;
    c->npos = (uint8_t)(rows * cols);
    return check_shapes(c);
}

enum cfg_open_result cfg_open(cfg_t *c, const uint8_t *img, size_t avail)
{
    c = REG_BASE(c); /* core/regbase.h: measured smaller on the ATmega32U4 */
    memset(c, 0, sizeof *c);
    enum cfg_open_result r = open_image(c, img, avail);
    if (r != CFG_OK) memset(c, 0, sizeof *c); /* nothing of a rejected image is used */
    return r;
}

uint16_t cfg_setting_default(enum cfg_setting_id id)
{
    if ((unsigned)id >= CFG_SETTING_COUNT) return 0;
    uint8_t b = CFG_RD8(&setting_defaults[id]);
    return b < CFG_BIG_FIRST ? b : CFG_TABLE_RD16(&big[b - CFG_BIG_FIRST]);
}

uint16_t cfg_setting(const cfg_t *c, enum cfg_setting_id id)
{
    if ((unsigned)id >= c->count[CFG_SEC_SETTINGS]) return cfg_setting_default(id);
    return cfg_rd16(c->base + c->off[CFG_SEC_SETTINGS] + 2u * (unsigned)id);
}

uint16_t cfg_setting_kc(const cfg_t *c, enum cfg_setting_id id, kc_t kc)
{
    const uint8_t *p = c->base + c->off[CFG_SEC_PERKEY];
    for (uint16_t i = 0; i < c->count[CFG_SEC_PERKEY]; i++, p += 6)
        if (cfg_rd16(p) == kc && CFG_RD8(p + 2) == (uint8_t)id) return cfg_rd16(p + 4);
    return cfg_setting(c, id);
}

uint8_t cfg_hand(const cfg_t *c, uint8_t pos)
{
    if (!c->off[CFG_SEC_HAND] || pos >= c->npos) return CFG_HAND_ANY;
    return CFG_RD8(c->base + c->off[CFG_SEC_HAND] + pos);
}

uint8_t cfg_pin(const cfg_t *c, unsigned idx)
{
    if (!c->off[CFG_SEC_PINS] || idx >= c->len[CFG_SEC_PINS]) return CFG_PIN_NONE;
    return CFG_RD8(c->base + c->off[CFG_SEC_PINS] + idx);
}

const uint8_t *cfg_section(const cfg_t *c, enum cfg_section_id id, uint16_t *count, uint16_t *len)
{
    if ((unsigned)id >= CFG_SEC_ID_LIMIT || !c->off[id]) {
        if (count) *count = 0;
        if (len) *len = 0;
        return NULL;
    }
    if (count) *count = c->count[id];
    if (len) *len = c->len[id];
    return c->base + c->off[id];
}
