/* FAT12/FAT16 for the keyboard's drive (Microsoft's FAT specification, "FAT: General Overview of
 * On-Disk Format" 1.03: BPB fields, FAT12 packing, directory entries, long-name entries and their
 * checksum). Reads go through dbd_peek (flash or the write cache); writes through dbd_write. */
#include <string.h>

#include "core/le.h"
#include "drive/fat.h"

#define DIRENT 32u
#define ATTR_RO 0x01u
#define ATTR_HIDDEN 0x02u
#define ATTR_SYSTEM 0x04u
#define ATTR_VOLUME 0x08u
#define ATTR_DIR 0x10u
#define ATTR_ARCHIVE 0x20u
#define ATTR_LFN 0x0Fu
#define DEL_MARK 0xE5u

/* 2026-01-01 00:00:00: the keyboard has no clock; every file it writes carries this date. */
#define FAT_DATE ((uint16_t)((2026u - 1980u) << 9 | 1u << 5 | 1u))
#define FAT_TIME 0u

const char *fat_strerror(enum fat_result r)
{
    switch (r) {
    case FAT_OK: return "ok";
    case FAT_ERR_NOFS: return "not a FAT12/FAT16 volume";
    case FAT_ERR_NOTFOUND: return "file not found";
    case FAT_ERR_CHAIN: return "the file's clusters are broken (was it completely written?)";
    case FAT_ERR_TOOBIG: return "file too large";
    case FAT_ERR_FULL: return "the drive is full";
    case FAT_ERR_DIRFULL: return "the drive's root folder is full";
    case FAT_ERR_NAME: return "invalid file name";
    case FAT_ERR_IO: return "flash write failed";
    }
    return "unknown error";
}

static char upper(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }

const uint8_t *fat_marker(dbd_t *bd)
{
    const uint8_t *b = dbd_peek(bd, 0);
    return b ? b + FAT_MARKER_OFF : NULL;
}

/* ---- geometry ---------------------------------------------------------------------------- */

static uint32_t fat_bytes(uint32_t clusters, unsigned bits)
{
    return ((clusters + 2u) * bits + 7u) / 8u;
}

