import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { StockroomError } from '@stockroom/shared-types';

/** zxcvbn's scale: 3 = "safely unguessable" against an online attack with throttling. */
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;

/**
 * Refuses common and trivial passwords (aaaaaaaaaaaa, password1234, qwerty…, the
 * person's own name or e-mail) with zxcvbn's estimate against its lists of common
 * passwords and words, rather than a list of our own. Length (12+) is checked by the contract.
 */
export function assertStrongPassword(password: string, person: { email?: string; name?: string } = {}): void {
  estimator ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  // The name whole, word by word and run together ("CarolDesigner2026" is Carol Designer's).
  const words = (person.name ?? '').split(/\s+/).filter(Boolean);
  const inputs = [person.email, person.email?.split('@')[0], person.name, words.join(''), ...words].filter((v): v is string => Boolean(v));
  const result = estimator.check(password, inputs);
  if (result.score >= MIN_SCORE) return;
  const why = result.feedback.warning ?? 'guessable';
  throw new StockroomError(
    'VALIDATION_FAILED',
    'This password is too easy to guess (a common password, a pattern or repetition, or the person’s own name). Use a passphrase of several unrelated words.',
    { issues: [{ path: 'password', message: `too easy to guess (${why})` }], reason: why },
  );
}
