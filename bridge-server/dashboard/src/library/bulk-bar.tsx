import { useState } from 'react';
import { ZIP_LIMIT, type BulkAction, type BulkResult, type BulkSelection, type Collection, type RegenerateMode } from '@stockroom/shared-types';
import { useQueryClient } from '@tanstack/react-query';
import { useMethod, useMethodMutation } from '../data/methods.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { ErrorNotice } from '../ui/feedback.tsx';
import { formatNumber } from '../ui/format.ts';
import { CollectionChoice } from './collection-choice.tsx';

type Dialog = 'tag' | 'move' | 'delete' | 'regenerate' | null;

const splitTags = (text: string) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

/** What a bulk action did, in a sentence, and what it could not do, asset by asset. */
function Outcome({ result, verb }: { result: BulkResult; verb: string }) {
  return (
    <div className={result.failed.length ? 'error' : 'notice'} role={result.failed.length ? 'alert' : 'status'} data-testid="bulk-outcome">
      {verb} {formatNumber(result.done)} of {formatNumber(result.matched)} assets.
      {result.failed.length > 0 && (
        <ul>
          {result.failed.slice(0, 10).map((f) => (
            <li key={f.assetId}>
              {f.name || f.assetId}: {f.message}
            </li>
          ))}
          {result.failed.length > 10 && <li>… and {formatNumber(result.failed.length - 10)} more.</li>}
        </ul>
      )}
    </div>
  );
}

/**
 * Actions on the selected assets — or on every asset matching the search — with a
 * confirmation for each (delete is the destructive one: it says where the assets go and for how long).
 */
export function BulkBar({
  ids,
  allMatching,
  total,
  selection,
  collections,
  onSelectAllMatching,
  onDone,
}: {
  ids: string[];
  allMatching: boolean;
  total: number;
  selection: BulkSelection;
  collections: Collection[];
  onSelectAllMatching: () => void;
  onDone: () => void;
}) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const [add, setAdd] = useState('');
  const [remove, setRemove] = useState('');
  const [target, setTarget] = useState('');
  const queries = useQueryClient();
  const [outcome, setOutcome] = useState<{ result: BulkResult; verb: string } | null>(null);
  const bulk = useMethodMutation('library.bulk', ['assets.search', 'library.trash', 'admin.stats']);
  const regenerate = useMethodMutation('derivatives.regenerate', ['library.thumbnails', 'jobs.list', 'derivatives.list', 'admin.stats']);
  const trash = useMethod('library.trash', { limit: 1 });
  const count = allMatching ? total : ids.length;
  const what = `${formatNumber(count)} ${count === 1 ? 'asset' : 'assets'}`;

  function run(action: BulkAction, verb: string) {
    bulk.mutate(
      { selection, action },
      {
        onSuccess: (result) => {
          // Totals and facet counts come from the search index, which applies the changes a
          // moment after they commit: ask once more when it has probably caught up.
          setTimeout(() => void queries.invalidateQueries({ queryKey: ['assets.search'] }), 1500);
          setOutcome({ result, verb });
          setDialog(null);
          onDone();
        },
      },
    );
  }

  function remake(mode: RegenerateMode) {
    regenerate.mutate(
      { selection, mode },
      {
        onSuccess: (result) => {
          const jobs = `${formatNumber(result.queued)} derivative ${result.queued === 1 ? 'job' : 'jobs'}`;
          setOutcome({ result, verb: mode === 'all' ? `Queued ${jobs} to make again for` : `Queued ${jobs} (failed or missing) for` });
          setDialog(null);
        },
      },
    );
  }

  const zipHref = `/api/library/download.zip?ids=${ids.join(',')}`;
  const zipAllowed = !allMatching && ids.length > 0 && ids.length <= ZIP_LIMIT;
  return (
    <>
      {outcome && <Outcome {...outcome} />}
      {count > 0 && (
        <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
          <span className="bulk-count">{allMatching ? `All ${what} matching` : `${what} selected`}</span>
          {!allMatching && total > ids.length && (
            <button type="button" className="link" onClick={onSelectAllMatching}>
              Select all {formatNumber(total)} matching
            </button>
          )}
          <button type="button" onClick={() => setDialog('tag')}>
            Tag…
          </button>
          <button type="button" onClick={() => setDialog('move')}>
            Move to…
          </button>
          {zipAllowed ? (
            <a className="button" href={zipHref} download>
              Download zip
            </a>
          ) : (
            <button type="button" disabled title={`A zip takes at most ${ZIP_LIMIT} ticked assets`}>
              Download zip
            </button>
          )}
          <button
            type="button"
            onClick={() => remake('missing')}
            disabled={regenerate.isPending}
            title="Tries failed thumbnails, previews and proxies again and makes missing ones"
          >
            Retry failed jobs
          </button>
          <button type="button" onClick={() => setDialog('regenerate')}>
            Regenerate derivatives…
          </button>
          <button type="button" className="danger" onClick={() => setDialog('delete')}>
            Delete…
          </button>
        </div>
      )}
      {regenerate.error && dialog === null && <ErrorNotice error={regenerate.error} />}
      <ConfirmDialog
        open={dialog !== null}
        title={
          dialog === 'tag'
            ? `Tag ${what}`
            : dialog === 'move'
              ? `Move ${what}`
              : dialog === 'regenerate'
                ? `Make every derivative of ${what} again?`
                : `Move ${what} to the trash?`
        }
        confirmLabel={dialog === 'tag' ? 'Apply tags' : dialog === 'move' ? 'Move' : dialog === 'regenerate' ? 'Regenerate' : 'Delete'}
        danger={dialog === 'delete'}
        busy={bulk.isPending || regenerate.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => {
          if (dialog === 'tag') run({ type: 'tag', add: splitTags(add), remove: splitTags(remove) }, 'Tagged');
          if (dialog === 'move') run({ type: 'move', collectionId: target || null }, 'Moved');
          if (dialog === 'delete') run({ type: 'delete' }, 'Deleted');
          if (dialog === 'regenerate') remake('all');
        }}
      >
        {dialog === 'tag' && (
          <div className="form">
            <label>
              Tags to add (comma separated)
              <input value={add} onChange={(e) => setAdd(e.currentTarget.value)} />
            </label>
            <label>
              Tags to remove (comma separated)
              <input value={remove} onChange={(e) => setRemove(e.currentTarget.value)} />
            </label>
          </div>
        )}
        {dialog === 'move' && <CollectionChoice label="Collection" none="No collection (unfiled)" value={target} choices={collections} onChange={setTarget} />}
        {dialog === 'delete' && (
          <p>
            They leave the library and every panel now. You can restore them from the Trash for {trash.data ? `${trash.data.retentionDays} days` : 'a while'};
            after that they are removed for good. Assets checked out by somebody else stay where they are.
          </p>
        )}
        {dialog === 'regenerate' && (
          <p>
            Thumbnails, previews, proxies and the facts read from the files are made again for every version, for example after the presets changed. The server
            works through them in the background; the Jobs page shows the progress.
          </p>
        )}
        {bulk.error && <ErrorNotice error={bulk.error} />}
        {regenerate.error && <ErrorNotice error={regenerate.error} />}
      </ConfirmDialog>
    </>
  );
}
