// The USB host side of the emulated board. rp2040js completes device transfers on its own the
// moment the firmware arms a buffer; this host replaces that with a bus-like model: control
// transfers run stage by stage (SETUP, DATA1/DATA0 data packets, status), interrupt IN endpoints
// are polled once per 1 ms frame (at their bInterval), STALL handshakes are seen, and DATA PIDs
// are checked. Every transfer can be recorded as a usbmon pcap (DLT_USB_LINUX_MMAPPED, 220).

const BUF_AVAILABLE = 1 << 10, BUF_STALL = 1 << 11, BUF_DATA1 = 1 << 13, BUF_FULL = 1 << 15;
const LEN_MASK = 0x3ff;
const FRAME_NS = 1_000_000;
const PACKET_NS = 8_000; // a full-speed transaction plus host turnaround, roughly

export class PcapWriter {
  constructor() {
    this.chunks = [];
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0); h.writeUInt16LE(2, 4); h.writeUInt16LE(4, 6);
    h.writeInt32LE(0, 8); h.writeUInt32LE(0, 12); h.writeUInt32LE(65535, 16); h.writeUInt32LE(220, 20);
    this.chunks.push(h);
    this.nextId = 1n;
  }
  // One usbmon record: type 'S' or 'C', xfer 0 iso 1 intr 2 ctrl 3 bulk.
  record({ ns, type, xfer, ep, dev, setup = null, data = null, length, status = 0, id, interval = 0 }) {
    const d = data ? Buffer.from(data) : Buffer.alloc(0);
    const h = Buffer.alloc(64);
    h.writeBigUInt64LE(id, 0);
    h.writeUInt8(type.charCodeAt(0), 8);
    h.writeUInt8(xfer, 9);
    h.writeUInt8(ep, 10);
    h.writeUInt8(dev, 11);
    h.writeUInt16LE(1, 12); // bus 1
    h.writeUInt8(setup ? 0 : 0x2d, 14); // flag_setup: 0 = setup present, '-' = none
    h.writeUInt8(d.length ? 0 : (ep & 0x80 ? 0x3c : 0x3e), 15); // flag_data: 0 = data present
    const sec = Math.floor(ns / 1e9), usec = Math.floor((ns % 1e9) / 1e3);
    h.writeBigInt64LE(BigInt(sec), 16);
    h.writeInt32LE(usec, 24);
    h.writeInt32LE(status, 28);
    h.writeUInt32LE(length, 32);
    h.writeUInt32LE(d.length, 36);
    if (setup) Buffer.from(setup).copy(h, 40);
    h.writeInt32LE(interval, 48);
    h.writeInt32LE(-1, 52);      // start_frame
    h.writeUInt32LE(0, 56);      // xfer_flags
    h.writeUInt32LE(0, 60);      // ndesc
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(sec, 0); rec.writeUInt32LE(usec, 4);
    rec.writeUInt32LE(64 + d.length, 8); rec.writeUInt32LE(64 + d.length, 12);
    this.chunks.push(rec, h, d);
  }
  newId() { return this.nextId++; }
  bytes() { return Buffer.concat(this.chunks); }
}

export class UsbHost {
  constructor(board, { pcap = null } = {}) {
    this.board = board;
    const mcu = board.mcu;
    this.usb = mcu.usbCtrl;
    this.dpram = mcu.usbDPRAM;
    this.dv = mcu.usbDPRAMView;
    this.pcap = pcap;
    this.address = 0;
    this.connected = false;
    this.resetDone = false;
    this.ctrl = null;          // the control transfer in progress
    this.intEps = new Map();   // ep number -> {interval, mps, iface, pid, pending, halted}
    this.bulkEps = new Map();  // ep address -> {mps, iface, pid, armed, stalled} (mass storage)
    this.onReport = null;      // (ep, data Uint8Array, ns) when an interrupt IN packet arrives
    this.errors = [];          // protocol violations seen (PID errors, unexpected buffers)
    this.frame = 0;
    this.suspended = false;
    this.wakeups = 0;
    this.usb.DPRAMUpdated = (off, v) => this.bufCtrlWritten(off, v);
    this.usb.onUSBEnabled = () => { this.enabled = true; };
    this.usb.onResetReceived = () => { this.resetDone = true; };
    this.frameAlarm = board.clock.createAlarm(() => this.sof());
    this.frameAlarm.schedule(FRAME_NS);
  }

