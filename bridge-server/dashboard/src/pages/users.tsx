import { useState, type FormEvent } from 'react';
import { TOKEN_SCOPES, type ApiToken, type TokenScope, type User } from '@stockroom/shared-types';
import { isNotAvailable, useMethod, useMethodMutation } from '../data/methods.ts';
import { changePassword } from '../session/auth-http.ts';
import { useSession } from '../session/session.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { CopyButton } from '../ui/copy-button.tsx';
import { EmptyState, ErrorNotice, NotAvailable, QueryState } from '../ui/feedback.tsx';
import { formatDate } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { GroupsCard } from '../people/groups-card.tsx';
import { InvitationsCard } from '../people/invitations-card.tsx';
import { ArrayPager, pageOf } from '../ui/pager.tsx';

const USERS_PER_PAGE = 25;
const TOKENS_PER_PAGE = 10;

export function UsersPage() {
  const [query, setQuery] = useState('');
  const [includeDisabled, setIncludeDisabled] = useState(true);
  const users = useMethod('users.list', { ...(query ? { query } : {}), includeDisabled });
  const [selected, setSelected] = useState<User | null>(null);
  const [page, setPage] = useState(1);

  if (users.error && isNotAvailable(users.error))
    return (
      <Page title="Users & tokens">
        <NotAvailable feature="Account management">Accounts, tokens and groups need the sign-in feature on the server.</NotAvailable>
      </Page>
    );

  return (
    <Page title="Users & tokens" actions={<a href="/auth/device">Device sign-in approval page</a>}>
      <div className="two-columns">
        <div>
          <div className="toolbar">
            <label className="grow">
              Filter
              <input type="search" value={query} onChange={(e) => (setQuery(e.target.value), setPage(1))} placeholder="Name or e-mail" />
            </label>
            <label className="inline">
              <input type="checkbox" checked={includeDisabled} onChange={(e) => setIncludeDisabled(e.target.checked)} /> Show disabled
            </label>
          </div>
          <QueryState query={users} what="users">
            {({ users: all }) => {
              if (all.length === 0) return <EmptyState title={query ? 'Nobody matches.' : 'No accounts yet.'}>Create one with the form below.</EmptyState>;
              const { rows, pages } = pageOf(all, page, USERS_PER_PAGE);
              return (
                <>
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">E-mail</th>
                        <th scope="col">Role</th>
                        <th scope="col">Status</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rows.map((u) => (
                        <tr key={u.id} className={selected?.id === u.id ? 'selected' : undefined}>
                          <td>
                            <button type="button" className="link" onClick={() => setSelected(u)} aria-pressed={selected?.id === u.id}>
                              {u.name}
                            </button>
                          </td>
                          <td>{u.email}</td>
                          <td>{u.role}</td>
                          <td>{u.disabledAt ? <span className="badge warn">disabled</span> : 'active'}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  <ArrayPager label="Users" page={page} pages={pages} onPage={setPage} />
                </>
              );
            }}
          </QueryState>
          <CreateUser onCreated={setSelected} />
        </div>
        <div>
          {selected ? (
            <UserDetail key={selected.id} user={users.data?.users.find((u) => u.id === selected.id) ?? selected} />
          ) : (
            <EmptyState title="Select a user">to disable, re-enable or reset them and see their tokens.</EmptyState>
          )}
          <MyTokens />
          <MyPassword />
          <InvitationsCard />
          <GroupsCard />
        </div>
      </div>
    </Page>
  );
}

function CreateUser({ onCreated }: { onCreated: (u: User) => void }) {
  const create = useMethodMutation('users.create', ['users.list']);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const password = String(form.get('password'));
    create.mutate(
      { email: String(form.get('email')), name: String(form.get('name')), role: String(form.get('role')) as 'admin' | 'member', password },
      {
        onSuccess: (user) => {
          formElement.reset();
          onCreated(user);
        },
      },
    );
  }
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="create-user-title">
      <h2 id="create-user-title">Create a user</h2>
      <label>
        Name
        <input name="name" required maxLength={200} />
      </label>
      <label>
        E-mail
        <input name="email" type="email" required />
      </label>
      <label>
        Role
        <select name="role" defaultValue="member">
          <option value="member">member</option>
          <option value="admin">admin</option>
        </select>
      </label>
      <p className="muted small">To let people choose their own password, invite them instead (Invitations, below).</p>
      <label>
        Password (at least 12 characters; tell it to them)
        <input name="password" type="password" minLength={12} required autoComplete="new-password" />
      </label>
      {create.error && <ErrorNotice error={create.error} />}
      {create.isSuccess && <p role="status">Created {create.data.name}.</p>}
      <button type="submit" className="primary" disabled={create.isPending}>
        Create user
      </button>
    </form>
  );
}

