/** How `npm run eval` and `npm run bench` score an answer (no YAML here: the bench times start-up). */
import type { Answer } from '../src/engine/types.js';

/**
 * What an answer counts as: its intent; for a fallback its known-gap intent, or null for the
 * generic one (what off-topic questions expect); a clarification or a quoted passage counts as
 * neither, so it is never right.
 */
export function verdict(answer: Answer): string | null {
  if (answer.kind === 'fallback') return answer.intent;
  return answer.intent ?? answer.kind;
}