  // ---- the firmware arms buffers --------------------------------------------------------------

  bufCtrlWritten(off, v) {
    if (off < 0x80 || off > 0xfc) return;
    const ep = (off - 0x80) >> 3, out = (off & 4) !== 0;
    const bulk = ep ? this.bulkEps.get(out ? ep : 0x80 | ep) : null;
    if (bulk) { // bulk endpoints move when the host asks (bulkIn/bulkOut), as fast as the bus goes
      if (v & BUF_STALL) { bulk.stalled = true; bulk.armed = null; return; }
      if (!(v & BUF_AVAILABLE)) return;
      bulk.stalled = false;
      bulk.armed = { v, ns: this.board.nanos };
      return;
    }
    if (v & BUF_STALL) {
      if (ep === 0) {
        if (this.usb.epStallArm & (out ? 2 : 1) && this.ctrl && !this.ctrl.done) this.ctrlFinish('stall');
      } else {
        const e = this.intEps.get(ep);
        if (e) e.stalled = true;
      }
      return;
    }
    if (!(v & BUF_AVAILABLE)) return;
    if (ep === 0) {
      if (this.ctrl && !this.ctrl.done) {
        const c = this.ctrl;
        c.armed = { out, v };
        if (!c.timer) c.timer = this.board.at(this.board.nanos + PACKET_NS, () => { c.timer = null; this.ctrlStep(); });
      } else {
        this.errors.push(`EP0 ${out ? 'OUT' : 'IN'} armed with no control transfer in progress`);
      }
      return;
    }
    const e = this.intEps.get(ep);
    if (!e || out) { this.errors.push(`EP${ep} ${out ? 'OUT' : 'IN'} armed but not an endpoint of the configuration`); return; }
    e.stalled = false;
    e.pending = { v, handedNs: this.board.nanos, handedCycles: this.board.cycles };
  }

  // ---- frames ---------------------------------------------------------------------------------

  sof() {
    this.frame = (this.frame + 1) & 0x7ff;
    this.frameAlarm.schedule(FRAME_NS);
    if (!this.connected && this.enabled && (this.usb.sieCtrl & (1 << 16))) {
      this.connected = true;
      this.usb.resetDevice();
    } else if (this.connected && !(this.usb.sieCtrl & (1 << 16))) {
      // The device let go of D+ (it leaves the bus to come back as another device): the host
      // forgets it and sees a new connection when the pull-up returns.
      this.connected = false;
      this.resetDone = false;
      this.address = 0;
      this.intEps.clear();
      this.bulkEps.clear();
      this.detaches = (this.detaches || 0) + 1;
    }
    if (this.suspended) {
      if (this.usb.sieCtrl & (1 << 12)) { this.wakeups++; this.resume(); }
      return;
    }
    for (const [ep, e] of this.intEps) {
      if (!e.pending || this.frame % e.interval) continue;
      const v = e.pending.v;
      const len = v & LEN_MASK;
      const base = this.dv.getUint32(8 * ep, true) & 0xffc0;
      const data = this.dpram.slice(base, base + len);
      const pid = (v & BUF_DATA1) ? 1 : 0;
      if (pid !== e.pid) this.errors.push(`EP${ep} IN: DATA${pid} where DATA${e.pid} was due`);
      e.pid ^= 1;
      const handed = e.pending;
      e.pending = null;
      this.dv.setUint32(0x80 + 8 * ep, v & ~(BUF_AVAILABLE | BUF_FULL), true);
      this.usb.indicateBufferReady(ep, false);
      if (this.pcap) {
        const id = this.pcap.newId();
        this.pcap.record({ ns: handed.handedNs, type: 'S', xfer: 1, ep: 0x80 | ep, dev: this.address, length: e.mps, id, interval: e.interval });
        this.pcap.record({ ns: this.board.nanos, type: 'C', xfer: 1, ep: 0x80 | ep, dev: this.address, data, length: data.length, id, interval: e.interval });
      }
      if (this.onReport) this.onReport(ep, data, this.board.nanos, handed);
    }
  }

