import { readFile } from 'node:fs/promises';
import type { PDFDocument } from 'pdf-lib';
import sharp, { type Sharp } from 'sharp';
import { MediaError } from './errors.ts';
import type { MediaLimits } from './limits.ts';
import { ToolExitError, runTool } from './run-tool.ts';

export interface PdfFacts {
  format: 'pdf';
  pageCount: number;
  /** First page size in points (1/72 inch), as displayed (page rotation applied). */
  pageWidth: number;
  pageHeight: number;
  title: string | null;
  author: string | null;
  creator: string | null;
  keywords: string[];
}

/** Page count, first page size and document info of a PDF (or a PDF-compatible Illustrator file). */
export async function extractPdfFacts(input: string): Promise<PdfFacts> {
  let doc: PDFDocument;
  try {
    // pdf-lib is slow to load; only a worker that meets a PDF needs it.
    const { PDFDocument: Pdf } = await import('pdf-lib');
    doc = await Pdf.load(await readFile(input), { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new MediaError(
      'corrupt-file',
      `The PDF cannot be read (${detail}). Upload an intact copy, or save Illustrator files with "Create PDF Compatible File".`,
      { cause: error },
    );
  }
  const pageCount = doc.getPageCount();
  if (pageCount === 0) throw new MediaError('corrupt-file', 'The PDF has no pages.');
  const first = doc.getPage(0);
  const { width, height } = first.getSize();
  const turned = first.getRotation().angle % 180 !== 0;
  const keywords = doc.getKeywords();
  return {
    format: 'pdf',
    pageCount,
    pageWidth: round2(turned ? height : width),
    pageHeight: round2(turned ? width : height),
    title: doc.getTitle() ?? null,
    author: doc.getAuthor() ?? null,
    creator: doc.getCreator() ?? null,
    keywords: keywords
      ? keywords
          .split(/[,;]/)
          .map((k) => k.trim())
          .filter(Boolean)
      : [],
  };
}

/** Renders the first page (poppler's pdftoppm) with its longest side at `longSide` pixels. */
export async function renderFirstPage(
  input: string,
  longSide: number,
  limits: Pick<MediaLimits, 'niceness' | 'timeoutMs'>,
  signal?: AbortSignal,
): Promise<Sharp> {
  try {
    const { stdout } = await runTool('pdftoppm', ['-f', '1', '-l', '1', '-singlefile', '-png', '-cropbox', '-scale-to', String(longSide), input], {
      niceness: limits.niceness,
      timeoutMs: limits.timeoutMs,
      signal,
      redact: [input],
      captureStdout: true,
    });
    if (stdout.length === 0) throw new MediaError('corrupt-file', 'The first page of the PDF could not be rendered.');
    return sharp(stdout);
  } catch (error) {
    if (error instanceof ToolExitError) {
      throw new MediaError('corrupt-file', `The first page of the PDF could not be rendered (${error.detail}). Upload an intact copy.`, { cause: error });
    }
    throw error;
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
