/* Second-stage boot (boot2) for the RP2040: puts the QSPI controller (SSI) in XIP mode with the
 * plain 03h read command, which every 25-series flash chip answers, so one image boots on every
 * board. 252 bytes at most; the build appends the CRC (hal/rp2040/boot2_pad.c). Facts: rp2.md §1.2.
 * It runs from SRAM at 0x20041F00 when the ROM calls it (LR = 0) and may also be called from RAM
 * as a function after flash programming to restore XIP (LR != 0: it returns). */
    .syntax unified
    .cpu cortex-m0plus
    .thumb
    .section .boot2, "ax"
    .global rp2040_boot2
    .type rp2040_boot2, %function
    .thumb_func
rp2040_boot2:
    push {lr}
    ldr r3, =0x18000000        /* SSI base */
    movs r1, #0
    str r1, [r3, #0x08]        /* SSIENR = 0: the SSI must be off while configured */
    movs r1, #4
    str r1, [r3, #0x14]        /* BAUDR = 4: SCK = clk_sys / 4, safe for any part */
    ldr r1, =0x001F0300
    str r1, [r3, #0x00]        /* CTRLR0: standard SPI, 32-bit frames, EEPROM-read mode */
    ldr r1, =0x03000218
    movs r2, #0xF4
    str r1, [r3, r2]           /* SPI_CTRLR0: XIP command 03h, 8-bit instruction, 24-bit address */
    movs r1, #0
    str r1, [r3, #0x04]        /* CTRLR1 = 0: one data frame per XIP access */
    movs r1, #1
    str r1, [r3, #0x08]        /* SSIENR = 1 */
    pop {r0}
    cmp r0, #0
    beq 1f
    bx r0                      /* called as a function: return */
1:  ldr r0, =0x10000100        /* entered from the ROM: start the image's vector table */
    ldr r1, =0xE000ED08
    str r0, [r1]               /* VTOR */
    ldmia r0, {r0, r1}
    msr msp, r0
    bx r1
    .ltorg
