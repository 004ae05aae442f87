import { z } from 'zod';
import { idSchema, isoDate, userRefSchema } from './dto.ts';

// ---------------------------------------------------------------------------
// Invitations: an administrator creates a one-time sign-up link for an e-mail address;
// the invitee chooses a name and password there (docs/protocol.md, "Invitations").
// ---------------------------------------------------------------------------

export const INVITATION_STATES = ['pending', 'accepted', 'expired', 'revoked'] as const;
export const invitationStateSchema = z.enum(INVITATION_STATES);
export type InvitationState = z.infer<typeof invitationStateSchema>;

export const invitationSchema = z.object({
  id: idSchema,
  email: z.string(),
  role: z.enum(['admin', 'member']),
  invitedBy: userRefSchema.nullable(),
  createdAt: isoDate,
  expiresAt: isoDate,
  acceptedAt: isoDate.nullable(),
  state: invitationStateSchema,
});
export type Invitation = z.infer<typeof invitationSchema>;

/** Why a link cannot be used (in `error.data.reason` of a CONFLICT answer; an unknown or revoked link is NOT_FOUND). */
export const INVITATION_REFUSALS = ['used', 'expired', 'account-exists'] as const;
export type InvitationRefusal = (typeof INVITATION_REFUSALS)[number];

const secret = z.string().min(10).max(200);

/** POST /auth/invitations/lookup: what a link is for, before the invitee fills in the form. */
export const invitationLookupBodySchema = z.object({ token: secret });
export const invitationLookupResultSchema = z.object({ email: z.string(), role: z.enum(['admin', 'member']), expiresAt: isoDate });

/** POST /auth/invitations/accept: the invitee's name and password (the password policy applies). */
export const invitationAcceptBodySchema = z.object({
  token: secret,
  name: z.string().trim().min(1, 'a name must not be empty').max(200),
  password: z.string().min(12, 'at least 12 characters').max(1024),
});
export const invitationAcceptResultSchema = z.object({ email: z.string(), name: z.string() });

const method = <P extends z.ZodType, R extends z.ZodType>(spec: { params: P; result: R; summary: string }) => spec;

export const invitationMethods = {
  'invitations.list': method({
    summary: 'Invitations, newest first, with their state (administrators).',
    params: z.object({}).default({}),
    result: z.object({ invitations: z.array(invitationSchema) }),
  }),
  'invitations.create': method({
    summary: 'Create a one-time sign-up link for an e-mail address (administrators). The secret is in the answer only.',
    params: z.object({
      email: z.email('an e-mail address, such as ana@example.com').max(320),
      role: z.enum(['admin', 'member']).default('member'),
      expiresInDays: z.number().int().min(1).max(30).default(7),
    }),
    result: z.object({ invitation: invitationSchema, link: z.string() }),
  }),
  'invitations.revoke': method({
    summary: 'Withdraw a pending invitation (administrators); its link stops working.',
    params: z.object({ id: idSchema }),
    result: invitationSchema,
  }),
} as const;
