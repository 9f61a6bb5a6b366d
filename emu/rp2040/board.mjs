// The emulated RP2040 board: rp2040js with the firmware image in flash, a small ROM of our own
// whose functions trap to JavaScript (BOOTSEL, flash erase/program), the key matrix wired to the
// GPIOs (diodes and pull-ups modelled), and a run loop on emulated time.
import { RP2040, GPIOPinState } from 'rp2040js';

export const FLASH_BASE = 0x10000000;
const NS_PER_CYCLE = 8; // 125 MHz

// ---- images ---------------------------------------------------------------------------------

const UF2_MAGIC0 = 0x0a324655, UF2_MAGIC1 = 0x9e5d5157, UF2_MAGIC_END = 0x0ab16f30;
export const UF2_FAMILY_RP2040 = 0xe48bff56;

// Returns [{addr, data}] from a UF2 file (RP2040 family blocks only), or throws.
export function uf2Decode(buf) {
  if (buf.length % 512) throw new Error('UF2 size is not a multiple of 512');
  const out = [];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let off = 0; off < buf.length; off += 512) {
    if (dv.getUint32(off, true) !== UF2_MAGIC0 || dv.getUint32(off + 4, true) !== UF2_MAGIC1 ||
        dv.getUint32(off + 508, true) !== UF2_MAGIC_END)
      throw new Error(`UF2 block ${off / 512}: bad magic`);
    const flags = dv.getUint32(off + 8, true);
    const addr = dv.getUint32(off + 12, true), size = dv.getUint32(off + 16, true);
    if (!(flags & 0x2000) || dv.getUint32(off + 28, true) !== UF2_FAMILY_RP2040) continue;
    if (flags & 1) continue;
    if (size !== 256) throw new Error(`UF2 block ${off / 512}: payload ${size}, the RP2040 takes 256`);
    out.push({ addr, data: buf.subarray(off + 32, off + 32 + size) });
  }
  return out;
}

export function uf2Encode(bin, base = FLASH_BASE) {
  const n = Math.ceil(bin.length / 256);
  const out = new Uint8Array(n * 512);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const o = i * 512;
    dv.setUint32(o, UF2_MAGIC0, true); dv.setUint32(o + 4, UF2_MAGIC1, true);
    dv.setUint32(o + 8, 0x2000, true); dv.setUint32(o + 12, base + i * 256, true);
    dv.setUint32(o + 16, 256, true); dv.setUint32(o + 20, i, true);
    dv.setUint32(o + 24, n, true); dv.setUint32(o + 28, UF2_FAMILY_RP2040, true);
    out.fill(0xff, o + 32, o + 32 + 256);
    out.set(bin.subarray(i * 256, Math.min(bin.length, i * 256 + 256)), o + 32);
    dv.setUint32(o + 508, UF2_MAGIC_END, true);
  }
  return out;
}

// CRC-32/MPEG-2, the boot2 check of the RP2040 ROM.
export function crc32mpeg2(p) {
  let crc = 0xffffffff;
  for (const b of p) {
    crc ^= b << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? ((crc << 1) ^ 0x04c11db7) : crc << 1;
    crc >>>= 0;
  }
  return crc >>> 0;
}

function findMagic(flash, m0, m1, limit) {
  const dv = new DataView(flash.buffer, flash.byteOffset);
  for (let o = 0; o + 8 <= limit; o += 4)
    if (dv.getUint32(o, true) === m0 && dv.getUint32(o + 4, true) === m1) return o;
  return -1;
}

// The firmware info block (core/fwinfo.h) and the probe block (hal/rp2040/hal_rp2040.c).
export function readFwInfo(flash, limit = 0x40000) {
  const o = findMagic(flash, 0x4c54534b, 0x4f464e49, limit);
  if (o < 0) return null;
  const dv = new DataView(flash.buffer, flash.byteOffset + o);
  const u = (i) => dv.getUint32(i, true);
  return { offset: o, infoVersion: u(8), target: u(12), fwVersion: u(16), flashBase: u(20),
           configAddr: u(24), configMax: u(28), imageEnd: u(32) };
}

function readProbeAddr(flash, limit = 0x40000) {
  const o = findMagic(flash, 0x4c54534b, 0x424f5250, limit);
  return o < 0 ? 0 : new DataView(flash.buffer, flash.byteOffset + o).getUint32(8, true);
}

// ---- the config image (core/cfg.h), as far as the board model needs it ----------------------