function UserDetail({ user }: { user: User }) {
  const session = useSession();
  const update = useMethodMutation('users.update', ['users.list']);
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState<'disable' | 'role' | null>(null);
  const [role, setRole] = useState(user.role);
  const isMe = user.id === session.user.id;
  return (
    <section className="card" aria-labelledby="user-title">
      <h2 id="user-title">{user.name}</h2>
      <p className="muted">
        {user.email} · {user.role} · since {formatDate(user.createdAt)}
      </p>
      <div className="actions">
        <button
          type="button"
          disabled={isMe || update.isPending}
          onClick={() => (user.disabledAt ? update.mutate({ id: user.id, disabled: false }) : setConfirm('disable'))}
        >
          {user.disabledAt ? 'Re-enable' : 'Disable'}
        </button>
        <label className="inline">
          Role
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as User['role'])} disabled={isMe}>
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="button" disabled={isMe || role === user.role || update.isPending} onClick={() => setConfirm('role')}>
          Change role
        </button>
        <button type="button" onClick={() => (setPassword(''), setResetting(true))}>
          Reset password
        </button>
      </div>
      {isMe && <p className="muted small">You cannot disable your own account.</p>}
      {update.error && <ErrorNotice error={update.error} />}
      <ConfirmDialog
        open={resetting}
        title={`Reset ${user.name}’s password`}
        confirmLabel="Set password"
        busy={update.isPending}
        onCancel={() => setResetting(false)}
        onConfirm={() => update.mutate({ id: user.id, password }, { onSuccess: () => setResetting(false) })}
      >
        <label>
          New password (at least 12 characters)
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} minLength={12} required autoComplete="new-password" />
        </label>
        {resetting && update.error && <ErrorNotice error={update.error} />}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === 'disable' ? `Disable ${user.name}?` : `Make ${user.name} ${role === 'admin' ? 'an administrator' : 'a member'}?`}
        confirmLabel={confirm === 'disable' ? 'Disable account' : 'Change role'}
        danger={confirm === 'disable'}
        busy={update.isPending}
        onCancel={() => (setConfirm(null), setRole(user.role))}
        onConfirm={() => update.mutate(confirm === 'disable' ? { id: user.id, disabled: true } : { id: user.id, role }, { onSuccess: () => setConfirm(null) })}
      >
        <p>
          {confirm === 'disable'
            ? 'They are signed out everywhere at once and cannot sign in or use their tokens until re-enabled. Their assets and history stay.'
            : role === 'admin'
              ? 'Administrators may do everything, in every collection, and manage people.'
              : 'Members get what their collection grants allow; their connections reload their rights now.'}
        </p>
      </ConfirmDialog>
      <TokenList userId={user.id} title={`${user.name}’s tokens`} />
    </section>
  );
}

