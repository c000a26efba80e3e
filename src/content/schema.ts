/** The shapes of the content files in intents/ and responses/. */
import { z } from 'zod';

const intentId = z.string().regex(/^[a-z_]+\.[a-z_0-9]+$/, 'an intent id looks like "group.name"');
const sentenceId = z.string().regex(/^p\d+s\d+$/, 'a sentence id looks like "p2s6"');
const nonEmpty = z.string().trim().min(1, 'must not be empty');

export const intentsFileSchema = z.strictObject({
  intents: z.array(
    z.strictObject({
      id: intentId,
      kind: z.enum(['answer', 'safety', 'smalltalk', 'gap', 'none']),
      utterances: z.array(nonEmpty).min(15, 'needs at least 15 training utterances'),
    }),
  ),
});

export const responsesFileSchema = z.strictObject({
  responses: z.array(
    z.strictObject({
      intent: intentId,
      label: nonEmpty.max(60, 'a label is button text: 60 characters at most'),
      text: nonEmpty,
      sources: z.array(sentenceId),
      // None after a crisis reply: nothing else should compete with the crisis line.
      followups: z.array(intentId).max(3, 'offer 3 follow-ups at most'),
    }),
  ),
});

export const systemFileSchema = z.strictObject({
  messages: z.strictObject({
    welcome: nonEmpty,
    fallback: nonEmpty,
    clarify: nonEmpty,
    passage: nonEmpty,
    too_long: nonEmpty,
    empty: nonEmpty,
    rate_limited: nonEmpty,
    error: nonEmpty,
    more: nonEmpty,
    more_related: nonEmpty,
    no_more: nonEmpty,
    product_name: nonEmpty,
  }),
  starters: z.array(intentId).min(3).max(4),
  /** Words a user types as a command ("help", "menu"): the whole message, normalised, answered with the intent. */
  commands: z.record(z.string(), intentId),
});

export const safetyRulesFileSchema = z.strictObject({
  about_medication: z.array(nonEmpty).min(1),
  crisis_evidence: z.array(nonEmpty).min(1),
  instructions_to_bot: z.array(nonEmpty).optional(),
  rules: z.array(
    z.strictObject({
      intent: intentId,
      patterns: z.array(nonEmpty).min(1),
      unless: z.array(nonEmpty).optional(),
      only_about_medication: z.boolean().optional(),
    }),
  ),
});

export const lexiconFileSchema = z.strictObject({
  synonyms: z.record(z.string(), z.string()),
  lists: z.record(z.string().regex(/^[a-z_]+$/), z.array(nonEmpty).min(1)),
  topic_anchors: z.array(nonEmpty).min(1),
  smalltalk_words: z.array(
    z.strictObject({
      intent: intentId,
      core: z.array(nonEmpty).min(1),
      also: z.array(nonEmpty).default([]),
    }),
  ),
});

export type IntentsFile = z.infer<typeof intentsFileSchema>;
export type ResponsesFile = z.infer<typeof responsesFileSchema>;
export type SystemFile = z.infer<typeof systemFileSchema>;
export type SafetyRulesFile = z.infer<typeof safetyRulesFileSchema>;
export type LexiconFile = z.infer<typeof lexiconFileSchema>;
