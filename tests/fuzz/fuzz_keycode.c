/* libFuzzer target for the keycode language: any bytes either parse to a value whose canonical
 * text parses back to the same value, or fail with an in-range offset and a terminated message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/keycode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kc_t v, back;
    kc_parse_error_t err;
    char text[KC_FORMAT_MAX];

    /* the parser must never read past `size`: give it an exactly-sized heap copy */
    char *s = malloc(size ? size : 1);
    if (!s) return 0;
    if (size) memcpy(s, data, size);

    memset(&err, 0x55, sizeof err);
    if (kc_parse(s, size, &v, &err)) {
        size_t n = kc_format(v, text, sizeof text);
        if (n >= sizeof text) abort();
        if (!kc_parse(text, n, &back, NULL) || back != v) abort();
    } else {
        if (err.offset > size) abort();
        if (memchr(err.msg, '\0', sizeof err.msg) == NULL || err.msg[0] == '\0') abort();
    }
    free(s);

    /* every 16-bit value formats to text that reads back */
    if (size >= 2) {
        kc_t kc = (kc_t)(data[0] | (data[1] << 8));
        size_t n = kc_format(kc, text, (size_t)(data[size - 1] % sizeof text));
        (void)n;
        n = kc_format(kc, text, sizeof text);
        if (!kc_parse(text, n, &back, NULL) || back != kc) abort();
        (void)kc_implemented(kc);
        (void)kc_basic_name((uint8_t)kc);
    }
    return 0;
}
