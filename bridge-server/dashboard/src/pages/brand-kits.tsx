import { useEffect, useState } from 'react';
import type { BrandEntryInput, BrandKit, Collection, StockroomError } from '@stockroom/shared-types';
import { useCall, useMethod, useMethodMutation } from '../data/methods.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { EmptyState, ErrorNotice, QueryState } from '../ui/feedback.tsx';
import { Page } from '../ui/page.tsx';

interface DraftEntry extends Required<Omit<BrandEntryInput, 'expiresAt'>> {
  key: string;
  name: string;
  state: string;
  expiresAt: string;
}
interface DraftSection {
  key: string;
  title: string;
  entries: DraftEntry[];
}

let keys = 0;
const key = () => `k${++keys}`;

function draftOf(kit: BrandKit): DraftSection[] {
  return kit.sections.map((s) => ({
    key: key(),
    title: s.title,
    entries: s.entries.map((e) => ({
      key: key(),
      name: e.name,
      state: e.state,
      variants: e.variants.map((v) => ({ name: v.name, assetId: v.assetId })),
      usageNotes: e.usageNotes,
      expiresAt: e.expiresAt ? e.expiresAt.slice(0, 10) : '',
      withdrawn: e.state === 'withdrawn',
      withdrawnReason: e.withdrawnReason,
    })),
  }));
}

function move<T>(list: T[], index: number, by: number): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}

/** Brand kits: which collections the design tools offer, in which sections and order, with which variants. */
export function BrandKitsPage() {
  const kits = useMethod('brandKits.list', {});
  const collections = useMethod('collections.list', {});
  const mark = useMethodMutation('brandKits.save', ['brandKits.list']);
  const [selected, setSelected] = useState<string | null>(null);
  const [newKit, setNewKit] = useState('');
  return (
    <Page title="Brand kits">
      <p className="muted">
        A brand kit is a collection offered to designers in the Figma plugin, in ordered sections. Expired and withdrawn entries are never offered for
        insertion.
      </p>
      <div className="two-columns">
        <div>
          <QueryState query={kits} what="brand kits">
            {({ kits: all }) =>
              all.length === 0 ? (
                <EmptyState title="No brand kits yet.">Mark a collection as a brand kit below, then add its logos, icons and photos.</EmptyState>
              ) : (
                <ul className="plain-list" aria-label="Brand kits">
                  {all.map((k) => (
                    <li key={k.collectionId}>
                      <button type="button" className="link" aria-pressed={selected === k.collectionId} onClick={() => setSelected(k.collectionId)}>
                        {k.name}
                      </button>{' '}
                      <span className="muted">
                        {k.sections} sections · {k.entries} entries
                      </span>
                    </li>
                  ))}
                </ul>
              )
            }
          </QueryState>
          <form
            className="form"
            onSubmit={(e) => {
              e.preventDefault();
              if (newKit) mark.mutate({ collectionId: newKit, sections: [] }, { onSuccess: () => (setSelected(newKit), setNewKit('')) });
            }}
          >
            <label>
              Collection
              <select value={newKit} onChange={(e) => setNewKit(e.target.value)}>
                <option value="">Choose…</option>
                {(collections.data?.collections ?? [])
                  .filter((c: Collection) => !kits.data?.kits.some((k) => k.collectionId === c.id))
                  .map((c: Collection) => (
                    <option key={c.id} value={c.id}>
                      {c.name}
                    </option>
                  ))}
              </select>
            </label>
            <button type="submit" disabled={!newKit || mark.isPending}>
              Mark as brand kit
            </button>
            {mark.error && <ErrorNotice error={mark.error} />}
          </form>
        </div>
        <div>
          {selected ? (
            <KitEditor key={selected} collectionId={selected} onRemoved={() => setSelected(null)} />
          ) : (
            <p className="muted">Choose a brand kit to edit it.</p>
          )}
        </div>
      </div>
    </Page>
  );
}

