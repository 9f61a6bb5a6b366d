// Enumeration as a host does it, with every descriptor checked against USB 2.0 chapter 9 and
// HID 1.11 (lengths, types, class codes, endpoint attributes, report descriptor items).
import { setup } from './usbhost.mjs';

export class Checks {
  constructor() { this.failures = []; this.count = 0; }
  ok(cond, what) { this.count++; if (!cond) this.failures.push(what); return cond; }
  eq(a, b, what) { return this.ok(a === b, `${what}: got ${fmt(a)}, expected ${fmt(b)}`); }
}
const fmt = (v) => (typeof v === 'number' ? `${v} (0x${v.toString(16)})` : JSON.stringify(v));
const u16 = (b, o) => b[o] | (b[o + 1] << 8);

// Parses a configuration descriptor set into interfaces, HID descriptors and endpoints.
export function parseConfiguration(b, ck) {
  const cfg = { interfaces: [], endpoints: [], hids: [] };
  ck.eq(b[0], 9, 'configuration bLength');
  ck.eq(b[1], 2, 'configuration bDescriptorType');
  cfg.totalLength = u16(b, 2);
  ck.eq(cfg.totalLength, b.length, 'configuration wTotalLength vs bytes returned');
  cfg.numInterfaces = b[4];
  cfg.value = b[5];
  ck.ok(cfg.value >= 1, 'bConfigurationValue must be non-zero');
  ck.ok((b[7] & 0x80) && !(b[7] & 0x1f), `bmAttributes 0x${b[7].toString(16)}: bit 7 set, bits 4..0 reserved`);
  cfg.remoteWakeup = !!(b[7] & 0x20);
  ck.ok(b[8] >= 1 && b[8] <= 250, `bMaxPower ${b[8]} (x2 mA) must be 1..250`);
  let o = b[0], iface = null;
  while (o < b.length) {
    const len = b[o], type = b[o + 1];
    if (!ck.ok(len >= 2 && o + len <= b.length, `descriptor at ${o}: length ${len} runs past the end`)) break;
    const d = b.subarray(o, o + len);
    if (type === 4) {
      ck.eq(len, 9, `interface ${d[2]} bLength`);
      iface = { number: d[2], alt: d[3], numEndpoints: d[4], cls: d[5], subclass: d[6], protocol: d[7], eps: [], hid: null };
      ck.eq(iface.alt, 0, `interface ${d[2]} bAlternateSetting`);
      ck.eq(iface.number, cfg.interfaces.length, 'interfaces numbered 0, 1, ... in order');
      // HID, or the keyboard's drive: mass storage, SCSI transparent, bulk-only (MSC BOT 1.0)
      ck.ok(iface.cls === 3 || iface.cls === 8, `interface ${d[2]} bInterfaceClass ${iface.cls} (HID or mass storage)`);
      if (iface.cls === 8) {
        ck.eq(iface.subclass, 6, `interface ${d[2]} mass storage subclass (SCSI)`);
        ck.eq(iface.protocol, 0x50, `interface ${d[2]} mass storage protocol (bulk-only)`);
      } else {
        ck.ok(iface.subclass === 0 || iface.subclass === 1, `interface ${d[2]} bInterfaceSubClass ${iface.subclass}`);
        ck.ok(iface.subclass === 1 ? iface.protocol === 1 || iface.protocol === 2 : iface.protocol === 0,
              `interface ${d[2]}: protocol ${iface.protocol} with subclass ${iface.subclass}`);
      }
      cfg.interfaces.push(iface);
    } else if (type === 0x21) {
      ck.ok(iface && !iface.hid && iface.eps.length === 0, 'HID descriptor follows its interface, before the endpoints');
      ck.eq(len, 9, 'HID descriptor bLength (one class descriptor)');
      const hid = { bcd: u16(d, 2), country: d[4], num: d[5], type: d[6], reportLength: u16(d, 7) };
      ck.eq(hid.bcd, 0x0111, 'bcdHID');
      ck.eq(hid.num, 1, 'HID bNumDescriptors');
      ck.eq(hid.type, 0x22, 'HID class descriptor type (report)');
      ck.ok(hid.country <= 35, 'bCountryCode');
      if (iface) iface.hid = hid;
    } else if (type === 5) {
      ck.eq(len, 7, 'endpoint bLength');
      const ep = { address: d[2], attributes: d[3], mps: u16(d, 4), interval: d[6], iface: iface ? iface.number : -1 };
      ck.ok((ep.address & 0x70) === 0 && (ep.address & 15) !== 0, `endpoint address 0x${ep.address.toString(16)}`);
      ck.ok(!cfg.endpoints.some((e) => e.address === ep.address), `endpoint 0x${ep.address.toString(16)} declared twice`);
      if (iface && iface.cls === 8) {
        ck.eq(ep.attributes, 2, `endpoint 0x${ep.address.toString(16)} bmAttributes (bulk)`);
        ck.ok([8, 16, 32, 64].includes(ep.mps), `bulk endpoint 0x${ep.address.toString(16)} wMaxPacketSize ${ep.mps} (full speed: 8..64)`);
      } else {
        ck.eq(ep.attributes, 3, `endpoint 0x${ep.address.toString(16)} bmAttributes (interrupt)`);
        ck.ok(ep.mps >= 1 && ep.mps <= 64, `endpoint 0x${ep.address.toString(16)} wMaxPacketSize ${ep.mps} (full speed: 1..64)`);
        ck.ok(ep.interval >= 1 && ep.interval <= 255, `endpoint bInterval ${ep.interval}`);
      }
      if (iface) iface.eps.push(ep);
      cfg.endpoints.push(ep);
    } else {
      ck.ok(false, `unexpected descriptor type 0x${type.toString(16)} in the configuration`);
    }
    o += len;
  }
  ck.eq(cfg.interfaces.length, cfg.numInterfaces, 'bNumInterfaces');
  for (const i of cfg.interfaces) {
    ck.eq(i.eps.length, i.numEndpoints, `interface ${i.number} bNumEndpoints`);
    if (i.cls === 8) {
      ck.ok(i.eps.some((e) => e.address & 0x80) && i.eps.some((e) => !(e.address & 0x80)), `interface ${i.number}: bulk IN and OUT`);
      continue;
    }
    ck.ok(!!i.hid, `interface ${i.number} has a HID descriptor`);
    ck.ok(i.eps.some((e) => e.address & 0x80), `interface ${i.number} has an interrupt IN endpoint`);
  }
  return cfg;
}

