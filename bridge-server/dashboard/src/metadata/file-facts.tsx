import type { Version } from '@stockroom/shared-types';
import { EmptyState } from '../ui/feedback.tsx';
import { formatDate, formatNumberLocal } from '../ui/format.ts';

type Facts = Record<string, unknown>;

const obj = (v: unknown): Facts | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Facts) : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

function dateText(value: string): string {
  const t = Date.parse(value);
  return Number.isNaN(t) ? value : formatDate(new Date(t).toISOString());
}

/** The rows to show from what the metadata job stored with a version (dimensions, EXIF/IPTC/XMP, probe facts). */
export function factRows(metadata: Facts): Array<[string, string]> {
  const rows: Array<[string, string | null]> = [];
  const width = num(metadata.width);
  const height = num(metadata.height);
  if (width && height) rows.push(['Dimensions', `${formatNumberLocal(width)} × ${formatNumberLocal(height)} ${obj(metadata.pdf) ? 'pt' : 'px'}`]);
  const seconds = num(metadata.durationSeconds);
  if (seconds !== null) rows.push(['Duration', duration(seconds)]);
  const image = obj(metadata.image);
  if (image) {
    rows.push(['Format', str(image.format)?.toUpperCase() ?? null]);
    const space = str(image.colourSpace);
    const depth = num(image.bitDepth);
    rows.push(['Colour', space ? `${space}${depth ? `, ${depth} bit` : ''}${image.hasAlpha === true ? ', with transparency' : ''}` : null]);
    rows.push(['Colour profile', str(image.colourProfile)]);
    const camera = obj(image.camera);
    rows.push(['Camera', camera ? [str(camera.make), str(camera.model)].filter(Boolean).join(' ') || null : null]);
    rows.push(['Lens', str(image.lens)]);
    const taken = str(image.captureTime);
    rows.push(['Taken', taken ? dateText(taken) : null]);
    rows.push(['Title', str(image.title)]);
    rows.push(['Caption', str(image.description)]);
    rows.push(['Creator', str(image.creator)]);
    rows.push(['Copyright', str(image.copyright)]);
    const gps = obj(image.gps);
    const lat = num(gps?.latitude);
    const lon = num(gps?.longitude);
    if (lat !== null && lon !== null)
      rows.push(['Location', `${formatNumberLocal(lat, { maximumFractionDigits: 5 })}, ${formatNumberLocal(lon, { maximumFractionDigits: 5 })}`]);
  }
  for (const key of ['video', 'audio'] as const) {
    const timed = obj(metadata[key]);
    if (!timed) continue;
    rows.push(['Container', str(timed.container)]);
    const video = obj(timed.video);
    if (video) {
      const fps = num(video.frameRate);
      rows.push(['Video', `${str(video.codec) ?? '?'}${fps ? `, ${formatNumberLocal(fps, { maximumFractionDigits: 3 })} fps` : ''}`]);
    }
    const audio = obj(timed.audio);
    if (audio) {
      const rate = num(audio.sampleRate);
      rows.push([
        'Audio',
        `${str(audio.codec) ?? '?'}${rate ? `, ${formatNumberLocal(rate / 1000, { maximumFractionDigits: 1 })} kHz` : ''}${num(audio.channels) ? `, ${audio.channels} channels` : ''}`,
      ]);
    }
    rows.push(['Timecode', str(timed.timecode)]);
    const created = str(timed.creationTime);
    rows.push(['Recorded', created ? dateText(created) : null]);
  }
  const pdf = obj(metadata.pdf);
  if (pdf)
    rows.push(['Pages', num(pdf.pageCount) !== null ? formatNumberLocal(num(pdf.pageCount)!) : null], ['Title', str(pdf.title)], ['Author', str(pdf.author)]);
  const keywords = Array.isArray(metadata.keywords) ? metadata.keywords.filter((k): k is string => typeof k === 'string') : [];
  if (keywords.length > 0) rows.push(['Embedded keywords', keywords.join(', ')]);
  return rows.filter((r): r is [string, string] => r[1] !== null && r[1] !== '');
}

/** What the file itself says (read when it was uploaded): read-only. */
export function FileFacts({ head }: { head: Version | null }) {
  const rows = head ? factRows(head.metadata) : [];
  return (
    <section className="card" aria-labelledby="facts-title">
      <h2 id="facts-title">From the file</h2>
      {rows.length === 0 ? (
        <EmptyState title="No facts read from this file yet.">
          They appear once the server has read the file (dimensions, camera, copyright, duration…).
        </EmptyState>
      ) : (
        <dl className="facts" data-testid="file-facts">
          {rows.map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {head && <p className="muted hint">Read from version {head.number}; edit the file and check in a new version to change these.</p>}
    </section>
  );
}
