/// <reference path="./jsdom.d.ts" />
import type { DOMPurify, UponSanitizeAttributeHook, UponSanitizeElementHook } from 'dompurify';
import type { JSDOM, SvgElementLike } from 'jsdom';
import { StockroomError } from '@stockroom/shared-types';

/** A logo or icon is a few kilobytes; anything this large is not a brand vector. */
export const MAX_SVG_BYTES = 5 * 1024 * 1024;
const MAX_ELEMENTS = 50_000;

export interface SanitisedSvg {
  svg: string;
  /** What was taken out, in words (e.g. "a script", "an external reference to https://…"). */
  removed: string[];
}

let purifier: Promise<{ purify: DOMPurify; window: JSDOM['window'] }> | undefined;
/** jsdom takes a few hundred milliseconds to load: only when the first SVG is sanitised, not at every start. */
function instance() {
  purifier ??= (async () => {
    const [{ JSDOM }, { default: createDOMPurify }] = await Promise.all([import('jsdom'), import('dompurify')]);
    const { window } = new JSDOM('');
    return { purify: createDOMPurify(window as never), window };
  })();
  return purifier;
}

const LOCAL_REF = /^\s*#/;
const SAFE_DATA_IMAGE = /^\s*data:image\/(png|jpeg|gif);base64,[a-z0-9+/=\s]*$/i;
const EXTERNAL_URL = /url\(\s*(['"]?)(?!#)[^)]*\1\s*\)|@import/i;

/**
 * Makes an SVG safe to hand to Figma's createNodeFromSvg: no scripts, no event
 * handlers, no foreignObject, no references outside the file. DOMPurify (on jsdom) does
 * the sanitising — a well-kept sanitiser whose SVG profile knows which elements and
 * attributes are inert — with two hooks of ours for what it allows but a document in a
 * design tool must not have: external href/url() references.
 *
 * XML bombs: DOMPurify parses with the HTML parser, which never expands DTD entities;
 * we still refuse any document that declares entities (an internal DTD subset), so the
 * designer learns why instead of getting a silently different picture. A plain DOCTYPE
 * (Illustrator writes one) is harmless and dropped with the rest of the prologue.
 */
export async function sanitiseSvg(bytes: Buffer | Uint8Array, name = 'The SVG'): Promise<SanitisedSvg> {
  if (bytes.byteLength > MAX_SVG_BYTES) {
    throw unsafe(
      `${name} is larger than ${MAX_SVG_BYTES / 1024 / 1024} MB; a brand vector is never that large. Simplify it or upload a raster instead.`,
      'too-large',
    );
  }
  const text = Buffer.from(bytes).toString('utf8');
  if (/<!ENTITY/i.test(text) || /<!DOCTYPE[^>[]*\[/i.test(text)) {
    throw unsafe(
      `${name} declares XML entities (a DTD), which can expand into gigabytes (an "XML bomb"). It was refused; export the SVG again without a DOCTYPE.`,
      'entities',
    );
  }
  const { purify, window } = await instance();
  const removed = new Set<string>();
  const onElement: UponSanitizeElementHook = (node: { textContent: string | null; parentNode: { removeChild(n: unknown): unknown } | null }, data) => {
    const tag = data.tagName.toLowerCase();
    if (tag === 'script') removed.add('a script');
    if (tag === 'foreignobject') removed.add('embedded HTML (foreignObject)');
    if (tag === 'style' && EXTERNAL_URL.test(node.textContent ?? '')) {
      removed.add('a style sheet that loads external files');
      node.parentNode?.removeChild(node);
    }
  };
  const onAttribute: UponSanitizeAttributeHook = (_node, data) => {
    const attr = data.attrName.toLowerCase();
    if (attr.startsWith('on')) removed.add('an event handler');
    if ((attr === 'href' || attr === 'xlink:href' || attr === 'src') && !LOCAL_REF.test(data.attrValue) && !SAFE_DATA_IMAGE.test(data.attrValue)) {
      removed.add(`an external reference to ${data.attrValue.trim().slice(0, 200)}`);
      data.keepAttr = false;
    } else if (EXTERNAL_URL.test(data.attrValue)) {
      removed.add(`an external reference in ${data.attrName}`);
      data.keepAttr = false;
    }
  };
  purify.addHook('uponSanitizeElement', onElement);
  purify.addHook('uponSanitizeAttribute', onAttribute);
  let body: SvgElementLike;
  try {
    body = purify.sanitize(text, {
      USE_PROFILES: { svg: true, svgFilters: true },
      FORBID_TAGS: ['foreignObject', 'script'],
      // Local <use href="#id"> is common in icon sets; the hook above drops any other reference.
      ADD_TAGS: ['use'],
      RETURN_DOM: true,
    }) as unknown as SvgElementLike;
  } finally {
    purify.removeHook('uponSanitizeElement', onElement);
    purify.removeHook('uponSanitizeAttribute', onAttribute);
  }
  for (const entry of purify.removed) {
    const el = (entry as { element?: { tagName?: string } }).element;
    if (el?.tagName?.toLowerCase() === 'script') removed.add('a script');
  }
  const root = body.querySelector('svg');
  if (!root) throw unsafe(`${name} is not an SVG drawing (no <svg> element was found). Export it again as SVG.`, 'not-svg');
  if (root.getElementsByTagName('*').length > MAX_ELEMENTS) {
    throw unsafe(`${name} has more than ${MAX_ELEMENTS} elements; it is too complex to insert as editable vectors.`, 'too-complex');
  }
  if (!root.getAttribute('xmlns')) root.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const svg = new window.XMLSerializer().serializeToString(root);
  return { svg, removed: [...removed] };
}

function unsafe(message: string, reason: string): StockroomError {
  return new StockroomError('UNSAFE_CONTENT', message, { reason });
}
