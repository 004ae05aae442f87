import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { Link } from 'wouter';
import {
  exactFrameRate,
  frameAtSeconds,
  type Asset,
  type CommentRegion,
  type CommentTimeInput,
  type Derivative,
  type ReviewStatus,
  type Version,
} from '@stockroom/shared-types';
import { useMethod, useMethodMutation } from '../data/methods.ts';
import { CommentList } from '../review/comment-list.tsx';
import { fromReviewComment, seekToComment, type CommentView } from '../review/comment-view.ts';
import { ReviewMedia } from '../review/review-media.tsx';
import { ShareLinkForm } from '../review/share-form.tsx';
import { useSession } from '../session/session.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { ErrorNotice, QueryState } from '../ui/feedback.tsx';
import { formatDate } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';

type MediaElement = HTMLVideoElement & HTMLAudioElement;
export const STATUS_LABEL: Record<ReviewStatus, string> = { in_review: 'In review', changes_requested: 'Changes requested', approved: 'Approved' };

/** The review view of an asset: player or image with the comment list, approvals, version compare and sharing. */
export function ReviewPage({ id }: { id: string }) {
  const asset = useMethod('assets.get', { id });
  return (
    <Page title={asset.data ? `Review: ${asset.data.name}` : 'Review'} actions={<Link href={`/assets/${id}`}>Back to the asset</Link>}>
      <QueryState query={asset} what="the asset">
        {(a) => (a.headVersion > 0 ? <Review asset={a} /> : <p className="muted">This asset has no version to review yet.</p>)}
      </QueryState>
    </Page>
  );
}

