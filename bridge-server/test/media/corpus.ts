// A small corpus of real media, made on the spot with the same tools a studio's files come
// from (ffmpeg's lavfi sources, sharp, ag-psd, pdf-lib) plus deliberately broken files.
// Built once per corpus version into the repo's git-ignored .tmp/ and reused by every test file.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';
import { initializeCanvas, writePsdBuffer, type Psd } from 'ag-psd';
import { PDFDocument, rgb } from 'pdf-lib';
import sharp from 'sharp';

const run = promisify(execFile);
const CORPUS_VERSION = 4;
const ROOT = path.resolve(import.meta.dirname, '..', '..', '..', '.tmp', `media-corpus-v${CORPUS_VERSION}`);

const CORPUS_FILES = {
  jpegOrientation6: 'photo-orientation-6.jpg',
  cmykJpeg: 'print-cmyk.jpg',
  tiff16: 'scan-16bit.tiff',
  pngAlpha: 'cutout-alpha.png',
  svg: 'logo.svg',
  psd: 'layered.psd',
  psb: 'large-format.psb',
  h264: 'h264-1080p.mp4',
  hevc: 'hevc.mp4',
  prores: 'prores.mov',
  vp9: 'vp9.webm',
  portrait: 'portrait-phone.mp4',
  wav: 'tone.wav',
  mp3: 'tone.mp3',
  ogg: 'tone.ogg',
  flac: 'tone.flac',
  pdf: 'brand-guide.pdf',
  truncatedJpeg: 'truncated.jpg',
  truncatedMp4: 'truncated.mp4',
  randomPsd: 'random-bytes.psd',
  empty: 'empty.png',
  pixelBomb: 'bomb-30000x30000.png',
} as const;

export type CorpusName = keyof typeof CORPUS_FILES;
export type Corpus = Record<CorpusName, string>;

/** Facts the corpus was made with, so tests assert against the source of truth. */
export const MADE_WITH = {
  jpeg: {
    storedWidth: 600,
    storedHeight: 400,
    make: 'Canon',
    model: 'EOS R5',
    lens: 'RF24-70mm F2.8 L IS USM',
    copyright: '(c) Northwind Studio',
    keywords: ['beach', 'sunset'],
    latitude: 48.858333,
    longitude: 2.294444,
  },
  psd: { width: 1200, height: 800, layers: ['Background', 'Logo', 'Headline'] },
  psb: { width: 640, height: 480 },
  svg: { width: 200, height: 100 },
  pdf: { pages: 2, width: 595.28, height: 841.89, title: 'Brand guide' },
  h264: { width: 1920, height: 1080, fps: 25, seconds: 1, timecode: '01:00:00:00' },
  prores: { width: 640, height: 360, timecode: '10:00:00:00' },
  portrait: { codedWidth: 1280, codedHeight: 720 },
} as const;

let building: Promise<Corpus> | undefined;

/** The corpus folder, built on first use. */
export function ensureCorpus(): Promise<Corpus> {
  building ??= build();
  return building;
}

function paths(dir: string): Corpus {
  return Object.fromEntries(Object.entries(CORPUS_FILES).map(([key, file]) => [key, path.join(dir, file)])) as Corpus;
}

