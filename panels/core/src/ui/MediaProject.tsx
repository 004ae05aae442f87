import { useState } from 'react';
import type { PlacementStatus } from '../state/panel-state.ts';
import { formatBytes } from './format.ts';
import { usePanel } from './use-panel.ts';

/** Media hosts: the media folder, warnings about the project's settings, downloads and missing clips. */
export function MediaProjectHeader() {
  const [state, panel] = usePanel();
  const media = panel.media;
  if (!media) return null;
  const missing = state.placements.filter((p) => p.item.offline).length;
  const download = state.download;
  const holder = state.documentAsset?.lock && state.documentAsset.lock.holder.id !== state.user?.id ? state.documentAsset.lock : null;
  return (
    <div className="sr-section" data-testid="media-project">
      {holder && (
        <div className="sr-warning" data-testid="project-held-by">
          {holder.holder.name} has this project checked out (in {holder.clientApp}). Your changes cannot be checked in until they check it in or release it.
        </div>
      )}
      <div className="sr-row sr-row--between">
        <span className="sr-muted sr-ellipsis" data-testid="media-folder" title={state.mediaFolder ?? undefined}>
          Media folder: {state.mediaFolder ?? 'not chosen yet'}
        </span>
        <button className="sr-button sr-button--small" onClick={() => void media.chooseFolder()}>
          {state.mediaFolder ? 'Change' : 'Choose'}
        </button>
      </div>
      {state.ingestWarning && (
        <div className="sr-warning" data-testid="ingest-warning">
          {state.ingestWarning}
        </div>
      )}
      {download && (
        <div className="sr-progress" data-testid="download-progress">
          <div className="sr-progress__track">
            <div className="sr-progress__bar" style={{ width: `${download.total ? Math.floor((download.received / download.total) * 100) : 0}%` }} />
          </div>
          <div className="sr-muted">
            Downloading {download.fileName}: {formatBytes(download.received)} of {formatBytes(download.total)}
          </div>
        </div>
      )}
      <div className="sr-row sr-row--between">
        <span className="sr-muted">Review of exported sequences</span>
        <button
          className="sr-button sr-button--small"
          disabled={!!state.busy['sequence-markers']}
          onClick={() => void media.syncSequenceMarkers()}
          data-testid="sync-sequence-markers"
        >
          {state.busy['sequence-markers'] ?? 'Update sequence markers'}
        </button>
      </div>
      {missing > 0 && (
        <div className="sr-row sr-row--between">
          <span className="sr-badge sr-badge--update">{missing} missing</span>
          <button
            className="sr-button sr-button--small"
            disabled={!!state.busy['resolve-missing']}
            onClick={() => void media.resolveMissing()}
            data-testid="resolve-missing"
          >
            {state.busy['resolve-missing'] ?? 'Resolve missing'}
          </button>
        </div>
      )}
    </div>
  );
}

