import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Db } from './db.ts';
import type { TokensService } from './tokens.ts';

export interface BootstrapResult {
  created: boolean;
  email: string;
  /** Set only when the password or token was generated now: shown once, never stored in clear. */
  generatedPassword?: string;
  generatedToken?: string;
}

export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly tokens: TokensService,
  ) {}

  async create(input: { email: string; name: string; role?: 'admin' | 'member'; password?: string }) {
    return this.db.user.create({
      data: {
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role ?? 'member',
        passwordHash: input.password ? await hash(input.password) : null,
      },
    });
  }

  /**
   * On first start (no users yet) creates the administrator with its first API
   * token; the password and token come from configuration or are generated.
   */
  async bootstrapAdmin(admin: { email: string; password?: string; token?: string }): Promise<BootstrapResult> {
    const existing = await this.db.user.count();
    if (existing > 0) return { created: false, email: admin.email };
    const password = admin.password ?? randomBytes(12).toString('base64url');
    const user = await this.create({ email: admin.email, name: 'Administrator', role: 'admin', password });
    const token = await this.tokens.create(user.id, { name: 'first admin token', secret: admin.token });
    return {
      created: true,
      email: user.email,
      generatedPassword: admin.password ? undefined : password,
      generatedToken: admin.token ? undefined : token.secret,
    };
  }
}