export function parseConfig(img) {
  const dv = new DataView(img.buffer, img.byteOffset, img.byteLength);
  if (img.length < 16 || dv.getUint32(0, true) !== 0x4746434b) throw new Error('not a config image');
  const nsec = dv.getUint16(6, true);
  const sec = {};
  for (let i = 0; i < nsec; i++) {
    const e = 16 + 8 * i;
    sec[img[e]] = { off: dv.getUint16(e + 2, true), len: dv.getUint16(e + 4, true),
                    count: dv.getUint16(e + 6, true) };
  }
  const info = sec[1];
  const I = (f) => img[info.off + f];
  const cfg = { rows: I(2), cols: I(3), layers: I(4), diode: I(5), kind: I(6),
                ioDelay: dv.getUint16(info.off + 10, true), pins: [], size: dv.getUint32(8, true) };
  if (sec[2]) cfg.pins = Array.from(img.subarray(sec[2].off, sec[2].off + sec[2].len));
  return cfg;
}

// ---- the board ------------------------------------------------------------------------------

export class Board {
  // opts: {image: Uint8Array (bin at 0x10000000) | uf2: Uint8Array, config: Uint8Array|null}
  constructor(opts) {
    const mcu = new RP2040();
    // rp2040js reports what real hardware would fault on (unaligned accesses, ...) as errors:
    // here they stop the run as a firmware fault instead of scrolling past.
    const fault = (c, m) => this.fault(`${c}: ${m}`);
    mcu.logger = { debug() {}, info() {}, warn() {}, error: fault };
    this.mcu = mcu;
    this.clock = mcu.clock;
    this.events = [];            // things the firmware did that a test may check (bootsel, ...)
    this.halted = null;          // why the CPU stopped (bootsel, fault), or null
    this.probeHits = [];         // [which, cycles, ns] while probe recording is on
    this.recordProbes = false;
    this.onProbe = null;
    if (opts.uf2) for (const b of uf2Decode(opts.uf2)) mcu.flash.set(b.data, b.addr - FLASH_BASE);
    else mcu.flash.set(opts.image, 0);
    this.fwinfo = readFwInfo(mcu.flash);
    if (!this.fwinfo) throw new Error('no firmware info block in the image');
    if (opts.config) {
      if (opts.config.length > this.fwinfo.configMax) throw new Error('config image too large');
      mcu.flash.set(opts.config, this.fwinfo.configAddr - FLASH_BASE);
    }
    this.probeAddr = readProbeAddr(mcu.flash);
    // A reset by the RUN pin keeps the SRAM contents (power stays on): pass the old board's.
    if (opts.sram) mcu.sram.set(opts.sram);
    this.installRom();
    // rp2040js reports B1 silicon (CHIP_ID revision 1); tests can ask for another revision.
    if (opts.chipRevision !== undefined) {
      const sysinfo = mcu.peripherals[0x40000], rd = sysinfo.readUint32.bind(sysinfo);
      sysinfo.readUint32 = (off) => (off === 0 ? ((rd(0) & 0x0fffffff) | (opts.chipRevision << 28)) >>> 0 : rd(off));
    }
    // USB_MUXING writes, to see the RP2040-E5 workaround at work.
    this.usbMuxing = [];
    const usb = mcu.usbCtrl, uw = usb.writeUint32.bind(usb);
    usb.writeUint32 = (off, v) => { if (off === 0x74) this.usbMuxing.push(v); uw(off, v); };
    this.installFlashId(opts.uniqueId || [0xe6, 0x60, 0x58, 0x38, 0x83, 0x1a, 0x6b, 0x29]);
    // A watchdog reset (QK_REBOOT): the firmware would start again; the run ends here.
    mcu.peripherals[0x40058].onWatchdogTrigger = () => {
      this.events.push({ t: this.clock.nanos, what: 'reboot', args: [] });
      this.halted = 'reboot';
    };
    this.installProbe();
    this.boot();
  }

  // A ROM of our own: the header fields the firmware reads (§1.4), a function table, and
  // functions that are `bkpt #n; bx lr`, so every ROM call lands in trap().
  installRom() {
    const rom = new Uint8Array(0x400);
    const code = (a, b) => a.charCodeAt(0) | (b.charCodeAt(0) << 8);
    const funcs = [['UB', 1], ['IF', 2], ['EX', 3], ['RE', 4], ['RP', 5], ['FC', 6], ['CX', 7]];
    const put16 = (o, v) => { rom[o] = v & 0xff; rom[o + 1] = v >> 8; };
    rom.set([0x4d, 0x75, 0x01, 0x02], 0x10);
    const table = 0x40, lookup = 0x100, fnBase = 0x120;
    put16(0x14, table); put16(0x16, table + 4 * funcs.length + 4); put16(0x18, lookup | 1);
    funcs.forEach(([name, n], i) => {
      put16(table + 4 * i, code(name[0], name[1]));
      put16(table + 4 * i + 2, (fnBase + 4 * i) | 1);
      put16(fnBase + 4 * i, 0xbe00 | n);      // bkpt #n
      put16(fnBase + 4 * i + 2, 0x4770);      // bx lr
    });
    put16(lookup, 0xbe00 | 0x40); put16(lookup + 2, 0x4770);
    const words = new Uint32Array(rom.buffer);
    this.mcu.bootrom.fill(0);
    this.mcu.bootrom.set(words);
    this.romTable = table;
    this.mcu.onBreak = (n) => this.trap(n);
  }

