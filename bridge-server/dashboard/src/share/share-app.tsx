import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import {
  formatTimecode,
  frameAtSeconds,
  publicCommentSchema,
  publicShareSchema,
  type CommentTimeInput,
  type PublicShare,
  type PublicShareItem,
} from '@stockroom/shared-types';
import { CommentList } from '../review/comment-list.tsx';
import { fromPublicComment, seekToComment, type CommentView } from '../review/comment-view.ts';
import { ReviewMedia } from '../review/review-media.tsx';

/** The link's own address (/s/<secret>): every request of the page goes under it. */
const base = window.location.pathname.replace(/\/+$/, '');
const NAME_KEY = 'stockroom.guestName';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; share: PublicShare };

async function errorMessage(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return body.error?.message ?? `The server answered ${res.status}.`;
  } catch {
    return `The server answered ${res.status}.`;
  }
}

/** The public page of a share link: the shared items, their comments, and a guest's comment form. */
export function ShareApp() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [index, setIndex] = useState(0);
  const refresh = useCallback(async () => {
    const res = await fetch(`${base}/api`, { headers: { accept: 'application/json' } });
    if (!res.ok) return setLoad({ status: 'error', message: await errorMessage(res) });
    setLoad({ status: 'ready', share: publicShareSchema.parse(await res.json()) });
  }, []);
  useEffect(() => {
    refresh().catch(() => setLoad({ status: 'error', message: 'The server could not be reached. Check your connection and reload.' }));
  }, [refresh]);

  if (load.status === 'loading')
    return (
      <main className="share-page">
        <p role="status">Loading…</p>
      </main>
    );
  if (load.status === 'error')
    return (
      <main className="share-page">
        <h1>This link cannot be shown</h1>
        <p className="error" role="alert">
          {load.message}
        </p>
      </main>
    );
  const { share } = load;
  const item = share.items[index];
  return (
    <main className="share-page">
      <header className="share-header">
        <h1>{share.name}</h1>
        <p className="muted small">
          Shared with you through Stockroom{share.expiresAt ? ` · available until ${new Date(share.expiresAt).toLocaleString()}` : ''}
        </p>
      </header>
      {share.items.length > 1 && (
        <nav className="share-items" aria-label="Shared items">
          {share.items.map((it) => (
            <button key={it.index} type="button" aria-current={it.index === index ? 'true' : undefined} onClick={() => setIndex(it.index)}>
              {it.posterUrl ? <img src={it.posterUrl} alt="" /> : null}
              <span>{it.name}</span>
            </button>
          ))}
        </nav>
      )}
      {item ? (
        <SharedItem key={item.index} item={item} allowComments={share.allowComments} onCommented={refresh} />
      ) : (
        <div className="empty">
          <p className="empty-title">Nothing is shared here yet.</p>
        </div>
      )}
    </main>
  );
}

