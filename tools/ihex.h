/* Intel HEX writer and strict reader (hw/atmega32u4.md §6.1): data records, extended segment (02)
 * and extended linear (04) addresses, start addresses (03/05), end of file (01), checksums. */
#ifndef KESTREL_TOOLS_IHEX_H
#define KESTREL_TOOLS_IHEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/memimg.h"

typedef struct ihex_opts {
    unsigned record_len;   /* data bytes per record, 1..255 (avr-objcopy: 16) */
    bool has_start;        /* emit a start-address record before EOF */
    uint8_t start_type;    /* 3 (CS:IP) or 5 (linear EIP) */
    uint32_t start;
} ihex_opts_t;

/* Writes `m` as HEX text (upper-case, CRLF line ends, as avr-objcopy does) into a malloc'd
 * buffer. Records never cross a 64 KB boundary; an 04 record precedes the first data record of
 * every 64 KB bank other than bank 0 (so a small AVR image is data + EOF only). */
bool ihex_write(const memimg_t *m, const ihex_opts_t *o, char **out, size_t *len, char *err,
                size_t errlen);

typedef struct ihex_file {
    memimg_t mem;
    unsigned records, data_records;
    bool used_segment, used_linear; /* 02 / 04 records seen */
    bool has_start;
    uint8_t start_type;
    uint32_t start;
    unsigned max_record;            /* longest data record */
    bool crlf;                      /* lines end in CR LF */
} ihex_file_t;

/* Parses a whole file. Every line must be a well-formed record with a correct checksum; the file
 * must end with exactly one EOF record (blank lines after it are allowed, nothing else); no byte
 * may be written twice. Errors are `name:line:col: message`. On failure *f is left empty. */
bool ihex_read(const char *name, const uint8_t *buf, size_t len, ihex_file_t *f, char *err,
               size_t errlen);
void ihex_file_free(ihex_file_t *f);

/* True when the text looks like Intel HEX (first non-blank character ':' then hex digits). */
bool ihex_sniff(const uint8_t *buf, size_t len);

#endif
