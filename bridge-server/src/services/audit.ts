import type { AuditEvent } from '@stockroom/shared-types';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { auditRows, type AuditQuery, type AuditRecord } from '../repositories/audit.ts';
import type { Db } from '../repositories/db.ts';
import { userRows } from '../repositories/people.ts';
import { toUserRef } from './mappers.ts';

export interface AuditFilters extends AuditQuery {
  limit?: number;
}

/** An auth event with no transaction of its own (sign-in, failure, sign-out). */
export interface AuthAuditEntry {
  action: string;
  actorId?: string | null;
  targetType?: string;
  targetId?: string;
  clientApp?: string | null;
  ip?: string | null;
  data?: Record<string, unknown>;
}

const EXPORT_PAGE = 1000;

/** The audit log: who did what to which target, when, from which app and address. */
export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
  ) {}

  async record(entry: AuthAuditEntry): Promise<void> {
    await auditRows.create(this.db, {
      actorId: entry.actorId ?? null,
      action: entry.action,
      targetType: entry.targetType ?? 'user',
      targetId: entry.targetId ?? entry.actorId ?? '',
      clientApp: entry.clientApp ?? null,
      ip: entry.ip ?? null,
      data: entry.data ?? {},
    });
  }

  /** audit.query: newest first, `nextCursor` continues below the last row of this page. */
  async query(actor: Actor, filters: AuditFilters): Promise<{ events: AuditEvent[]; nextCursor: string | null }> {
    this.access.assert(actor, 'admin.read');
    const limit = filters.limit ?? 100;
    const rows = await auditRows.page(this.db, filters, limit + 1);
    const page = rows.slice(0, limit);
    const events = await this.toEvents(page);
    return { events, nextCursor: rows.length > limit ? page[page.length - 1]!.id.toString() : null };
  }

  /** Every matching row, newest first, a page at a time (for the CSV export). */
  async *export(actor: Actor, filters: AuditFilters): AsyncGenerator<AuditEvent> {
    this.access.assert(actor, 'admin.read');
    let cursor = filters.cursor;
    for (;;) {
      const rows = await auditRows.page(this.db, { ...filters, cursor }, EXPORT_PAGE);
      for (const event of await this.toEvents(rows)) yield event;
      if (rows.length < EXPORT_PAGE) return;
      cursor = rows[rows.length - 1]!.id.toString();
    }
  }

  private async toEvents(rows: AuditRecord[]): Promise<AuditEvent[]> {
    const ids = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => id !== null))];
    const users = ids.length ? await userRows.byIds(this.db, ids) : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    return rows.map((r) => {
      const user = r.actorId ? byId.get(r.actorId) : undefined;
      return {
        id: r.id.toString(),
        at: r.createdAt.toISOString(),
        actor: user ? toUserRef(user) : null,
        action: r.action,
        targetType: r.targetType,
        targetId: r.targetId,
        clientApp: r.clientApp,
        ip: r.ip,
        data: (r.data ?? {}) as Record<string, unknown>,
      };
    });
  }
}
