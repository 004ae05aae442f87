import { useRef, useState, type PointerEvent, type Ref } from 'react';
import type { CommentRegion } from '@stockroom/shared-types';

interface Props {
  kind: 'video' | 'audio' | 'image';
  src: string;
  poster?: string | null;
  label: string;
  /** The region to outline (the selected comment's). */
  region: CommentRegion | null;
  /** When set, dragging on the image draws a rectangle and reports it. */
  onDraw?: (region: CommentRegion | null) => void;
  /** The rectangle being drawn for a new comment. */
  drawn?: CommentRegion | null;
  mediaRef?: Ref<HTMLVideoElement & HTMLAudioElement>;
  testId?: string;
}

const clamp = (n: number) => Math.min(1, Math.max(0, n));

/** A version's player or image, with comment regions drawn over the image. */
export function ReviewMedia({ kind, src, poster, label, region, onDraw, drawn, mediaRef, testId }: Props) {
  if (kind === 'video') {
    return (
      <video ref={mediaRef} className="review-video" controls preload="auto" src={src} poster={poster ?? undefined} aria-label={label} data-testid={testId} />
    );
  }
  if (kind === 'audio') return <audio ref={mediaRef} controls preload="auto" src={src} aria-label={label} data-testid={testId} />;
  return <ImageWithRegions src={src} label={label} region={region} onDraw={onDraw} drawn={drawn ?? null} testId={testId} />;
}

function ImageWithRegions({
  src,
  label,
  region,
  onDraw,
  drawn,
  testId,
}: {
  src: string;
  label: string;
  region: CommentRegion | null;
  onDraw?: (r: CommentRegion | null) => void;
  drawn: CommentRegion | null;
  testId?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [start, setStart] = useState<{ x: number; y: number } | null>(null);
  const at = (e: PointerEvent) => {
    const rect = box.current!.getBoundingClientRect();
    return { x: clamp((e.clientX - rect.left) / rect.width), y: clamp((e.clientY - rect.top) / rect.height) };
  };
  const down = (e: PointerEvent) => {
    if (!onDraw) return;
    e.preventDefault();
    box.current!.setPointerCapture?.(e.pointerId);
    const p = at(e);
    setStart(p);
    onDraw({ x: p.x, y: p.y, width: 0, height: 0 });
  };
  const move = (e: PointerEvent) => {
    if (!onDraw || !start) return;
    const p = at(e);
    onDraw({ x: Math.min(start.x, p.x), y: Math.min(start.y, p.y), width: Math.abs(p.x - start.x), height: Math.abs(p.y - start.y) });
  };
  const up = () => setStart(null);
  return (
    <div ref={box} className={`region-box${onDraw ? ' drawing' : ''}`} onPointerDown={down} onPointerMove={move} onPointerUp={up} data-testid={testId}>
      <img src={src} alt={label} draggable={false} />
      {region && <Outline region={region} className="region" label="Region of the selected comment" />}
      {drawn && <Outline region={drawn} className="region new" label="Region of your new comment" />}
    </div>
  );
}

function Outline({ region, className, label }: { region: CommentRegion; className: string; label: string }) {
  return (
    <div
      className={className}
      role="img"
      aria-label={label}
      style={{ left: `${region.x * 100}%`, top: `${region.y * 100}%`, width: `${region.width * 100}%`, height: `${region.height * 100}%` }}
    />
  );
}
