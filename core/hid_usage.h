/* QMK's mapping from its internal basic keycodes 0xA5..0xC2 to HID usages: System Control page
 * (0x01) for power/sleep/wake, Consumer page (0x0C) for media and application keys. The engine
 * uses it forwards; report printers use it backwards. */
#ifndef KESTREL_CORE_HID_USAGE_H
#define KESTREL_CORE_HID_USAGE_H

#include <stdint.h>

uint16_t hid_usage_system(uint8_t kc);     /* 0 when kc is not a system keycode */
uint16_t hid_usage_consumer(uint8_t kc);   /* 0 when kc is not a consumer keycode */
uint8_t hid_usage_system_kc(uint16_t usage);   /* keycode for a usage, 0 if none */
uint8_t hid_usage_consumer_kc(uint16_t usage); /* keycode for a usage, 0 if none */

#endif
