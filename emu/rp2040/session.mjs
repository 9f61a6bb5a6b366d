// One emulated keyboard session: boot the image (with a config image in its config region),
// enumerate, then drive key events through the modelled matrix and collect what the host receives.
import { Board, Matrix, parseConfig, FLASH_BASE } from './board.mjs';
import { UsbHost, PcapWriter } from './usbhost.mjs';
import { enumerate, Checks } from './enumerate.mjs';

const MS = 1_000_000;

export class Session {
  // opts: {image, uf2, config (Uint8Array|null), pcap: bool, checks: Checks}
  constructor(opts) {
    this.board = new Board(opts);
    const flash = this.board.mcu.flash;
    const off = this.board.fwinfo.configAddr - FLASH_BASE;
    // The keyboard wired to the pins is the one in the config region (or the fallback's).
    let cfgBytes = opts.config;
    if (!cfgBytes) {
      const size = new DataView(flash.buffer, off + 8, 4).getUint32(0, true);
      const magic = new DataView(flash.buffer, off, 4).getUint32(0, true);
      cfgBytes = magic === 0x4746434b && size <= this.board.fwinfo.configMax ? flash.slice(off, off + size) : null;
    }
    this.cfg = cfgBytes ? parseConfig(cfgBytes)
                        : { rows: 4, cols: 10, kind: 0, diode: 0, pins: [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] };
    this.matrix = new Matrix(this.board, this.cfg);
    this.pcap = opts.pcap ? new PcapWriter() : null;
    this.host = new UsbHost(this.board, { pcap: this.pcap });
    this.checks = opts.checks || new Checks();
    this.reports = [];
    this.t0 = 0;
    this.host.onReport = (ep, data, ns, handed) => {
      this.reports.push({ ep, data, ns, handedNs: handed.handedNs, handedCycles: handed.handedCycles });
      if (this.onReport) this.onReport(this.reports[this.reports.length - 1]);
    };
  }

  // Boot, attach, enumerate; returns the enumeration info. Throws if the device never attaches.
  start(expect = {}) {
    if (!this.host.waitAttach(500 * MS)) throw new Error(`device did not attach within 500 ms${this.board.halted ? ` (${this.board.halted})` : ''}`);
    this.info = enumerate(this.host, this.checks, { expect });
    // Scenario time 0: half a frame after a frame boundary, a few ms after configuration.
    this.t0 = (Math.ceil(this.board.nanos / MS) + 5) * MS + MS / 2;
    this.board.run(this.t0);
    return this.info;
  }

  // Waits until the firmware has finished `n` more scans (probe 1), at most `capNs`.
  waitScans(n, capNs = 3 * MS) {
    let seen = 0;
    const prev = this.board.onProbe;
    this.board.onProbe = (v) => { if (v === 1) seen++; if (prev) prev(v); };
    this.board.run(this.board.nanos + capNs, () => seen >= n);
    this.board.onProbe = prev;
  }

  // events: [{t (ms from t0), pos, down}], time-ordered. Runs until endMs after t0.
  play(events, endMs) {
    let lastT = -1;
    for (const e of events) {
      const at = this.t0 + e.t * MS;
      if (e.t === lastT) this.waitScans(2); // same-time events keep their order: one scan each
      else this.board.run(at);
      if (this.board.halted) break;
      this.matrix.set(e.pos, e.down);
      lastT = e.t;
    }
    this.board.run(this.t0 + endMs * MS);
  }

  relUs(ns) { return (ns - this.t0) / 1000; }
}
