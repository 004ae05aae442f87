export interface RecordedCall {
  api: string;
  args: unknown[];
  result?: unknown;
  /** True when the call happened inside core.executeAsModal. */
  modal: boolean;
  at: number;
}

/** Every call a fake host module receives, in order. */
export class CallLog {
  readonly calls: RecordedCall[] = [];
  modalDepth = 0;

  record(api: string, args: unknown[], result?: unknown): void {
    this.calls.push({ api, args: clone(args), result: clone(result), modal: this.modalDepth > 0, at: Date.now() });
  }

  named(api: string): RecordedCall[] {
    return this.calls.filter((call) => call.api === api);
  }

  clear(): void {
    this.calls.length = 0;
  }
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
