// Draws images/icon.png, the extension's icon: a pipeline of four jobs in three stages (a build, two jobs
// that need it, one that needs both) on a rounded square, 128×128, antialiased by 4×4 supersampling.
// Run `node images/icon.mjs` after changing it.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const SIZE = 128;
const SAMPLES = 4;
const BACKGROUND = [0x1e, 0x1b, 0x3a];
const EDGE = [0xfc, 0xa3, 0x26];
const NODE = [0xfc, 0x6d, 0x26];
// jobs as pills (centre x, centre y), joined by right-angled lines as GitLab draws a pipeline's needs
const jobs = [
  [24, 64],
  [64, 40],
  [64, 88],
  [104, 64],
];
const PILL = { halfWidth: 14, halfHeight: 9 };
const lines = [
  [jobs[0], [44, 64]],
  [
    [44, 40],
    [44, 88],
  ],
  [[44, 40], jobs[1]],
  [[44, 88], jobs[2]],
  [jobs[1], [84, 40]],
  [jobs[2], [84, 88]],
  [
    [84, 40],
    [84, 88],
  ],
  [[84, 64], jobs[3]],
];

function insideRoundedSquare(x, y, margin = 4, radius = 24) {
  const lo = margin + radius;
  const hi = SIZE - margin - radius;
  const dx = Math.max(lo - x, 0, x - hi);
  const dy = Math.max(lo - y, 0, y - hi);
  return x >= margin && x <= SIZE - margin && y >= margin && y <= SIZE - margin && dx * dx + dy * dy <= radius ** 2;
}

function insidePill(dx, dy) {
  const r = PILL.halfHeight;
  const ex = Math.max(Math.abs(dx) - (PILL.halfWidth - r), 0);
  return Math.abs(dy) <= r && ex * ex + dy * dy <= r * r;
}

function distanceToSegment(x, y, [ax, ay], [bx, by]) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

/** The colour at a point, or undefined outside the icon. */
function colour(x, y) {
  if (!insideRoundedSquare(x, y)) return undefined;
  if (jobs.some(([jx, jy]) => insidePill(x - jx, y - jy))) return NODE;
  if (lines.some(([a, b]) => distanceToSegment(x, y, a, b) <= 3)) return EDGE;
  return BACKGROUND;
}

const rows = [];
for (let py = 0; py < SIZE; py++) {
  const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0: none
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0];
    let covered = 0;
    for (let sy = 0; sy < SAMPLES; sy++)
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = colour(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
        if (!c) continue;
        covered++;
        for (let i = 0; i < 3; i++) sum[i] += c[i];
      }
    const o = 1 + px * 4;
    for (let i = 0; i < 3; i++) row[o + i] = covered ? Math.round(sum[i] / covered) : 0;
    row[o + 3] = Math.round((255 * covered) / SAMPLES ** 2);
  }
  rows.push(row);
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bits per channel
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk("IHDR", header),
  chunk("IDAT", zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk("IEND", Buffer.alloc(0)),
]);
fs.writeFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), "icon.png"), png);
