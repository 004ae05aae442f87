import { useState, type FormEvent } from 'react';
import { COLLECTION_ROLES, type Collection, type CollectionRole } from '@stockroom/shared-types';
import { isNotAvailable, useMethod, useMethodMutation } from '../data/methods.ts';
import { EmptyState, ErrorNotice, NotAvailable, QueryState } from '../ui/feedback.tsx';
import { Page } from '../ui/page.tsx';
import { ArrayPager, pageOf } from '../ui/pager.tsx';
import { SchemaEditor } from '../metadata/schema-editor.tsx';

const PER_PAGE = 25;

export function CollectionsPage() {
  const collections = useMethod('collections.list', {});
  const create = useMethodMutation('collections.create', ['collections.list']);
  const [selected, setSelected] = useState<Collection | null>(null);
  const [page, setPage] = useState(1);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const el = event.currentTarget;
    const form = new FormData(el);
    const parentId = String(form.get('parentId') ?? '');
    create.mutate(
      { name: String(form.get('name')), description: String(form.get('description') ?? ''), ...(parentId ? { parentId } : {}) },
      { onSuccess: (c) => (el.reset(), setSelected(c)) },
    );
  }

  return (
    <Page title="Collections & grants">
      <div className="two-columns">
        <div>
          <QueryState query={collections} what="collections">
            {({ collections: all }) => {
              if (all.length === 0) return <EmptyState title="No collections yet.">Create one below, then grant people or groups a role in it.</EmptyState>;
              const { rows, pages } = pageOf(all, page, PER_PAGE);
              const names = new Map(all.map((c) => [c.id, c.name]));
              return (
                <>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">Slug</th>
                        <th scope="col">Inside</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((c) => (
                        <tr key={c.id} className={selected?.id === c.id ? 'selected' : undefined}>
                          <td>
                            <button type="button" className="link" aria-pressed={selected?.id === c.id} onClick={() => setSelected(c)}>
                              {c.name}
                            </button>
                          </td>
                          <td>
                            <code>{c.slug}</code>
                          </td>
                          <td>{c.parentId ? (names.get(c.parentId) ?? '—') : 'top level'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <ArrayPager label="Collections" page={page} pages={pages} onPage={setPage} />
                </>
              );
            }}
          </QueryState>
          <form className="card form" onSubmit={submit} aria-labelledby="new-collection-title">
            <h2 id="new-collection-title">Create a collection</h2>
            <label>
              Name
              <input name="name" required maxLength={500} />
            </label>
            <label>
              Description
              <input name="description" maxLength={10_000} />
            </label>
            <label>
              Inside
              <select name="parentId" defaultValue="">
                <option value="">Top level</option>
                {(collections.data?.collections ?? []).slice(0, 200).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            {create.error && <ErrorNotice error={create.error} />}
            <button type="submit" className="primary" disabled={create.isPending}>
              Create collection
            </button>
          </form>
        </div>
        <div>
          {selected ? (
            <>
              <Grants key={selected.id} collection={selected} />
              <SchemaEditor key={`schema-${selected.id}`} collection={selected} />
            </>
          ) : (
            <EmptyState title="Select a collection">to see and change who may use it.</EmptyState>
          )}
        </div>
      </div>
    </Page>
  );
}

function Grants({ collection }: { collection: Collection }) {
  const grants = useMethod('grants.list', { collectionId: collection.id });
  const users = useMethod('users.list', {});
  const groups = useMethod('groups.list', {});
  const set = useMethodMutation('grants.set', ['grants.list']);
  const remove = useMethodMutation('grants.remove', ['grants.list']);
  const [subjectType, setSubjectType] = useState<'user' | 'group'>('user');
  const [page, setPage] = useState(1);

  if (grants.error && isNotAvailable(grants.error))
    return <NotAvailable feature="Collection grants">Grants need the permissions feature on the server.</NotAvailable>;

  const subjects =
    subjectType === 'user'
      ? (users.data?.users ?? []).map((u) => ({ id: u.id, label: `${u.name} (${u.email})` }))
      : (groups.data?.groups ?? []).map((g) => ({ id: g.id, label: g.name }));

  return (
    <section className="card" aria-labelledby="grants-title">
      <h2 id="grants-title">Who may use “{collection.name}”</h2>
      {(set.error || remove.error) && <ErrorNotice error={set.error ?? remove.error} />}
      <QueryState query={grants} what="grants">
        {({ grants: all }) => {
          if (all.length === 0) return <EmptyState title="Nobody has a role here yet.">Only administrators can see it. Grant a role below.</EmptyState>;
          const { rows, pages } = pageOf(all, page, PER_PAGE);
          return (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Who</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Role</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((g) => (
                    <tr key={`${g.subjectType}:${g.subjectId}`}>
                      <td>{g.subjectName}</td>
                      <td>{g.subjectType}</td>
                      <td>{g.role}</td>
                      <td>
                        <button
                          type="button"
                          aria-label={`Remove ${g.subjectName}’s role`}
                          onClick={() => remove.mutate({ collectionId: collection.id, subjectType: g.subjectType, subjectId: g.subjectId })}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ArrayPager label="Grants" page={page} pages={pages} onPage={setPage} />
            </>
          );
        }}
      </QueryState>
      <form
        className="form"
        aria-label="Grant a role"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          set.mutate({ collectionId: collection.id, subjectType, subjectId: String(form.get('subjectId')), role: String(form.get('role')) as CollectionRole });
        }}
      >
        <fieldset>
          <legend>Grant to</legend>
          <label className="inline">
            <input type="radio" name="subjectType" checked={subjectType === 'user'} onChange={() => setSubjectType('user')} /> a user
          </label>
          <label className="inline">
            <input type="radio" name="subjectType" checked={subjectType === 'group'} onChange={() => setSubjectType('group')} /> a group
          </label>
        </fieldset>
        <label>
          {subjectType === 'user' ? 'User' : 'Group'}
          <select name="subjectId" required>
            {subjects.slice(0, 500).map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Role
          <select name="role" defaultValue="viewer">
            {COLLECTION_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={set.isPending || subjects.length === 0}>
          Grant role
        </button>
      </form>
    </section>
  );
}