enum fat_result fat_format(dbd_t *bd, const fat_format_opts_t *o)
{
    uint8_t s[DBD_SECTOR];
    uint32_t total = bd->sectors;
    uint32_t root_sectors = ((uint32_t)o->root_entries * DIRENT + DBD_SECTOR - 1u) / DBD_SECTOR;
    const uint32_t reserved = DBD_PER_FLASH; /* the FATs start on the second flash sector */
    if (total < 64u || total > 65535u || !o->root_entries || o->root_entries % 16u ||
        o->marker_len > FAT_MARKER_MAX)
        return FAT_ERR_NOFS;
    /* Smallest FAT that covers the clusters left after it; a multiple of half a flash sector so
     * that both FATs together end on a flash sector boundary and the root directory and data
     * area start on one. FAT12 below 4085 clusters (the specification's rule), else FAT16. */
    unsigned bits = 12;
    uint32_t fatsz = 0, clusters = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (fatsz = DBD_PER_FLASH / 2u;; fatsz += DBD_PER_FLASH / 2u) {
            uint32_t meta = reserved + 2u * fatsz + root_sectors;
            if (meta >= total) return FAT_ERR_NOFS;
            clusters = total - meta;
            if (fat_bytes(clusters, bits) <= fatsz * DBD_SECTOR) break;
        }
        if (clusters < 4085u) break;
        bits = 16;
        if (clusters >= 65525u) return FAT_ERR_NOFS;
    }
    if (bits == 16 && clusters < 4085u) return FAT_ERR_NOFS; /* between the two: not formattable */

    memset(s, 0, sizeof s);
    s[0] = 0xEB; s[1] = 0x3C; s[2] = 0x90;           /* jump over the BPB */
    memcpy(s + 3, "KESTREL ", 8);
    le_wr16(s + 11, DBD_SECTOR);
    s[13] = 1;                                       /* sectors per cluster */
    le_wr16(s + 14, (uint16_t)reserved);
    s[16] = 2;                                       /* FATs */
    le_wr16(s + 17, o->root_entries);
    le_wr16(s + 19, (uint16_t)total);
    s[21] = 0xF8;                                    /* media: fixed */
    le_wr16(s + 22, (uint16_t)fatsz);
    /* CHS geometry, unused by USB hosts; chosen to divide the size exactly (tools such as mtools
     * check that) */
    uint16_t spt = 32;
    while (spt > 1 && total % spt) spt /= 2;
    le_wr16(s + 24, spt);
    le_wr16(s + 26, (total / spt) % 2u ? 1 : 2);
    s[36] = 0x80;                                    /* drive number */
    s[38] = 0x29;                                    /* extended boot signature */
    le_wr32(s + 39, o->serial);
    memset(s + 43, ' ', 11);
    for (size_t i = 0; o->label && o->label[i] && i < 11; i++) s[43 + i] = (uint8_t)upper(o->label[i]);
    memcpy(s + 54, bits == 12 ? "FAT12   " : "FAT16   ", 8);
    s[62] = 0xF4; s[63] = 0xEB; s[64] = 0xFD;        /* boot code: hlt; jmp back */
    if (o->marker_len) memcpy(s + FAT_MARKER_OFF, o->marker, o->marker_len);
    s[510] = 0x55; s[511] = 0xAA;
    if (!dbd_write(bd, 0, s)) return FAT_ERR_IO;
    memset(s, 0, sizeof s);
    for (uint32_t i = 1; i < reserved; i++)
        if (!dbd_write(bd, i, s)) return FAT_ERR_IO;
    for (uint32_t f = 0; f < 2; f++)
        for (uint32_t i = 0; i < fatsz; i++) {
            memset(s, 0, sizeof s);
            if (i == 0) { /* entries 0 and 1: media byte, end of chain */
                s[0] = 0xF8; s[1] = 0xFF; s[2] = 0xFF;
                if (bits == 16) s[3] = 0xFF;
            }
            if (!dbd_write(bd, reserved + f * fatsz + i, s)) return FAT_ERR_IO;
        }
    for (uint32_t i = 0; i < root_sectors; i++) {
        memset(s, 0, sizeof s);
        if (i == 0 && o->label && o->label[0]) {
            memset(s, ' ', 11);
            for (size_t k = 0; o->label[k] && k < 11; k++) s[k] = (uint8_t)upper(o->label[k]);
            s[11] = ATTR_VOLUME;
            le_wr16(s + 22, FAT_TIME);
            le_wr16(s + 24, FAT_DATE);
        }
        if (!dbd_write(bd, reserved + 2u * fatsz + i, s)) return FAT_ERR_IO;
    }
    return FAT_OK;
}

enum fat_result fat_mount(fat_vol_t *v, dbd_t *bd)
{
    const uint8_t *s = dbd_peek(bd, 0);
    memset(v, 0, sizeof *v);
    v->bd = bd;
    if (!s || s[510] != 0x55 || s[511] != 0xAA || le_rd16(s + 11) != DBD_SECTOR) return FAT_ERR_NOFS;
    uint8_t spc = s[13];
    uint32_t reserved = le_rd16(s + 14), nfats = s[16], root_entries = le_rd16(s + 17);
    uint32_t total = le_rd16(s + 19) ? le_rd16(s + 19) : le_rd32(s + 32), fatsz = le_rd16(s + 22);
    if (!spc || (spc & (spc - 1u)) || !reserved || !nfats || nfats > 4u || !root_entries ||
        !fatsz || total > bd->sectors || total < 16u)
        return FAT_ERR_NOFS;
    v->spc = spc;
    v->nfats = (uint8_t)nfats;
    v->sectors = total;
    v->fat_start = reserved;
    v->fat_sectors = fatsz;
    v->root_entries = (uint16_t)root_entries;
    v->root_start = reserved + nfats * fatsz;
    v->root_sectors = (root_entries * DIRENT + DBD_SECTOR - 1u) / DBD_SECTOR;
    v->data_start = v->root_start + v->root_sectors;
    if (v->data_start >= total) return FAT_ERR_NOFS;
    v->clusters = (total - v->data_start) / spc;
    if (v->clusters < 1u || v->clusters >= 65525u) return FAT_ERR_NOFS; /* FAT32: not ours */
    v->bits = v->clusters < 4085u ? 12 : 16;
    if (fat_bytes(v->clusters, v->bits) > fatsz * DBD_SECTOR) return FAT_ERR_NOFS;
    return FAT_OK;
}

