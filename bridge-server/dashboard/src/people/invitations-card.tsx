import { useState, type FormEvent } from 'react';
import type { Invitation } from '@stockroom/shared-types';
import { useMethod, useMethodMutation } from '../data/methods.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { CopyButton } from '../ui/copy-button.tsx';
import { EmptyState, ErrorNotice, QueryState } from '../ui/feedback.tsx';
import { formatDate } from '../ui/format.ts';

const STATE_LABEL: Record<Invitation['state'], string> = { pending: 'waiting', accepted: 'accepted', expired: 'expired', revoked: 'withdrawn' };

/** Invite people by e-mail: a one-time link they open to choose their name and password. */
export function InvitationsCard() {
  const invitations = useMethod('invitations.list', {});
  const create = useMethodMutation('invitations.create', ['invitations.list']);
  const revoke = useMethodMutation('invitations.revoke', ['invitations.list']);
  const [target, setTarget] = useState<Invitation | null>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const el = event.currentTarget;
    const form = new FormData(el);
    create.mutate(
      { email: String(form.get('email')), role: String(form.get('role')) as 'admin' | 'member', expiresInDays: Number(form.get('days')) },
      { onSuccess: () => el.reset() },
    );
  }
  const link = create.data ? new URL(create.data.link, window.location.origin).toString() : null;

  return (
    <section className="card" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      <form className="form" aria-label="Invite someone" onSubmit={submit}>
        <label>
          E-mail
          <input name="email" type="email" required maxLength={320} />
        </label>
        <label>
          Role
          <select name="role" defaultValue="member">
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label>
          Link valid for (days)
          <input name="days" type="number" min={1} max={30} defaultValue={7} required />
        </label>
        {create.error && <ErrorNotice error={create.error} />}
        <button type="submit" className="primary" disabled={create.isPending}>
          Create invitation link
        </button>
      </form>
      {create.data && link && (
        <div className="secret" role="status">
          <p>
            Send this link to <strong>{create.data.invitation.email}</strong>. It works once, until {formatDate(create.data.invitation.expiresAt)}, and is not
            shown again.
          </p>
          <code data-testid="invitation-link">{link}</code> <CopyButton text={link} label="Copy link" />
        </div>
      )}
      {revoke.error && <ErrorNotice error={revoke.error} />}
      <QueryState query={invitations} what="invitations">
        {({ invitations: all }) =>
          all.length === 0 ? (
            <EmptyState title="No invitations yet.">Invite people instead of creating accounts for them: they choose their own password.</EmptyState>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                  <th scope="col">Until</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {all.slice(0, 50).map((i) => (
                  <tr key={i.id}>
                    <td>{i.email}</td>
                    <td>{i.role}</td>
                    <td>{STATE_LABEL[i.state]}</td>
                    <td>{formatDate(i.state === 'accepted' && i.acceptedAt ? i.acceptedAt : i.expiresAt)}</td>
                    <td>
                      {i.state === 'pending' && (
                        <button type="button" onClick={() => setTarget(i)} aria-label={`Withdraw the invitation of ${i.email}`}>
                          Withdraw
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
      <ConfirmDialog
        open={target !== null}
        title={`Withdraw the invitation of ${target?.email ?? ''}?`}
        confirmLabel="Withdraw"
        danger
        busy={revoke.isPending}
        onCancel={() => setTarget(null)}
        onConfirm={() => target && revoke.mutate({ id: target.id }, { onSettled: () => setTarget(null) })}
      >
        <p>The link stops working at once. You can invite the address again later.</p>
      </ConfirmDialog>
    </section>
  );
}
