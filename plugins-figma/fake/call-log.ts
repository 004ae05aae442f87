export interface Call {
  api: string;
  args: unknown[];
}

/** Every call the plugin made into the fake host, in order. */
export class CallLog {
  readonly calls: Call[] = [];
  record(api: string, args: unknown[]): void {
    this.calls.push({ api, args: args.map(summarise) });
  }
  named(api: string): Call[] {
    return this.calls.filter((c) => c.api === api);
  }
}

function summarise(value: unknown): unknown {
  if (value instanceof Uint8Array) return { bytes: value.byteLength };
  if (typeof value === 'string' && value.length > 2000) return `${value.slice(0, 2000)}…`;
  return value;
}
