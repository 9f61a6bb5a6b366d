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
    // Firmware probes (fw/fw.h): scans, key events into the engine, reports queued per endpoint.
    this.scans = 0;
    this.keyEvents = 0;
    this.queued = new Map([[1, []], [2, []]]);
    this.board.onProbe = (v) => {
      if (v === 1) this.scans++;
      else if (v === 3) this.keyEvents++;
      else if (v === 9 || v === 10) this.queued.get(v - 8).push(this.board.nanos);
    };
    this.host.onReport = (ep, data, ns, handed) => {
      const q = this.queued.get(ep);
      const madeNs = q && q.length ? q.shift() : handed.handedNs;
      this.reports.push({ ep, data, ns, madeNs, handedNs: handed.handedNs, handedCycles: handed.handedCycles });
      if (this.onReport) this.onReport(this.reports[this.reports.length - 1]);
    };
  }

  // Boot, attach, enumerate; returns the enumeration info. Throws if the device never attaches.
  start(expect = {}) {
    if (!this.host.waitAttach(500 * MS)) throw new Error(`device did not attach within 500 ms${this.board.halted ? ` (${this.board.halted})` : ''}`);
    this.info = enumerate(this.host, this.checks, { expect });
    // Scenario time 0: just after a millisecond boundary of the firmware's clock (its engine
    // time is the timer's µs count / 1000), so an event at T ms reaches the engine within the
    // same millisecond as on the host.
    this.t0 = (Math.ceil(this.board.nanos / MS) + 5) * MS + MS / 10;
    this.board.run(this.t0);
    return this.info;
  }

  // events: [{t (ms from t0), pos, down}], time-ordered. Runs until endMs after t0. Each change
  // is left to reach the engine before the next one is made, so events of the same time keep
  // their order (a scan reads the matrix in position order, not in the order keys moved).
  play(events, endMs) {
    for (const e of events) {
      this.board.run(this.t0 + e.t * MS);
      if (this.board.halted) break;
      const before = this.keyEvents;
      this.matrix.set(e.pos, e.down);
      this.board.run(this.board.nanos + 2 * MS, () => this.keyEvents !== before);
    }
    this.board.run(this.t0 + endMs * MS);
  }

  relUs(ns) { return (ns - this.t0) / 1000; }
}
