import { useEffect, useState } from 'react';
import type { CheckInOutcome, PlacementStatus } from '../state/panel-state.ts';
import { AUDIO_EXTENSIONS, VIDEO_EXTENSIONS } from '../bridge/thumbnails.ts';
import { Thumbnail } from './Thumbnail.tsx';
import { formatBytes } from './format.ts';
import { LockBadge } from './LockBadge.tsx';
import { ClipActions, MediaProjectHeader } from './MediaProject.tsx';
import { usePanel } from './use-panel.ts';

/** The active document: Stockroom assets placed in it (with updates) and check-in. */
export function DocumentView() {
  const [state, panel] = usePanel();
  const doc = state.activeDocument;
  if (!doc) {
    return panel.media ? (
      <div className="sr-empty" data-testid="no-document">
        <div className="sr-empty__title">No project open</div>
        <div className="sr-muted">Open or create a project in Premiere Pro to import assets and see their updates here.</div>
      </div>
    ) : (
      <div className="sr-empty" data-testid="no-document">
        <div className="sr-empty__title">No document open</div>
        <div className="sr-muted">Open or create a document in Photoshop to place assets and see their updates here.</div>
      </div>
    );
  }
  const stale = state.placements.filter((p) => p.headVersion > p.item.version);
  return (
    <div className="sr-scroll" data-testid="document-view">
      <div className="sr-section">
        <div className="sr-row sr-row--between">
          <h2 className="sr-heading">{doc.name}</h2>
          {!doc.saved && <span className="sr-badge">Unsaved</span>}
        </div>
      </div>
      <MediaProjectHeader />
      <CheckInBox />
      <div className="sr-section">
        <div className="sr-row sr-row--between">
          <div className="sr-subheading">{panel.media ? 'Imported from Stockroom' : 'Placed from Stockroom'}</div>
          {stale.length > 1 && (
            <button className="sr-button sr-button--cta" onClick={() => void panel.updateAll()} data-testid="update-all">
              Update all ({stale.length})
            </button>
          )}
        </div>
        {state.placements.length === 0 ? (
          <div className="sr-muted" data-testid="no-placements">
            {panel.media
              ? 'Nothing from Stockroom in this project yet. Import an asset from Search and it shows up here, with updates.'
              : 'Nothing from Stockroom in this document yet. Place an asset from Search and it shows up here, with updates.'}
          </div>
        ) : (
          <ul className="sr-list" data-testid="placements">
            {state.placements.map((placement) => {
              const outdated = placement.headVersion > placement.item.version;
              const busy = state.busy[`update:${placement.item.itemId}`];
              return (
                <li key={placement.item.itemId} className="sr-list__item" data-testid="placement" data-item-id={placement.item.itemId}>
                  <div className="sr-row sr-row--between">
                    <PlacedThumbnail placement={placement} />
                    <span className="sr-ellipsis">{placement.assetName}</span>
                    <span className="sr-muted">
                      {panel.media ? '' : placement.item.linked ? 'Linked · ' : 'Embedded · '}v{placement.item.version}
                    </span>
                  </div>
                  <ClipActions placement={placement} />
                  {outdated && (
                    <div className="sr-row sr-row--between sr-update">
                      <span className="sr-badge sr-badge--update" data-testid="update-available">
                        Update available: v{placement.headVersion}
                      </span>
                      <button className="sr-button sr-button--small" disabled={!!busy} onClick={() => void panel.updatePlacement(placement.item.itemId)}>
                        {busy ?? 'Update'}
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </div>
  );
}

function CheckInBox() {
  const [state, panel] = usePanel();
  const [comment, setComment] = useState('');
  const [keepLocked, setKeepLocked] = useState(false);
  const origin = state.documentOrigin;
  if (!origin) return null;
  const assetId = origin.assetId;
  const asset = state.documentAsset?.id === assetId ? state.documentAsset : null;
  const busy = state.busy[`checkin:${assetId}`];
  const upload = state.upload?.assetId === assetId ? state.upload : null;
  const mine = !!asset?.lock && asset.lock.holder.id === state.user?.id;
  const done = state.lastCheckIn?.documentId === state.activeDocument?.id ? state.lastCheckIn : null;
  if (done && !busy) return <CheckedIn outcome={done} onAnother={() => panel.startAnotherCheckIn()} />;
  return (
    <div className="sr-section sr-box" data-testid="checkin" data-lock={mine ? 'mine' : asset?.lock ? 'theirs' : 'none'}>
      <div className="sr-row sr-row--between">
        <div className="sr-subheading">Check in</div>
        {asset && <LockBadge asset={asset} me={state.user} long />}
      </div>
      <div className="sr-muted" data-testid="checkin-basis">
        {mine
          ? `Checked out to you. Your document came from version ${origin.version}.`
          : `Not checked out to you: this check-in goes in only if version ${origin.version}, the one your document came from, is still the latest.`}
      </div>
      <textarea
        className="sr-input sr-textarea"
        placeholder="What changed? (shown in the version history)"
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
        <div className="sr-progress" data-testid="upload-progress">
          <div className="sr-progress__track">
            <div className="sr-progress__bar" style={{ width: `${upload.total ? Math.floor((upload.sent / upload.total) * 100) : 0}%` }} />
          </div>
          <div className="sr-muted" data-testid="upload-status">
            {phaseLabel(upload.phase)} {formatBytes(upload.sent)} of {formatBytes(upload.total)}
            {upload.attempts > 1 ? ` · attempt ${upload.attempts}` : ''}
          </div>
        </div>
      )}
      <div className="sr-row sr-wrap">
        <button
          className="sr-button sr-button--cta"
          disabled={!!busy}
          onClick={() => void panel.checkIn(comment, mine && keepLocked).then(() => setComment(''))}
          data-testid="checkin-button"
        >
          {busy ?? 'Save & check in'}
        </button>
        {asset && mine && (
          <button className="sr-button" disabled={!!busy} onClick={() => void panel.release(asset)}>
            Release
          </button>
        )}
      </div>
    </div>
  );
}

/** What the last check-in made, instead of the form (which would suggest nothing happened). */
function CheckedIn({ outcome, onAnother }: { outcome: CheckInOutcome; onAnother: () => void }) {
  return (
    <div className="sr-section sr-box sr-done" data-testid="checkin-done">
      <div className="sr-subheading">{outcome.newAsset ? 'Saved as a new asset' : 'Checked in'}</div>
      <div data-testid="checkin-done-text">
        {outcome.newAsset
          ? `Your copy is ${outcome.assetName}, version ${outcome.version}. This document checks in there from now on.`
          : `${outcome.assetName} is now version ${outcome.version}${outcome.replaced.length > 0 ? `, replacing ${outcome.replaced.map((n) => `v${n}`).join(', ')} (recorded)` : ''}. ` +
            LOCK_AFTER[outcome.lock]}
      </div>
      <div className="sr-row">
        <button className="sr-button" onClick={onAnother} data-testid="checkin-again">
          Check in more changes
        </button>
      </div>
    </div>
  );
}

const LOCK_AFTER: Record<CheckInOutcome['lock'], string> = {
  kept: 'It is still checked out to you.',
  released: 'Your check-out was released.',
  none: 'It was not checked out to you.',
};

function phaseLabel(phase: string): string {
  switch (phase) {
    case 'saving':
      return 'Saving a copy…';
    case 'hashing':
      return 'Preparing…';
    case 'resuming':
      return 'Connection lost, resuming…';
    case 'finishing':
      return 'Creating the new version…';
    default:
      return 'Uploading…';
  }
}

/** The placed version's thumbnail (a waveform for sound), from the file name the cache keeps. */
function PlacedThumbnail({ placement }: { placement: PlacementStatus }) {
  const [state, panel] = usePanel();
  const { assetId, version, path } = placement.item;
  const fileName = path.substring(path.lastIndexOf('/') + 1);
  useEffect(() => panel.requestPlacedThumbnail(assetId, version, fileName), [assetId, version, fileName]);
  const kind = AUDIO_EXTENSIONS.test(fileName) ? 'audio' : VIDEO_EXTENSIONS.test(fileName) ? 'video' : 'image';
  return (
    <div className="sr-placed-thumb" data-testid="placement-thumb">
      <Thumbnail asset={{ kind, head: { originalName: fileName } }} src={state.thumbnails[`${assetId}@${version}`]} size={40} />
    </div>
  );
}
