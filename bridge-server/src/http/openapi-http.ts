import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { auditQuerySchema, BRAND_CONTENT_HEADERS, idSchema, UPLOAD_ERROR_HEADER, UPLOAD_PATH, UPLOAD_SHA256_HEADER } from '@stockroom/shared-types';
import { z } from 'zod';
import { API_SECURITY, type ErrorResponses } from './openapi-common.ts';

const text = (description: string) => ({ description, schema: { type: 'string' as const } });
const integer = (description: string) => ({ description, schema: { type: 'integer' as const, minimum: 0 } });
const binary = (type = 'application/octet-stream') => ({ [type]: { schema: z.string().meta({ format: 'binary' }) } });

const tusResumable = z.literal('1.0.0').describe('The tus protocol version: 1.0.0.');
const tusHeaders = { 'Tus-Resumable': text('1.0.0') };
const uploadErrorHeader = { [UPLOAD_ERROR_HEADER]: text('On refusals: the error `{code, message, data}` as JSON, for clients that only read headers.') };
const uploadId = z.object({ id: z.string().min(1).describe('The upload id: the last segment of the Location of its creation.') });

const downloadHeaders = z.object({
  Range: z.string().optional().describe('One byte range, e.g. bytes=0-1023 (206 / 416). Several ranges are answered with the whole file.'),
  'If-None-Match': z.string().optional().describe('An ETag the client has: 304 when it still matches.'),
  'If-Range': z.string().optional().describe('Honour Range only while the ETag still matches.'),
});
const contentHeaders = {
  ETag: text('Strong: the SHA-256 of the bytes, in quotes (content never changes for a version).'),
  'Accept-Ranges': text('bytes'),
  'Content-Length': integer('Bytes in this answer.'),
  'Content-Disposition': text('attachment, with the original file name (RFC 6266).'),
  'Cache-Control': text('private, max-age=31536000, immutable'),
  'Content-Security-Policy': text('sandbox: a stored HTML or SVG file never runs as this site.'),
  'X-Content-Type-Options': text('nosniff'),
};

/** The HTTP paths outside the method registry: uploads (tus), downloads, the audit export, health and metrics. */
export function registerHttpPaths(openapi: OpenAPIRegistry, errors: ErrorResponses): void {
  registerUploads(openapi, errors);
  registerDownloads(openapi, errors);
  registerBrandContent(openapi, errors);
  registerZipDownload(openapi, errors);

  openapi.registerPath({
    method: 'get',
    path: '/api/audit/export.csv',
    operationId: 'audit.export',
    summary: 'The audit log as CSV (administrators)',
    description:
      'Every matching audit event, newest first, streamed. Cells starting with = + - @ tab or CR are prefixed with an apostrophe so a spreadsheet never runs them as formulas.',
    tags: ['audit'],
    security: API_SECURITY,
    request: { query: auditQuerySchema.omit({ limit: true, cursor: true }) },
    responses: {
      200: {
        description: 'CSV with a header row: id, at, actorId, actorEmail, action, targetType, targetId, clientApp, ip, data',
        headers: { 'Content-Disposition': text('attachment; filename="stockroom-audit-<date>.csv"') },
        content: { 'text/csv': { schema: z.string() } },
      },
      ...errors,
    },
  });

  const status = (value: string) => z.object({ status: z.literal(value) });
  openapi.registerPath({
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    summary: 'The process is up',
    tags: ['operations'],
    security: [],
    responses: { 200: { description: 'Up', content: { 'application/json': { schema: status('ok') } } } },
  });
  openapi.registerPath({
    method: 'get',
    path: '/readyz',
    operationId: 'ready',
    summary: 'The database answers (for load balancers)',
    tags: ['operations'],
    security: [],
    responses: {
      200: { description: 'Ready', content: { 'application/json': { schema: status('ready') } } },
      503: {
        description: 'Not ready (a probe’s state for load balancers)',
        content: {
          'application/json': {
            schema: z.object({
              status: z.literal('unavailable'),
              reason: z.string().describe('What does not answer, e.g. database'),
              message: z.string().optional(),
            }),
          },
        },
      },
    },
  });
  openapi.registerPath({
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    description: 'For a scraper with the METRICS_TOKEN, or an administrator’s API token, as a bearer token.',
    tags: ['operations'],
    security: [{ bearer: [] }],
    responses: { 200: { description: 'The Prometheus text format', content: { 'text/plain': { schema: z.string() } } }, ...errors },
  });
  openapi.registerPath({
    method: 'get',
    path: '/api/openapi.json',
    operationId: 'openapi',
    summary: 'This document',
    tags: ['operations'],
    security: [],
    responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
  });
  openapi.registerPath({
    method: 'get',
    path: '/api/docs',
    operationId: 'docs',
    summary: 'The API reference, rendered from this document',
    tags: ['operations'],
    security: [],
    responses: { 200: { description: 'An HTML page', content: { 'text/html': { schema: z.string() } } } },
  });
}

