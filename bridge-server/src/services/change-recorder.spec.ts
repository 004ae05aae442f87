import { describe, expect, it } from 'vitest';
import { NO_TX } from '../../test/unit/fakes/in-memory-db.ts';
import { ChangeRecorder, type OutgoingEvent } from './change-recorder.ts';

describe('ChangeRecorder', () => {
  it('writes the audit row and the events, then runs each consumer for the events it declares', async () => {
    const written: unknown[] = [];
    const recorder = new ChangeRecorder({
      insertAudit: async (_tx, row) => void written.push(['audit', row.action, row.actorId]),
      insertEvents: async (_tx, events) => void written.push(['events', events.map((e) => e.event)]),
    });
    const seen: string[] = [];
    recorder.on(['version.created'], async (_tx, e) => void seen.push(`versions:${e.event}`));
    recorder.onEvent(async (_tx, e) => void seen.push(`all:${e.event}`));
    const events = [
      { event: 'asset.deleted', data: { assetId: 'a', collectionId: null, by: { id: 'u', name: 'U', email: 'u@x' } } },
      { event: 'version.created', data: { assetId: 'a', collectionId: null } },
    ] as unknown as OutgoingEvent[];
    await recorder.record(NO_TX, null, { action: 'asset.delete', targetType: 'asset', targetId: 'a' }, events);
    expect(written).toEqual([
      ['audit', 'asset.delete', null],
      ['events', ['asset.deleted', 'version.created']],
    ]);
    expect(seen).toEqual(['all:asset.deleted', 'versions:version.created', 'all:version.created']);
  });
});