/* ---- the FAT -------------------------------------------------------------------------------- */

static uint8_t fat_byte(const fat_vol_t *v, uint32_t off)
{
    const uint8_t *p = dbd_peek(v->bd, v->fat_start + off / DBD_SECTOR);
    return p ? p[off % DBD_SECTOR] : 0xFFu;
}

/* Next cluster after `c` (the first FAT is the one read, as hosts do). */
static uint32_t fat_get(const fat_vol_t *v, uint32_t c)
{
    if (v->bits == 16) return (uint32_t)fat_byte(v, 2u * c) | (uint32_t)fat_byte(v, 2u * c + 1u) << 8;
    uint32_t off = c + c / 2u;
    uint32_t w = (uint32_t)fat_byte(v, off) | (uint32_t)fat_byte(v, off + 1u) << 8;
    return c & 1u ? w >> 4 : w & 0xFFFu;
}

static bool set_byte(const fat_vol_t *v, uint32_t sector, uint32_t off, uint8_t val)
{
    uint8_t s[DBD_SECTOR];
    if (!dbd_read(v->bd, sector + off / DBD_SECTOR, s)) return false;
    if (s[off % DBD_SECTOR] == val) return true;
    s[off % DBD_SECTOR] = val;
    return dbd_write(v->bd, sector + off / DBD_SECTOR, s);
}

/* Sets entry `c` in every FAT copy. */
static bool fat_set(const fat_vol_t *v, uint32_t c, uint32_t val)
{
    for (uint32_t f = 0; f < v->nfats; f++) {
        uint32_t base = v->fat_start + f * v->fat_sectors;
        if (v->bits == 16) {
            if (!set_byte(v, base, 2u * c, (uint8_t)val) || !set_byte(v, base, 2u * c + 1u, (uint8_t)(val >> 8)))
                return false;
            continue;
        }
        uint32_t off = c + c / 2u;
        uint8_t b0 = fat_byte(v, f * v->fat_sectors * DBD_SECTOR + off);
        uint8_t b1 = fat_byte(v, f * v->fat_sectors * DBD_SECTOR + off + 1u);
        if (c & 1u) {
            b0 = (uint8_t)((b0 & 0x0Fu) | (val & 0x0Fu) << 4);
            b1 = (uint8_t)(val >> 4);
        } else {
            b0 = (uint8_t)val;
            b1 = (uint8_t)((b1 & 0xF0u) | ((val >> 8) & 0x0Fu));
        }
        if (!set_byte(v, base, off, b0) || !set_byte(v, base, off + 1u, b1)) return false;
    }
    return true;
}

static bool is_eoc(const fat_vol_t *v, uint32_t n)
{
    return v->bits == 12 ? n >= 0xFF8u : n >= 0xFFF8u;
}

static uint32_t eoc(const fat_vol_t *v)
{
    return v->bits == 12 ? 0xFFFu : 0xFFFFu;
}

static bool valid_cluster(const fat_vol_t *v, uint32_t c)
{
    return c >= 2u && c < v->clusters + 2u;
}

/* ---- directory -------------------------------------------------------------------------------- */

static const uint8_t *dirent(const fat_vol_t *v, uint32_t i)
{
    if (i >= v->root_entries) return NULL;
    const uint8_t *s = dbd_peek(v->bd, v->root_start + i * DIRENT / DBD_SECTOR);
    return s ? s + (i * DIRENT) % DBD_SECTOR : NULL;
}