  suspend() {
    this.suspended = true;
    this.usb.sieStatus |= 1 << 4;
    this.usb.sieStatusUpdated();
  }

  resume() {
    this.suspended = false;
    this.usb.sieStatus &= ~(1 << 4);
    this.usb.sieStatus |= 1 << 11;
    this.usb.sieStatusUpdated();
  }

  // ---- control transfers ----------------------------------------------------------------------

  // Starts a control transfer; poll ctrlDone() / ctrl.result. `out` = data stage for OUT requests.
  control(setup, out = null) {
    const s = Uint8Array.from(setup);
    const wLength = s[6] | (s[7] << 8);
    const c = { setup: s, in: !!(s[0] & 0x80), wLength, out: out ? Uint8Array.from(out) : new Uint8Array(0),
                sent: 0, data: [], pid: 1, stage: 'data', done: false, result: null, armed: null,
                timer: null, startNs: this.board.nanos, id: this.pcap ? this.pcap.newId() : 0n };
    if (!c.in && c.out.length !== wLength) throw new Error('OUT data length differs from wLength');
    if (c.in && wLength === 0) c.stage = 'status';
    if (!c.in && wLength === 0) c.stage = 'status';
    this.ctrl = c;
    if (this.pcap)
      this.pcap.record({ ns: this.board.nanos, type: 'S', xfer: 2, ep: c.in ? 0x80 : 0x00, dev: this.address,
                         setup: s, data: c.in ? null : c.out, length: wLength, id: c.id });
    this.usb.epStallArm = 0; // a SETUP clears the STALL arms
    this.usb.sendSetupPacket(s);
    return c;
  }

  ctrlFinish(result) {
    const c = this.ctrl;
    if (!c || c.done) return;
    c.done = true;
    c.result = result;
    if (c.timer) { c.timer.cancel(); c.timer = null; }
    const data = Uint8Array.from(c.data);
    c.bytes = data;
    if (this.pcap)
      this.pcap.record({ ns: this.board.nanos, type: 'C', xfer: 2, ep: c.in ? 0x80 : 0x00, dev: this.address,
                         data: c.in && result === 'ok' ? data : null, length: c.in ? data.length : (result === 'ok' ? c.wLength : 0),
                         status: result === 'ok' ? 0 : -32, id: c.id });
    // SET_ADDRESS takes effect once its status stage is done.
    if (result === 'ok' && c.setup[0] === 0 && c.setup[1] === 5) this.address = c.setup[2] & 0x7f;
    // SET_INTERFACE and CLEAR_FEATURE(ENDPOINT_HALT) put the endpoints concerned back to DATA0.
    if (result === 'ok' && c.setup[0] === 0x01 && c.setup[1] === 11)
      for (const e of [...this.intEps.values(), ...this.bulkEps.values()]) if (e.iface === c.setup[4]) { e.pid = 0; e.pending = null; }
    if (result === 'ok' && c.setup[0] === 0x02 && c.setup[1] === 1) {
      const e = this.bulkEps.get(c.setup[4]) || ((c.setup[4] & 0x80) ? this.intEps.get(c.setup[4] & 15) : null);
      if (e) { e.pid = 0; e.pending = null; }
    }
  }

