import { useLayoutEffect, useRef, useState, type MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Link } from 'wouter';
import type { Asset } from '@stockroom/shared-types';
import { formatBytes, formatDate } from '../ui/format.ts';
import { writeDraggedAssets, type DraggedAsset } from './asset-drag.ts';
import { Thumbnail, useThumbnails } from './thumbnail.tsx';

const GAP = 12;
/** Height of a card below its square thumbnail (name and facts lines). */
const CAPTION = 52;

export interface Selection {
  isSelected(id: string): boolean;
  /** A click on a card's checkbox; with Shift it selects the range from the last clicked card. */
  toggle(index: number, event: MouseEvent): void;
}

function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(([entry]) => setWidth(entry!.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** A page of assets as a grid of thumbnails; only the rows in view (and a few around) are in the DOM. */
export function AssetGrid({
  assets,
  size,
  selection,
  busy,
  dragged,
}: {
  assets: Asset[];
  size: number;
  selection: Selection;
  busy: boolean;
  /** What dragging this card carries (it, or the selection it belongs to) onto a collection. */
  dragged: (asset: Asset) => DraggedAsset[];
}) {
  const thumbnails = useThumbnails(assets);
  const scroller = useRef<HTMLDivElement>(null);
  const width = useWidth(scroller);
  const columns = Math.max(1, Math.floor((width + GAP) / (size + GAP)));
  const rows = Math.ceil(assets.length / columns);
  const rowHeight = size + CAPTION + GAP;
  const virtualizer = useVirtualizer({ count: rows, getScrollElement: () => scroller.current, estimateSize: () => rowHeight, overscan: 3 });
  useLayoutEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);
  return (
    <div ref={scroller} className="library-scroll" aria-busy={busy} data-testid="asset-grid" tabIndex={0} aria-label="Assets, as thumbnails">
      <ul className="asset-grid" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) =>
          assets.slice(row.index * columns, row.index * columns + columns).map((asset, column) => {
            const index = row.index * columns + column;
            const selected = selection.isSelected(asset.id);
            return (
              <li
                key={asset.id}
                className={`asset-card${selected ? ' selected' : ''}`}
                draggable
                onDragStart={(event) => writeDraggedAssets(event.dataTransfer, dragged(asset))}
                style={{ width: size, height: size + CAPTION, transform: `translate(${column * (size + GAP)}px, ${row.start}px)` }}
              >
                <input
                  type="checkbox"
                  className="select"
                  aria-label={`Select ${asset.name}`}
                  checked={selected}
                  onClick={(event) => selection.toggle(index, event)}
                  readOnly
                />
                <Link href={`/assets/${asset.id}`} className="card-link">
                  <Thumbnail asset={asset} url={thumbnails.get(asset.id)} />
                  <span className="card-name">{asset.name}</span>
                </Link>
                <span className="card-facts">
                  {asset.kind}
                  {asset.head ? ` · ${formatBytes(asset.head.size)}` : ''}
                  {asset.lock ? <span className="badge warn">checked out</span> : null}
                </span>
              </li>
            );
          }),
        )}
      </ul>
    </div>
  );
}

/** The same page as a table with small thumbnails. */
export function AssetList({
  assets,
  selection,
  busy,
  dragged,
}: {
  assets: Asset[];
  selection: Selection;
  busy: boolean;
  dragged: (asset: Asset) => DraggedAsset[];
}) {
  const thumbnails = useThumbnails(assets);
  return (
    <table aria-busy={busy} className="asset-list">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Selected</span>
          </th>
          <th scope="col">
            <span className="visually-hidden">Thumbnail</span>
          </th>
          <th scope="col">Name</th>
          <th scope="col">Kind</th>
          <th scope="col">Version</th>
          <th scope="col">Size</th>
          <th scope="col">Checked out by</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {assets.map((asset, index) => (
          <tr
            key={asset.id}
            className={selection.isSelected(asset.id) ? 'selected' : undefined}
            draggable
            onDragStart={(event) => writeDraggedAssets(event.dataTransfer, dragged(asset))}
          >
            <td>
              <input
                type="checkbox"
                aria-label={`Select ${asset.name}`}
                checked={selection.isSelected(asset.id)}
                onClick={(event) => selection.toggle(index, event)}
                readOnly
              />
            </td>
            <td className="list-thumb">
              <Thumbnail asset={asset} url={thumbnails.get(asset.id)} />
            </td>
            <td>
              <Link href={`/assets/${asset.id}`}>{asset.name}</Link>
            </td>
            <td>{asset.kind}</td>
            <td>{asset.headVersion}</td>
            <td>{asset.head ? formatBytes(asset.head.size) : '—'}</td>
            <td>{asset.lock ? `${asset.lock.holder.name} (${asset.lock.clientApp})` : '—'}</td>
            <td>{formatDate(asset.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
