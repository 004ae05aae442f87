// @types/jsdom would pull the DOM library into the whole server's type-check (changing
// the types of fetch and Buffer bodies everywhere); the sanitiser needs only this much.
declare module 'jsdom' {
  export interface SvgElementLike {
    querySelector(selector: string): SvgElementLike | null;
    getElementsByTagName(name: string): { length: number };
    getAttribute(name: string): string | null;
    setAttribute(name: string, value: string): void;
    readonly tagName: string;
  }
  export class JSDOM {
    constructor(html?: string);
    readonly window: { XMLSerializer: new () => { serializeToString(node: SvgElementLike): string } };
  }
}
