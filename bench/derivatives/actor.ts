import type { Stockroom } from '@stockroom/bridge-server';
import type { Actor } from '../../bridge-server/src/services/actor.ts';

export async function adminActor(stockroom: Stockroom): Promise<Actor> {
  const admin = await stockroom.database.prisma.user.findFirstOrThrow({ where: { role: 'admin' } });
  return { user: { id: admin.id, name: admin.name, email: admin.email, role: 'admin' }, clientApp: 'script' };
}
