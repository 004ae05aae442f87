import { useState } from 'react';
import type { Collection } from '@stockroom/shared-types';
import { useMethodMutation } from '../data/methods.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { ErrorNotice } from '../ui/feedback.tsx';
import { formatNumber } from '../ui/format.ts';
import { CollectionChoice } from './collection-choice.tsx';
import { selfAndBelow } from './collection-tree.tsx';

/**
 * Rename, move or delete the collection being viewed. Deleting one that holds assets needs a
 * choice of where they go; the server refuses otherwise, so nothing is ever stranded.
 */
export function CollectionActions({
  collection,
  assets,
  others,
  onDeleted,
}: {
  collection: Collection;
  assets: number;
  others: Collection[];
  onDeleted: () => void;
}) {
  const [dialog, setDialog] = useState<'rename' | 'move' | 'delete' | null>(null);
  const [name, setName] = useState(collection.name);
  const [target, setTarget] = useState('');
  const [parent, setParent] = useState(collection.parentId ?? '');
  const rename = useMethodMutation('collections.update', ['collections.list']);
  const move = useMethodMutation('collections.move', ['collections.list']);
  const remove = useMethodMutation('collections.delete', ['collections.list', 'assets.search']);
  const error = dialog === 'rename' ? rename.error : dialog === 'move' ? move.error : remove.error;
  // Not into itself nor below itself: the server refuses those too, this keeps them out of the list.
  const excluded = selfAndBelow(others, collection.id);
  return (
    <>
      <span className="collection-actions">
        <button type="button" onClick={() => (setName(collection.name), setDialog('rename'))}>
          Rename collection…
        </button>
        <button type="button" onClick={() => (setParent(collection.parentId ?? ''), move.reset(), setDialog('move'))}>
          Move collection…
        </button>
        <button type="button" className="danger" onClick={() => setDialog('delete')}>
          Delete collection…
        </button>
      </span>
      <ConfirmDialog
        open={dialog !== null}
        title={
          dialog === 'rename' ? `Rename “${collection.name}”` : dialog === 'move' ? `Move “${collection.name}”` : `Delete the collection “${collection.name}”?`
        }
        confirmLabel={dialog === 'rename' ? 'Rename' : dialog === 'move' ? 'Move' : assets > 0 ? 'Move assets and delete' : 'Delete'}
        danger={dialog === 'delete'}
        busy={rename.isPending || move.isPending || remove.isPending}
        onCancel={() => setDialog(null)}
        onConfirm={() => {
          if (dialog === 'rename') rename.mutate({ id: collection.id, name: name.trim() }, { onSuccess: () => setDialog(null) });
          if (dialog === 'move') move.mutate({ id: collection.id, parentId: parent || null }, { onSuccess: () => setDialog(null) });
          // mutateAsync: the collection leaves the list on success, which unmounts this component before a mutate() callback would run.
          if (dialog === 'delete')
            void remove
              .mutateAsync({ id: collection.id, ...(assets > 0 ? { moveAssetsTo: target || null } : {}) })
              .then(() => {
                setDialog(null);
                onDeleted();
              })
              .catch(() => {});
        }}
      >
        {dialog === 'rename' && (
          <label>
            New name
            <input value={name} onChange={(e) => setName(e.currentTarget.value)} required />
          </label>
        )}
        {dialog === 'move' && (
          <>
            <p>Its sub-collections and assets move with it; who may use it (its grants) stays as it is.</p>
            <CollectionChoice label="Move into" none="The top level" value={parent} choices={others.filter((c) => !excluded.has(c.id))} onChange={setParent} />
          </>
        )}
        {dialog === 'delete' &&
          (assets > 0 ? (
            <>
              <p>
                It holds {formatNumber(assets)} {assets === 1 ? 'asset' : 'assets'} (and any of its assets in the trash). They are not deleted: choose where
                they go. Its grants are removed.
              </p>
              <CollectionChoice
                label="Move its assets to"
                none="No collection (unfiled)"
                value={target}
                choices={others.filter((c) => c.id !== collection.id)}
                onChange={setTarget}
              />
            </>
          ) : (
            <p>It holds no assets. Its grants are removed.</p>
          ))}
        {error && <ErrorNotice error={error} />}
      </ConfirmDialog>
    </>
  );
}