  trap(n) {
    const core = this.mcu.core, r = core.registers, flash = this.mcu.flash;
    switch (n) {
      case 0x40: { // rom_table_lookup(table, code)
        let p = r[0] >>> 0, found = 0;
        for (;;) {
          const c = this.mcu.readUint16(p);
          if (!c) break;
          if (c === (r[1] & 0xffff)) { found = this.mcu.readUint16(p + 2); break; }
          p += 4;
        }
        r[0] = found;
        return;
      }
      case 1: // reset_usb_boot
        this.events.push({ t: this.clock.nanos, what: 'bootsel', args: [r[0] >>> 0, r[1] >>> 0] });
        this.halted = 'bootsel';
        return;
      case 2: case 3: case 6: case 7: return; // connect/exit XIP/flush/enter XIP: nothing to model
      case 4: { // flash_range_erase(offs, count, block_size, block_cmd)
        const off = r[0] >>> 0, cnt = r[1] >>> 0;
        if (off % 4096 || cnt % 4096 || off + cnt > flash.length) { this.fault(`flash erase ${off}+${cnt}`); return; }
        flash.fill(0xff, off, off + cnt);
        this.events.push({ t: this.clock.nanos, what: 'erase', args: [off, cnt] });
        return;
      }
      case 5: { // flash_range_program(offs, data, count): programming only clears bits
        const off = r[0] >>> 0, src = r[1] >>> 0, cnt = r[2] >>> 0;
        if (off % 256 || cnt % 256 || off + cnt > flash.length) { this.fault(`flash program ${off}+${cnt}`); return; }
        for (let i = 0; i < cnt; i++) flash[off + i] &= this.mcu.readUint8(src + i);
        this.events.push({ t: this.clock.nanos, what: 'program', args: [off, cnt] });
        return;
      }
      case 0x7e: // tests: a function called from JavaScript returned here
        this.halted = 'returned';
        return;
      default:
        this.fault(`breakpoint/undefined instruction #${n} at 0x${(core.PC >>> 0).toString(16)}`);
    }
  }

  fault(why) {
    if (this.halted && this.halted.startsWith('fault')) return; // the first one says it
    this.events.push({ t: this.clock.nanos, what: 'fault', args: [why] });
    this.halted = 'fault: ' + why;
  }

  // The flash chip's answer to 4Bh (read unique ID) through the SSI: rp2040js's SSI is a stub,
  // so the bytes clocked back after the command and four dummy bytes are supplied here.
  installFlashId(id) {
    this.uniqueId = id;
    const ssi = this.mcu.peripherals[0x18000];
    const w = ssi.writeUint32.bind(ssi), r = ssi.readUint32.bind(ssi);
    let n = -1;
    ssi.writeUint32 = (off, v) => {
      if (off === 0x60) {
        if (v === 0x4b) n = 0; else if (n >= 0) n++;
        ssi.dr0 = n >= 5 && n < 13 ? id[n - 5] : 0;
      }
      w(off, v);
    };
    ssi.readUint32 = (off) => (off === 0x60 ? ssi.dr0 : r(off));
  }

  installProbe() {
    const mcu = this.mcu, addr = this.probeAddr, board = this;
    if (!addr) return;
    const orig = mcu.writeUint32.bind(mcu);
    mcu.writeUint32 = function (a, v) {
      if (a === addr) {
        // FW_PROBE_ACTION (7) is followed by the action's keycode (fw/fw.h).
        if (board.actionNext) { board.events.push({ t: board.clock.nanos, what: 'action', args: [v & 0xffff] }); board.actionNext = false; }
        else if (v === 7) board.actionNext = true;
        if (board.recordProbes) board.probeHits.push([v, mcu.core.cycles, board.clock.nanos]);
        if (board.onProbe) board.onProbe(v);
      }
      orig(a, v);
    };
  }

  // Starts like the ROM does: boot2 copied to the top of SRAM and entered with LR = 0, after the
  // same CRC check the ROM makes.
  boot() {
    const mcu = this.mcu, b2 = mcu.flash.subarray(0, 256);
    const want = new DataView(b2.buffer, b2.byteOffset).getUint32(252, true);
    if (crc32mpeg2(b2.subarray(0, 252)) !== want) throw new Error('boot2 CRC mismatch: the ROM would not boot this image');
    mcu.sram.set(b2, 0x41f00);
    mcu.core.SP = 0x20041f00;
    mcu.core.LR = 0;
    mcu.core.PC = 0x20041f00;
    // rp2040js resets VTOR to 0; boot2 sets it to 0x10000100 itself.
  }

