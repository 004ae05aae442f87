import type { ReactNode } from 'react';
import { formatTimecode } from '@stockroom/shared-types';
import { formatDate } from '../ui/format.ts';
import { threaded, type CommentView } from './comment-view.ts';

interface Props {
  comments: CommentView[];
  /** The version on screen: comments made on another one are marked "on vN". */
  version: number;
  selectedId: string | null;
  onSelect: (comment: CommentView) => void;
  /** Extra buttons per comment (reply, resolve, delete...). */
  actions?: (comment: CommentView) => ReactNode;
  emptyHint?: string;
}

/** The comments of a version as threads; clicking one seeks the player to its frame or shows its region. */
export function CommentList({ comments, version, selectedId, onSelect, actions, emptyHint }: Props) {
  if (comments.length === 0) {
    return (
      <div className="empty">
        <p className="empty-title">No comments yet.</p>
        <p className="empty-hint">{emptyHint ?? 'Pause on a frame or draw on the image, then write what should change.'}</p>
      </div>
    );
  }
  return (
    <ol className="comment-list" aria-label="Comments">
      {threaded(comments).map(({ comment, reply }) => (
        <li
          key={comment.id}
          className={`comment${reply ? ' reply' : ''}${comment.resolved ? ' resolved' : ''}${comment.id === selectedId ? ' selected' : ''}`}
          data-comment-id={comment.id}
        >
          <div className="comment-head">
            <strong className="comment-author">{comment.authorName}</strong>
            {comment.guest && <span className="badge">guest</span>}
            {comment.versionNumber !== version && <span className="badge warn">on v{comment.versionNumber}</span>}
            {comment.resolved && <span className="badge">resolved</span>}
            <time className="muted small" dateTime={comment.createdAt}>
              {formatDate(comment.createdAt)}
            </time>
          </div>
          {(comment.timeRange || comment.region) && (
            <button type="button" className="link comment-jump" onClick={() => onSelect(comment)} aria-label={jumpLabel(comment)}>
              {comment.timeRange
                ? `${formatTimecode(comment.timeRange.startFrame, comment.timeRange.frameRate)}${
                    comment.timeRange.endFrame !== null ? ` – ${formatTimecode(comment.timeRange.endFrame, comment.timeRange.frameRate)}` : ''
                  } · frame ${comment.timeRange.startFrame}`
                : 'Show region'}
            </button>
          )}
          <p className="comment-body">{comment.body}</p>
          {actions && <div className="comment-actions">{actions(comment)}</div>}
        </li>
      ))}
    </ol>
  );
}

function jumpLabel(comment: CommentView): string {
  if (comment.timeRange) return `Go to frame ${comment.timeRange.startFrame} (comment by ${comment.authorName})`;
  return `Show the region of the comment by ${comment.authorName}`;
}
