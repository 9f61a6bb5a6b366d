/* Places the CRC-padded boot2 block (built from boot2.S) at the start of the image. */
    .section .boot2_blob, "a"
    .incbin BOOT2_BIN