  // One packet of the transfer, on the buffer the firmware armed.
  ctrlStep() {
    const c = this.ctrl;
    if (!c || c.done || !c.armed) return;
    const { out, v } = c.armed;
    c.armed = null;
    const pid = (v & BUF_DATA1) ? 1 : 0;
    const off = out ? 0x84 : 0x80;
    if (c.stage === 'data' && c.in) {
      if (out) { this.errors.push('control IN: device armed EP0 OUT during the data stage'); return; }
      const len = v & LEN_MASK;
      if (pid !== c.pid) this.errors.push(`control IN data: DATA${pid} where DATA${c.pid} was due`);
      c.pid ^= 1;
      for (let i = 0; i < len; i++) c.data.push(this.dpram[0x100 + i]);
      this.dv.setUint32(off, v & ~(BUF_AVAILABLE | BUF_FULL), true);
      this.usb.indicateBufferReady(0, false);
      if (len < 64 || c.data.length >= c.wLength) {
        if (c.data.length > c.wLength) this.errors.push(`control IN: ${c.data.length} bytes for wLength ${c.wLength}`);
        c.stage = 'status';
      }
      return;
    }
    if (c.stage === 'data' && !c.in) {
      if (!out) { this.errors.push('control OUT: device armed EP0 IN during the data stage'); return; }
      const n = Math.min(64, c.out.length - c.sent, v & LEN_MASK);
      this.dpram.set(c.out.subarray(c.sent, c.sent + n), 0x100);
      c.sent += n;
      let nv = (v & ~(BUF_AVAILABLE | LEN_MASK)) | BUF_FULL | n;
      nv = c.pid ? nv | BUF_DATA1 : nv & ~BUF_DATA1;
      c.pid ^= 1;
      this.dv.setUint32(off, nv, true);
      this.usb.indicateBufferReady(0, true);
      if (c.sent >= c.out.length) c.stage = 'status';
      return;
    }
    // Status stage: the opposite direction of the data stage (IN for no-data requests), a
    // zero-length DATA1 packet.
    const wantOut = c.in && c.wLength > 0;
    if (out !== wantOut) { this.errors.push(`control status: EP0 ${out ? 'OUT' : 'IN'} armed, ${wantOut ? 'OUT' : 'IN'} expected`); return; }
    if (!out) {
      if ((v & LEN_MASK) !== 0) this.errors.push(`control status IN: ${v & LEN_MASK} bytes instead of a ZLP`);
      if (!pid) this.errors.push('control status IN: DATA0 instead of DATA1');
      this.dv.setUint32(off, v & ~(BUF_AVAILABLE | BUF_FULL), true);
      this.usb.indicateBufferReady(0, false);
    } else {
      this.dv.setUint32(off, ((v & ~(BUF_AVAILABLE | LEN_MASK)) | BUF_FULL | BUF_DATA1), true);
      this.usb.indicateBufferReady(0, true);
    }
    this.ctrlFinish('ok');
  }

  // ---- enumeration -----------------------------------------------------------------------------

  // Runs a control transfer to completion (or 50 ms without an answer = 'timeout').
  xfer(setup, out = null) {
    const c = this.control(setup, out);
    const limit = this.board.nanos + 50 * FRAME_NS;
    this.board.run(limit, () => c.done);
    if (!c.done) { c.done = true; c.result = this.board.halted ? 'halted' : 'timeout'; c.bytes = Uint8Array.from(c.data); this.ctrl = null; }
    return c;
  }

  // Waits for the device to connect and the bus reset to be acknowledged.
  waitAttach(limitNs) {
    return this.board.run(limitNs, () => this.resetDone);
  }

  // ---- bulk transfers (mass storage) -------------------------------------------------------------

  // Waits (emulated time) for the device to arm the bulk endpoint: until then the controller
  // NAKs, which is what a host sees while the firmware is busy (a flash erase, a reload).
  bulkWait(b, limitNs) {
    const start = Math.max(this.board.nanos, b.nextNs || 0);
    this.board.run(start, () => false);
    this.board.run(limitNs, () => !!b.armed || b.stalled);
    return b.stalled ? 'stall' : b.armed ? 'ok' : (this.board.halted ? 'halted' : 'timeout');
  }

