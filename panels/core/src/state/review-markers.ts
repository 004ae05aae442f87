import type { ReviewComment } from '@stockroom/shared-types';
import type { MarkerSpec } from '../host/types.ts';

const NAME_LENGTH = 60;

/**
 * Review comments with a time range, as clip markers: a range becomes a marker with that
 * duration, a point in time a marker without one; the comment's id is the tag that lets a
 * second sync skip it; resolved ones say so in their name (and get another colour).
 */
export function commentsToMarkers(comments: ReviewComment[]): MarkerSpec[] {
  return comments
    .filter((comment) => comment.timeRange !== null)
    .map((comment) => {
      const range = comment.timeRange!;
      const body = comment.body.replace(/\s+/g, ' ').trim();
      const short = body.length > NAME_LENGTH ? `${body.slice(0, NAME_LENGTH - 1)}…` : body;
      const end = range.endSeconds ?? range.startSeconds;
      return {
        tag: comment.id,
        name: `${comment.resolved ? '✓ ' : ''}${comment.author.name}: ${short}`,
        comments: `${comment.body}\n— ${comment.author.name}, on v${comment.versionNumber}${comment.resolved ? ' (resolved)' : ''}`,
        startSeconds: range.startSeconds,
        durationSeconds: Math.max(0, end - range.startSeconds),
        resolved: comment.resolved,
      };
    });
}