  get nanos() { return this.clock.nanos; }
  get cycles() { return this.mcu.core.cycles; }

  // Runs until emulated time `untilNs`, or until stop() returns true (checked between
  // instructions). Returns true if stopped by the condition.
  run(untilNs, stop = null) {
    const mcu = this.mcu, core = mcu.core, clock = this.clock;
    while (clock.nanos < untilNs) {
      if (this.halted) return true;
      if (stop && stop()) return true;
      if (core.waiting && (core.pendingInterrupts & core.enabledInterrupts)) {
        // WFI/WFE end when an enabled interrupt is pending, even with PRIMASK set (the handler
        // then runs after CPSIE). rp2040js only re-checks on a new interrupt edge.
        core.waiting = false;
      }
      if (core.waiting) {
        const d = clock.nanosToNextAlarm;
        const left = untilNs - clock.nanos;
        clock.tick(d > 0 && d < left ? d : left);
      } else {
        const c = core.executeInstruction();
        clock.tick(c * NS_PER_CYCLE);
      }
    }
    return !!(stop && stop());
  }

  // Schedules fn at absolute emulated time t (ns).
  at(t, fn) {
    const a = this.clock.createAlarm(fn);
    a.schedule(Math.max(0, t - this.clock.nanos));
    return a;
  }
}

// ---- the key matrix ---------------------------------------------------------------------------

// Wires a matrix to the GPIOs: each pressed key is a switch in series with a diode (grid) or a
// switch to ground (direct). Every time the firmware changes a pin, the levels of all matrix pins
// are solved again: driven pins are strong, pull-ups/downs weak, a low cathode pulls the anode of
// a closed diode down (unless driven), a driven-high anode pulls the cathode up.
export class Matrix {
  constructor(board, cfg) {
    this.board = board;
    this.cfg = cfg;
    this.pressed = new Set(); // matrix positions
    const { rows, cols, kind, diode, pins } = cfg;
    this.pinsUsed = new Set();
    this.keys = []; // per position: {anode, cathode} or {pin}
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
      const pos = r * cols + c;
      if (kind === 1) {
        const p = pins[pos];
        this.keys[pos] = p === 0xff ? null : { pin: p };
        if (p !== 0xff) this.pinsUsed.add(p);
      } else {
        const rp = pins[r], cp = pins[rows + c];
        // COL2ROW: current flows from the column (anode) into the row (cathode).
        this.keys[pos] = diode === 0 ? { anode: cp, cathode: rp } : { anode: rp, cathode: cp };
        this.pinsUsed.add(rp); this.pinsUsed.add(cp);
      }
    }
    for (const p of this.pinsUsed)
      if (p < 30) board.mcu.gpio[p].addListener(() => this.solve());
    this.solve();
  }

  set(pos, down) {
    if (down) this.pressed.add(pos); else this.pressed.delete(pos);
    this.solve();
  }

  solve() {
    const gpio = this.board.mcu.gpio;
    const level = new Map(); // pin -> {v: 0/1/null, strong: bool}
    for (const p of this.pinsUsed) {
      if (p >= 30) continue;
      const s = gpio[p].value;
      let v = null, strong = false;
      if (s === GPIOPinState.Low) { v = 0; strong = true; }
      else if (s === GPIOPinState.High) { v = 1; strong = true; }
      else if (s === GPIOPinState.InputPullUp) v = 1;
      else if (s === GPIOPinState.InputPullDown) v = 0;
      else if (s === GPIOPinState.InputBusKeeper) v = gpio[p].rawInputValue ? 1 : 0;
      level.set(p, { v, strong, forced: false });
    }
    for (let iter = 0, changed = true; changed && iter < 64; iter++) {
      changed = false;
      for (const pos of this.pressed) {
        const k = this.keys[pos];
        if (!k) continue;
        if (k.pin !== undefined) {
          const l = level.get(k.pin);
          if (l && !l.strong && (l.v !== 0 || !l.forced)) { l.v = 0; l.forced = true; changed = true; }
          continue;
        }
        const a = level.get(k.anode), c = level.get(k.cathode);
        if (!a || !c) continue;
        if (c.v === 0 && (c.strong || c.forced) && !a.strong && !(a.v === 0 && a.forced)) {
          a.v = 0; a.forced = true; changed = true;
        }
        if (a.v === 1 && a.strong && !c.strong && !c.forced && c.v !== 1) { c.v = 1; changed = true; }
      }
    }
    for (const [p, l] of level) {
      const v = l.v === null ? false : l.v === 1;
      // Always re-set: rp2040js derives the pin's level-interrupt status from the input *and*
      // the pad's input enable at this moment, so a value set before the firmware enabled the
      // pad would leave a stale "low" status behind.
      gpio[p].setInputValue(v);
    }
  }
}
