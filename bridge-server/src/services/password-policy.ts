import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { StockroomError } from '@stockroom/shared-types';

/** zxcvbn's scale: 0 too guessable … 4 very unguessable; 3 is "safely unguessable" for online attacks. */
export const MIN_PASSWORD_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;

/**
 * Refuses passwords on the common-password lists of zxcvbn-ts (leaked and most-used
 * passwords) and those it estimates as easy to guess (repeats, keyboard walks, dates,
 * the account's own name or e-mail). The lists load once, on first use.
 */
export function assertStrongPassword(password: string, about: { email?: string; name?: string } = {}): void {
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  const words = (about.name ?? '').split(/\s+/).filter(Boolean);
  const inputs = [about.email, about.email?.split('@')[0], about.name, words.join(''), ...words].filter((v): v is string => Boolean(v));
  const result = estimator.check(password, inputs);
  if (result.score < MIN_PASSWORD_SCORE) {
    throw new StockroomError(
      'VALIDATION_FAILED',
      'This password is too easy to guess: it is a common password, a simple pattern (repeats, keyboard rows, dates) or contains the name or e-mail. Use a longer phrase of unrelated words.',
      { field: 'password', score: result.score, minScore: MIN_PASSWORD_SCORE },
    );
  }
}
