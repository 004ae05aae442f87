import { useCallback, useEffect, useRef, useState } from 'react';
import { blobSource, hashSource } from '@stockroom/bridge-client';
import { useQueryClient } from '@tanstack/react-query';
import { useCall } from '../data/methods.ts';
import { useSession } from '../session/session.tsx';
import { formatBytes, formatNumber } from '../ui/format.ts';
import { filesOfDrop, filesOfInput, type PickedFile } from './dropped-files.ts';

/** Small chunks: a pause or a dropped connection loses at most this much, and progress moves smoothly. */
const CHUNK_BYTES = 1024 * 1024;

type Status = 'waiting' | 'hashing' | 'duplicate' | 'uploading' | 'paused' | 'creating' | 'done' | 'skipped' | 'failed';

interface Item {
  key: number;
  picked: PickedFile;
  status: Status;
  sent: number;
  sha256?: string;
  duplicates?: Array<{ id: string; name: string }>;
  /** The user chose to upload it although the bytes are already in the library. */
  keepDuplicate?: boolean;
  resumedFrom?: number;
  assetId?: string;
  error?: string;
}

const STATUS_TEXT: Record<Status, string> = {
  waiting: 'Waiting',
  hashing: 'Checking for duplicates…',
  duplicate: 'Already in the library',
  uploading: 'Uploading',
  paused: 'Paused',
  creating: 'Adding to the library…',
  done: 'Done',
  skipped: 'Skipped',
  failed: 'Failed',
};

let nextKey = 1;

/**
 * Uploads files and folders into the collection being viewed: each file is hashed first
 * (a file whose bytes are already in the library asks before it is sent again), then sent
 * with tus in 1 MiB chunks — Pause keeps what the server has, Resume (also after a server
 * restart or a lost connection) continues from there — and becomes an asset.
 */
