import { ConfigError, loadConfig } from '../config.ts';
import { startStockroom, type Stockroom } from '../compose.ts';
import { createLogger } from '../logger.ts';
import { userRows } from '../repositories/people.ts';
import type { Actor } from '../services/actor.ts';

/** Starts the services for a command-line tool (no HTTP, no job processing); exits with a clear message on bad configuration. */
export async function startTool(): Promise<Stockroom> {
  try {
    const config = loadConfig();
    // Tools print their own progress; the server log stays quiet unless asked for.
    const logger = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn');
    return await startStockroom(config, { role: 'tool', logger });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}

/** The account a tool acts as: the given e-mail, or the first administrator. */
export async function toolActor(stockroom: Stockroom, email?: string): Promise<Actor> {
  const user = email ? await userRows.byEmail(stockroom.database.prisma, email.toLowerCase()) : await userRows.firstActiveAdmin(stockroom.database.prisma);
  if (!user) {
    console.error(email ? `No account with the e-mail ${email}.` : 'No administrator account exists yet. Start the server once first.');
    process.exit(2);
  }
  const grants = await stockroom.services.access.grantsOf(user.id, stockroom.database.prisma);
  return { user: { id: user.id, name: user.name, email: user.email, role: user.role }, clientApp: 'script', grants };
}
