// The firmware's flash programming path (hal/rp2040/rom.c: ROM IF/EX/RE/RP/FC from RAM, then the
// RAM copy of boot2 to restore XIP) run in the emulator against the harness's ROM, whose erase
// and program really change the emulated flash.
//
//   node tests/rp2040/rom_test.mjs FIRMWARE.elf FIRMWARE.bin
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Board } from '../../emu/rp2040/board.mjs';

const [elf, bin] = process.argv.slice(2);
let passed = 0, failed = 0;
function test(name, fn) {
  try { fn(); passed++; console.log(`ok   ${name}`); } catch (e) { failed++; console.log(`FAIL ${name}: ${e.message}`); }
}
function assert(c, m) { if (!c) throw new Error(m); }
const sym = (name) => {
  const line = execFileSync('arm-none-eabi-nm', [elf], { encoding: 'utf8' }).split('\n').find((l) => l.endsWith(` ${name}`));
  if (!line) throw new Error(`${name} not in ${elf}`);
  return parseInt(line.split(' ')[0], 16);
};

// Calls a firmware function with up to four arguments, from wherever the CPU is, and puts the CPU
// back as it was afterwards (like an interrupt would); returns r0.
function call(b, addr, args) {
  const core = b.mcu.core;
  const saved = { regs: core.registers.slice(), N: core.N, Z: core.Z, C: core.C, V: core.V, PM: core.PM, waiting: core.waiting };
  const halt = 0x20030000;
  b.mcu.sram[halt - 0x20000000] = 0x7e; b.mcu.sram[halt - 0x20000000 + 1] = 0xbe; // bkpt #0x7e
  args.forEach((v, i) => { core.registers[i] = v >>> 0; });
  core.LR = halt | 1;
  core.PC = addr & ~1;
  core.waiting = false;
  b.halted = null;
  b.run(b.nanos + 100_000_000, () => b.halted === 'returned');
  assert(b.halted === 'returned', `function did not return (${b.halted})`);
  const r0 = core.registers[0];
  core.registers.set(saved.regs);
  Object.assign(core, { N: saved.N, Z: saved.Z, C: saved.C, V: saved.V, PM: saved.PM, waiting: saved.waiting });
  b.halted = null;
  return r0;
}

test('rom_flash_write erases and programs through the ROM, and XIP works again after', () => {
  const b = new Board({ image: new Uint8Array(readFileSync(bin)) });
  b.run(20_000_000); // booted: clocks, .data (the RAM functions) in place
  const fn = sym('rom_flash_write');
  const off = 0x50000, data = 0x20031000;
  const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 7 + 3) & 0xff);
  b.mcu.sram.set(bytes, data - 0x20000000);
  b.mcu.flash.fill(0x00, off, off + 8192); // old contents that the erase must clear
  const ok = call(b, fn, [off, data, bytes.length]);
  assert(ok === 1, `returned ${ok}`);
  const flash = b.mcu.flash;
  for (let i = 0; i < bytes.length; i++) assert(flash[off + i] === bytes[i], `byte ${i}: ${flash[off + i]}`);
  for (let i = bytes.length; i < 4096; i++) assert(flash[off + i] === 0xff, `byte ${i} after the data not erased`);
  assert(flash[off + 4096] === 0x00, 'erased past the sector');
  const what = b.events.map((e) => e.what).join(',');
  assert(/erase,program,program$/.test(what), `ROM calls: ${what}`);
  // XIP again: the firmware keeps running from flash afterwards.
  b.run(b.nanos + 50_000_000);
  assert(!b.halted, `stopped after the write: ${b.halted}`);
  const ssi = b.mcu.peripherals[0x18000];
  assert(ssi.ssienr === 1 && (ssi.spictlr0 >>> 24) === 0x03, 'boot2 did not put the SSI back into 03h XIP mode');
});

test('rom_flash_write refuses an unaligned offset and changes nothing', () => {
  const b = new Board({ image: new Uint8Array(readFileSync(bin)) });
  b.run(20_000_000);
  const before = b.mcu.flash.slice(0x50000, 0x52000);
  const seen = b.events.length; // the drive may have written its volume while booting
  const ok = call(b, sym('rom_flash_write'), [0x50100, 0x20031000, 16]);
  assert(ok === 0, `returned ${ok}`);
  assert(Buffer.compare(Buffer.from(before), Buffer.from(b.mcu.flash.slice(0x50000, 0x52000))) === 0, 'flash changed');
  assert(!b.events.slice(seen).some((e) => e.what === 'erase' || e.what === 'program'), 'ROM called');
});

console.log(`rp2040 rom: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
