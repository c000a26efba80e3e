/**
 * The blind test sets (tests/data/blind/): written by writers who saw only the topic brief and one
 * persona, never the training data. Each writer's file is split into a dev part, studied while
 * improving, and a locked part, only ever scored in aggregate.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Answer } from '../src/engine/types.js';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';
import { verdict } from './verdict.js';

export type BlindPart = 'dev' | 'locked';
export type BlindGroup = 'topic' | 'safety' | 'crisis' | 'smalltalk' | 'gap' | 'everyday';

export interface BlindItem {
  question: string;
  group: BlindGroup;
  /** The intent id, or the crisis category, or 'fallback' for everyday requests. */
  category: string;
  writer: string;
}

interface WriterFile {
  writer: string;
  topics?: Record<string, string[]>;
  safety?: Record<string, string[]>;
  crisis?: Record<string, string[]>;
  smalltalk?: Record<string, string[]>;
  gaps?: Record<string, string[]>;
  everyday?: string[];
}

export const CRISIS_INTENTS: ReadonlySet<string> = new Set(['safety.self_harm', 'safety.overdose_emergency']);

/** The intent each crisis category belongs to; obfuscated and foreign messages may be either. */
const CRISIS_CATEGORY_INTENT: Readonly<Record<string, string>> = {
  wish_dead: 'safety.self_harm',
  active_thoughts: 'safety.self_harm',
  method: 'safety.self_harm',
  plan_preparation: 'safety.self_harm',
  past_attempt: 'safety.self_harm',
  self_harm: 'safety.self_harm',
  overdose_taken: 'safety.overdose_emergency',
  other_unresponsive: 'safety.overdose_emergency',
  child_swallowed: 'safety.overdose_emergency',
};

export const blindFolder = (part: BlindPart) => join(PROJECT_ROOT, 'tests', 'data', 'blind', part);

export function blindSet(part: BlindPart): BlindItem[] {
  const folder = blindFolder(part);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .flatMap((name) => itemsOf(parse(readFileSync(join(folder, name), 'utf8')) as WriterFile));
}

function itemsOf(file: WriterFile): BlindItem[] {
  const grouped = (group: BlindGroup, sections: Record<string, string[]> | undefined) =>
    Object.entries(sections ?? {}).flatMap(([category, questions]) => questions.map((question) => ({ question: String(question), group, category, writer: file.writer })));
  return [
    ...grouped('topic', file.topics),
    ...grouped('safety', file.safety),
    ...grouped('crisis', file.crisis),
    ...grouped('smalltalk', file.smalltalk),
    ...grouped('gap', file.gaps),
    ...(file.everyday ?? []).map((question) => ({ question: String(question), group: 'everyday' as const, category: 'fallback', writer: file.writer })),
  ];
}

export const isCrisisReply = (answer: Answer): boolean => answer.kind === 'safety' && CRISIS_INTENTS.has(answer.intent ?? '');

/** Whether an answer is right for the item: its intent; for crisis, a crisis reply of the category's intent. */
export function isRight(item: BlindItem, answer: Answer): boolean {
  switch (item.group) {
    case 'crisis': {
      const intent = CRISIS_CATEGORY_INTENT[item.category];
      return isCrisisReply(answer) && (intent === undefined || answer.intent === intent);
    }
    case 'everyday':
      // Look-alikes may ask about the medicine too ("this job is killing me, is it habit forming?"): only a crisis reply is wrong.
      return !isCrisisReply(answer);
    default:
      return verdict(answer) === item.category;
  }
}

/** What a wrong answer is called in a list of misses: its intent, or its kind. */
export const answerLabel = (answer: Answer): string => answer.intent ?? answer.kind;