function registerUploads(openapi: OpenAPIRegistry, errors: ErrorResponses): void {
  const tags = ['uploads'];
  const security = [{ bearer: [] }];
  const refusals = { ...errors, '4XX': { ...errors['4XX'], headers: uploadErrorHeader } };
  openapi.registerPath({
    method: 'options',
    path: UPLOAD_PATH,
    operationId: 'uploads.options',
    summary: 'What this tus server supports',
    tags,
    security: [],
    responses: {
      204: {
        description: 'The tus capabilities',
        headers: {
          'Tus-Version': text('1.0.0'),
          'Tus-Extension': text('creation, creation-with-upload, termination, expiration'),
          'Tus-Max-Size': integer('MAX_UPLOAD_SIZE in bytes'),
        },
      },
    },
  });
  openapi.registerPath({
    method: 'post',
    path: UPLOAD_PATH,
    operationId: 'uploads.create',
    summary: 'Start an upload (tus creation, with or without its first bytes)',
    description:
      'Upload-Metadata carries `filename`, `filetype` and, when the client knows it before sending, `sha256` (hex SHA-256 of the whole file; base64 values, as tus defines). ' +
      `Without \`sha256\` the SHA-256 is declared after the bytes, in an empty PATCH with ${UPLOAD_SHA256_HEADER}. ` +
      'A body sent with Content-Type application/offset+octet-stream is the first bytes (creation-with-upload); when it is the whole file, the upload is finished in this request.',
    tags,
    security,
    request: {
      headers: z.object({
        'Tus-Resumable': tusResumable,
        'Upload-Length': z.string().regex(/^\d+$/).describe('The size of the whole file in bytes (0 is allowed).'),
        'Upload-Metadata': z.string().describe('filename <base64>,filetype <base64>[,sha256 <base64>]'),
        'Content-Type': z.literal('application/offset+octet-stream').optional().describe('Only with a body (creation-with-upload).'),
      }),
      body: { required: false, content: binary('application/offset+octet-stream') },
    },
    responses: {
      201: {
        description: 'Created; Location is the upload’s URL (its last segment is the upload id for assets.create / assets.checkin)',
        headers: {
          Location: text('The upload URL'),
          'Upload-Offset': integer('Bytes stored (with creation-with-upload)'),
          'Upload-Expires': text('When an idle unfinished upload is removed (RFC 9110 date)'),
          ...tusHeaders,
        },
      },
      ...refusals,
    },
  });
  openapi.registerPath({
    method: 'head',
    path: `${UPLOAD_PATH}/{id}`,
    operationId: 'uploads.offset',
    summary: 'How many bytes arrived (to resume)',
    tags,
    security,
    request: { params: uploadId, headers: z.object({ 'Tus-Resumable': tusResumable }) },
    responses: {
      200: {
        description: 'The upload’s state',
        headers: {
          'Upload-Offset': integer('Bytes stored'),
          'Upload-Length': integer('The whole size'),
          'Upload-Metadata': text('As declared'),
          'Cache-Control': text('no-store'),
          ...tusHeaders,
        },
      },
      ...refusals,
    },
  });
  openapi.registerPath({
    method: 'patch',
    path: `${UPLOAD_PATH}/{id}`,
    operationId: 'uploads.append',
    summary: 'Send more bytes, or declare the SHA-256 after them',
    description:
      'The last byte finishes the upload when its SHA-256 was declared: it is compared with the declared one (460 CHECKSUM_MISMATCH otherwise). ' +
      `An empty PATCH with ${UPLOAD_SHA256_HEADER} declares the SHA-256 of an upload created without one: once every byte arrived it verifies and stores them in this request ` +
      '(204; 460 CHECKSUM_MISMATCH keeps nothing); Upload-Offset must be the server’s offset (409 otherwise). Until then the upload cannot be checked in (UPLOAD_INCOMPLETE, data.reason sha256-undeclared).',
    tags,
    security,
    request: {
      params: uploadId,
      headers: z.object({
        'Tus-Resumable': tusResumable,
        'Upload-Offset': z.string().regex(/^\d+$/).describe('Where these bytes start: the offset HEAD reported.'),
        'Content-Type': z.literal('application/offset+octet-stream'),
        [UPLOAD_SHA256_HEADER]: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/)
          .optional()
          .describe('Declares the whole file’s SHA-256 (hex) after the bytes; only on a PATCH without a body (Content-Length: 0).'),
      }),
      body: { required: false, content: binary('application/offset+octet-stream') },
    },
    responses: {
      204: {
        description: 'Stored',
        headers: { 'Upload-Offset': integer('Bytes stored now'), 'Upload-Expires': text('When an idle unfinished upload is removed'), ...tusHeaders },
      },
      ...refusals,
    },
  });
  openapi.registerPath({
    method: 'delete',
    path: `${UPLOAD_PATH}/{id}`,
    operationId: 'uploads.terminate',
    summary: 'Give up an unfinished upload (tus termination)',
    tags,
    security,
    request: { params: uploadId, headers: z.object({ 'Tus-Resumable': tusResumable }) },
    responses: { 204: { description: 'Removed with its bytes', headers: tusHeaders }, ...refusals },
  });
}

