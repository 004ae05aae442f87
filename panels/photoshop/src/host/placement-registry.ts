import type { PlacedItem } from '@stockroom/panels-core/host';
import type { UxpFs } from './modules.ts';

type Registry = Record<string, PlacedItem[]>;

/**
 * Which layers the panel placed, per document, kept in the plugin's data folder.
 * Photoshop does not remember where an embedded smart object came from, so the
 * panel writes it down when it places or updates one.
 */
export class PlacementRegistry {
  constructor(
    private readonly fs: UxpFs,
    private readonly path: string,
  ) {}

  async list(documentKey: string): Promise<PlacedItem[]> {
    return (await this.load())[documentKey] ?? [];
  }

  async put(documentKey: string, item: PlacedItem): Promise<void> {
    const registry = await this.load();
    const items = (registry[documentKey] ?? []).filter((existing) => existing.itemId !== item.itemId);
    registry[documentKey] = [...items, item];
    await this.fs.writeFile(this.path, JSON.stringify(registry), { encoding: 'utf-8' });
  }

  private async load(): Promise<Registry> {
    try {
      const text = await this.fs.readFile(this.path, { encoding: 'utf-8' });
      return typeof text === 'string' ? (JSON.parse(text) as Registry) : {};
    } catch {
      return {};
    }
  }
}
