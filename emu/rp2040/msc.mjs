// The mass-storage host of the emulated board: SCSI commands over the bulk-only transport
// (CBW, data, CSW; a stalled endpoint is cleared and the CSW read, as USB MSC BOT 1.0 §6.7 asks),
// and a host file system that is not ours: the volume is mirrored into an image file, changed
// with Debian's mtools the way an OS changes its copy, and the changed sectors go back to the
// device with WRITE(10), in order.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setup } from './usbhost.mjs';

const BLOCK = 512;

export class MscHost {
  constructor(host, info) {
    const iface = info.msc;
    if (!iface) throw new Error('the device has no mass-storage interface');
    this.host = host;
    this.iface = iface.number;
    this.in = iface.eps.find((e) => e.address & 0x80).address;
    this.out = iface.eps.find((e) => !(e.address & 0x80)).address;
    this.tag = 1;
    this.log = [];            // {op, lba, n, t0, t1} for READ/WRITE, in order
  }

  // One command: cdb (Uint8Array/array), direction 'in' | 'out' | null, length, data for 'out'.
  // Returns {status: 0 passed | 1 failed | 2 phase error, data, residue}; throws on a transport
  // failure (no CSW, a wrong tag).
  command(cdb, dir = null, len = 0, data = null) {
    const h = this.host, tag = this.tag++ >>> 0;
    const cbw = new Uint8Array(31);
    const dv = new DataView(cbw.buffer);
    dv.setUint32(0, 0x43425355, true);
    dv.setUint32(4, tag, true);
    dv.setUint32(8, len, true);
    cbw[12] = dir === 'in' ? 0x80 : 0;
    cbw[13] = 0;
    cbw[14] = cdb.length;
    cbw.set(cdb, 15);
    let r = h.bulkOut(this.out, cbw);
    if (r !== 'ok') throw new Error(`CBW ${cdb[0].toString(16)}: ${r}`);
    let got = new Uint8Array(0);
    if (dir === 'in' && len) {
      const d = h.bulkIn(this.in, len);
      got = d.data;
      if (d.result === 'stall') h.clearHalt(this.in);
      else if (d.result !== 'ok') throw new Error(`data in ${cdb[0].toString(16)}: ${d.result}`);
    } else if (dir === 'out' && len) {
      r = h.bulkOut(this.out, data);
      if (r === 'stall') h.clearHalt(this.out);
      else if (r !== 'ok') throw new Error(`data out ${cdb[0].toString(16)}: ${r}`);
    }
    let csw = h.bulkIn(this.in, 13);
    if (csw.result === 'stall') { h.clearHalt(this.in); csw = h.bulkIn(this.in, 13); }
    if (csw.result !== 'ok' || csw.data.length !== 13) throw new Error(`CSW ${cdb[0].toString(16)}: ${csw.result}, ${csw.data.length} bytes`);
    const cv = new DataView(csw.data.buffer);
    if (cv.getUint32(0, true) !== 0x53425355) throw new Error('CSW signature');
    if (cv.getUint32(4, true) !== tag) throw new Error(`CSW tag ${cv.getUint32(4, true)}, ${tag} sent`);
    return { status: csw.data[12], data: got, residue: cv.getUint32(8, true) };
  }

