import { useCallback, useEffect, useState } from 'react';
import { formatTimecode, type Asset, type ReviewComment } from '@stockroom/shared-types';
import { humanError } from '../errors/human-error.ts';
import { COMMENT_EVENTS } from '../state/panel-controller.ts';
import { formatWhen } from './format.ts';
import { usePanel } from './use-panel.ts';

/**
 * The review comments of one version of the open asset (the head unless another is
 * picked), as threads; clicking a comment with a region outlines it on the preview.
 */
export function CommentsView({ asset }: { asset: Asset }) {
  const [state, panel] = usePanel();
  const [version, setVersion] = useState(asset.headVersion);
  const [comments, setComments] = useState<ReviewComment[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReviewComment | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const versionInfo = state.versions?.find((v) => v.number === version) ?? (asset.head?.number === version ? asset.head : null);

  const load = useCallback(async () => {
    const client = panel.connection;
    if (!client) return;
    try {
      setError(null);
      setComments((await client.call('comments.list', { assetId: asset.id, version })).comments);
    } catch (e) {
      setError(humanError(e));
    }
  }, [panel, asset.id, version]);

  useEffect(() => {
    setVersion(asset.headVersion);
  }, [asset.id, asset.headVersion]);
  useEffect(() => {
    setSelected(null);
    void load();
  }, [load]);
  // Live: somebody's comment, reply, resolution or deletion on this asset shows without Refresh.
  useEffect(() => {
    const client = panel.connection;
    if (!client) return;
    const stops = COMMENT_EVENTS.map((event) => client.on(event, (data) => data.assetId === asset.id && void load()));
    return () => stops.forEach((stop) => stop());
  }, [panel, asset.id, load]);
  useEffect(() => {
    let live = true;
    if (versionInfo) void panel.previewUrl(asset.id, versionInfo).then((url) => live && setPreview(url));
    return () => {
      live = false;
    };
  }, [panel, asset.id, versionInfo]);

  const roots = (comments ?? []).filter((c) => c.parentId === null);
  const repliesOf = (id: string) => (comments ?? []).filter((c) => c.parentId === id);
  return (
    <div className="sr-section" data-testid="comments">
      <div className="sr-row sr-row--between">
        <div className="sr-subheading">Review comments</div>
        <div className="sr-row">
          {(state.versions?.length ?? 0) > 1 && (
            <select className="sr-select" aria-label="Comments of version" value={version} onChange={(e) => setVersion(Number(e.target.value))}>
              {state.versions!.map((v) => (
                <option key={v.number} value={v.number}>
                  v{v.number}
                </option>
              ))}
            </select>
          )}
          <button className="sr-button sr-button--quiet" onClick={() => void load()}>
            Refresh
          </button>
        </div>
      </div>
      {selected?.region && (
        <div className="sr-region-box" data-testid="comment-region">
          {preview ? <img src={preview} alt={`Version ${version} of ${asset.name}`} /> : <div className="sr-region-placeholder" />}
          <div
            className="sr-region"
            role="img"
            aria-label="Region of the selected comment"
            style={{
              left: `${selected.region.x * 100}%`,
              top: `${selected.region.y * 100}%`,
              width: `${selected.region.width * 100}%`,
              height: `${selected.region.height * 100}%`,
            }}
          />
        </div>
      )}
      {error && <div className="sr-error">{error}</div>}
      {comments === null && !error ? (
        <div className="sr-muted">Loading comments…</div>
      ) : roots.length === 0 && !error ? (
        <div className="sr-muted">No comments on v{version}. Reviewers comment in the dashboard or through a share link.</div>
      ) : (
        <ul className="sr-list" aria-label="Review comments">
          {roots.map((root) => (
            <li key={root.id} className="sr-list__item">
              <Comment comment={root} version={version} selected={selected?.id === root.id} onSelect={setSelected} />
              {repliesOf(root.id).map((reply) => (
                <div key={reply.id} className="sr-reply">
                  <Comment comment={reply} version={version} selected={selected?.id === reply.id} onSelect={setSelected} />
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Comment({
  comment,
  version,
  selected,
  onSelect,
}: {
  comment: ReviewComment;
  version: number;
  selected: boolean;
  onSelect: (c: ReviewComment) => void;
}) {
  const where = comment.region ? 'Show region' : comment.timeRange ? formatTimecode(comment.timeRange.startFrame, comment.timeRange.frameRate) : null;
  return (
    <div className={`sr-comment${selected ? ' sr-comment--selected' : ''}`} data-testid="comment">
      <div className="sr-row sr-row--between">
        <strong>{comment.author.name}</strong>
        <span className="sr-muted">
          {comment.versionNumber !== version && <span className="sr-tag">on v{comment.versionNumber}</span>} {comment.resolved ? 'resolved · ' : ''}
          {formatWhen(comment.createdAt)}
        </span>
      </div>
      {where && (
        <button className="sr-button sr-button--quiet" aria-pressed={selected} onClick={() => onSelect(comment)}>
          {where}
        </button>
      )}
      <div className="sr-text">{comment.body}</div>
    </div>
  );
}
