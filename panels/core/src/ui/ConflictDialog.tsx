import type { CheckInConflict } from '../state/panel-state.ts';
import { formatWhen } from './format.ts';
import { usePanel } from './use-panel.ts';

/**
 * Shown when a check-in was refused because somebody else's change came first: what
 * happened (who, when, their comment) and the three ways on. Nothing was checked in.
 */
export function ConflictDialog() {
  const [state, panel] = usePanel();
  const conflict = state.conflict;
  if (!conflict) return null;
  const busy = state.busy[`checkin:${conflict.assetId}`] ?? state.busy[`latest:${conflict.assetId}`] ?? state.busy[`copy:${conflict.assetId}`];
  return (
    <div className="sr-overlay">
      <div className="sr-dialog" role="alertdialog" aria-modal="true" aria-labelledby="sr-conflict-title" data-testid="conflict-dialog">
        <h2 className="sr-heading" id="sr-conflict-title">
          {conflict.step === 'confirm' ? `Replace version ${conflict.headVersion}?` : 'Not checked in'}
        </h2>
        {conflict.step === 'confirm' ? <ConfirmOverride conflict={conflict} /> : <WhatHappened conflict={conflict} />}
        {conflict.step === 'confirm' ? (
          <div className="sr-column sr-dialog__actions">
            <button
              className="sr-button sr-button--negative"
              disabled={!!busy}
              onClick={() => void panel.confirmCheckInAnyway()}
              data-testid="confirm-override"
            >
              {busy ?? `Replace and check in as version ${conflict.headVersion + 1}`}
            </button>
            <button className="sr-button" disabled={!!busy} onClick={() => panel.backToConflictChoices()}>
              Back
            </button>
          </div>
        ) : (
          <div className="sr-column sr-dialog__actions">
            <button className="sr-button sr-button--cta" disabled={!!busy} onClick={() => void panel.openLatestVersion()} data-testid="open-latest">
              {state.busy[`latest:${conflict.assetId}`] ?? (conflict.clipItemId ? 'Use the latest version in this project' : 'Open the latest version')}
            </button>
            {conflict.kind === 'changed' && conflict.headVersion > conflict.startedFrom && (
              <button className="sr-button" disabled={!!busy} onClick={() => panel.checkInAnyway()} data-testid="check-in-anyway">
                Check in anyway as a new version on top of v{conflict.headVersion}…
              </button>
            )}
            <button className="sr-button" disabled={!!busy} onClick={() => void panel.saveCopyElsewhere()} data-testid="save-copy">
              {state.busy[`copy:${conflict.assetId}`] ?? 'Save my copy elsewhere (as a new asset)'}
            </button>
            <button className="sr-button sr-button--quiet" disabled={!!busy} onClick={() => panel.closeConflict()}>
              Cancel — keep working
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

function WhatHappened({ conflict }: { conflict: CheckInConflict }) {
  if (conflict.kind === 'locked' && conflict.lock) {
    const { lock } = conflict;
    return (
      <div data-testid="conflict-details">
        <p className="sr-dialog__text">
          {lock.holder.name} has checked out {conflict.assetName} in {lock.clientApp} ({formatWhen(lock.since)}), so it cannot take your version now. Your{' '}
          {yours(conflict)} came from version {conflict.startedFrom}; the latest is version {conflict.headVersion}.
        </p>
        <NewerVersions conflict={conflict} />
      </div>
    );
  }
  return (
    <div data-testid="conflict-details">
      <p className="sr-dialog__text">
        Your {yours(conflict)} came from version {conflict.startedFrom} of {conflict.assetName}, but somebody checked in a newer version meanwhile. Checking
        yours in would silently replace their work, so nothing was checked in.
      </p>
      <NewerVersions conflict={conflict} />
    </div>
  );
}

function NewerVersions({ conflict }: { conflict: CheckInConflict }) {
  if (conflict.newer.length === 0) return null;
  return (
    <ul className="sr-list" data-testid="conflict-versions">
      {conflict.newer.map((version) => (
        <li key={version.number} className="sr-list__item" data-testid="conflict-version">
          <div className="sr-row sr-row--between">
            <strong>v{version.number}</strong>
            <span className="sr-muted" title={version.createdAt}>
              {version.author.name} · {formatWhen(version.createdAt)}
            </span>
          </div>
          <div className={version.comment ? '' : 'sr-muted'}>{version.comment ? `“${version.comment}”` : 'No comment'}</div>
        </li>
      ))}
    </ul>
  );
}

function ConfirmOverride({ conflict }: { conflict: CheckInConflict }) {
  const replaced = conflict.newer.filter((v) => v.number > conflict.startedFrom);
  const list = replaced.map((v) => `v${v.number} by ${v.author.name}`).join(', ');
  return (
    <div data-testid="override-details">
      <p className="sr-dialog__text">
        Your {yours(conflict)} becomes version {conflict.headVersion + 1}. It started from version {conflict.startedFrom}, so it does not contain the changes in{' '}
        {list}: they disappear from the latest version (they stay in the history, and can be restored).
      </p>
      <p className="sr-dialog__text sr-muted">The check-in is recorded as a deliberate replacement, with your name.</p>
    </div>
  );
}

/** What was refused: the active document, or the media file of a clip in the project (Premiere Pro). */
function yours(conflict: CheckInConflict): string {
  return conflict.clipItemId ? 'clip’s file' : 'document';
}
