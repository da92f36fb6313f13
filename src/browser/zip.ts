/**
 * A .zip of files stored uncompressed (method 0): one download holding a model folder, which
 * every unzip tool opens, built in a few lines rather than a dependency. Model files compress
 * little (weights.bin is quantized floats), so storing costs next to nothing.
 */
import { NerError } from '../core/errors.js';

/** A file for zipFiles and what modelFiles returns. */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/**
 * The bytes of a zip archive holding `files` under `folder/` (or at the top when `folder` is
 * omitted), dated now.
 *
 * @example
 * const zip = zipFiles(await modelFiles(result), 'my-model');
 * const url = URL.createObjectURL(new Blob([zip], { type: 'application/zip' }));
 */
export function zipFiles(files: readonly NamedBytes[], folder?: string): Uint8Array {
  const encoder = new TextEncoder();
  const { time, date } = dosTime(new Date());
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const file of files) {
    const name = encoder.encode(folder ? `${folder}/${file.name}` : file.name);
    // Without the zip64 extension sizes and offsets are 32-bit.
    if (offset + file.bytes.length + name.length + 30 > 0xffffffff) throw new NerError('E_USAGE', 'zipFiles: the files are over 4 GiB together', { hint: 'download the files one by one' });
    const crc = crc32(file.bytes);
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true); // version needed: 2.0
    l.setUint16(6, 0x0800, true); // names are UTF-8
    l.setUint16(10, time, true);
    l.setUint16(12, date, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, file.bytes.length, true);
    l.setUint32(22, file.bytes.length, true);
    l.setUint16(26, name.length, true);
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(8, 0x0800, true);
    c.setUint16(12, time, true);
    c.setUint16(14, date, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, file.bytes.length, true);
    c.setUint32(24, file.bytes.length, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local, file.bytes);
    centrals.push(central);
    offset += local.length + file.bytes.length;
  }
  const centralSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, files.length, true);
  e.setUint16(10, files.length, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);
  const parts = [...locals, ...centrals, end];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** MS-DOS time and date fields (local time, 2-second resolution; years from 1980). */
function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((Math.max(1980, d.getFullYear()) - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as zip and gzip use). */
function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