export function UploadPanel({
  collectionId,
  collectionName,
  incoming,
  onClose,
}: {
  collectionId: string | null;
  collectionName: string;
  incoming: PickedFile[];
  onClose: () => void;
}) {
  const { client } = useSession();
  const call = useCall();
  const queries = useQueryClient();
  const [items, setItems] = useState<Item[]>([]);
  const controllers = useRef(new Map<number, AbortController>());
  const active = useRef(false);

  const patch = useCallback((key: number, change: Partial<Item>) => setItems((all) => all.map((i) => (i.key === key ? { ...i, ...change } : i))), []);
  const add = useCallback((picked: PickedFile[]) => {
    const added = picked.map((p) => ({ key: nextKey++, picked: p, status: 'waiting' as Status, sent: 0 }));
    setItems((all) => [...all, ...added]);
  }, []);
  // Each drop on the library arrives once, however often this effect runs.
  const taken = useRef<PickedFile[] | null>(null);
  useEffect(() => {
    if (incoming.length === 0 || taken.current === incoming) return;
    taken.current = incoming;
    add(incoming);
  }, [incoming, add]);

  const run = useCallback(
    async (item: Item) => {
      const { file } = item.picked;
      try {
        let sha256 = item.sha256;
        if (!sha256) {
          patch(item.key, { status: 'hashing' });
          sha256 = await hashSource(blobSource(file));
          const found = await call('library.duplicates', { sha256: [sha256] });
          const duplicates = found.matches[0]?.assets ?? [];
          if (duplicates.length > 0 && !item.keepDuplicate) {
            patch(item.key, { status: 'duplicate', sha256, duplicates });
            return;
          }
          patch(item.key, { sha256 });
        }
        const controller = new AbortController();
        controllers.current.set(item.key, controller);
        patch(item.key, { status: 'uploading', error: undefined });
        const result = await client.upload(file, {
          sha256,
          fileName: file.name,
          ...(file.type ? { mimeType: file.type } : {}),
          chunkSize: CHUNK_BYTES,
          signal: controller.signal,
          onProgress: (sent) => patch(item.key, { sent }),
        });
        controllers.current.delete(item.key);
        patch(item.key, { status: 'creating', sent: file.size, resumedFrom: result.resumedFrom });
        const asset = await call('assets.create', {
          uploadId: result.uploadId,
          name: file.name,
          ...(collectionId ? { collectionId } : {}),
          ...(item.picked.folder ? { tags: [item.picked.folder.split('/').pop()!.slice(0, 100)] } : {}),
        });
        patch(item.key, { status: 'done', assetId: asset.id });
        void queries.invalidateQueries({ queryKey: ['assets.search'] });
      } catch (error) {
        const paused = controllers.current.get(item.key)?.signal.aborted;
        controllers.current.delete(item.key);
        patch(item.key, paused ? { status: 'paused' } : { status: 'failed', error: (error as Error).message });
      }
    },
    [call, client, collectionId, patch, queries],
  );

  // One file at a time, in the order given: the next waiting file starts when the current one settles.
  useEffect(() => {
    if (active.current) return;
    const next = items.find((i) => i.status === 'waiting');
    if (!next) return;
    active.current = true;
    void run(next).finally(() => {
      active.current = false;
      setItems((all) => [...all]);
    });
  }, [items, run]);

  const total = items.filter((i) => i.status !== 'skipped').reduce((sum, i) => sum + i.picked.file.size, 0);
  const sent = items.filter((i) => i.status !== 'skipped').reduce((sum, i) => sum + Math.min(i.sent, i.picked.file.size), 0);
  const done = items.filter((i) => i.status === 'done').length;

  return (
    <section className="upload-panel card" aria-labelledby="upload-title">
      <div className="upload-header">
        <h2 id="upload-title">Upload into {collectionName}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <div
        className="drop-zone"
        data-testid="drop-zone"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          void filesOfDrop(e.dataTransfer).then(add);
        }}
      >
        <p>Drop files or folders here, or</p>
        <label className="button">
          Choose files
          <input type="file" multiple className="visually-hidden" onChange={(e) => (add(filesOfInput(e.currentTarget.files!)), (e.currentTarget.value = ''))} />
        </label>
        <label className="button">
          Choose a folder
          <input
            type="file"
            multiple
            className="visually-hidden"
            {...{ webkitdirectory: '' }}
            onChange={(e) => (add(filesOfInput(e.currentTarget.files!)), (e.currentTarget.value = ''))}
          />
        </label>
        <p className="muted small">Files in a folder are tagged with the folder’s name. A file whose bytes are already in the library asks first.</p>
      </div>
      {items.length > 0 && (
        <>
          <div className="upload-total">
            <label>
              {formatNumber(done)} of {formatNumber(items.filter((i) => i.status !== 'skipped').length)} files · {formatBytes(sent)} of {formatBytes(total)}
              <progress value={sent} max={Math.max(total, 1)} aria-label="Total upload progress" />
            </label>
          </div>
          <ul className="upload-items">
            {items.map((item) => (
              <li
                key={item.key}
                data-testid="upload-item"
                data-status={item.status}
                data-resumed-from={item.resumedFrom ?? ''}
                aria-label={item.picked.file.name}
              >
                <span className="upload-name">
                  {item.picked.folder ? <span className="muted">{item.picked.folder}/</span> : null}
                  {item.picked.file.name}
                </span>
                <progress
                  value={Math.min(item.sent, item.picked.file.size)}
                  max={Math.max(item.picked.file.size, 1)}
                  aria-label={`${item.picked.file.name} progress`}
                />
                <span className="upload-status" role="status">
                  {STATUS_TEXT[item.status]}
                  {item.status === 'uploading' || item.status === 'paused' ? ` · ${formatBytes(item.sent)} of ${formatBytes(item.picked.file.size)}` : ''}
                  {item.status === 'done' && item.resumedFrom ? ` · resumed after ${formatBytes(item.resumedFrom)}` : ''}
                  {item.status === 'duplicate' && item.duplicates ? ` as ${item.duplicates.map((d) => d.name).join(', ')}` : ''}
                  {item.status === 'failed' && item.error ? `: ${item.error}` : ''}
                </span>
                {item.status === 'uploading' && (
                  <button type="button" onClick={() => controllers.current.get(item.key)?.abort()}>
                    Pause
                  </button>
                )}
                {(item.status === 'paused' || item.status === 'failed') && (
                  <button type="button" onClick={() => patch(item.key, { status: 'waiting' })}>
                    {item.status === 'paused' ? 'Resume' : 'Retry'}
                  </button>
                )}
                {item.status === 'duplicate' && (
                  <>
                    <button type="button" onClick={() => patch(item.key, { status: 'waiting', keepDuplicate: true })}>
                      Upload anyway
                    </button>
                    <button type="button" onClick={() => patch(item.key, { status: 'skipped' })}>
                      Skip
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