function SharedItem({ item, allowComments, onCommented }: { item: PublicShareItem; allowComments: boolean; onCommented: () => Promise<void> }) {
  const media = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const [selected, setSelected] = useState<CommentView | null>(null);
  const [replyTo, setReplyTo] = useState<CommentView | null>(null);
  const comments = item.comments.map(fromPublicComment);
  const kind = item.kind === 'video' && item.proxyUrl ? 'video' : item.kind === 'audio' && item.previewUrl ? 'audio' : 'image';
  const src = kind === 'video' ? item.proxyUrl : kind === 'audio' ? item.previewUrl : (item.previewUrl ?? item.posterUrl);
  const select = (comment: CommentView) => {
    setSelected(comment);
    seekToComment(media.current, comment);
  };
  return (
    <div className="review-layout">
      <section aria-label="Preview" className="review-stage">
        <h2>
          {item.name} <span className="muted small">version {item.versionNumber}</span>
        </h2>
        {src ? (
          <ReviewMedia
            kind={kind}
            src={src}
            poster={item.posterUrl}
            label={`${item.name}, version ${item.versionNumber}`}
            region={selected?.region ?? null}
            mediaRef={media}
            testId="share-player"
          />
        ) : (
          <p className="muted">The preview of this item is still being made. Reload in a minute.</p>
        )}
        {item.downloadUrl && (
          <p>
            <a href={item.downloadUrl} download>
              Download the original
            </a>
          </p>
        )}
      </section>
      <section aria-labelledby="comments-title" className="review-side">
        <h2 id="comments-title">Comments</h2>
        <CommentList
          comments={comments}
          version={item.versionNumber}
          selectedId={selected?.id ?? null}
          onSelect={select}
          emptyHint={allowComments ? 'Be the first: pause where something should change and write it below.' : 'Nobody has commented.'}
          actions={
            allowComments
              ? (c) =>
                  c.parentId === null && (
                    <button type="button" className="link" onClick={() => setReplyTo(c)} aria-label={`Reply to ${c.authorName}`}>
                      Reply
                    </button>
                  )
              : undefined
          }
        />
        {allowComments && (
          <GuestCommentForm
            item={item}
            media={media}
            replyTo={replyTo}
            onCancelReply={() => setReplyTo(null)}
            onDone={async () => (setReplyTo(null), await onCommented())}
          />
        )}
      </section>
    </div>
  );
}

function GuestCommentForm({
  item,
  media,
  replyTo,
  onCancelReply,
  onDone,
}: {
  item: PublicShareItem;
  media: React.RefObject<(HTMLVideoElement & HTMLAudioElement) | null>;
  replyTo: CommentView | null;
  onCancelReply: () => void;
  onDone: () => Promise<void>;
}) {
  const [name, setName] = useState(() => localStorage.getItem(NAME_KEY) ?? '');
  const [body, setBody] = useState('');
  const [atTime, setAtTime] = useState(item.frameRate !== null);
  const [state, setState] = useState<{ busy: boolean; error?: string; done?: string }>({ busy: false });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setState({ busy: true });
    let timeRange: CommentTimeInput | undefined;
    if (!replyTo && atTime && item.frameRate && media.current) timeRange = { startFrame: frameAtSeconds(media.current.currentTime, item.frameRate) };
    const res = await fetch(`${base}/items/${item.index}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ name, body, ...(replyTo ? { parentId: replyTo.id } : {}), ...(timeRange ? { timeRange } : {}) }),
    });
    if (!res.ok) return setState({ busy: false, error: await errorMessage(res) });
    const { comment } = (await res.json()) as { comment: unknown };
    publicCommentSchema.parse(comment);
    localStorage.setItem(NAME_KEY, name);
    setBody('');
    setState({ busy: false, done: 'Thank you, your comment was sent.' });
    await onDone();
  };
  const frame = item.frameRate && media.current ? frameAtSeconds(media.current.currentTime, item.frameRate) : null;
  return (
    <form className="form guest-form" aria-label="Add a comment" onSubmit={(e) => void submit(e)}>
      {replyTo && (
        <p className="small">
          Replying to {replyTo.authorName}.{' '}
          <button type="button" className="link" onClick={onCancelReply}>
            Cancel reply
          </button>
        </p>
      )}
      <label>
        Your name
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoComplete="name" />
      </label>
      <label>
        Comment
        <textarea value={body} onChange={(e) => setBody(e.target.value)} required maxLength={10000} rows={3} />
      </label>
      {item.frameRate !== null && !replyTo && (
        <label className="inline">
          <input type="checkbox" checked={atTime} onChange={(e) => setAtTime(e.target.checked)} /> At the paused frame
          {atTime && frame !== null ? ` (${formatTimecode(frame, item.frameRate)})` : ''}
        </label>
      )}
      {state.error && (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
      {state.done && <p role="status">{state.done}</p>}
      <button type="submit" className="primary" disabled={state.busy}>
        {state.busy ? 'Sending…' : 'Send comment'}
      </button>
    </form>
  );
}
