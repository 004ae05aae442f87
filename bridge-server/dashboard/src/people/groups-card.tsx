import { useState } from 'react';
import type { Group, UserRef } from '@stockroom/shared-types';
import { useMethod, useMethodMutation } from '../data/methods.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { EmptyState, ErrorNotice, QueryState } from '../ui/feedback.tsx';
import { ArrayPager, pageOf } from '../ui/pager.tsx';

/** Groups and their members: add and remove people (removal after a confirmation); grant groups roles under Collections. */
export function GroupsCard() {
  const groups = useMethod('groups.list', {});
  const create = useMethodMutation('groups.create', ['groups.list']);
  const [page, setPage] = useState(1);
  return (
    <section className="card" aria-labelledby="groups-title">
      <h2 id="groups-title">Groups</h2>
      <QueryState query={groups} what="groups" feature="Groups">
        {({ groups: all }) => {
          if (all.length === 0) return <EmptyState title="No groups yet.">Groups let you grant a whole team access to a collection at once.</EmptyState>;
          const { rows, pages } = pageOf(all, page, 10);
          return (
            <>
              <ul className="plain">
                {rows.map((g) => (
                  <GroupRow key={g.id} group={g} />
                ))}
              </ul>
              <ArrayPager label="Groups" page={page} pages={pages} onPage={setPage} />
            </>
          );
        }}
      </QueryState>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          const el = e.currentTarget;
          create.mutate({ name: String(new FormData(el).get('name')) }, { onSuccess: () => el.reset() });
        }}
      >
        <label className="grow">
          New group
          <input name="name" required maxLength={200} />
        </label>
        <button type="submit">Create group</button>
      </form>
      {create.error && <ErrorNotice error={create.error} />}
    </section>
  );
}

function GroupRow({ group }: { group: Group }) {
  const users = useMethod('users.list', {});
  const add = useMethodMutation('groups.addMember', ['groups.list']);
  const remove = useMethodMutation('groups.removeMember', ['groups.list']);
  const [leaving, setLeaving] = useState<UserRef | null>(null);
  const [chosen, setChosen] = useState('');
  const candidates = (users.data?.users ?? []).filter((u) => !u.disabledAt && !group.members.some((m) => m.id === u.id));
  return (
    <li>
      <details>
        <summary>
          <strong>{group.name}</strong> <span className="muted">{group.members.length === 1 ? '1 member' : `${group.members.length} members`}</span>
        </summary>
        <section aria-label={`Members of ${group.name}`}>
          {group.members.length === 0 ? (
            <p className="muted">Nobody is in this group yet.</p>
          ) : (
            <ul className="plain-list">
              {group.members.map((m) => (
                <li key={m.id}>
                  {m.name} <span className="muted">({m.email})</span>{' '}
                  <button type="button" onClick={() => setLeaving(m)} aria-label={`Remove ${m.name} from ${group.name}`}>
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="toolbar">
            <label className="grow">
              Add a member to {group.name}
              <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
                <option value="">Choose a person…</option>
                {candidates.slice(0, 500).map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name} ({u.email})
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              disabled={!chosen || add.isPending}
              onClick={() => add.mutate({ groupId: group.id, userId: chosen }, { onSuccess: () => setChosen('') })}
            >
              Add to group
            </button>
          </div>
          {(add.error || remove.error) && <ErrorNotice error={add.error ?? remove.error} />}
        </section>
      </details>
      <ConfirmDialog
        open={leaving !== null}
        title={`Remove ${leaving?.name ?? ''} from ${group.name}?`}
        confirmLabel="Remove"
        danger
        busy={remove.isPending}
        onCancel={() => setLeaving(null)}
        onConfirm={() => leaving && remove.mutate({ groupId: group.id, userId: leaving.id }, { onSettled: () => setLeaving(null) })}
      >
        <p>They lose at once what the group’s roles gave them in collections (their own roles stay).</p>
      </ConfirmDialog>
    </li>
  );
}
