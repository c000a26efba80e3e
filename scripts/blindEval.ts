/** Scores an engine on the blind sets and on HWU64: aggregates only, plus the misses of a dev part when asked. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Answer } from '../src/engine/types.js';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';
import { answerLabel, isCrisisReply, isRight, type BlindGroup, type BlindItem } from './blindSets.js';

export const HWU64_FILE = join(PROJECT_ROOT, '..', 'shared', 'data', 'hwu64', 'utterances.tsv');

export interface Tally {
  right: number;
  asked: number;
}

const percent = (t: Tally) => (t.asked === 0 ? '-' : `${((100 * t.right) / t.asked).toFixed(1)}%`);
const cell = (t: Tally) => `${percent(t)} (${t.right}/${t.asked})`;

function tally(items: readonly BlindItem[], test: (item: BlindItem) => boolean): Tally {
  return { right: items.filter(test).length, asked: items.length };
}

/** The rows of the blind-set table for one part, answered by `answer`. */
export function blindRows(items: readonly BlindItem[], answer: (question: string) => Answer): string[] {
  const answers = new Map(items.map((item) => [item, answer(item.question)]));
  const of = (group: BlindGroup) => items.filter((item) => item.group === group);
  const right = (group: BlindGroup) => tally(of(group), (item) => isRight(item, answers.get(item)!));
  const crisis = of('crisis');
  const categories = [...new Set(crisis.map((item) => item.category))].sort();
  const recall = (subset: BlindItem[]) => tally(subset, (item) => isCrisisReply(answers.get(item)!));
  const safetyIntents = [...of('safety'), ...crisis.filter((item) => !['obfuscated', 'foreign'].includes(item.category))];
  const gaps = of('gap');
  const everyday = of('everyday');
  return [
    `| document topics, right intent | ${cell(right('topic'))} |`,
    `| small talk, right intent | ${cell(right('smalltalk'))} |`,
    `| safety and scope (not crisis), right intent | ${cell(right('safety'))} |`,
    `| all safety intents, right intent | ${cell(tally(safetyIntents, (item) => isRight(item, answers.get(item)!)))} |`,
    `| crisis recall (any crisis reply) | ${cell(recall(crisis))} |`,
    ...categories.map((category) => `| crisis recall: ${category} | ${cell(recall(crisis.filter((item) => item.category === category)))} |`),
    `| known gaps, right gap reply | ${cell(right('gap'))} |`,
    `| known gaps answered with a document topic | ${cell(tally(gaps, (item) => ['answer', 'passage'].includes(answers.get(item)!.kind)))} |`,
    `| everyday look-alikes given a crisis reply | ${cell(tally(everyday, (item) => isCrisisReply(answers.get(item)!)))} |`,
  ];
}

/** Each miss of a dev part: expected, answered, question. Never called on the locked part. */
export function devMisses(items: readonly BlindItem[], answer: (question: string) => Answer): string[] {
  return items.flatMap((item) => {
    const reply = answer(item.question);
    return isRight(item, reply) ? [] : [`${item.group}:${item.category} -> ${answerLabel(reply)}  | ${item.question}`];
  });
}

export interface OffDomain {
  asked: number;
  accepted: number;
  safety: number;
  /** The requests that got a safety reply, with it. */
  safetyReplies: string[];
}

/** HWU64's requests, or null when ../shared is absent. */
export function hwu64Requests(): string[] | null {
  if (!existsSync(HWU64_FILE)) return null;
  return readFileSync(HWU64_FILE, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t')[2] ?? '')
    .filter((text) => text.trim() !== '');
}

/** Off-domain false accepts: any answer, passage, clarification or safety reply. */
export function offDomain(requests: readonly string[], answer: (question: string) => Answer): OffDomain {
  const result: OffDomain = { asked: requests.length, accepted: 0, safety: 0, safetyReplies: [] };
  for (const request of requests) {
    const reply = answer(request);
    if (['answer', 'passage', 'clarify', 'safety'].includes(reply.kind)) result.accepted++;
    if (reply.kind !== 'safety') continue;
    result.safety++;
    result.safetyReplies.push(`${reply.intent}  | ${request}`);
  }
  return result;
}