static bool write_dirent(const fat_vol_t *v, uint32_t i, const uint8_t *e)
{
    uint8_t s[DBD_SECTOR];
    uint32_t sec = v->root_start + i * DIRENT / DBD_SECTOR;
    if (!dbd_read(v->bd, sec, s)) return false;
    memcpy(s + (i * DIRENT) % DBD_SECTOR, e, DIRENT);
    return dbd_write(v->bd, sec, s);
}

static uint8_t lfn_checksum(const uint8_t *sfn)
{
    uint8_t sum = 0;
    for (unsigned i = 0; i < 11; i++) sum = (uint8_t)(((sum & 1u) << 7) + (sum >> 1) + sfn[i]);
    return sum;
}

/* Character offsets of the 13 UCS-2 characters inside a long-name entry. */
static const uint8_t lfn_pos[13] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

/* "NAME.EXT" from an 8.3 entry, lower-cased where the NT case bits say so (as hosts show it). */
static void short_name(const uint8_t *e, char *out)
{
    size_t n = 0;
    for (unsigned i = 0; i < 8 && e[i] != ' '; i++) {
        char c = (char)(i == 0 && e[0] == 0x05 ? 0xE5 : e[i]);
        out[n++] = (e[12] & 0x08u) && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    if (e[8] != ' ') {
        out[n++] = '.';
        for (unsigned i = 8; i < 11 && e[i] != ' '; i++)
            out[n++] = (e[12] & 0x10u) && e[i] >= 'A' && e[i] <= 'Z' ? (char)(e[i] + 32) : (char)e[i];
    }
    out[n] = 0;
}

static bool name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (upper(*a) != upper(*b)) return false;
    return *a == *b;
}

/* Walks the root directory; for every live short entry, calls fn with its names. Long names are
 * taken only when their sequence numbers and checksum match the short entry (else a stale long
 * name of a deleted or renamed file could give the entry a wrong name). Non-ASCII characters of a
 * long name become 0x7F, which matches none of the names Kestrel looks for. */
typedef bool (*dir_fn)(void *ctx, uint32_t first, uint32_t idx, const uint8_t *e, const char *lname,
                       const char *sname);

static void dir_walk(const fat_vol_t *v, dir_fn fn, void *ctx)
{
    char lname[256], sname[13];
    int lfn_next = -1;   /* sequence number expected next (counting down), -1 none */
    uint8_t lfn_sum = 0;
    uint32_t lfn_first = 0;
    for (uint32_t i = 0; i < v->root_entries; i++) {
        const uint8_t *e = dirent(v, i);
        if (!e || e[0] == 0) return; /* end of directory */
        if (e[0] == DEL_MARK) {
            lfn_next = -1;
            continue;
        }
        if ((e[11] & 0x3Fu) == ATTR_LFN) {
            unsigned seq = e[0] & 0x1Fu;
            if (e[0] & 0x40u) { /* the last part comes first */
                if (seq == 0 || seq > 20) {
                    lfn_next = -1;
                    continue;
                }
                lfn_next = (int)seq;
                lfn_sum = e[13];
                lfn_first = i;
                memset(lname, 0, sizeof lname);
            } else if (lfn_next < 0 || (int)seq != lfn_next || e[13] != lfn_sum) {
                lfn_next = -1;
                continue;
            }
            for (unsigned k = 0; k < 13; k++) {
                unsigned pos = (seq - 1u) * 13u + k;
                uint16_t ch = le_rd16(e + lfn_pos[k]);
                if (pos < sizeof lname - 1u && ch != 0xFFFFu)
                    lname[pos] = ch == 0 ? 0 : ch < 0x80u ? (char)ch : 0x7F;
            }
            lfn_next = (int)seq - 1;
            continue;
        }
        bool have_lfn = lfn_next == 0 && lfn_checksum(e) == lfn_sum;
        lfn_next = -1;
        if (e[11] & ATTR_VOLUME) continue;
        short_name(e, sname);
        if (!fn(ctx, have_lfn ? lfn_first : i, i, e, have_lfn ? lname : NULL, sname)) return;
    }
}

