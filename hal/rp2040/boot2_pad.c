/* Build helper (runs on the host): pads the raw boot2 code to 252 bytes and appends the CRC the
 * RP2040 ROM checks (CRC-32/MPEG-2: poly 0x04C11DB7, init 0xFFFFFFFF, no reflection, no final
 * XOR; rp2.md §1.1), writing the 256-byte block the image starts with. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t crc32_mpeg2(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint32_t)p[i] << 24;
        for (int b = 0; b < 8; b++) crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
    }
    return crc;
}

int main(int argc, char **argv)
{
    uint8_t buf[256];
    if (argc != 3) {
        fprintf(stderr, "usage: boot2_pad RAW.bin OUT.bin\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    memset(buf, 0, sizeof buf);
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (n > 252) {
        fprintf(stderr, "%s: boot2 is %zu bytes, at most 252 fit\n", argv[1], n);
        return 2;
    }
    uint32_t crc = crc32_mpeg2(buf, 252);
    for (int i = 0; i < 4; i++) buf[252 + i] = (uint8_t)(crc >> (8 * i));
    if (crc32_mpeg2((const uint8_t *)"123456789", 9) != 0x0376E6E7u) {
        fprintf(stderr, "boot2_pad: CRC self-check failed\n");
        return 2;
    }
    f = fopen(argv[2], "wb");
    if (!f || fwrite(buf, 1, sizeof buf, f) != sizeof buf || fclose(f) != 0) {
        perror(argv[2]);
        return 2;
    }
    return 0;
}