function Review({ asset }: { asset: Asset }) {
  const versions = useMethod('versions.list', { assetId: asset.id });
  const [version, setVersion] = useState(asset.headVersion);
  const [compareWith, setCompareWith] = useState<number | null>(null);
  const list = versions.data?.versions ?? [];
  const current = list.find((v) => v.number === version);
  return (
    <>
      <div className="toolbar wrap">
        <label>
          Version
          <select value={version} onChange={(e) => setVersion(Number(e.target.value))}>
            {list.map((v) => (
              <option key={v.number} value={v.number}>
                v{v.number} · {formatDate(v.createdAt)} · {v.author.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Compare with
          <select value={compareWith ?? ''} onChange={(e) => setCompareWith(e.target.value ? Number(e.target.value) : null)}>
            <option value="">(no comparison)</option>
            {list
              .filter((v) => v.number !== version)
              .map((v) => (
                <option key={v.number} value={v.number}>
                  v{v.number}
                </option>
              ))}
          </select>
        </label>
        <ReviewStatusBar assetId={asset.id} version={version} />
      </div>
      {compareWith !== null && current ? (
        <Compare asset={asset} left={version} right={compareWith} />
      ) : (
        current && <VersionReview key={version} asset={asset} version={current} />
      )}
      <ShareThis asset={asset} />
    </>
  );
}

function useMediaOf(assetId: string, number: number) {
  const derivatives = useMethod('derivatives.list', { assetId, number });
  const ready = (derivatives.data?.derivatives ?? []).filter((d: Derivative) => d.status === 'ready' && d.contentUrl);
  return { derivatives, ready };
}

/** Which element shows a version: the proxy for video, the audio preview, else the still preview (or the original image). */
function mediaFor(version: Version, ready: Derivative[]): { kind: 'video' | 'audio' | 'image'; src: string; poster: string | null } | null {
  const proxy = ready.find((d) => d.preset === 'proxy');
  const poster = ready.find((d) => d.preset === 'poster')?.contentUrl ?? null;
  if (version.mimeType.startsWith('video/')) return { kind: 'video', src: proxy?.contentUrl ?? version.contentUrl, poster };
  if (version.mimeType.startsWith('audio/'))
    return { kind: 'audio', src: ready.find((d) => d.mimeType?.startsWith('audio/'))?.contentUrl ?? version.contentUrl, poster: null };
  const still = ready.find((d) => d.preset === 'preview') ?? ready.find((d) => d.mimeType?.startsWith('image/'));
  if (still?.contentUrl) return { kind: 'image', src: still.contentUrl, poster: null };
  if (version.mimeType.startsWith('image/') && version.mimeType !== 'image/vnd.adobe.photoshop')
    return { kind: 'image', src: version.contentUrl, poster: null };
  return null;
}

function frameRateOf(version: Version): number | null {
  const video = (version.metadata as { video?: { video?: { frameRate?: number } } }).video;
  const stored = video?.video?.frameRate;
  return stored ? exactFrameRate(stored) : null;
}

function VersionReview({ asset, version }: { asset: Asset; version: Version }) {
  const { csrfToken, user } = useSession();
  const { derivatives, ready } = useMediaOf(asset.id, version.number);
  const comments = useMethod('comments.list', { assetId: asset.id, version: version.number });
  const media = useRef<MediaElement>(null);
  const [selected, setSelected] = useState<CommentView | null>(null);
  const [drawn, setDrawn] = useState<CommentRegion | null>(null);
  const [replyTo, setReplyTo] = useState<CommentView | null>(null);
  const [deleting, setDeleting] = useState<CommentView | null>(null);
  const resolve = useMethodMutation('comments.resolve', ['comments.list']);
  const remove = useMethodMutation('comments.delete', ['comments.list']);
  const frameRate = frameRateOf(version);
  if (!csrfToken) return <p className="muted">Previews need a password sign-in (a browser session); this tab is signed in with an API token.</p>;
  const shown = mediaFor(version, ready);
  const views = (comments.data?.comments ?? []).map(fromReviewComment);
  const select = (comment: CommentView) => {
    setSelected(comment);
    seekToComment(media.current, comment);
  };
  return (
    <div className="review-layout">
      <section aria-label="Preview" className="review-stage">
        {derivatives.isPending ? null : shown ? (
          <ReviewMedia
            kind={shown.kind}
            src={shown.src}
            poster={shown.poster}
            label={`Version ${version.number} of ${asset.name}`}
            region={selected?.region ?? null}
            onDraw={shown.kind === 'image' ? setDrawn : undefined}
            drawn={drawn}
            mediaRef={media}
            testId="review-player"
          />
        ) : (
          <p className="muted">No preview of version {version.number} yet.</p>
        )}
        {shown?.kind === 'image' && <p className="muted small">Drag on the image to mark the area a new comment is about.</p>}
      </section>
      <section aria-labelledby="comments-title" className="review-side">
        <h2 id="comments-title">Comments</h2>
        <QueryState query={comments} what="the comments">
          {() => (
            <CommentList
              comments={views}
              version={version.number}
              selectedId={selected?.id ?? null}
              onSelect={select}
              actions={(c) => (
                <>
                  {c.parentId === null && (
                    <button type="button" className="link" onClick={() => setReplyTo(c)}>
                      Reply
                    </button>
                  )}
                  <button type="button" className="link" onClick={() => resolve.mutate({ commentId: c.id, resolved: !c.resolved })}>
                    {c.resolved ? 'Reopen' : 'Resolve'}
                  </button>
                  {(c.authorId === user.id || user.role === 'admin') && (
                    <button type="button" className="link danger" onClick={() => setDeleting(c)}>
                      Delete
                    </button>
                  )}
                </>
              )}
            />
          )}
        </QueryState>
        {resolve.error && <ErrorNotice error={resolve.error} />}
        <NewComment
          assetId={asset.id}
          version={version.number}
          frameRate={frameRate}
          media={media}
          region={drawn}
          replyTo={replyTo}
          onDone={() => (setDrawn(null), setReplyTo(null))}
          onCancelReply={() => setReplyTo(null)}
        />
      </section>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this comment?"
        confirmLabel="Delete comment"
        danger
        busy={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate({ commentId: deleting.id }, { onSuccess: () => setDeleting(null) })}
      >
        <p>The comment and its replies are removed for everybody. This cannot be undone.</p>
      </ConfirmDialog>
    </div>
  );
}

function NewComment(props: {
  assetId: string;
  version: number;
  frameRate: number | null;
  media: RefObject<MediaElement | null>;
  region: CommentRegion | null;
  replyTo: CommentView | null;
  onDone: () => void;
  onCancelReply: () => void;
}) {
  const [body, setBody] = useState('');
  const [atFrame, setAtFrame] = useState(true);
  const create = useMethodMutation('comments.create', ['comments.list']);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let timeRange: CommentTimeInput | undefined;
    if (!props.replyTo && atFrame && props.frameRate && props.media.current)
      timeRange = { startFrame: frameAtSeconds(props.media.current.currentTime, props.frameRate) };
    const region = !props.replyTo && props.region && props.region.width > 0 && props.region.height > 0 ? props.region : undefined;
    create.mutate(
      {
        assetId: props.assetId,
        version: props.version,
        body,
        ...(props.replyTo ? { parentId: props.replyTo.id } : {}),
        ...(timeRange ? { timeRange } : {}),
        ...(region ? { region } : {}),
      },
      { onSuccess: () => (setBody(''), props.onDone()) },
    );
  };
  return (
    <form className="form" aria-label="New comment" onSubmit={submit}>
      {props.replyTo && (
        <p className="small">
          Replying to {props.replyTo.authorName}.{' '}
          <button type="button" className="link" onClick={props.onCancelReply}>
            Cancel reply
          </button>
        </p>
      )}
      <label>
        {props.replyTo ? 'Reply' : 'New comment'}
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={3} required maxLength={10000} />
      </label>
      {!props.replyTo && props.frameRate !== null && (
        <label className="inline">
          <input type="checkbox" checked={atFrame} onChange={(e) => setAtFrame(e.target.checked)} /> At the current frame
        </label>
      )}
      {!props.replyTo && props.region && props.region.width > 0 && <p className="small muted">The marked area goes with the comment.</p>}
      {create.error && <ErrorNotice error={create.error} />}
      <button type="submit" className="primary" disabled={create.isPending}>
        {props.replyTo ? 'Send reply' : 'Add comment'}
      </button>
    </form>
  );
}

function ReviewStatusBar({ assetId, version }: { assetId: string; version: number }) {
  const review = useMethod('reviews.get', { assetId, version });
  const set = useMethodMutation('reviews.set', ['reviews.get']);
  const [note, setNote] = useState('');
  const status = review.data?.status ?? null;
  const change = (next: ReviewStatus) => set.mutate({ assetId, version, status: next, ...(note ? { note } : {}) }, { onSuccess: () => setNote('') });
  const last = review.data?.history[0];
  return (
    <div className="review-bar grow">
      <p>
        Status:{' '}
        <span className={`review-status ${status ?? ''}`} data-testid="review-status">
          {status ? STATUS_LABEL[status] : 'Not in review'}
        </span>
        {last && (
          <span className="muted small">
            {' '}
            · {last.by?.name ?? 'collection rule'}, {formatDate(last.at)}
          </span>
        )}
      </p>
      <div className="toolbar">
        <label className="grow">
          Note (optional)
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
        </label>
        <button type="button" className="primary" disabled={set.isPending || status === 'approved'} onClick={() => change('approved')}>
          Approve
        </button>
        <button type="button" disabled={set.isPending || status === 'changes_requested'} onClick={() => change('changes_requested')}>
          Request changes
        </button>
        <button type="button" disabled={set.isPending || status === 'in_review'} onClick={() => change('in_review')}>
          Back to review
        </button>
      </div>
      {set.error && <ErrorNotice error={set.error} />}
    </div>
  );
}

/** Two versions side by side; videos play, pause and seek together (the left one leads). */
function Compare({ asset, left, right }: { asset: Asset; left: number; right: number }) {
  const versions = useMethod('versions.list', { assetId: asset.id });
  const a = useMediaOf(asset.id, left);
  const b = useMediaOf(asset.id, right);
  const leftRef = useRef<MediaElement>(null);
  const rightRef = useRef<MediaElement>(null);
  const [leftVersion, rightVersion] = [left, right].map((n) => versions.data?.versions.find((v) => v.number === n));
  const leftMedia = leftVersion ? mediaFor(leftVersion, a.ready) : null;
  const rightMedia = rightVersion ? mediaFor(rightVersion, b.ready) : null;
  useEffect(() => {
    const lead = leftRef.current;
    const follow = rightRef.current;
    if (!lead || !follow) return;
    const sync = () => {
      if (Math.abs(follow.currentTime - lead.currentTime) > 0.04) follow.currentTime = lead.currentTime;
    };
    const play = () => void follow.play().catch(() => {});
    const pause = () => (follow.pause(), sync());
    lead.addEventListener('seeked', sync);
    lead.addEventListener('play', play);
    lead.addEventListener('pause', pause);
    return () => {
      lead.removeEventListener('seeked', sync);
      lead.removeEventListener('play', play);
      lead.removeEventListener('pause', pause);
    };
  }, [leftMedia?.src, rightMedia?.src]);
  return (
    <div className="review-compare" aria-label="Version compare">
      {[
        { n: left, m: leftMedia, ref: leftRef },
        { n: right, m: rightMedia, ref: rightRef },
      ].map(({ n, m, ref }) => (
        <figure key={n} className="player">
          {m ? (
            <ReviewMedia kind={m.kind} src={m.src} poster={m.poster} label={`Version ${n}`} region={null} mediaRef={ref} testId={`compare-v${n}`} />
          ) : (
            <p className="muted">No preview of version {n} yet.</p>
          )}
          <figcaption>Version {n}</figcaption>
        </figure>
      ))}
    </div>
  );
}

function ShareThis({ asset }: { asset: Asset }) {
  return (
    <section aria-labelledby="share-title" className="card">
      <h2 id="share-title">Share for review</h2>
      <ShareLinkForm assetId={asset.id} defaultDays={7} />
      <p className="small">
        <Link href="/shares">All share links, their usage and revocation</Link>
      </p>
    </section>
  );
}
