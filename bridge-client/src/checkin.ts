import { StockroomError, type CheckInOverride, type MethodParams } from '@stockroom/shared-types';

/**
 * What a check-in's bytes were made from. A client always knows this better than the
 * server: it is the version its document came from — never the head it happens to know
 * now, which would silently replace whatever was checked in since.
 */
export type CheckInBasis =
  /** The version the document came from (downloaded, opened from the cache, or remembered for it). */
  | { baseVersion: number; override?: undefined; underLock?: undefined }
  /**
   * "Check in anyway", after the person saw what it replaces: on top of the head
   * `baseVersion`, although the document started from `override.startedFrom`.
   */
  | { baseVersion: number; override: CheckInOverride; underLock?: undefined }
  /** Only for callers without a document version (scripts): the caller's lock alone. */
  | { underLock: true; baseVersion?: undefined; override?: undefined };

export type CheckInRequest = Omit<MethodParams<'assets.checkin'>, 'baseVersion' | 'override'> & CheckInBasis;

/** The wire parameters of a check-in, refusing one that names no basis (JavaScript callers skip the types). */
export function checkInParams(request: CheckInRequest): MethodParams<'assets.checkin'> {
  const { underLock, ...params } = request;
  const base = params.baseVersion;
  if (base !== undefined && (!Number.isInteger(base) || base < 0)) {
    throw new StockroomError('VALIDATION_FAILED', `baseVersion must be the version number your document came from, not ${String(base)}.`, {
      baseVersion: base,
    });
  }
  if (base === undefined && underLock !== true) {
    throw new StockroomError(
      'VALIDATION_FAILED',
      'Say which version your document came from (baseVersion), so a check-in never replaces a newer version silently; ' +
        'only a caller holding the lock may leave it out (underLock: true).',
    );
  }
  if (underLock === true && (base !== undefined || params.override !== undefined)) {
    throw new StockroomError('VALIDATION_FAILED', 'A check-in is either under your lock or against a baseVersion, not both.');
  }
  return params;
}
