import { BridgeClient } from '@stockroom/bridge-client';
import WebSocket from 'ws';

/** Another person's app, talking to the bridge from Node with the real client. */
export async function connectClient(serverUrl: string, token: string): Promise<BridgeClient> {
  const client = new BridgeClient({
    serverUrl,
    token,
    client: { app: 'script', appVersion: 'test', pluginVersion: 'test' },
    WebSocket: WebSocket as never,
    reconnect: false,
  });
  await client.connect();
  return client;
}

export async function createAsset(client: BridgeClient, bytes: Uint8Array, fileName: string, mimeType: string, name: string, tags: string[] = []) {
  const { uploadId } = await client.upload(bytes, { fileName, mimeType });
  return client.call('assets.create', { uploadId, name, tags, description: `${name}, for the panel tests.` });
}

/** Check out, upload new bytes, check in: a new head version, as a second app would. */
export async function checkInNewVersion(client: BridgeClient, assetId: string, bytes: Uint8Array, fileName: string, mimeType: string) {
  await client.call('assets.checkout', { id: assetId });
  const { uploadId } = await client.upload(bytes, { fileName, mimeType });
  return client.checkIn({ id: assetId, uploadId, comment: 'Brighter sky', underLock: true });
}