typedef struct find_ctx {
    const char *name;
    fat_file_t *f;
    bool found;
} find_ctx_t;

static bool find_fn(void *ctx, uint32_t first, uint32_t idx, const uint8_t *e, const char *lname,
                    const char *sname)
{
    find_ctx_t *c = ctx;
    if (!(lname && name_eq(lname, c->name)) && !name_eq(sname, c->name)) return true;
    if (e[11] & ATTR_DIR) return true;
    c->f->size = le_rd32(e + 28);
    c->f->first_cluster = le_rd16(e + 26);
    c->f->entry = (uint16_t)idx;
    c->f->first_entry = (uint16_t)first;
    c->f->attr = e[11];
    c->found = true;
    return false;
}

enum fat_result fat_find(const fat_vol_t *v, const char *name, fat_file_t *f)
{
    find_ctx_t c = {name, f, false};
    memset(f, 0, sizeof *f);
    dir_walk(v, find_fn, &c);
    return c.found ? FAT_OK : FAT_ERR_NOTFOUND;
}

/* ---- reading ------------------------------------------------------------------------------- */

/* Calls fn with the file's bytes, a sector (or the file's tail) at a time, in order. */
enum fat_result fat_walk(const fat_vol_t *v, const fat_file_t *f, fat_walk_fn fn, void *ctx)
{
    /* Brent's cycle detection: a chain that loops is found without remembering clusters */
    uint32_t done = 0, c = f->first_cluster, hops = 0, mark = c, power = 1, lam = 0;
    while (done < f->size) {
        if (!valid_cluster(v, c) || ++hops > v->clusters) return FAT_ERR_CHAIN;
        if (hops > 1 && c == mark) return FAT_ERR_CHAIN;
        if (++lam == power) {
            mark = c;
            power *= 2u;
            lam = 0;
        }
        for (uint32_t s = 0; s < v->spc && done < f->size; s++) {
            const uint8_t *p = dbd_peek(v->bd, v->data_start + (c - 2u) * v->spc + s);
            if (!p) return FAT_ERR_CHAIN;
            uint32_t n = f->size - done < DBD_SECTOR ? f->size - done : DBD_SECTOR;
            fn(ctx, p, n);
            done += n;
        }
        if (done < f->size) {
            c = fat_get(v, c);
            if (is_eoc(v, c)) return FAT_ERR_CHAIN;
        }
    }
    return FAT_OK;
}

typedef struct copy_ctx {
    uint8_t *buf;
    uint32_t at;
} copy_ctx_t;

static void copy_fn(void *ctx, const uint8_t *p, uint32_t n)
{
    copy_ctx_t *c = ctx;
    memcpy(c->buf + c->at, p, n);
    c->at += n;
}

enum fat_result fat_read(const fat_vol_t *v, const fat_file_t *f, uint8_t *buf, uint32_t cap)
{
    if (f->size > cap) return FAT_ERR_TOOBIG;
    copy_ctx_t c = {buf, 0};
    return fat_walk(v, f, copy_fn, &c);
}

/* ---- writing ------------------------------------------------------------------------------- */

static enum fat_result free_chain(const fat_vol_t *v, uint32_t c)
{
    for (uint32_t hops = 0; valid_cluster(v, c) && hops <= v->clusters; hops++) {
        uint32_t next = fat_get(v, c);
        if (next == 0) break; /* already free: a broken chain, stop here */
        if (!fat_set(v, c, 0)) return FAT_ERR_IO;
        if (is_eoc(v, next)) break;
        c = next;
    }
    return FAT_OK;
}

