import { stringify } from 'csv-stringify';
import express, { type Router } from 'express';
import { auditQuerySchema } from '@stockroom/shared-types';
import { validationError } from '../rpc/call.ts';
import type { AuditService } from '../services/audit.ts';
import type { Authenticate } from './authenticate.ts';

const COLUMNS = ['id', 'at', 'actorId', 'actorName', 'actorEmail', 'action', 'targetType', 'targetId', 'clientApp', 'ip', 'data'];

/** GET /api/audit/export.csv: the audit log with the filters of audit.query, streamed as CSV (administrators). */
export function auditExportRouter(audit: AuditService, authenticate: Authenticate): Router {
  const router = express.Router();
  router.get('/api/audit/export.csv', async (req, res) => {
    const actor = await authenticate(req);
    const parsed = auditQuerySchema.omit({ limit: true, cursor: true }).safeParse(req.query);
    if (!parsed.success) throw validationError('audit export', parsed.error);
    const rows = audit.export(actor, parsed.data);
    const first = await rows.next(); // permission and query errors surface before the headers are sent
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="stockroom-audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.setHeader('Cache-Control', 'no-store');
    // Cells starting with = + - @ tab or CR get a leading apostrophe (OWASP, CSV injection): a typed
    // e-mail or asset name must never become a formula in the spreadsheet an administrator opens.
    const csv = stringify({ header: true, columns: COLUMNS, escape_formulas: true, cast: { object: (v) => JSON.stringify(v) } });
    csv.pipe(res);
    const write = (e: NonNullable<typeof first.value>) =>
      csv.write([
        e.id,
        e.at,
        e.actor?.id ?? '',
        e.actor?.name ?? '',
        e.actor?.email ?? '',
        e.action,
        e.targetType,
        e.targetId,
        e.clientApp ?? '',
        e.ip ?? '',
        JSON.stringify(e.data),
      ]);
    if (!first.done) write(first.value);
    for await (const event of rows) {
      if (!write(event)) await new Promise((resolve) => csv.once('drain', resolve));
    }
    csv.end();
  });
  return router;
}
