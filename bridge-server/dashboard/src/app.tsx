import { Link, Redirect, Route, Router, Switch, useRoute } from 'wouter';
import { useLiveRefresh } from './data/live.ts';
import { AssetPage } from './pages/asset.tsx';
import { LibraryPage } from './library/library-page.tsx';
import { TrashPage } from './library/trash-page.tsx';
import { AuditPage } from './pages/audit.tsx';
import { BrandKitsPage } from './pages/brand-kits.tsx';
import { ReviewPage } from './pages/review.tsx';
import { SharesPage } from './pages/shares.tsx';
import { CollectionsPage } from './pages/collections.tsx';
import { JobsPage } from './pages/jobs.tsx';
import { LocksPage } from './pages/locks.tsx';
import { OverviewPage } from './pages/overview.tsx';
import { SettingsPage } from './pages/settings.tsx';
import { UsersPage } from './pages/users.tsx';
import { SignInPage } from './session/sign-in-page.tsx';
import { InvitationPage } from './session/invitation-page.tsx';
import { useSession, useSessionApi } from './session/session.tsx';
import { Loading } from './ui/feedback.tsx';
import { LockRemovedBanner } from './ui/lock-removed-banner.tsx';

export const NAV = [
  { path: '/', label: 'Overview' },
  { path: '/assets', label: 'Assets' },
  { path: '/trash', label: 'Trash' },
  { path: '/users', label: 'Users & tokens' },
  { path: '/collections', label: 'Collections & grants' },
  { path: '/brand-kits', label: 'Brand kits' },
  { path: '/shares', label: 'Share links' },
  { path: '/locks', label: 'Locks' },
  { path: '/jobs', label: 'Jobs' },
  { path: '/audit', label: 'Audit log' },
  { path: '/settings', label: 'Settings' },
] as const;

export function App() {
  const { state } = useSessionApi();
  return (
    <Router base="/admin">
      <Switch>
        {/* The invitee has no account yet: this page works signed in or not. */}
        <Route path="/invite" component={InvitationPage} />
        <Route>
          {state.status === 'starting' && (
            <main className="centered">
              <Loading what="the dashboard" />
            </main>
          )}
          {state.status === 'signed-out' && <SignInPage mode={state.mode} notice={state.error} />}
          {state.status === 'signed-in' && <Shell />}
        </Route>
      </Switch>
    </Router>
  );
}

function NavLink({ path, label }: { path: string; label: string }) {
  const [exact] = useRoute(path);
  const [nested] = useRoute(path === '/' ? '/' : `${path}/*?`);
  const active = path === '/' ? exact : nested;
  return (
    <Link href={path} aria-current={active ? 'page' : undefined} className={active ? 'active' : undefined}>
      {label}
    </Link>
  );
}

function Shell() {
  useLiveRefresh();
  const session = useSession();
  const { signOut } = useSessionApi();
  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Stockroom admin</span>
        <span className={`connection ${session.connection}`} role="status">
          {session.connection === 'open' ? 'Live' : session.connection === 'reconnecting' ? 'Reconnecting…' : session.connection}
        </span>
        <span className="who">
          {session.user.name} <span className="muted">({session.user.email})</span>
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <nav className="sidebar" aria-label="Dashboard">
        {NAV.map((item) => (
          <NavLink key={item.path} {...item} />
        ))}
      </nav>
      <main id="main" className="content">
        <LockRemovedBanner />
        <Switch>
          <Route path="/" component={OverviewPage} />
          <Route path="/assets" component={LibraryPage} />
          <Route path="/trash" component={TrashPage} />
          <Route path="/assets/:id">{(params) => <AssetPage id={params.id} />}</Route>
          <Route path="/assets/:id/review">{(params) => <ReviewPage id={params.id} />}</Route>
          <Route path="/shares" component={SharesPage} />
          <Route path="/users" component={UsersPage} />
          <Route path="/collections" component={CollectionsPage} />
          <Route path="/brand-kits" component={BrandKitsPage} />
          <Route path="/locks" component={LocksPage} />
          <Route path="/jobs" component={JobsPage} />
          <Route path="/audit" component={AuditPage} />
          <Route path="/settings" component={SettingsPage} />
          <Route>
            <Redirect to="/" />
          </Route>
        </Switch>
      </main>
    </div>
  );
}
