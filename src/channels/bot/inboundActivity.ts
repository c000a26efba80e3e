/**
 * What POST /api/messages accepts: an activity whose fields the adapter and the bot read have the
 * types the Bot Framework schema gives them. Every channel sends these; anything else is a client
 * error (400), which CloudAdapter would otherwise turn into a 500 or a failed turn. Other fields
 * pass through unchecked.
 */
import { z } from 'zod';

const account = z.looseObject({ id: z.string().optional(), name: z.string().optional() });

const inboundActivitySchema = z.looseObject({
  type: z.string().min(1),
  id: z.string().optional(),
  channelId: z.string().min(1),
  serviceUrl: z.string().optional(),
  conversation: z.looseObject({ id: z.string().min(1) }),
  from: account.optional(),
  recipient: account.optional(),
  text: z.string().optional(),
  locale: z.string().optional(),
  deliveryMode: z.string().optional(),
  timestamp: z.string().optional(),
  membersAdded: z.array(account).optional(),
  membersRemoved: z.array(account).optional(),
  entities: z.array(z.unknown()).optional(),
  attachments: z.array(z.unknown()).optional(),
});

/** Why the body is not an activity this endpoint accepts, or undefined when it is. */
export function inboundActivityProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON activity object';
  const parsed = inboundActivitySchema.safeParse(body);
  if (parsed.success) return undefined;
  const [issue] = parsed.error.issues;
  return `the activity is malformed: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`;
}
