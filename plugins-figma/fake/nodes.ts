import { MAX_PLUGIN_DATA_BYTES, utf8Length } from './limits.ts';
import type { CallLog } from './call-log.ts';

let nextId = 1;

export interface NodeSnapshot {
  id: string;
  type: string;
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
  constraints: { horizontal: string; vertical: string };
  fills: unknown[];
  shared: Record<string, string>;
  relaunch: Record<string, string>;
  children: NodeSnapshot[];
  /** For vectors made from SVG: the element they came from and its fill. */
  source?: string;
}

/**
 * A scene node of the fake document: the members the plugin uses, with Figma's rules
 * (plugin data sizes, relaunch commands from the manifest, removed nodes).
 */
export class FakeNode {
  readonly id: string;
  name: string;
  x = 0;
  y = 0;
  width: number;
  height: number;
  fills: unknown[] = [];
  constraints = { horizontal: 'MIN', vertical: 'MIN' };
  parent: FakeNode | null = null;
  removed = false;
  source: string | undefined;
  private kids: FakeNode[] = [];
  private readonly shared = new Map<string, string>();
  private relaunch: Record<string, string> = {};

  constructor(
    readonly type: string,
    protected readonly env: { log: CallLog; relaunchCommands: readonly string[]; pageLoaded(node: FakeNode): boolean },
    props: { name?: string; width?: number; height?: number; id?: string } = {},
  ) {
    this.id = props.id ?? `${nextId++}:${Math.floor(Math.random() * 1000)}`;
    this.name = props.name ?? type.toLowerCase();
    this.width = props.width ?? 100;
    this.height = props.height ?? 100;
  }

  get children(): FakeNode[] {
    this.assertLoaded('children');
    return [...this.kids];
  }

  protected assertLoaded(what: string): void {
    if (!this.env.pageLoaded(this)) {
      throw new Error(
        `in get_${what}: Cannot access children on a page that has not been explored. Call \`await page.loadAsync()\` to access this node's children.`,
      );
    }
  }

  appendChild(child: FakeNode): void {
    this.env.log.record(`node.appendChild`, [this.id, child.id]);
    this.assertAlive();
    if (child.parent) child.parent.kids = child.parent.kids.filter((k) => k !== child);
    child.parent = this;
    this.kids.push(child);
  }

  remove(): void {
    this.env.log.record('node.remove', [this.id]);
    if (this.parent) this.parent.kids = this.parent.kids.filter((k) => k !== this);
    this.parent = null;
    this.removed = true;
    for (const kid of this.kids) kid.removed = true;
  }

  resize(width: number, height: number): void {
    this.env.log.record('node.resize', [this.id, width, height]);
    if (!(width >= 0.01 && height >= 0.01)) throw new Error('in resize: Expected width and height to be >= 0.01');
    this.width = width;
    this.height = height;
  }

  rescale(scale: number): void {
    this.env.log.record('node.rescale', [this.id, scale]);
    if (!(scale >= 0.01)) throw new Error('in rescale: Expected scale to be >= 0.01');
    this.width *= scale;
    this.height *= scale;
    for (const kid of this.kids) {
      kid.x *= scale;
      kid.y *= scale;
      kid.width *= scale;
      kid.height *= scale;
    }
  }

  setSharedPluginData(namespace: string, key: string, value: string): void {
    this.env.log.record('node.setSharedPluginData', [this.id, namespace, key, value]);
    this.assertAlive();
    if (!/^[A-Za-z0-9_.-]{3,}$/.test(namespace)) throw new Error('in setSharedPluginData: namespace must be at least 3 characters of A-Z a-z 0-9 _ . -');
    if (typeof value !== 'string') throw new Error('in setSharedPluginData: Expected value to be a string');
    if (utf8Length(key) + utf8Length(value) > MAX_PLUGIN_DATA_BYTES)
      throw new Error(`in setSharedPluginData: an entry may hold at most ${MAX_PLUGIN_DATA_BYTES} bytes`);
    if (value === '') this.shared.delete(`${namespace}/${key}`);
    else this.shared.set(`${namespace}/${key}`, value);
  }

  getSharedPluginData(namespace: string, key: string): string {
    this.env.log.record('node.getSharedPluginData', [this.id, namespace, key]);
    return this.shared.get(`${namespace}/${key}`) ?? '';
  }

  setRelaunchData(data: Record<string, string>): void {
    this.env.log.record('node.setRelaunchData', [this.id, data]);
    for (const command of Object.keys(data)) {
      if (!this.env.relaunchCommands.includes(command)) throw new Error(`in setRelaunchData: "${command}" is not a relaunch command of the manifest`);
    }
    this.relaunch = { ...data };
  }

  findAllWithCriteria(criteria: { types?: string[]; sharedPluginData?: { namespace: string; keys?: string[] } }): FakeNode[] {
    this.env.log.record('node.findAllWithCriteria', [this.id, criteria]);
    this.assertLoaded('findAllWithCriteria');
    const out: FakeNode[] = [];
    const walk = (node: FakeNode) => {
      for (const kid of node.kids) {
        const typeOk = !criteria.types || criteria.types.includes(kid.type);
        const data = criteria.sharedPluginData;
        const dataOk =
          !data ||
          (data.keys ?? []).some((k) => kid.shared.has(`${data.namespace}/${k}`)) ||
          (!data.keys && [...kid.shared.keys()].some((k) => k.startsWith(`${data.namespace}/`)));
        if (typeOk && dataOk) out.push(kid);
        walk(kid);
      }
    };
    walk(this);
    return out;
  }

  /** Every node below this one (no loading rules: for the test's own look). */
  descendants(): FakeNode[] {
    return this.kids.flatMap((k) => [k, ...k.descendants()]);
  }

  snapshot(): NodeSnapshot {
    return {
      id: this.id,
      type: this.type,
      name: this.name,
      x: this.x,
      y: this.y,
      width: this.width,
      height: this.height,
      constraints: { ...this.constraints },
      fills: structuredClone(this.fills),
      shared: Object.fromEntries(this.shared),
      relaunch: { ...this.relaunch },
      children: this.kids.map((k) => k.snapshot()),
      ...(this.source ? { source: this.source } : {}),
    };
  }

  private assertAlive(): void {
    if (this.removed) throw new Error(`The node (id ${this.id}) does not exist`);
  }
}

export class FakePage extends FakeNode {
  selectionNodes: FakeNode[] = [];
  get selection(): FakeNode[] {
    return [...this.selectionNodes];
  }
  set selection(nodes: FakeNode[]) {
    this.env.log.record('page.selection=', [nodes.map((n) => n.id)]);
    this.selectionNodes = [...nodes];
  }
}