async function build(): Promise<Corpus> {
  if (existsSync(path.join(ROOT, 'complete'))) return paths(ROOT);
  // Built aside and renamed into place, so parallel test files never see half a corpus.
  const staging = `${ROOT}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await mkdir(staging, { recursive: true });
  const files = paths(staging);
  await Promise.all([makeStills(files), makePsds(files), makePdf(files), makeBrokenFiles(files)]);
  await makeClips(files);
  await makeTruncatedMp4(files);
  await writeFile(path.join(staging, 'complete'), new Date().toISOString());
  try {
    await rename(staging, ROOT);
  } catch {
    await rm(staging, { recursive: true, force: true }); // another test file won the race
  }
  return paths(ROOT);
}

const ffmpeg = (args: string[]) => run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args]);

/** An opaque picture whose top-left quarter is pure red, so a test can tell where "up" went. */
async function markedPicture(width: number, height: number) {
  const blue = { r: 30, g: 60, b: 200 };
  const { data, info } = await sharp({ create: { width, height, channels: 3, background: blue } })
    .composite([{ input: { create: { width: width / 2, height: height / 2, channels: 3, background: { r: 255, g: 0, b: 0 } } }, left: 0, top: 0 }])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } });
}

const XMP = (keywords: readonly string[], rights: string) =>
  `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
  `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>${keywords.map((k) => `<rdf:li>${k}</rdf:li>`).join('')}</rdf:Bag></dc:subject>` +
  `<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">${rights}</rdf:li></rdf:Alt></dc:rights></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

async function makeStills(files: Corpus): Promise<void> {
  const j = MADE_WITH.jpeg;
  // Stored landscape with orientation 6: a viewer turns it 90° clockwise into portrait.
  const picture = await (await markedPicture(j.storedWidth, j.storedHeight)).png().toBuffer();
  await sharp(picture)
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: j.make, Model: j.model, Copyright: j.copyright },
      IFD2: { LensModel: j.lens, DateTimeOriginal: '2024:05:06 07:08:09' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 17/1 40/1' },
    })
    .withMetadata({ orientation: 6 })
    .withXmp(XMP(j.keywords, j.copyright))
    .toFile(files.jpegOrientation6);

  await (await markedPicture(800, 600)).toColourspace('cmyk').jpeg({ quality: 90 }).toFile(files.cmykJpeg);
  await (await markedPicture(1000, 800)).toColourspace('rgb16').tiff({ compression: 'lzw' }).toFile(files.tiff16);

  // Left half opaque green, right half fully transparent.
  await sharp({ create: { width: 500, height: 500, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    .composite([{ input: { create: { width: 250, height: 500, channels: 4, background: { r: 0, g: 200, b: 0, alpha: 1 } } }, left: 0, top: 0 }])
    .png()
    .toFile(files.pngAlpha);

  const s = MADE_WITH.svg;
  await writeFile(
    files.svg,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${s.width}" height="${s.height}" viewBox="0 0 ${s.width} ${s.height}">` +
      `<rect width="${s.width / 2}" height="${s.height}" fill="#ff0000"/><circle cx="150" cy="50" r="40" fill="#0000ff"/></svg>`,
  );
}

// ag-psd writes ImageData-shaped pixel buffers; no canvas is needed when they are given directly.
initializeCanvas(
  () => {
    throw new Error('no canvas in tests');
  },
  ((width: number, height: number) => ({ width, height, data: new Uint8ClampedArray(width * height * 4) })) as unknown as Parameters<
    typeof initializeCanvas
  >[1],
);

function solid(width: number, height: number, [r, g, b, a]: [number, number, number, number]) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i += 1) data.set([r, g, b, a], i * 4);
  return { width, height, data, colorSpace: 'srgb' } as unknown as NonNullable<Psd['imageData']>;
}

async function makePsds(files: Corpus): Promise<void> {
  const { width, height, layers } = MADE_WITH.psd;
  const layer = (name: string, colour: [number, number, number, number], w: number = width, h: number = height) => ({
    name,
    top: 0,
    left: 0,
    right: w,
    bottom: h,
    imageData: solid(w, h, colour),
  });
  const psd: Psd = {
    width,
    height,
    // The merged composite, as Photoshop stores it with "Maximize compatibility".
    imageData: solid(width, height, [240, 120, 0, 255]),
    children: [layer(layers[0], [240, 120, 0, 255]), layer(layers[1], [0, 0, 255, 255], 200, 200), layer(layers[2], [255, 255, 255, 255], 400, 100)],
  };
  await writeFile(files.psd, writePsdBuffer(psd, { generateThumbnail: false }));
  const b = MADE_WITH.psb;
  await writeFile(
    files.psb,
    writePsdBuffer(
      {
        width: b.width,
        height: b.height,
        imageData: solid(b.width, b.height, [0, 128, 255, 255]),
        children: [layer('Only', [0, 128, 255, 255], b.width, b.height)],
      },
      { psb: true, generateThumbnail: false },
    ),
  );
}