  inquiry() { return this.command([0x12, 0, 0, 0, 36, 0], 'in', 36); }
  testUnitReady() { return this.command([0, 0, 0, 0, 0, 0]); }
  requestSense() {
    const r = this.command([0x03, 0, 0, 0, 18, 0], 'in', 18);
    return { key: r.data[2] & 15, asc: r.data[12], ascq: r.data[13] };
  }
  readCapacity() {
    const r = this.command([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'in', 8);
    const dv = new DataView(r.data.buffer);
    return { status: r.status, blocks: dv.getUint32(0, false) + 1, blockSize: dv.getUint32(4, false) };
  }
  rw10(op, lba, n) {
    return [op, 0, (lba >>> 24) & 255, (lba >>> 16) & 255, (lba >>> 8) & 255, lba & 255, 0, (n >> 8) & 255, n & 255, 0];
  }
  // A command that failed with UNIT ATTENTION (the device changed the medium: ERRORS.TXT) is
  // read out with REQUEST SENSE and sent again, as hosts do.
  retry(fn) {
    let r = fn();
    for (let i = 0; i < 2 && r.status === 1; i++) {
      const sense = this.requestSense();
      if (sense.key !== 6) break;
      this.attentions = (this.attentions || 0) + 1;
      r = fn();
    }
    return r;
  }
  read(lba, n) {
    const t0 = this.host.board.nanos;
    const r = this.retry(() => this.command(this.rw10(0x28, lba, n), 'in', n * BLOCK));
    this.log.push({ op: 'read', lba, n, t0, t1: this.host.board.nanos });
    if (r.status) throw new Error(`READ(10) ${lba}+${n}: status ${r.status}`);
    return r.data;
  }
  write(lba, data) {
    const n = data.length / BLOCK, t0 = this.host.board.nanos;
    const r = this.retry(() => this.command(this.rw10(0x2a, lba, n), 'out', data.length, data));
    this.log.push({ op: 'write', lba, n, t0, t1: this.host.board.nanos });
    if (r.status) throw new Error(`WRITE(10) ${lba}+${n}: status ${r.status}`);
  }

  // What a host does when it sees a new disk: INQUIRY, TEST UNIT READY (a unit attention after
  // a media change is read with REQUEST SENSE and the command tried again), READ CAPACITY.
  attach() {
    const inq = this.inquiry();
    if (inq.status) throw new Error('INQUIRY failed');
    for (let i = 0; i < 3; i++) {
      if (this.testUnitReady().status === 0) break;
      this.requestSense();
    }
    const cap = this.readCapacity();
    if (cap.status) throw new Error('READ CAPACITY failed');
    this.blocks = cap.blocks;
    return { vendor: Buffer.from(inq.data.subarray(8, 16)).toString().trim(), removable: !!(inq.data[1] & 0x80), ...cap };
  }

  // The whole volume, read as an OS fills its cache: up to 64 blocks per READ(10).
  readAll() {
    const img = new Uint8Array(this.blocks * BLOCK);
    for (let lba = 0; lba < this.blocks; lba += 64) {
      const n = Math.min(64, this.blocks - lba);
      img.set(this.read(lba, n), lba * BLOCK);
    }
    return img;
  }

  // Re-reads what a host needs after the medium changed: the boot sector, FATs and root
  // directory, and the clusters the FAT says are in use (FAT12/16, from the boot sector's
  // fields); the rest of `cache` stays as it was.
  readUsed(cache) {
    const b0 = this.read(0, 1), dv = new DataView(b0.buffer);
    const rsvd = dv.getUint16(14, true), nfats = b0[16], rootEnt = dv.getUint16(17, true);
    const fatSz = dv.getUint16(22, true), spc = b0[13];
    const total = dv.getUint16(19, true) || dv.getUint32(32, true);
    const dataStart = rsvd + nfats * fatSz + Math.ceil((rootEnt * 32) / BLOCK);
    const readRange = (from, to) => {
      for (let lba = from; lba < to; lba += 64) {
        const n = Math.min(64, to - lba);
        cache.set(this.read(lba, n), lba * BLOCK);
      }
    };
    readRange(0, dataStart);
    const clusters = Math.floor((total - dataStart) / spc);
    const fat = cache.subarray(rsvd * BLOCK, (rsvd + fatSz) * BLOCK);
    const fat12 = clusters < 4085;
    let maxUsed = 1;
    for (let c = 2; c < clusters + 2; c++) {
      let v;
      if (fat12) { const o = c + (c >> 1); v = c & 1 ? (fat[o] >> 4) | (fat[o + 1] << 4) : fat[o] | ((fat[o + 1] & 15) << 8); }
      else v = fat[2 * c] | (fat[2 * c + 1] << 8);
      if (v) maxUsed = c;
    }
    if (maxUsed >= 2) readRange(dataStart, dataStart + (maxUsed - 1) * spc);
    return cache;
  }

  // Writes back the blocks where `next` differs from `prev`, in runs of consecutive blocks
  // (what an OS's write-back does after the file system changed its copy). Returns the runs.
  writeChanged(prev, next) {
    const runs = [];
    for (let b = 0; b < this.blocks; b++) {
      const o = b * BLOCK;
      let same = true;
      for (let i = 0; i < BLOCK; i++) if (prev[o + i] !== next[o + i]) { same = false; break; }
      if (same) continue;
      const last = runs[runs.length - 1];
      if (last && last.lba + last.n === b && last.n < 64) last.n++;
      else runs.push({ lba: b, n: 1 });
    }
    for (const r of runs) this.write(r.lba, next.subarray(r.lba * BLOCK, (r.lba + r.n) * BLOCK));
    return runs;
  }
}

// A copy of the volume as a file, changed with mtools (mcopy/mdel/mtype), never by hand.
export class HostVolume {
  constructor(image) {
    this.dir = mkdtempSync(join(tmpdir(), 'kestrel-msc-'));
    this.path = join(this.dir, 'volume.img');
    writeFileSync(this.path, image);
  }
  bytes() { return new Uint8Array(readFileSync(this.path)); }
  mt(cmd, ...args) {
    return execFileSync(cmd, ['-i', this.path, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MTOOLS_SKIP_CHECK: '1', MTOOLS_NO_VFAT: '0' } });
  }
  list() { return this.mt('mdir', '-b', '::/').split('\n').filter(Boolean).map((l) => l.replace(/^::\//, '')); }
  read(name) { return this.mt('mtype', `::/${name}`); }
  has(name) { try { this.mt('mtype', `::/${name}`); return true; } catch { return false; } }
  write(name, text) {
    const src = join(this.dir, 'upload');
    writeFileSync(src, text);
    this.mt('mcopy', '-o', '-D', 'o', src, `::/${name}`);
  }
  del(name) { this.mt('mdel', `::/${name}`); }
  fsck() {
    try {
      execFileSync('fsck.fat', ['-n', this.path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      return null;
    } catch (e) { return `${e.stdout || ''}${e.stderr || ''}`.trim(); }
  }
  close() { rmSync(this.dir, { recursive: true, force: true }); }
}
