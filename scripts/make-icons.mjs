// Draws Sluice's icons (a sluice gate over flowing water) and writes them as PNGs, with no
// dependency beyond Node: a tiny supersampling rasteriser and a PNG encoder on node:zlib.
//
//   node scripts/make-icons.mjs           write build/icon.png and build/tray/*.png
//   node scripts/make-icons.mjs --check   exit 1 if a committed icon differs from what this draws
//
// build/icon.png (512x512) is what electron-builder turns into the .icns, .ico and Linux icon
// set; build/tray/ is copied next to the app (extraResources) for the tray icon at run time.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---- PNG encoding -------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Encodes straight (non-premultiplied) RGBA pixels as an 8-bit RGBA PNG. */
export function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Shapes, in unit coordinates (0..1, y down) -----------------------------------------

const rect =
  (x0, y0, x1, y1, r = 0) =>
  (u, v) => {
    if (u < x0 || u > x1 || v < y0 || v > y1) return false;
    if (r <= 0) return true;
    const dx = Math.max(x0 + r - u, 0, u - (x1 - r));
    const dy = Math.max(y0 + r - v, 0, v - (y1 - r));
    return dx * dx + dy * dy <= r * r;
  };
const and = (a, b) => (u, v) => a(u, v) && b(u, v);
const or =
  (...shapes) =>
  (u, v) =>
    shapes.some((shape) => shape(u, v));
const wave = (base, amplitude, periods, phase) => (u) => base + amplitude * Math.sin(2 * Math.PI * (u * periods + phase));
/** The band between two wavy lines. */
const waterBand = (top, bottom) => (u, v) => v >= top(u) && v <= bottom(u);

const mix = (a, b, t) => a.map((value, i) => value + (b[i] - value) * t);

// The gate: two posts under a beam, the raised gate leaf with two slats, water flowing beneath.
const posts = or(rect(0.23, 0.2, 0.31, 0.8, 0.015), rect(0.69, 0.2, 0.77, 0.8, 0.015));
const beam = rect(0.19, 0.18, 0.81, 0.27, 0.02);
const leaf = rect(0.335, 0.31, 0.665, 0.53, 0.02);
/** The rods that hold the raised leaf up from the beam. */
const rods = or(rect(0.4, 0.26, 0.43, 0.32), rect(0.57, 0.26, 0.6, 0.32));
const slats = or(rect(0.335, 0.385, 0.665, 0.4), rect(0.335, 0.445, 0.665, 0.46));
const water = waterBand(wave(0.6, 0.022, 2.5, 0.1), () => 0.95);
const ripple = waterBand(wave(0.7, 0.02, 2.5, 0.35), wave(0.735, 0.02, 2.5, 0.35));

function appIconLayers(margin) {
  const background = rect(margin, margin, 1 - margin, 1 - margin, 0.19);
  return [
    { shape: background, color: (_u, v) => [...mix([14, 74, 123], [11, 122, 117], v), 255] },
    { shape: and(background, water), color: () => [125, 211, 252, 255] },
    { shape: and(background, ripple), color: () => [186, 230, 253, 255] },
    { shape: or(posts, beam, rods), color: () => [232, 241, 248, 255] },
    { shape: leaf, color: () => [246, 196, 83, 255] },
    { shape: and(leaf, slats), color: () => [204, 146, 36, 255] },
  ];
}

/** macOS menu-bar template: black glyph on transparency (the system tints it). */
const templateLayers = [
  { shape: or(posts, beam, rods), color: () => [0, 0, 0, 255] },
  { shape: leaf, color: () => [0, 0, 0, 255] },
  { shape: and(rect(0.12, 0, 0.88, 1), waterBand(wave(0.66, 0.03, 1.5, 0.1), wave(0.79, 0.03, 1.5, 0.1))), color: () => [0, 0, 0, 255] },
];

/** Rasterises layers (painted in order) with `samples`² samples per pixel. */
export function render(size, layers, samples = 4) {
  const out = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const u = (x + (sx + 0.5) / samples) / size;
          const v = (y + (sy + 0.5) / samples) / size;
          // Premultiplied "over" compositing, bottom layer first.
          let pr = 0;
          let pg = 0;
          let pb = 0;
          let pa = 0;
          for (const layer of layers) {
            if (!layer.shape(u, v)) continue;
            const [cr, cg, cb, ca] = layer.color(u, v);
            const alpha = ca / 255;
            pr = cr * alpha + pr * (1 - alpha);
            pg = cg * alpha + pg * (1 - alpha);
            pb = cb * alpha + pb * (1 - alpha);
            pa = alpha + pa * (1 - alpha);
          }
          r += pr;
          g += pg;
          b += pb;
          a += pa;
        }
      }
      const n = samples * samples;
      const offset = (y * size + x) * 4;
      const alpha = a / n;
      out[offset] = alpha > 0 ? Math.round(r / n / alpha) : 0;
      out[offset + 1] = alpha > 0 ? Math.round(g / n / alpha) : 0;
      out[offset + 2] = alpha > 0 ? Math.round(b / n / alpha) : 0;
      out[offset + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

/** Every icon file, relative to the repository root, with its PNG bytes. */
export function renderIcons() {
  const png = (size, layers) => encodePng(size, size, render(size, layers));
  return {
    'build/icon.png': png(512, appIconLayers(0.08)),
    // Tray icons fill their square: the panel gives them no room to spare. @2x for HiDPI.
    'build/tray/tray.png': png(16, appIconLayers(0)),
    'build/tray/tray@2x.png': png(32, appIconLayers(0)),
    'build/tray/trayTemplate.png': png(16, templateLayers),
    'build/tray/trayTemplate@2x.png': png(32, templateLayers),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [relative, bytes] of Object.entries(renderIcons())) {
    const file = path.join(ROOT, relative);
    if (check) {
      if (!existsSync(file) || !readFileSync(file).equals(bytes)) {
        console.error(`${relative} is missing or out of date: run node scripts/make-icons.mjs`);
        stale++;
      }
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    console.log(`wrote ${relative} (${bytes.length} bytes)`);
  }
  if (stale) process.exit(1);
  if (check) console.log('icons are up to date');
}