async function makePdf(files: Corpus): Promise<void> {
  const p = MADE_WITH.pdf;
  const doc = await PDFDocument.create();
  doc.setTitle(p.title);
  doc.setKeywords(['brand', 'guide']);
  const page = doc.addPage([p.width, p.height]);
  page.drawRectangle({ x: 0, y: p.height / 2, width: p.width, height: p.height / 2, color: rgb(1, 0, 0) });
  page.drawText('Northwind brand guide', { x: 50, y: 100, size: 24 });
  doc.addPage([p.width, p.height]);
  await writeFile(files.pdf, await doc.save());
}

async function makeClips(files: Corpus): Promise<void> {
  const h = MADE_WITH.h264;
  const tone = (seconds: number) => ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`];
  const picture = (size: string, fps: number, seconds: number) => ['-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${fps}:duration=${seconds}`];
  await ffmpeg([
    ...picture(`${h.width}x${h.height}`, h.fps, h.seconds),
    ...tone(h.seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-timecode',
    h.timecode,
    '-shortest',
    files.h264,
  ]);
  await ffmpeg([
    ...picture('640x360', 25, 1),
    '-c:v',
    'libx265',
    '-preset',
    'ultrafast',
    '-x265-params',
    'log-level=error',
    '-tag:v',
    'hvc1',
    '-pix_fmt',
    'yuv420p',
    files.hevc,
  ]);
  await ffmpeg([
    ...picture(`${MADE_WITH.prores.width}x${MADE_WITH.prores.height}`, 25, 1),
    ...tone(1),
    '-c:v',
    'prores_ks',
    '-profile:v',
    '0',
    '-c:a',
    'pcm_s16le',
    '-timecode',
    MADE_WITH.prores.timecode,
    '-shortest',
    files.prores,
  ]);
  await ffmpeg([...picture('320x240', 25, 1), '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '300k', files.vp9]);
  // A phone held upright records landscape pixels plus a display matrix that turns them
  // 90° clockwise (ffprobe: rotation -90). ffmpeg 5.1 writes the matrix only when remuxing.
  const p = MADE_WITH.portrait;
  const landscape = `${files.portrait}.landscape.mp4`;
  await ffmpeg([
    ...picture(`${p.codedWidth}x${p.codedHeight}`, 30, 1),
    ...tone(1),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    landscape,
  ]);
  await ffmpeg(['-i', landscape, '-c', 'copy', '-metadata:s:v:0', 'rotate=270', files.portrait]);
  await rm(landscape);
  const stereo = [
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=44100:duration=1',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=660:sample_rate=44100:duration=1',
    '-filter_complex',
    '[0:a][1:a]join=inputs=2:channel_layout=stereo[a]',
    '-map',
    '[a]',
  ];
  await ffmpeg([...stereo, '-c:a', 'pcm_s16le', files.wav]);
  await ffmpeg([...stereo, '-c:a', 'libmp3lame', '-b:a', '128k', files.mp3]);
  await ffmpeg([...stereo, '-c:a', 'libvorbis', '-q:a', '3', files.ogg]);
  await ffmpeg([...stereo, '-c:a', 'flac', files.flac]);
}

async function makeTruncatedMp4(files: Corpus): Promise<void> {
  // Without faststart the index (moov) is written last, so cutting the tail loses it.
  const whole = await readFile(files.h264);
  await writeFile(files.truncatedMp4, whole.subarray(0, Math.floor(whole.length * 0.6)));
}

async function makeBrokenFiles(files: Corpus): Promise<void> {
  const jpeg = await (await markedPicture(1200, 900)).jpeg({ quality: 90 }).toBuffer();
  await writeFile(files.truncatedJpeg, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
  await writeFile(files.randomPsd, randomBytes(64 * 1024));
  await writeFile(files.empty, Buffer.alloc(0));
  await writeFile(files.pixelBomb, pixelBombPng(30_000, 30_000));
}

/**
 * A valid, fully decodable 1-bit greyscale PNG of the given size: a few hundred kilobytes
 * that would inflate to gigabytes of pixels. Written by hand because every encoder would
 * first hold the whole picture in memory.
 */
function pixelBombPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filter, no interlace
  const rowBytes = 1 + Math.ceil(width / 8); // filter byte + packed pixels, all zero
  const raw = Buffer.alloc(rowBytes * height);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
