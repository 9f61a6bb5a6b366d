/* What a host with a US layout would type from a stream of keyboard reports: used by
 * `kestrel sim --text` and the demo to show the result of a typing run as plain text. */
#include <string.h>

#include "tools/sim.h"

/* Keyboard-page usages 0x1E..0x38 on a US layout, unshifted then shifted. */
static const char us_plain[] = "1234567890\n\x1b\b\t -=[]\\#;'`,./";
static const char us_shift[] = "!@#$%^&*()\n\x1b\b\t _+{}|~:\"~<>?";

static void put(char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (*len + 1 < cap) buf[(*len)++] = s[i];
    if (cap) buf[*len < cap ? *len : cap - 1] = '\0';
}

size_t sim_text_decode(const report_t *r, size_t n, char *buf, size_t cap)
{
    size_t len = 0;
    uint8_t prev[32] = {0};
    if (cap) buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (r[i].kind != REPORT_KBD) continue;
        bool shift = r[i].mods & 0x22u;
        bool chord = r[i].mods & 0xDDu; /* Ctrl, Alt or GUI: a shortcut, not text */
        for (unsigned u = 0; u < 256; u++) {
            uint8_t bit = (uint8_t)(1u << (u & 7));
            if (!(r[i].keys[u >> 3] & bit) || (prev[u >> 3] & bit)) continue;
            char c = 0;
            if (u >= 0x04 && u <= 0x1D)
                c = (char)((shift ? 'A' : 'a') + (int)(u - 0x04));
            else if (u >= 0x1E && u <= 0x38)
                c = (shift ? us_shift : us_plain)[u - 0x1E];
            if (chord || c == 0 || c == '\x1b' || c == '\t') {
                char name[48], tag[64];
                report_t k = {.kind = REPORT_KBD, .mods = r[i].mods};
                k.keys[u >> 3] = bit;
                report_format_body(&k, name, sizeof name);
                /* "kbd LCTL C" -> "<LCTL C>" */
                int m = snprintf(tag, sizeof tag, "<%s>", name + 4);
                if (m > 0) put(buf, cap, &len, tag, (size_t)m < sizeof tag ? (size_t)m : sizeof tag - 1);
            } else if (c == '\b') {
                if (len > 0) buf[--len] = '\0';
            } else {
                put(buf, cap, &len, &c, 1);
            }
        }
        memcpy(prev, r[i].keys, sizeof prev);
    }
    return len;
}