static enum fat_result remove_entry(const fat_vol_t *v, const fat_file_t *f)
{
    enum fat_result r = free_chain(v, f->first_cluster);
    if (r != FAT_OK) return r;
    for (uint32_t i = f->first_entry; i <= f->entry; i++) {
        uint8_t e[DIRENT];
        const uint8_t *p = dirent(v, i);
        if (!p) return FAT_ERR_IO;
        memcpy(e, p, DIRENT);
        e[0] = DEL_MARK;
        if (!write_dirent(v, i, e)) return FAT_ERR_IO;
    }
    return FAT_OK;
}

enum fat_result fat_delete(fat_vol_t *v, const char *name)
{
    fat_file_t f;
    enum fat_result r = fat_find(v, name, &f);
    return r == FAT_OK ? remove_entry(v, &f) : r;
}

static bool sfn_char_ok(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '~' ||
           c == '!' || c == '#' || c == '$' || c == '%' || c == '&';
}

/* Fills sfn[11] when `name` is already a plain upper-case 8.3 name. */
static bool plain_83(const char *name, uint8_t *sfn)
{
    const char *dot = strchr(name, '.');
    size_t base = dot ? (size_t)(dot - name) : strlen(name);
    size_t ext = dot ? strlen(dot + 1) : 0;
    if (!base || base > 8 || ext > 3 || (dot && !ext) || (dot && strchr(dot + 1, '.'))) return false;
    memset(sfn, ' ', 11);
    for (size_t i = 0; i < base; i++) {
        if (!sfn_char_ok(name[i])) return false;
        sfn[i] = (uint8_t)name[i];
    }
    for (size_t i = 0; i < ext; i++) {
        if (!sfn_char_ok(dot[1 + i])) return false;
        sfn[8 + i] = (uint8_t)dot[1 + i];
    }
    return true;
}

typedef struct sfn_ctx {
    const uint8_t *sfn;
    bool taken;
} sfn_ctx_t;

static bool sfn_fn(void *ctx, uint32_t first, uint32_t idx, const uint8_t *e, const char *lname,
                   const char *sname)
{
    (void)first, (void)idx, (void)lname, (void)sname;
    sfn_ctx_t *c = ctx;
    if (!memcmp(e, c->sfn, 11)) {
        c->taken = true;
        return false;
    }
    return true;
}

/* The basis name with a numeric tail ("KEYMAP~1.JSO"), the first one no entry has. */
static bool make_sfn(const fat_vol_t *v, const char *name, uint8_t *sfn)
{
    const char *dot = strrchr(name, '.');
    size_t blen = dot ? (size_t)(dot - name) : strlen(name);
    uint8_t basis[11];
    memset(basis, ' ', 11);
    size_t n = 0;
    for (size_t i = 0; i < blen && n < 6; i++) {
        char c = upper(name[i]);
        if (c == ' ' || c == '.') continue;
        basis[n++] = (uint8_t)(sfn_char_ok(c) ? c : '_');
    }
    if (dot)
        for (size_t i = 1, k = 8; dot[i] && k < 11; i++) {
            char c = upper(dot[i]);
            if (c == ' ') continue;
            basis[k++] = (uint8_t)(sfn_char_ok(c) ? c : '_');
        }
    if (n == 0) basis[n++] = '_';
    for (unsigned tail = 1; tail <= 9; tail++) {
        memcpy(sfn, basis, 11);
        sfn[n] = '~';
        sfn[n + 1] = (uint8_t)('0' + tail);
        sfn_ctx_t c = {sfn, false};
        dir_walk(v, sfn_fn, &c);
        if (!c.taken) return true;
    }
    return false;
}

enum fat_result fat_write(fat_vol_t *v, const char *name, const uint8_t *data, uint32_t len)
{
    size_t nlen = strlen(name);
    if (!nlen || nlen > FAT_NAME_MAX) return FAT_ERR_NAME;
    for (size_t i = 0; i < nlen; i++)
        if ((unsigned char)name[i] < 0x20u || (unsigned char)name[i] > 0x7Eu || strchr("\"*/:<>?\\|", name[i]))
            return FAT_ERR_NAME;
    fat_file_t old;
    if (fat_find(v, name, &old) == FAT_OK) {
        enum fat_result r = remove_entry(v, &old);
        if (r != FAT_OK) return r;
    }
    uint8_t sfn[11];
    bool lfn = !plain_83(name, sfn);
    if (lfn && !make_sfn(v, name, sfn)) return FAT_ERR_NAME;
    unsigned nlfn = lfn ? (unsigned)((nlen + 12u) / 13u) : 0u, need = nlfn + 1u;