function KitEditor({ collectionId, onRemoved }: { collectionId: string; onRemoved: () => void }) {
  const kit = useMethod('brandKits.get', { collectionId, includeUnavailable: true });
  const assets = useMethod('assets.search', { q: '', filters: { collectionId }, sort: 'name', limit: 200 });
  const save = useMethodMutation('brandKits.save', ['brandKits.list', 'brandKits.get']);
  const remove = useMethodMutation('brandKits.remove', ['brandKits.list']);
  const call = useCall();
  const [draft, setDraft] = useState<DraftSection[] | null>(null);
  const [base, setBase] = useState<string | undefined>();
  const [confirmRemove, setConfirmRemove] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (kit.data && draft === null) {
      setDraft(draftOf(kit.data));
      setBase(kit.data.updatedAt);
    }
  }, [kit.data, draft]);
  const names = new Map((assets.data?.hits ?? []).map((h) => [h.asset.id, h.asset.name]));
  const edit = (fn: (d: DraftSection[]) => DraftSection[]) => (setSaved(false), setDraft((d) => (d ? fn(d) : d)));
  const editEntry = (s: number, e: number, patch: Partial<DraftEntry>) =>
    edit((d) => d.map((sec, i) => (i !== s ? sec : { ...sec, entries: sec.entries.map((en, j) => (j !== e ? en : { ...en, ...patch })) })));
  const conflict = (save.error as StockroomError | null)?.code === 'VERSION_CONFLICT';

  async function reload() {
    const fresh = await call('brandKits.get', { collectionId, includeUnavailable: true });
    setDraft(draftOf(fresh));
    setBase(fresh.updatedAt);
    save.reset();
  }

  function submit() {
    if (!draft) return;
    save.mutate(
      {
        collectionId,
        baseUpdatedAt: base,
        sections: draft.map((s) => ({
          title: s.title,
          entries: s.entries.map((e) => ({
            variants: e.variants,
            usageNotes: e.usageNotes,
            expiresAt: e.expiresAt ? new Date(`${e.expiresAt}T23:59:59Z`).toISOString() : null,
            withdrawn: e.withdrawn,
            withdrawnReason: e.withdrawnReason,
          })),
        })),
      },
      { onSuccess: (k) => (setDraft(draftOf(k)), setBase(k.updatedAt), setSaved(true)) },
    );
  }

  return (
    <QueryState query={kit} what="the brand kit">
      {(k) => (
        <section aria-labelledby="kit-title" className="form">
          <h2 id="kit-title">{k.name}</h2>
          {(draft ?? []).map((section, s) => (
            <fieldset key={section.key} className="form" aria-label={`Section ${section.title || s + 1}`}>
              <legend>Section {s + 1}</legend>
              <div className="toolbar">
                <label>
                  Title
                  <input value={section.title} onChange={(e) => edit((d) => d.map((x, i) => (i === s ? { ...x, title: e.target.value } : x)))} />
                </label>
                <button type="button" aria-label={`Move ${section.title} up`} onClick={() => edit((d) => move(d, s, -1))}>
                  ↑
                </button>
                <button type="button" aria-label={`Move ${section.title} down`} onClick={() => edit((d) => move(d, s, 1))}>
                  ↓
                </button>
                <button type="button" onClick={() => edit((d) => d.filter((_, i) => i !== s))}>
                  Remove section
                </button>
              </div>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Asset and variants</th>
                    <th scope="col">Usage notes</th>
                    <th scope="col">Availability</th>
                    <th scope="col">Order</th>
                  </tr>
                </thead>
                <tbody>
                  {section.entries.map((entry, e) => (
                    <tr key={entry.key} aria-label={entry.name}>
                      <td>
                        <strong>{entry.name}</strong> {entry.state !== 'available' && <span className="badge warn">{entry.state}</span>}
                        <ul className="plain-list">
                          {entry.variants.map((v, vi) => (
                            <li key={vi}>
                              <input
                                aria-label={`Variant name ${vi + 1} of ${entry.name}`}
                                value={v.name}
                                size={10}
                                onChange={(ev) => editEntry(s, e, { variants: entry.variants.map((x, i) => (i === vi ? { ...x, name: ev.target.value } : x)) })}
                              />{' '}
                              <select
                                aria-label={`Variant asset ${vi + 1} of ${entry.name}`}
                                value={v.assetId}
                                onChange={(ev) =>
                                  editEntry(s, e, { variants: entry.variants.map((x, i) => (i === vi ? { ...x, assetId: ev.target.value } : x)) })
                                }
                              >
                                {[...names].map(([id, name]) => (
                                  <option key={id} value={id}>
                                    {name}
                                  </option>
                                ))}
                              </select>
                              {vi > 0 && (
                                <button type="button" onClick={() => editEntry(s, e, { variants: entry.variants.filter((_, i) => i !== vi) })}>
                                  Remove variant
                                </button>
                              )}
                            </li>
                          ))}
                        </ul>
                        <button
                          type="button"
                          onClick={() =>
                            editEntry(s, e, {
                              variants: [...entry.variants, { name: `variant ${entry.variants.length + 1}`, assetId: entry.variants[0]!.assetId }],
                            })
                          }
                        >
                          Add variant
                        </button>
                      </td>
                      <td>
                        <textarea
                          aria-label={`Usage notes of ${entry.name}`}
                          value={entry.usageNotes}
                          onChange={(ev) => editEntry(s, e, { usageNotes: ev.target.value })}
                        />
                      </td>
                      <td>
                        <label>
                          Expires
                          <input
                            type="date"
                            aria-label={`Expiry of ${entry.name}`}
                            value={entry.expiresAt}
                            onChange={(ev) => editEntry(s, e, { expiresAt: ev.target.value })}
                          />
                        </label>
                        <label>
                          <input
                            type="checkbox"
                            aria-label={`Withdraw ${entry.name}`}
                            checked={entry.withdrawn}
                            onChange={(ev) => editEntry(s, e, { withdrawn: ev.target.checked })}
                          />{' '}
                          Withdrawn
                        </label>
                        {entry.withdrawn && (
                          <input
                            aria-label={`Why ${entry.name} was withdrawn`}
                            placeholder="Why (shown to designers)"
                            value={entry.withdrawnReason}
                            onChange={(ev) => editEntry(s, e, { withdrawnReason: ev.target.value })}
                          />
                        )}
                      </td>
                      <td>
                        <button
                          type="button"
                          aria-label={`Move ${entry.name} up`}
                          onClick={() => edit((d) => d.map((x, i) => (i === s ? { ...x, entries: move(x.entries, e, -1) } : x)))}
                        >
                          ↑
                        </button>
                        <button
                          type="button"
                          aria-label={`Move ${entry.name} down`}
                          onClick={() => edit((d) => d.map((x, i) => (i === s ? { ...x, entries: move(x.entries, e, 1) } : x)))}
                        >
                          ↓
                        </button>
                        <button
                          type="button"
                          aria-label={`Remove ${entry.name}`}
                          onClick={() => edit((d) => d.map((x, i) => (i === s ? { ...x, entries: x.entries.filter((_, j) => j !== e) } : x)))}
                        >
                          Remove
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <label>
                Add an asset of {k.name}
                <select
                  aria-label={`Add an asset to ${section.title || `section ${s + 1}`}`}
                  value=""
                  onChange={(ev) => {
                    const id = ev.target.value;
                    if (!id) return;
                    edit((d) =>
                      d.map((x, i) =>
                        i === s
                          ? {
                              ...x,
                              entries: [
                                ...x.entries,
                                {
                                  key: key(),
                                  name: names.get(id) ?? id,
                                  state: 'available',
                                  variants: [{ name: 'default', assetId: id }],
                                  usageNotes: '',
                                  expiresAt: '',
                                  withdrawn: false,
                                  withdrawnReason: '',
                                },
                              ],
                            }
                          : x,
                      ),
                    );
                  }}
                >
                  <option value="">Choose an asset…</option>
                  {[...names].map(([id, name]) => (
                    <option key={id} value={id}>
                      {name}
                    </option>
                  ))}
                </select>
              </label>
            </fieldset>
          ))}
          {assets.data && names.size === 0 && <p className="muted">This collection has no assets yet: upload some into it first.</p>}
          <div className="toolbar">
            <button type="button" onClick={() => edit((d) => [...d, { key: key(), title: 'New section', entries: [] }])}>
              Add section
            </button>
            <button type="button" className="primary" disabled={save.isPending || !draft} onClick={submit}>
              {save.isPending ? 'Saving…' : 'Save brand kit'}
            </button>
            <button type="button" className="danger" onClick={() => setConfirmRemove(true)}>
              Stop offering as brand kit
            </button>
          </div>
          {saved && <p role="status">Saved. Designers see the change the next time they open the brand kit.</p>}
          {conflict ? (
            <div role="alert" className="error">
              Somebody changed this brand kit after you opened it; your changes were not saved.{' '}
              <button type="button" onClick={() => void reload()}>
                Reload the brand kit
              </button>
            </div>
          ) : (
            save.error && <ErrorNotice error={save.error} />
          )}
          <ConfirmDialog
            open={confirmRemove}
            title={`Stop offering ${k.name} as a brand kit?`}
            confirmLabel="Stop offering"
            danger
            busy={remove.isPending}
            onCancel={() => setConfirmRemove(false)}
            onConfirm={() => remove.mutate({ collectionId }, { onSuccess: () => (setConfirmRemove(false), onRemoved()) })}
          >
            Designers will no longer see it in the Figma plugin. Its assets, sections and placements stay; mark it again to offer it.
          </ConfirmDialog>
        </section>
      )}
    </QueryState>
  );
}