  // Sends `data` on bulk OUT endpoint `addr`, packet by packet (max packet size, the last one
  // short; no ZLP: bulk-only transport lengths are announced). Returns 'ok', 'stall' or 'timeout'.
  bulkOut(addr, data, timeoutMs = 5000) {
    const b = this.bulkEps.get(addr);
    if (!b) throw new Error(`no bulk OUT endpoint 0x${addr.toString(16)}`);
    const limit = this.board.nanos + timeoutMs * FRAME_NS;
    let sent = 0;
    do {
      const r = this.bulkWait(b, limit);
      if (r !== 'ok') return r;
      const { v } = b.armed;
      b.armed = null;
      const n = Math.min(b.mps, data.length - sent, v & LEN_MASK);
      const ep = addr & 15;
      const base = this.dv.getUint32(8 * ep + 4, true) & 0xffc0;
      this.dpram.set(data.subarray(sent, sent + n), base);
      let nv = (v & ~(BUF_AVAILABLE | LEN_MASK)) | BUF_FULL | n;
      nv = b.pid ? nv | BUF_DATA1 : nv & ~BUF_DATA1;
      if (((v & BUF_DATA1) ? 1 : 0) !== b.pid) this.errors.push(`EP${ep} OUT armed for DATA${(v & BUF_DATA1) ? 1 : 0}, DATA${b.pid} due`);
      b.pid ^= 1;
      this.dv.setUint32(0x84 + 8 * ep, nv, true);
      this.usb.indicateBufferReady(ep, true);
      b.nextNs = this.board.nanos + PACKET_NS;
      sent += n;
    } while (sent < data.length);
    return 'ok';
  }

  // Reads from bulk IN endpoint `addr` until a short packet or `maxLen` bytes.
  // Returns {result: 'ok'|'stall'|'timeout', data}.
  bulkIn(addr, maxLen, timeoutMs = 5000) {
    const b = this.bulkEps.get(addr);
    if (!b) throw new Error(`no bulk IN endpoint 0x${addr.toString(16)}`);
    const limit = this.board.nanos + timeoutMs * FRAME_NS;
    const out = [];
    for (;;) {
      const r = this.bulkWait(b, limit);
      if (r !== 'ok') return { result: r, data: Uint8Array.from(out) };
      const { v } = b.armed;
      b.armed = null;
      const ep = addr & 15, len = v & LEN_MASK;
      const base = this.dv.getUint32(8 * ep, true) & 0xffc0;
      const pid = (v & BUF_DATA1) ? 1 : 0;
      if (pid !== b.pid) this.errors.push(`EP${ep} IN: DATA${pid} where DATA${b.pid} was due`);
      b.pid ^= 1;
      for (let i = 0; i < len; i++) out.push(this.dpram[base + i]);
      this.dv.setUint32(0x80 + 8 * ep, v & ~(BUF_AVAILABLE | BUF_FULL), true);
      this.usb.indicateBufferReady(ep, false);
      b.nextNs = this.board.nanos + PACKET_NS;
      if (len < b.mps || out.length >= maxLen) {
        if (out.length > maxLen) this.errors.push(`EP${ep} IN: ${out.length} bytes where ${maxLen} were asked`);
        return { result: 'ok', data: Uint8Array.from(out) };
      }
    }
  }

  // CLEAR_FEATURE(ENDPOINT_HALT): the endpoint's toggle goes back to DATA0 on both sides.
  clearHalt(addr) {
    const c = this.xfer(setup(0x02, 1, 0, addr, 0));
    const b = this.bulkEps.get(addr);
    if (b && c.result === 'ok') { b.pid = 0; b.stalled = false; }
    return c.result;
  }

  // Configures endpoints the host will poll, from a parsed configuration.
  openEndpoints(eps) {
    this.intEps.clear();
    this.bulkEps.clear();
    for (const e of eps)
      if ((e.attributes & 3) === 2)
        this.bulkEps.set(e.address, { mps: e.mps, iface: e.iface, pid: 0, armed: null, stalled: false, nextNs: 0 });
    for (const e of eps)
      if ((e.attributes & 3) === 3 && e.address & 0x80)
        this.intEps.set(e.address & 15, { interval: Math.max(1, e.interval), mps: e.mps, iface: e.iface,
                                          pid: 0, pending: null, stalled: false });
  }
}

export const setup = (bmRequestType, bRequest, wValue, wIndex, wLength) =>
  [bmRequestType, bRequest, wValue & 0xff, wValue >> 8, wIndex & 0xff, wIndex >> 8, wLength & 0xff, wLength >> 8];
