import { MAX_FRAME_BYTES, StockroomError } from '@stockroom/shared-types';
import { describe, expect, it } from 'vitest';
import type { ConnectionState, OpenLink } from '../../src/connection.ts';
import { PendingRequests } from '../../src/pending.ts';
import { RequestLayer } from '../../src/requests.ts';
import { WS_OPEN, type WebSocketLike } from '../../src/websocket.ts';

interface SentFrame {
  id: number;
  method: string;
  params?: unknown;
}

/** An open socket that records what is sent; the test plays the bridge. */
function openSocket(): WebSocketLike & { sent: SentFrame[] } {
  const sent: SentFrame[] = [];
  return {
    readyState: WS_OPEN,
    sent,
    send: (data: string) => void sent.push(JSON.parse(data) as SentFrame),
    close: () => {},
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
  };
}

/** Stands in for Connection: always open, on one socket. */
function openConnection() {
  const link: OpenLink = { socket: openSocket(), pending: new PendingRequests() };
  return {
    link,
    sent: (link.socket as ReturnType<typeof openSocket>).sent,
    connection: {
      state: 'open' as ConnectionState,
      waitUntilOpen: () => Promise.resolve(),
      openLink: () => link,
    },
  };
}

function makeLayer() {
  const open = openConnection();
  const errors: StockroomError[] = [];
  const listenerErrors: unknown[] = [];
  const layer = new RequestLayer(open.connection, 5_000, { onError: (e) => errors.push(e), onListenerError: (e) => listenerErrors.push(e) });
  const answer = (frame: object) => layer.handleFrame(open.link.pending, JSON.stringify(frame));
  return { layer, errors, listenerErrors, answer, ...open };
}

const ASSET_A = '0b6c1c7e-2a4f-4d3e-9a55-8f3f0f6f1a01';
const ASSET_B = '0b6c1c7e-2a4f-4d3e-9a55-8f3f0f6f1a02';

/** Lets the layer send what it is about to send. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RequestLayer', () => {
  it('sends a call on the open socket and settles it with the answer of the same id', async () => {
    const { layer, sent, answer } = makeLayer();
    const first = layer.send('assets.get', { id: ASSET_A }, undefined);
    const second = layer.send('assets.get', { id: ASSET_B }, undefined);
    await settle();
    expect(sent.map((f) => [f.method, f.params])).toEqual([
      ['assets.get', { id: ASSET_A }],
      ['assets.get', { id: ASSET_B }],
    ]);
    answer({ id: sent[1]!.id, result: 'B' });
    answer({ id: sent[0]!.id, error: { code: 'NOT_FOUND', message: 'No such asset.' } });
    await expect(second).resolves.toBe('B');
    await expect(first).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a call while the connection is idle or closed, without sending', async () => {
    const { sent } = openConnection();
    const layer = new RequestLayer(
      { state: 'closed', waitUntilOpen: () => Promise.reject(new StockroomError('DISCONNECTED', 'not connected')), openLink: () => null },
      5_000,
      { onError: () => {}, onListenerError: () => {} },
    );
    await expect(layer.send('assets.get', { id: ASSET_A }, undefined)).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(sent).toEqual([]);
  });

  it('refuses a request larger than the frame limit with PAYLOAD_TOO_LARGE, never sending it', async () => {
    const { layer, sent } = makeLayer();
    await expect(layer.send('assets.get', { id: 'x'.repeat(MAX_FRAME_BYTES) }, undefined)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(sent).toEqual([]);
  });

  it('re-sends the last subscription on a new socket; a refused subscription is not remembered', async () => {
    const { layer, sent, answer } = makeLayer();
    const fresh = openSocket();
    await layer.resubscribe(fresh, new PendingRequests());
    expect(fresh.sent).toEqual([]);

    const subscribed = layer.subscribe(['asset.locked']);
    await settle();
    answer({ id: sent.at(-1)!.id, result: { events: ['asset.locked'] } });
    await expect(subscribed).resolves.toEqual(['asset.locked']);

    // @ts-expect-error an event name the contract does not have
    const refused = layer.subscribe(['asset.nope']);
    await settle();
    answer({ id: sent.at(-1)!.id, error: { code: 'VALIDATION_FAILED', message: 'Unknown event.' } });
    await expect(refused).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    const pending = new PendingRequests();
    const resubscribed = layer.resubscribe(fresh, pending);
    expect(fresh.sent.map((f) => [f.method, f.params])).toEqual([['events.subscribe', { events: ['asset.locked'] }]]);
    pending.resolve(fresh.sent[0]!.id, { events: ['asset.locked'] });
    await resubscribed;
  });

  it('a subscription that fails for a dropped connection is kept, to be sent on reconnect', async () => {
    const { layer, sent, link } = makeLayer();
    const subscribed = layer.subscribe();
    await settle();
    expect(sent).toHaveLength(1);
    link.pending.failAll(() => new StockroomError('DISCONNECTED', 'dropped'));
    await expect(subscribed).rejects.toMatchObject({ code: 'DISCONNECTED' });
    const fresh = openSocket();
    void layer.resubscribe(fresh, new PendingRequests());
    expect(fresh.sent.map((f) => [f.method, f.params])).toEqual([['events.subscribe', {}]]);
  });

  it('a re-subscription the bridge refuses is reported through onError', async () => {
    const { layer, errors, sent, answer } = makeLayer();
    const subscribed = layer.subscribe(['asset.locked']);
    await settle();
    answer({ id: sent[0]!.id, result: { events: ['asset.locked'] } });
    await subscribed;
    const fresh = openSocket();
    const pending = new PendingRequests();
    const resubscribed = layer.resubscribe(fresh, pending);
    pending.reject(fresh.sent[0]!.id, { code: 'FORBIDDEN', message: 'No longer allowed.' });
    await resubscribed;
    expect(errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
  });

  it('routes events to their handlers until stopped; a throwing handler is reported, the others still run', () => {
    const { layer, answer, listenerErrors } = makeLayer();
    const seen: unknown[] = [];
    layer.on('asset.locked', () => {
      throw new Error('handler bug');
    });
    const stop = layer.on('asset.locked', (data) => seen.push(data));
    answer({ event: 'asset.locked', data: { assetId: 'a' } });
    answer({ event: 'asset.unlocked', data: { assetId: 'a' } });
    stop();
    answer({ event: 'asset.locked', data: { assetId: 'b' } });
    expect(seen).toEqual([{ assetId: 'a' }]);
    expect(listenerErrors).toHaveLength(2);
  });

  it('reports what no call waits for: an error without a request, an unreadable or binary frame', () => {
    const { layer, answer, errors, link } = makeLayer();
    answer({ id: null, error: { code: 'PROTOCOL_ERROR', message: 'Bad frame.' } });
    layer.handleFrame(link.pending, 'not json');
    layer.handleFrame(link.pending, new Uint8Array([1]));
    expect(errors.map((e) => e.code)).toEqual(['PROTOCOL_ERROR', 'PROTOCOL_ERROR', 'PROTOCOL_ERROR']);
    expect(errors.map((e) => e.message)).toEqual(['Bad frame.', expect.stringMatching(/cannot read \(not JSON\)/), expect.stringMatching(/binary frame/)]);
  });
});