function TokenList({ userId, title }: { userId: string; title: string }) {
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const tokens = useMethod('tokens.list', { userId, includeRevoked });
  const revoke = useMethodMutation('tokens.revoke', ['tokens.list']);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [page, setPage] = useState(1);
  const headingId = `tokens-${userId}`;
  return (
    <section aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      <label className="inline">
        <input type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.target.checked)} /> Show revoked
      </label>
      {revoke.error && <ErrorNotice error={revoke.error} />}
      <QueryState query={tokens} what="tokens">
        {({ tokens: all }) => {
          if (all.length === 0) return <EmptyState title="No tokens.">Tokens appear here when a panel signs in or a token is created.</EmptyState>;
          const { rows, pages } = pageOf(all, page, TOKENS_PER_PAGE);
          return (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Prefix</th>
                    <th scope="col">Scopes</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((t) => (
                    <tr key={t.id}>
                      <td>{t.name}</td>
                      <td>
                        <code>{t.prefix}…</code>
                      </td>
                      <td>{t.scopes.join(', ')}</td>
                      <td>{t.lastUsedAt ? formatDate(t.lastUsedAt) : 'never'}</td>
                      <td>
                        {t.revokedAt ? (
                          <span className="badge">revoked</span>
                        ) : (
                          <button type="button" className="danger" onClick={() => setRevoking(t)} aria-label={`Revoke token ${t.name}`}>
                            Revoke
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ArrayPager label="Tokens" page={page} pages={pages} onPage={setPage} />
            </>
          );
        }}
      </QueryState>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke the token “${revoking?.name ?? ''}”?`}
        confirmLabel="Revoke token"
        danger
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id }, { onSettled: () => setRevoking(null) })}
      >
        <p>Whatever uses it (a panel, a script) is disconnected at once and cannot sign in with it again. This cannot be undone.</p>
      </ConfirmDialog>
    </section>
  );
}

/** tokens.create makes a token for the caller: an administrator's own tokens for scripts. */
function MyTokens() {
  const session = useSession();
  const create = useMethodMutation('tokens.create', ['tokens.list']);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = Number(form.get('days'));
    const scopes = form.getAll('scopes').map(String) as TokenScope[];
    // Always sent: no scope ticked is refused by the server, never taken as full access.
    create.mutate({ name: String(form.get('name')), scopes, expiresInDays: days > 0 ? days : null });
  }
  return (
    <section className="card" aria-labelledby="my-tokens-title">
      <h2 id="my-tokens-title">Your API tokens</h2>
      <form className="form" onSubmit={submit} aria-label="Create an API token">
        <label>
          Token name
          <input name="name" required maxLength={200} placeholder="e.g. nightly import script" />
        </label>
        <fieldset>
          <legend>Scopes</legend>
          {TOKEN_SCOPES.map((s) => (
            <label key={s} className="inline">
              <input type="checkbox" name="scopes" value={s} defaultChecked={s === 'read'} /> {s}
            </label>
          ))}
        </fieldset>
        <label>
          Expires after (days, empty for never)
          <input name="days" type="number" min={1} max={3650} />
        </label>
        {create.error && <ErrorNotice error={create.error} />}
        <button type="submit" className="primary" disabled={create.isPending}>
          Create token
        </button>
      </form>
      {create.data && (
        <div className="secret" role="status">
          <p>Token “{create.data.token.name}” created. Copy it now: it is not shown again.</p>
          <code data-testid="new-token-secret">{create.data.secret}</code> <CopyButton text={create.data.secret} label="Copy token" />
        </div>
      )}
      <TokenList userId={session.user.id} title="Your tokens" />
    </section>
  );
}

/** The signed-in person's own password (password sign-in only). */
function MyPassword() {
  const session = useSession();
  const [state, setState] = useState<{ busy: boolean; error?: unknown; done?: boolean }>({ busy: false });
  if (!session.csrfToken) return null;
  const csrfToken = session.csrfToken;
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const el = event.currentTarget;
    const form = new FormData(el);
    setState({ busy: true });
    try {
      await changePassword(csrfToken, String(form.get('current')), String(form.get('next')));
      el.reset();
      setState({ busy: false, done: true });
    } catch (error) {
      setState({ busy: false, error });
    }
  }
  return (
    <section className="card" aria-labelledby="my-password-title">
      <h2 id="my-password-title">Your password</h2>
      <form className="form" onSubmit={(e) => void submit(e)} aria-label="Change your password">
        <label>
          Current password
          <input name="current" type="password" required autoComplete="current-password" />
        </label>
        <label>
          New password (at least 12 characters, not easy to guess)
          <input name="next" type="password" required minLength={12} autoComplete="new-password" />
        </label>
        {state.error !== undefined && <ErrorNotice error={state.error} />}
        {state.done && <p role="status">Password changed. Your other sessions were signed out.</p>}
        <button type="submit" className="primary" disabled={state.busy}>
          Change password
        </button>
      </form>
    </section>
  );
}