/** Media hosts: what a clip is (proxy, offline, where used) and what can be done to it. */
export function ClipActions({ placement }: { placement: PlacementStatus }) {
  const [state, panel] = usePanel();
  const media = panel.media;
  if (!media) return null;
  const { item } = placement;
  const busy = state.busy[`proxy:${item.itemId}`] ?? state.busy[`fullres:${item.itemId}`] ?? state.busy[`markers:${item.itemId}`];
  const imported = item.path.substring(item.path.replace(/\\/g, '/').lastIndexOf('/') + 1);
  const isProxyFile = /\.proxy\.mp4$/i.test(imported);
  return (
    <div className="sr-column" data-testid="clip-actions">
      <div className="sr-muted" data-testid="clip-usage">
        {item.offline ? 'Offline · ' : ''}
        {isProxyFile ? 'Imported as proxy' : item.proxy ? 'Proxy attached' : 'Original'}
        {' · '}
        {item.sequences && item.sequences.length > 0 ? `in ${item.sequences.join(', ')}` : 'in no sequence yet'}
      </div>
      <ClipCheckIn placement={placement} />
      <div className="sr-row sr-wrap">
        {!item.proxy && !item.offline && (
          <button className="sr-button sr-button--small" disabled={!!busy} onClick={() => void media.attachProxy(item.itemId)}>
            {state.busy[`proxy:${item.itemId}`] ?? 'Attach proxy'}
          </button>
        )}
        <button className="sr-button sr-button--small" disabled={!!busy} onClick={() => void media.syncMarkers(item.itemId)} data-testid="sync-markers">
          {state.busy[`markers:${item.itemId}`] ?? 'Update markers'}
        </button>
        {isProxyFile && !item.offline && (
          <button className="sr-button sr-button--small" disabled={!!busy} onClick={() => void media.reconnectFullResolution(item.itemId)}>
            {state.busy[`fullres:${item.itemId}`] ?? 'Reconnect full resolution'}
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * Check-in of a clip's file: open while the person has its asset checked out; otherwise
 * behind a button, against the version the clip plays (a newer version elsewhere then
 * opens the conflict dialog instead of being replaced).
 */
function ClipCheckIn({ placement }: { placement: PlacementStatus }) {
  const [state, panel] = usePanel();
  const [comment, setComment] = useState('');
  const [keepLocked, setKeepLocked] = useState(false);
  const [opened, setOpened] = useState(false);
  const media = panel.media;
  const { item } = placement;
  const asset = [...state.hits, state.selected].find((candidate) => candidate?.id === item.assetId);
  const mine = !!asset?.lock && asset.lock.holder.id === state.user?.id;
  const theirs = !!asset?.lock && !mine;
  if (!media || item.offline || theirs || (!mine && /\.proxy\.mp4$/i.test(item.path))) return null;
  const busy = state.busy[`checkin:${item.assetId}`];
  const upload = state.upload?.assetId === item.assetId ? state.upload : null;
  if (!mine && !opened && !busy) {
    return (
      <div className="sr-row">
        <button className="sr-button sr-button--small sr-button--quiet" onClick={() => setOpened(true)} data-testid="clip-checkin-open">
          Check in a changed file…
        </button>
      </div>
    );
  }
  return (
    <div className="sr-box" data-testid="clip-checkin" data-lock={mine ? 'mine' : 'none'}>
      {!mine && (
        <div className="sr-muted" data-testid="clip-checkin-basis">
          Not checked out to you: this check-in goes in only if version {item.version}, the one this clip plays, is still the latest.
        </div>
      )}
      <textarea
        className="sr-input sr-textarea"
        placeholder="What changed in this clip?"
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        disabled={!!busy}
      />
      {mine && (
        <label className="sr-check">
          <input type="checkbox" checked={keepLocked} onChange={(event) => setKeepLocked(event.target.checked)} disabled={!!busy} />
          <span>Keep it checked out after check-in</span>
        </label>
      )}
      {upload && (
        <div className="sr-muted" data-testid="clip-upload-status">
          {upload.phase === 'hashing' ? 'Preparing' : upload.phase === 'resuming' ? 'Connection lost, resuming' : 'Uploading'} {formatBytes(upload.sent)} of{' '}
          {formatBytes(upload.total)}
        </div>
      )}
      <div className="sr-row">
        <button
          className="sr-button sr-button--cta sr-button--small"
          disabled={!!busy}
          onClick={() =>
            void media.checkInClip(item.itemId, comment, mine && keepLocked).then(() => {
              setComment('');
              setOpened(false);
            })
          }
          data-testid="clip-checkin-button"
        >
          {busy ?? 'Check in this clip'}
        </button>
        {!mine && !busy && (
          <button className="sr-button sr-button--small sr-button--quiet" onClick={() => setOpened(false)}>
            Cancel
          </button>
        )}
      </div>
    </div>
  );
}