// HID 1.11 §6.2.2 item parser: returns {reports: Map(id -> {input, output, feature} bits),
// usagePages: Set, collections}, recording problems as failures.
export function parseReportDescriptor(d, ck, name) {
  const g = { page: 0, lmin: 0, lmax: 0, size: 0, count: 0, id: 0 };
  const stack = [];
  const reports = new Map();
  const usages = [];
  const pages = new Set();
  const topUsages = [];
  let depth = 0, usedIds = false, usesNoId = false, i = 0;
  const bits = (id) => { if (!reports.has(id)) reports.set(id, { input: 0, output: 0, feature: 0 }); return reports.get(id); };
  while (i < d.length) {
    const p = d[i];
    if (p === 0xfe) { ck.ok(false, `${name}: long item at ${i}`); break; }
    const size = [0, 1, 2, 4][p & 3], type = (p >> 2) & 3, tag = p >> 4;
    if (!ck.ok(i + 1 + size <= d.length, `${name}: item at ${i} runs past the end`)) break;
    let u = 0;
    for (let k = 0; k < size; k++) u |= d[i + 1 + k] << (8 * k);
    u >>>= 0;
    const s = size === 1 ? (u << 24) >> 24 : size === 2 ? (u << 16) >> 16 : u | 0;
    if (type === 0) { // main
      if (tag === 8 || tag === 9 || tag === 11) {
        ck.ok(depth > 0, `${name}: main item outside any collection at ${i}`);
        ck.ok(g.size > 0 && g.count > 0, `${name}: main item at ${i} without report size/count`);
        if (g.id) usedIds = true; else usesNoId = true;
        const r = bits(g.id);
        r[tag === 8 ? 'input' : tag === 9 ? 'output' : 'feature'] += g.size * g.count;
        const isConst = u & 1, isVar = u & 2;
        if (!isConst) {
          ck.ok(usages.length > 0, `${name}: data item at ${i} declares no usage`);
          if (!isVar) ck.ok(g.lmin >= 0 && g.lmax >= g.lmin, `${name}: array item at ${i} logical range`);
        }
        usages.length = 0;
      } else if (tag === 10) { // collection
        if (depth === 0) topUsages.push(usages[0]);
        ck.ok(usages.length > 0 || depth > 0, `${name}: collection at ${i} without a usage`);
        depth++; usages.length = 0;
      } else if (tag === 12) { // end collection
        ck.ok(depth > 0, `${name}: end collection at ${i} without a collection`);
        depth--;
      } else ck.ok(false, `${name}: unknown main item tag ${tag} at ${i}`);
    } else if (type === 1) { // global
      switch (tag) {
        case 0: g.page = u; pages.add(u); ck.ok(u !== 0, `${name}: usage page 0 at ${i}`); break;
        case 1: g.lmin = s; break;
        case 2: g.lmax = s; break;
        case 7: g.size = u; break;
        case 8: ck.ok(u > 0 && u < 256, `${name}: report ID ${u} at ${i}`); g.id = u; break;
        case 9: g.count = u; break;
        case 10: stack.push({ ...g }); break;
        case 11: ck.ok(stack.length > 0, `${name}: pop without push`); Object.assign(g, stack.pop() || {}); break;
        case 3: case 4: case 5: case 6: break; // physical min/max, unit exponent, unit
        default: ck.ok(false, `${name}: unknown global item tag ${tag} at ${i}`);
      }
    } else if (type === 2) { // local
      if (tag === 0 || tag === 1 || tag === 2) usages.push(size === 4 ? u : (g.page << 16) | u);
      else if (tag > 10) ck.ok(false, `${name}: unknown local item tag ${tag} at ${i}`);
    } else ck.ok(false, `${name}: reserved item type at ${i}`);
    i += 1 + size;
  }
  ck.eq(depth, 0, `${name}: collections balanced`);
  ck.ok(!(usedIds && usesNoId), `${name}: report IDs used for some reports but not all`);
  for (const [id, r] of reports) for (const k of ['input', 'output', 'feature'])
    ck.ok(r[k] % 8 === 0, `${name}: report ${id} ${k} is ${r[k]} bits, not whole bytes`);
  return { reports, pages, topUsages };
}

