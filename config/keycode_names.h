/* The keycode name tables (generated into config/keycode_names.c): every QMK name with its value,
 * sorted by name for lookup, and the canonical name of each named value, sorted by value. */
#ifndef KESTREL_CONFIG_KEYCODE_NAMES_H
#define KESTREL_CONFIG_KEYCODE_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "config/keycode.h"

/* Offsets into one string pool keep each entry at 6 bytes and the table position-independent. */
typedef struct kc_name_entry {
    uint16_t name;  /* offset of the NUL-terminated name in kc_name_pool */
    uint16_t value;
    uint8_t kind;   /* enum kc_name_kind */
} kc_name_entry_t;

typedef struct kc_canon_entry {
    uint16_t value;
    uint16_t index; /* into kc_names */
} kc_canon_entry_t;

extern const char kc_name_pool[];
extern const kc_name_entry_t kc_names[];   /* sorted by name, byte order (strcmp) */
extern const size_t kc_names_count;
extern const kc_canon_entry_t kc_canon[];  /* sorted by value */
extern const size_t kc_canon_count;

#endif