function registerZipDownload(openapi: OpenAPIRegistry, errors: ErrorResponses): void {
  openapi.registerPath({
    method: 'get',
    path: '/api/library/download.zip',
    operationId: 'library.downloadZip',
    summary: 'The head versions of several assets as one zip, streamed (files stored, not compressed)',
    tags: ['downloads'],
    security: API_SECURITY,
    request: {
      query: z.object({ ids: z.string().describe('Asset ids, separated by commas (at most 500)') }),
    },
    responses: {
      200: {
        description: 'A zip of the head version of each asset, named after its original file',
        headers: { 'Content-Disposition': text('attachment; filename="stockroom-<n>-assets.zip"'), 'Cache-Control': text('private, no-store') },
        content: binary('application/zip'),
      },
      ...errors,
    },
  });
}

function registerBrandContent(openapi: OpenAPIRegistry, errors: ErrorResponses): void {
  openapi.registerPath({
    method: 'get',
    path: '/api/brand-kits/{collectionId}/entries/{entryId}/content',
    operationId: 'brandKits.content',
    summary: "The latest version of a brand kit entry's variant, ready to insert (docs/figma.md)",
    tags: ['brand kits'],
    security: API_SECURITY,
    request: {
      params: z.object({ collectionId: idSchema.describe('The brand kit (its collection)'), entryId: idSchema.describe('The entry') }),
      query: z.object({ variant: z.string().min(1).max(40).optional().describe('The variant by name; the first one when left out') }),
    },
    responses: {
      200: {
        description: 'A sanitised SVG, or a PNG/JPEG/GIF of at most 4096 px a side',
        headers: {
          'Content-Type': text('image/svg+xml, image/png, image/jpeg or image/gif'),
          'Content-Length': integer('Bytes in this answer.'),
          'Content-Disposition': text('inline, with the variant as file name.'),
          'Content-Security-Policy': text('sandbox: the file never runs as this site.'),
          [BRAND_CONTENT_HEADERS.assetId]: text('The asset the variant is.'),
          [BRAND_CONTENT_HEADERS.version]: text('Its version number.'),
          [BRAND_CONTENT_HEADERS.variant]: text('The variant name, URI-encoded.'),
          [BRAND_CONTENT_HEADERS.insertAs]: text('vector (sanitised SVG) or image.'),
          [BRAND_CONTENT_HEADERS.sanitised]: text('URI-encoded JSON list of what sanitising took out, in words.'),
        },
        content: { 'image/svg+xml': { schema: z.string() }, ...binary('image/png'), ...binary('image/jpeg'), ...binary('image/gif') },
      },
      ...errors,
    },
  });
}

function registerDownloads(openapi: OpenAPIRegistry, errors: ErrorResponses): void {
  const version = z.object({ id: idSchema.describe('The asset id'), number: z.number().int().positive().describe('The version number') });
  const derivative = version.extend({
    preset: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,39}$/)
      .describe('The preset: thumbnail, preview, proxy, filmstrip…'),
  });
  const answers = {
    200: { description: 'The whole file', headers: contentHeaders, content: binary() },
    206: { description: 'The requested range', headers: { ...contentHeaders, 'Content-Range': text('bytes <start>-<end>/<size>') }, content: binary() },
    304: { description: 'Not modified: the If-None-Match ETag still matches', headers: { ETag: contentHeaders.ETag } },
    416: { description: 'The range lies outside the file', headers: { 'Content-Range': text('bytes */<size>') } },
    ...errors,
  };
  for (const [path, params, what, operation] of [
    ['/api/assets/{id}/versions/{number}/content', version, 'a version', 'versions.content'],
    ['/api/assets/{id}/versions/{number}/derivatives/{preset}/content', derivative, 'a derivative of a version', 'derivatives.content'],
  ] as const) {
    for (const method of ['get', 'head'] as const) {
      openapi.registerPath({
        method,
        path,
        operationId: method === 'get' ? operation : `${operation}.head`,
        summary: method === 'get' ? `Download ${what}` : `The headers of a download of ${what}`,
        tags: ['downloads'],
        security: API_SECURITY,
        request: { params, headers: downloadHeaders },
        responses: answers,
      });
    }
  }
}