    /* free directory entries: a run of `need` deleted or never-used ones (everything after the
     * first never-used entry counts as free, whatever bytes it holds) */
    uint32_t at = 0, run = 0;
    bool past_end = false;
    for (uint32_t i = 0; i < v->root_entries && run < need; i++) {
        const uint8_t *e = dirent(v, i);
        if (!e) return FAT_ERR_IO;
        if (e[0] == 0) past_end = true;
        if (past_end || e[0] == DEL_MARK) {
            if (!run) at = i;
            run++;
        } else {
            run = 0;
        }
    }
    if (run < need) return FAT_ERR_DIRFULL;

    /* clusters: count first, so a full drive changes nothing */
    uint32_t cbytes = (uint32_t)v->spc * DBD_SECTOR;
    uint32_t want = (len + cbytes - 1u) / cbytes, have = 0;
    for (uint32_t c = 2; c < v->clusters + 2u && have < want; c++)
        if (fat_get(v, c) == 0) have++;
    if (have < want) return FAT_ERR_FULL;
    uint32_t first = 0, prev = 0, done = 0;
    for (uint32_t c = 2; c < v->clusters + 2u && done < len; c++) {
        if (fat_get(v, c) != 0) continue;
        for (uint32_t s = 0; s < v->spc; s++) {
            uint8_t buf[DBD_SECTOR];
            uint32_t n = len - done < DBD_SECTOR ? len - done : DBD_SECTOR;
            memset(buf, 0, sizeof buf);
            memcpy(buf, data + done, n);
            done += n;
            if (!dbd_write(v->bd, v->data_start + (c - 2u) * v->spc + s, buf)) return FAT_ERR_IO;
            if (done == len) break;
        }
        if (!fat_set(v, c, eoc(v))) return FAT_ERR_IO;
        if (prev && !fat_set(v, prev, c)) return FAT_ERR_IO;
        if (!first) first = c;
        prev = c;
    }

    uint8_t e[DIRENT];
    uint8_t sum = lfn_checksum(sfn);
    for (unsigned k = 0; k < nlfn; k++) {
        unsigned seq = nlfn - k; /* the last part is stored first */
        memset(e, 0, sizeof e);
        e[0] = (uint8_t)(seq | (k == 0 ? 0x40u : 0u));
        e[11] = ATTR_LFN;
        e[13] = sum;
        for (unsigned j = 0; j < 13; j++) {
            size_t pos = (seq - 1u) * 13u + j;
            uint16_t ch = pos < nlen ? (uint8_t)name[pos] : pos == nlen ? 0 : 0xFFFFu;
            le_wr16(e + lfn_pos[j], ch);
        }
        if (!write_dirent(v, at + k, e)) return FAT_ERR_IO;
    }
    memset(e, 0, sizeof e);
    memcpy(e, sfn, 11);
    e[11] = ATTR_ARCHIVE;
    le_wr16(e + 14, FAT_TIME);
    le_wr16(e + 16, FAT_DATE);
    le_wr16(e + 18, FAT_DATE);
    le_wr16(e + 22, FAT_TIME);
    le_wr16(e + 24, FAT_DATE);
    le_wr16(e + 26, (uint16_t)first);
    le_wr32(e + 28, len);
    if (!write_dirent(v, at + nlfn, e)) return FAT_ERR_IO;
    /* written past the end of the directory: the entry after ours must end it again */
    const uint8_t *after = dirent(v, at + need);
    if (past_end && after && after[0] != 0) {
        memset(e, 0, sizeof e);
        if (!write_dirent(v, at + need, e)) return FAT_ERR_IO;
    }
    return FAT_OK;
}
