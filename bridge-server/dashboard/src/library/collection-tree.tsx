import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { Collection } from '@stockroom/shared-types';
import { formatCount } from '../ui/format.ts';
import { ASSETS_DRAG, readDraggedAssets, type DraggedAsset } from './asset-drag.ts';

const COLLECTION_DRAG = 'application/x-stockroom-collection';

interface Node {
  collection: Collection;
  children: Node[];
}

/** Collections as a forest. One whose parent the viewer cannot see is shown at the top. */
function forest(collections: Collection[]): { roots: Node[]; parentOf: Map<string, string | null> } {
  const nodes = new Map(collections.map((c) => [c.id, { collection: c, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.collection.parentId ? nodes.get(node.collection.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return { roots, parentOf: new Map(collections.map((c) => [c.id, c.parentId && nodes.has(c.parentId) ? c.parentId : null])) };
}

/** The ids of a collection and everything below it: where it cannot be moved. */
export function selfAndBelow(collections: Collection[], id: string): Set<string> {
  const out = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of collections) {
      if (c.parentId && out.has(c.parentId) && !out.has(c.id)) {
        out.add(c.id);
        grew = true;
      }
    }
  }
  return out;
}

export interface CollectionTreeProps {
  collections: Collection[];
  /** Assets matching the current search directly in each collection (the server's facet counts), and in all. */
  counts: Map<string, number>;
  total: number | undefined;
  /** The counts, and the total, were estimated by the server (`facetsAreEstimate`, `totalIsEstimate`). */
  approximate: { counts: boolean; total: boolean };
  current: string;
  onOpen: (collectionId: string) => void;
  onMoveCollection: (id: string, parentId: string | null) => void;
  onDropAssets: (collectionId: string, assets: DraggedAsset[]) => void;
}

/**
 * The collections as a tree: open one to browse it, drag one onto another (or onto
 * "All assets" for the top level) to move it, drop assets from the grid onto one to move them.
 */
export function CollectionTree({ collections, counts, total, approximate, current, onOpen, onMoveCollection, onDropAssets }: CollectionTreeProps) {
  const { roots, parentOf } = useMemo(() => forest(collections), [collections]);
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState<string | null>(null);
  // dataTransfer cannot be read while dragging over, so the dragged collection is remembered here.
  const dragged = useRef<Set<string> | null>(null);

  // Opening a collection (a click, Back, a shared link) opens the way down to it.
  useEffect(() => {
    setExpanded((before) => {
      const next = new Set(before);
      for (let id = parentOf.get(current) ?? null; id; id = parentOf.get(id) ?? null) next.add(id);
      return next.size === before.size ? before : next;
    });
  }, [current, parentOf]);

  const accepts = (event: DragEvent, id: string | null) => {
    const types = event.dataTransfer.types;
    if (types.includes(COLLECTION_DRAG)) return dragged.current !== null && (id === null || !dragged.current.has(id));
    return id !== null && types.includes(ASSETS_DRAG);
  };
  const dropProps = (id: string | null) => ({
    onDragOver(event: DragEvent) {
      if (!accepts(event, id)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      setTarget(id ?? '');
    },
    onDragLeave() {
      setTarget((t) => (t === (id ?? '') ? null : t));
    },
    onDrop(event: DragEvent) {
      setTarget(null);
      if (!accepts(event, id)) return;
      event.preventDefault();
      const collection = event.dataTransfer.getData(COLLECTION_DRAG);
      if (collection) {
        if (collection !== id && parentOf.get(collection) !== id) onMoveCollection(collection, id);
        return;
      }
      const assets = readDraggedAssets(event.dataTransfer);
      if (id && assets.length) onDropAssets(id, assets);
    },
  });

  const renderNode = (node: Node, depth: number) => {
    const { id, name } = node.collection;
    const isOpen = expanded.has(id);
    const count = counts.get(id);
    return (
      <li key={id} data-collection={id}>
        <div
          className={`tree-row${id === current ? ' current' : ''}${target === id ? ' drop-target' : ''}`}
          style={{ paddingInlineStart: depth * 14 }}
          draggable
          onDragStart={(event) => {
            dragged.current = selfAndBelow(collections, id);
            event.dataTransfer.setData(COLLECTION_DRAG, id);
            event.dataTransfer.effectAllowed = 'move';
          }}
          onDragEnd={() => {
            dragged.current = null;
          }}
          {...dropProps(id)}
        >
          {node.children.length > 0 ? (
            <button
              type="button"
              className="tree-toggle"
              aria-expanded={isOpen}
              aria-label={`${isOpen ? 'Collapse' : 'Expand'} ${name}`}
              onClick={() => {
                const next = new Set(expanded);
                isOpen ? next.delete(id) : next.add(id);
                setExpanded(next);
              }}
            >
              {isOpen ? '▾' : '▸'}
            </button>
          ) : (
            <span className="tree-toggle" aria-hidden="true" />
          )}
          <button type="button" className="tree-name" aria-current={id === current ? 'true' : undefined} onClick={() => onOpen(id)}>
            {name}
          </button>
          <span className="facet-count">{count === undefined ? '' : formatCount(count, approximate.counts)}</span>
        </div>
        {isOpen && node.children.length > 0 && <ul>{node.children.map((child) => renderNode(child, depth + 1))}</ul>}
      </li>
    );
  };

  return (
    <nav className="collection-tree" aria-label="Collections">
      <h2>Collections</h2>
      <ul>
        <li>
          <div className={`tree-row${current === '' ? ' current' : ''}${target === '' ? ' drop-target' : ''}`} {...dropProps(null)}>
            <span className="tree-toggle" aria-hidden="true" />
            <button type="button" className="tree-name" aria-current={current === '' ? 'true' : undefined} onClick={() => onOpen('')}>
              All assets
            </button>
            <span className="facet-count">{total === undefined ? '' : formatCount(total, approximate.total)}</span>
          </div>
        </li>
        {roots.map((node) => renderNode(node, 0))}
      </ul>
      {collections.length === 0 && <p className="hint">No collections yet. An administrator creates them on the Collections page.</p>}
    </nav>
  );
}
