/** Shared by `npm run eval` and `npm run bench`: the evaluation sets and how an engine scores on them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONTRACT_INTENTS } from '../src/content/contract.js';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';

export interface Labelled {
  question: string;
  /** The expected intent, or null where the expected kind is fallback. */
  intent: string | null;
}

export interface EvaluationSets {
  heldout: Labelled[];
  crisis: Labelled[];
  offtopic: Labelled[];
}

function read<T>(name: string): T {
  return parse(readFileSync(join(PROJECT_ROOT, 'tests', 'data', name), 'utf8')) as T;
}

export function evaluationSets(): EvaluationSets {
  const heldout = read<{ questions: { intent: string; asks: string[] }[] }>('heldout.yaml');
  const crisis = read<{ overdose: string[]; self_harm: string[] }>('crisis.yaml');
  const offtopic = read<{ questions: string[] }>('offtopic.yaml');
  return {
    heldout: heldout.questions.flatMap((q) => q.asks.map((question) => ({ question, intent: q.intent }))),
    crisis: [
      ...crisis.overdose.map((question) => ({ question, intent: 'safety.overdose_emergency' })),
      ...crisis.self_harm.map((question) => ({ question, intent: 'safety.self_harm' })),
    ],
    offtopic: offtopic.questions.map((question) => ({ question, intent: null })),
  };
}

export const isDocumentTopic = (intent: string | null): boolean => intent !== null && CONTRACT_INTENTS[intent]?.kind === 'answer';

/** Share of questions whose predicted intent (null for no intent) is the expected one. */
export function accuracy(items: readonly Labelled[], predict: (question: string) => string | null): number {
  if (items.length === 0) return 0;
  return items.filter((item) => predict(item.question) === item.intent).length / items.length;
}
