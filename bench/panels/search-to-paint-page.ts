// The parts of the search-to-paint bench that run inside the page: a probe on the panel's own
// WebSocket (to split its time into phases), the panel's measurement, and the
// baseline made with a WebSocket of its own. Each function is sent to the page as its source,
// so it uses nothing from outside itself.
import type { Page } from 'playwright-core';

export interface ProbeHit {
  id: string;
  version: number;
  mimeType: string;
}

export interface PanelSample {
  /** keydown of the last character → first row painted; null when it did not show in 10 s. */
  totalMs: number | null;
  /** keydown → the panel sent the search. */
  debounceMs: number | null;
  /** sent → answered. */
  searchMs: number | null;
  /** Whether the panel's answer began with the same row as the search made before the runs. */
  sameRowAsBefore: boolean;
  /** Searches the panel sent while the query was typed. */
  searchesSent: number;
}

/** Before any script of the page: records keydowns and the panel's searches (when sent, when answered, what came first). */
export async function installProbes(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const g = globalThis as any;
    // tsx compiles these functions keeping their names through a `__name` helper the page lacks.
    g.__name ??= (f: unknown) => f;
    const bench: any = { keydowns: [] as number[], sent: [] as any[], probe: null, nextId: 1, pending: new Map() };
    g.__bench = bench;
    g.document.addEventListener('keydown', (event: any) => bench.keydowns.push(event.timeStamp), true);
    const send = g.WebSocket.prototype.send;
    g.WebSocket.prototype.send = function (this: any, data: unknown) {
      if (this !== bench.probe && typeof data === 'string' && data.includes('"assets.search"')) {
        const message = JSON.parse(data);
        if (message.method === 'assets.search' && !message.params?.cursor) {
          const record = { q: message.params.q, id: message.id, sentAt: performance.now(), answeredAt: null as number | null, ids: [] as string[] };
          bench.sent.push(record);
          const onMessage = (event: any) => {
            const id = /^\{"id":(\d+)/.exec(String(event.data).slice(0, 24))?.[1];
            if (id !== undefined && Number(id) === record.id) {
              record.answeredAt = performance.now();
              record.ids = (JSON.parse(event.data).result?.hits ?? []).map((hit: any) => hit.asset.id);
              this.removeEventListener('message', onMessage);
            }
          };
          this.addEventListener('message', onMessage);
        }
      }
      return send.call(this, data);
    };
    bench.call = (method: string, params: unknown) =>
      new Promise((resolve, reject) => {
        const id = bench.nextId++;
        bench.pending.set(id, { resolve, reject });
        bench.probe.send(JSON.stringify({ id, method, params }));
      });
    bench.search = async (q: string) => {
      const result: any = await bench.call('assets.search', { q, filters: {}, sort: 'relevance', limit: 40 });
      return result.hits.map((hit: any) => ({ id: hit.asset.id, version: hit.asset.headVersion, mimeType: hit.asset.head?.mimeType ?? '' }));
    };
  });
}

/** The baseline's own WebSocket (through the same preview origin as the panel's), signed in. */
export async function openProbeSocket(page: Page, token: string): Promise<void> {
  await page.evaluate(async (token) => {
    const g = globalThis as any;
    const bench = g.__bench;
    bench.token = token;
    const socket = new g.WebSocket(`ws://${g.location.host}/ws`);
    bench.probe = socket;
    socket.addEventListener('message', (event: any) => {
      const message = JSON.parse(event.data);
      const waiting = bench.pending.get(message.id);
      if (!waiting) return;
      bench.pending.delete(message.id);
      if (message.error) waiting.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else waiting.resolve(message.result);
    });
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve);
      socket.addEventListener('error', reject);
    });
    await bench.call('session.hello', { token, client: { app: 'photoshop', appVersion: 'bench', pluginVersion: 'bench' }, protocol: 1 });
  }, token);
}

/**
 * Starts watching for the answer to `finalText`: done when the panel has had the answer to that
 * search (sent after the measurement was armed) and its first cards are that answer's first row
 * (as many cards as `expectedIds`, the row found before the runs), each with its thumbnail
 * loaded and decoded, and a frame has been painted after that.
 */