// Enumerates like Linux does; returns everything read. Throws on a transfer that fails.
export function enumerate(host, ck, { expect = {} } = {}) {
  const must = (c, what) => { if (c.result !== 'ok') throw new Error(`${what}: ${c.result}`); return c.bytes; };
  const dev0 = must(host.xfer(setup(0x80, 6, 0x0100, 0, 64)), 'GET_DESCRIPTOR(device) at address 0');
  ck.eq(dev0.length, 18, 'device descriptor length returned for wLength 64');
  must(host.xfer(setup(0x00, 5, 1, 0, 0)), 'SET_ADDRESS(1)');
  ck.eq(host.address, 1, 'address after SET_ADDRESS');
  const dev = must(host.xfer(setup(0x80, 6, 0x0100, 0, 18)), 'GET_DESCRIPTOR(device)');
  ck.eq(dev[0], 18, 'device bLength'); ck.eq(dev[1], 1, 'device bDescriptorType');
  ck.eq(u16(dev, 2), 0x0200, 'bcdUSB');
  ck.eq(dev[4], 0, 'bDeviceClass (per interface)'); ck.eq(dev[5], 0, 'bDeviceSubClass'); ck.eq(dev[6], 0, 'bDeviceProtocol');
  ck.ok([8, 16, 32, 64].includes(dev[7]), `bMaxPacketSize0 ${dev[7]}`);
  ck.eq(dev[17], 1, 'bNumConfigurations');
  const info = { vid: u16(dev, 8), pid: u16(dev, 10), bcd: u16(dev, 12), dev };
  if (expect.vid !== undefined) ck.eq(info.vid, expect.vid, 'idVendor from the config');
  if (expect.pid !== undefined) ck.eq(info.pid, expect.pid, 'idProduct from the config');
  if (expect.bcd !== undefined) ck.eq(info.bcd, expect.bcd, 'bcdDevice from the config');
  const head = must(host.xfer(setup(0x80, 6, 0x0200, 0, 9)), 'GET_DESCRIPTOR(configuration, 9)');
  const total = u16(head, 2);
  const cfgb = must(host.xfer(setup(0x80, 6, 0x0200, 0, total)), 'GET_DESCRIPTOR(configuration)');
  info.config = parseConfiguration(cfgb, ck);
  info.configBytes = cfgb;
  const langs = must(host.xfer(setup(0x80, 6, 0x0300, 0, 255)), 'GET_DESCRIPTOR(string 0)');
  ck.ok(langs.length >= 4 && langs[0] === langs.length && langs[1] === 3, 'string 0 header');
  ck.ok(u16(langs, 2) === 0x0409, 'LANGID 0x0409 offered');
  info.strings = {};
  for (const [idx, name] of [[dev[14], 'manufacturer'], [dev[15], 'product'], [dev[16], 'serial']]) {
    ck.ok(idx > 0, `i${name} set`);
    if (!idx) continue;
    const s = must(host.xfer(setup(0x80, 6, 0x0300 | idx, 0x0409, 255)), `GET_DESCRIPTOR(string ${idx})`);
    ck.ok(s[0] === s.length && s[1] === 3 && s.length % 2 === 0, `string ${idx} header`);
    let t = '';
    for (let k = 2; k + 1 < s.length; k += 2) t += String.fromCharCode(u16(s, k));
    info.strings[name] = t;
  }
  if (expect.product !== undefined) ck.eq(info.strings.product, expect.product, 'product string from the config');
  if (expect.manufacturer !== undefined) ck.eq(info.strings.manufacturer, expect.manufacturer, 'manufacturer string from the config');
  ck.ok(/^[0-9A-F]{16}$/.test(info.strings.serial || ''), `serial number ${JSON.stringify(info.strings.serial)} is 16 hex digits`);
  if (expect.serial !== undefined) ck.eq(info.strings.serial, expect.serial, 'serial number from the flash unique ID');
  // The pipes exist before SET_CONFIGURATION: the device may arm its bulk OUT endpoint (the
  // drive waiting for a command) while it handles the request.
  host.openEndpoints(info.config.endpoints);
  must(host.xfer(setup(0x00, 9, info.config.value, 0, 0)), 'SET_CONFIGURATION');
  const cf = must(host.xfer(setup(0x80, 8, 0, 0, 1)), 'GET_CONFIGURATION');
  ck.eq(cf[0], info.config.value, 'GET_CONFIGURATION after SET_CONFIGURATION');
  info.reports = [];
  for (const i of info.config.interfaces) {
    if (i.cls === 8) { // the drive: one logical unit
      const lun = must(host.xfer(setup(0xa1, 0xfe, 0, i.number, 1)), `GET_MAX_LUN interface ${i.number}`);
      ck.eq(lun[0], 0, 'GET_MAX_LUN: one logical unit');
      info.msc = i;
      continue;
    }
    must(host.xfer(setup(0x21, 0x0a, 0, i.number, 0)), `SET_IDLE(0) interface ${i.number}`);
    const len = i.hid ? i.hid.reportLength : 0;
    const rd = must(host.xfer(setup(0x81, 6, 0x2200, i.number, len + 64)), `GET_DESCRIPTOR(report) interface ${i.number}`);
    ck.eq(rd.length, len, `interface ${i.number} report descriptor length vs HID wDescriptorLength`);
    const parsed = parseReportDescriptor(rd, ck, `interface ${i.number} report descriptor`);
    i.report = parsed;
    i.reportBytes = rd;
    const maxIn = Math.max(...[...parsed.reports].map(([id, r]) => r.input / 8 + (id ? 1 : 0)));
    for (const e of i.eps) if (e.address & 0x80) ck.ok(e.mps >= maxIn, `interface ${i.number}: wMaxPacketSize ${e.mps} holds the largest input report (${maxIn})`);
    if (expect.pollMs !== undefined) for (const e of i.eps) ck.eq(e.interval, expect.pollMs, `endpoint 0x${e.address.toString(16)} bInterval = usb.polling_interval`);
  }
  return info;
}
