import type { AuditEvent } from '@stockroom/shared-types';

type NameOf = (userId: string) => string | undefined;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const quoted = (v: unknown) => (str(v) ? `“${str(v)}”` : null);

const FIELD_WORDS: Record<string, string> = {
  name: 'name',
  description: 'description',
  tags: 'tags',
  metadata: 'custom metadata',
  collectionId: 'collection',
  role: 'role',
  disabled: 'disabled state',
  password: 'password',
};
const REVIEW_WORDS: Record<string, string> = { approved: 'approved', changes_requested: 'asked for changes to', in_review: 'sent for review' };

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * One audit row's details as a sentence a person reads ("Checked in version 3 (under
 * their lock)."), from what each action records; an action this list does not know is
 * shown as its recorded values, one "key: value" after another, never as raw JSON.
 */
export function auditSentence(e: AuditEvent, nameOf: NameOf): string {
  const d = e.data;
  const who = (id: unknown) => (str(id) ? (nameOf(str(id)!) ?? 'a former account') : 'somebody');
  switch (e.action) {
    case 'asset.create':
      return 'Added to the library as version 1.';
    case 'asset.update': {
      const changed = list(d.changed).map((k) => FIELD_WORDS[k] ?? k);
      return changed.length ? `Changed the ${joinWords(changed)}.` : 'Saved without changes.';
    }
    case 'asset.fields': {
      const changed = list(d.changed);
      return changed.length ? `Saved the metadata fields ${joinWords(changed)}.` : 'Cleared the metadata fields.';
    }
    case 'asset.checkin': {
      const how = d.underLock === true ? 'under their lock' : `from version ${num(d.baseVersion) ?? '?'}`;
      return `Checked in version ${num(d.number) ?? '?'} (${how})${str(d.override) ? `, overriding: ${str(d.override)}` : ''}.`;
    }
    case 'version.restore':
      return `Restored version ${num(d.restoredFrom) ?? '?'} as the new version ${num(d.number) ?? '?'}.`;
    case 'asset.checkout':
      return 'Checked out (locked for editing).';
    case 'asset.release':
      return 'Released the lock.';
    case 'asset.forceUnlock':
      return `Forced open the lock of ${who(d.previousHolder)}${str(d.reason) ? `: “${str(d.reason)}”` : ''}.`;
    case 'asset.delete':
      return 'Moved to the trash.';
    case 'asset.restore':
      return 'Restored from the trash.';
    case 'asset.purge':
      return `Removed for good after ${num(d.retentionDays) ?? '?'} days in the trash.`;
    case 'derivatives.regenerate':
      return `${d.mode === 'all' ? 'Made every derivative again' : 'Retried failed derivatives'} (${num(d.queued) ?? 0} jobs).`;
    case 'collection.create':
      return `Created the collection ${quoted(d.name) ?? ''}.`;
    case 'collection.update':
      return d.from && d.from !== d.name ? `Renamed from ${quoted(d.from)} to ${quoted(d.name)}.` : 'Changed the collection.';
    case 'collection.move':
      return d.parentId
        ? `Moved the collection ${quoted(d.name) ?? ''} under another collection.`
        : `Moved the collection ${quoted(d.name) ?? ''} to the top level.`;
    case 'collection.delete':
      return num(d.movedAssets)
        ? `Deleted the collection; its ${num(d.movedAssets)} assets moved ${d.moveAssetsTo ? 'to another collection' : 'out of every collection'}.`
        : 'Deleted the empty collection.';
    case 'metadataSchema.save':
      return list(d.fields).length ? `Set the metadata fields to ${joinWords(list(d.fields))}.` : 'Removed every metadata field.';
    case 'grant.set':
      return `Gave ${d.subjectType === 'group' ? 'a group' : who(d.subjectId)} the role ${str(d.role)}${str(d.previousRole) ? ` (was ${str(d.previousRole)})` : ''}.`;
    case 'grant.remove':
      return `Took away the ${str(d.previousRole) ?? ''} role of ${d.subjectType === 'group' ? 'a group' : who(d.subjectId)}.`;
    case 'group.create':
      return `Created the group ${quoted(d.name) ?? ''}.`;
    case 'group.delete':
      return `Deleted the group ${quoted(d.name) ?? ''} and its roles.`;
    case 'group.addMember':
      return `Added ${who(d.userId)} to the group.`;
    case 'group.removeMember':
      return `Removed ${who(d.userId)} from the group.`;
    case 'user.create':
      return d.via === 'oidc'
        ? `Signed up through single sign-on as ${str(d.email)}.`
        : `Created the account ${str(d.email) ?? ''} (${str(d.role) ?? 'member'}).`;
    case 'user.update': {
      const changed = list(d.changed).map((k) => FIELD_WORDS[k] ?? k);
      if (d.passwordChanged === true) changed.push('password');
      return changed.length ? `Changed the ${joinWords(changed)}${d.by === 'self' ? ' (their own)' : ''}.` : 'Saved the account without changes.';
    }
    case 'invitation.create':
      return `Invited ${str(d.email)} as ${str(d.role) === 'admin' ? 'an administrator' : 'a member'} (link valid ${num(d.expiresInDays) ?? '?'} days).`;
    case 'invitation.revoke':
      return `Withdrew the invitation of ${str(d.email)}.`;
    case 'invitation.accept':
      return `Accepted an invitation and chose a password (${str(d.role) === 'admin' ? 'administrator' : 'member'}).`;
    case 'token.create':
      return d.via === 'session'
        ? 'Signed in to the dashboard (a token for this browser session).'
        : `Created the token ${quoted(d.name) ?? ''}${list(d.scopes).length ? ` with ${joinWords(list(d.scopes))}` : ''}.`;
    case 'token.revoke':
      return `Revoked the token ${quoted(d.name) ?? ''}${str(d.reason) ? ` (${str(d.reason)})` : ''}.`;
    case 'auth.login':
      return `Signed in ${d.method === 'oidc' ? 'with single sign-on' : 'with a password'}.`;
    case 'auth.login.failed':
      return `Sign-in refused${str(d.email) ? ` for ${str(d.email)}` : ''}${str(d.reason) ? `: ${str(d.reason)}` : ' (wrong e-mail or password)'}.`;
    case 'auth.login.limited':
      return `Sign-in blocked for a while after too many failures${str(d.email) ? ` for ${str(d.email)}` : ''}.`;
    case 'auth.logout':
      return 'Signed out.';
    case 'device.approve':
      return 'Approved a panel’s sign-in.';
    case 'device.deny':
      return 'Refused a panel’s sign-in.';
    case 'review.set':
      return `${d.by === 'collection rule' ? 'The collection’s rule ' : ''}${REVIEW_WORDS[str(d.status) ?? ''] ?? str(d.status)} version ${num(d.versionNumber) ?? '?'}${str(d.note) ? `: “${str(d.note)}”` : ''}.`.replace(
        /^./,
        (c) => c.toUpperCase(),
      );
    case 'review.rule':
      return d.requireApproval ? `Required approval${str(d.approverId) ? ` by ${who(d.approverId)}` : ''} for new versions.` : 'Stopped requiring approval.';
    case 'comment.create':
      return `Commented${str(d.body) ? `: “${str(d.body)}”` : '.'}`;
    case 'comment.delete':
      return `Deleted a comment${str(d.body) ? `: “${str(d.body)}”` : '.'}`;
    case 'share.create':
      return `Shared ${quoted(d.name) ?? 'a link'}.`;
    case 'share.revoke':
      return `Revoked the share link ${quoted(d.name) ?? ''}.`;
    case 'brandKit.create':
    case 'brandKit.update':
      return `Saved the brand kit (${num(d.sections) ?? 0} sections, ${num(d.entries) ?? 0} entries).`;
    case 'brandKit.remove':
      return 'Stopped offering the collection as a brand kit.';
    default:
      return Object.entries(d)
        .map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? (Array.isArray(v) ? v.join(', ') : '…') : String(v)}`)
        .join(' · ');
  }
}
