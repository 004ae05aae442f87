import { seekSecondsForFrame, type CommentRegion, type CommentTimeRange, type PublicComment, type ReviewComment } from '@stockroom/shared-types';

/** What the comment list shows: the same for signed-in users (ReviewComment) and guests (PublicComment). */
export interface CommentView {
  id: string;
  parentId: string | null;
  authorName: string;
  guest: boolean;
  body: string;
  versionNumber: number;
  timeRange: CommentTimeRange | null;
  region: CommentRegion | null;
  resolved: boolean;
  createdAt: string;
  /** Set for signed-in users' comments (to tell "mine" apart). */
  authorId?: string;
}

export function fromReviewComment(c: ReviewComment): CommentView {
  return {
    id: c.id,
    parentId: c.parentId,
    authorName: c.author.name,
    guest: c.author.kind === 'guest',
    body: c.body,
    versionNumber: c.versionNumber,
    timeRange: c.timeRange,
    region: c.region,
    resolved: c.resolved,
    createdAt: c.createdAt,
    authorId: c.author.kind === 'user' ? c.author.id : undefined,
  };
}

export function fromPublicComment(c: PublicComment): CommentView {
  return { ...c };
}

/** Threads in order: each first comment followed by its replies. */
export function threaded(comments: CommentView[]): Array<{ comment: CommentView; reply: boolean }> {
  const roots = comments.filter((c) => c.parentId === null || !comments.some((p) => p.id === c.parentId));
  return roots.flatMap((root) => [
    { comment: root, reply: false },
    ...comments.filter((c) => c.parentId === root.id).map((comment) => ({ comment, reply: true })),
  ]);
}

/** Pauses the player on the first frame of a time-coded comment. */
export function seekToComment(media: HTMLMediaElement | null, comment: CommentView): void {
  if (!media || !comment.timeRange) return;
  media.pause();
  media.currentTime = seekSecondsForFrame(comment.timeRange.startFrame, comment.timeRange.frameRate);
}
