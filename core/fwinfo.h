/* The firmware info block: a small struct every generic firmware image carries, so that the host
 * tool can find where the config region is without knowing the image's link map. `kestrel build`
 * searches the image for the magic, checks the target, and writes the config image at
 * config_addr (a flash/program-memory address, not a file offset). All fields little-endian. */
#ifndef KESTREL_CORE_FWINFO_H
#define KESTREL_CORE_FWINFO_H

#include <stdint.h>

#define FWINFO_MAGIC0 0x4C54534Bu /* "KSTL" */
#define FWINFO_MAGIC1 0x4F464E49u /* "INFO" */

enum fw_target { FW_TARGET_RP2040 = 1, FW_TARGET_RP2350 = 2, FW_TARGET_ATMEGA32U4 = 3 };

typedef struct fw_info {
    uint32_t magic0, magic1;
    uint32_t info_version;     /* 1 */
    uint32_t target;           /* enum fw_target */
    uint32_t fw_version;       /* major<<16 | minor<<8 | patch */
    uint32_t flash_base;       /* address of the image's first byte */
    uint32_t config_addr;      /* address of the config region */
    uint32_t config_max;       /* bytes available for the config image */
    uint32_t image_end;        /* address just past the firmware's own code/data */
    char     build_id[24];     /* git describe at build time, NUL-terminated */
} fw_info_t;

#endif