export async function armPanelMeasure(page: Page, finalText: string, expectedIds: string[]): Promise<void> {
  await page.evaluate(
    ({ finalText, expectedIds, rowSize }) => {
      const g = globalThis as any;
      const bench = g.__bench;
      const keysBefore = bench.keydowns.length;
      const sentBefore = bench.sent.length;
      bench.measured = new Promise((resolve) => {
        let finished = false;
        // The first row of the answer the panel itself got (ties may be ordered differently from one search to the next).
        const firstRow = (ids: string[]) => {
          const cards = [...g.document.querySelectorAll('[data-testid="asset-card"]')].slice(0, rowSize);
          if (ids.length < rowSize || cards.length < rowSize || cards.some((card: any, i: number) => card.getAttribute('data-asset-id') !== ids[i]))
            return null;
          const images = cards.map((card: any) => card.querySelector('[data-testid="thumb"] img'));
          return images.every((img: any) => img && img.complete && img.naturalWidth > 0) ? images : null;
        };
        const answer = () => bench.sent.slice(sentBefore).find((s: any) => s.q === finalText && s.answeredAt !== null);
        const finish = (sample: unknown) => {
          if (finished) return;
          finished = true;
          observer.disconnect();
          g.document.removeEventListener('load', check, true);
          resolve(sample);
        };
        function check() {
          if (finished) return;
          const record = answer();
          const images = record ? firstRow(record.ids) : null;
          if (!record || !images) return;
          finished = true;
          void Promise.all(images.map((img: any) => img.decode().catch(() => {}))).then(() =>
            g.requestAnimationFrame(() => {
              const channel = new g.MessageChannel();
              channel.port1.onmessage = () => {
                const paintedAt = performance.now();
                const keydown = bench.keydowns[bench.keydowns.length - 1];
                observer.disconnect();
                g.document.removeEventListener('load', check, true);
                resolve({
                  totalMs: paintedAt - keydown,
                  debounceMs: record.sentAt - keydown,
                  searchMs: record.answeredAt - record.sentAt,
                  sameRowAsBefore: record.ids.slice(0, rowSize).join() === expectedIds.join(),
                  searchesSent: bench.sent.length - sentBefore,
                  keys: bench.keydowns.length - keysBefore,
                });
              };
              channel.port2.postMessage(0);
            }),
          );
        }
        // Checked on every change of the page, every image load and every frame, so nothing waits on polling.
        const observer = new g.MutationObserver(check);
        observer.observe(g.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['src', 'data-asset-id'] });
        g.document.addEventListener('load', check, true);
        const frame = () => {
          if (finished) return;
          check();
          g.requestAnimationFrame(frame);
        };
        g.requestAnimationFrame(frame);
        g.setTimeout(
          () => finish({ totalMs: null, debounceMs: null, searchMs: null, sameRowAsBefore: false, searchesSent: bench.sent.length - sentBefore }),
          10_000 + finalText.length * 250,
        );
      });
    },
    { finalText, expectedIds, rowSize: expectedIds.length },
  );
}

/** The floor: the same search on the page's own socket, then the first row's thumbnails fetched, decoded and painted. */
export async function measureBaseline(page: Page, text: string, rowSize: number): Promise<number> {
  return page.evaluate(
    async ({ text, rowSize }) => {
      const g = globalThis as any;
      const bench = g.__bench;
      const started = performance.now();
      const row = (await bench.search(text)).slice(0, rowSize);
      const strip = g.document.createElement('div');
      strip.setAttribute('style', 'position:fixed;left:0;top:0;display:flex;gap:4px;z-index:9');
      g.document.body.append(strip);
      const urls: string[] = [];
      await Promise.all(
        row.map(async (hit: any) => {
          const preset = hit.mimeType.startsWith('audio/') ? 'waveform' : 'thumbnail';
          const response = await g.fetch(`/api/assets/${hit.id}/versions/${hit.version}/derivatives/${preset}/content`, {
            headers: { Authorization: `Bearer ${bench.token}` },
            cache: 'no-store',
          });
          const url = g.URL.createObjectURL(await response.blob());
          urls.push(url);
          const img = new g.Image(88, 66);
          img.src = url;
          strip.append(img);
          await img.decode();
        }),
      );
      const ms = await new Promise<number>((resolve) =>
        g.requestAnimationFrame(() => {
          const channel = new g.MessageChannel();
          channel.port1.onmessage = () => resolve(performance.now() - started);
          channel.port2.postMessage(0);
        }),
      );
      strip.remove();
      for (const url of urls) g.URL.revokeObjectURL(url);
      return ms;
    },
    { text, rowSize },
  );
}
