/** How an answer reads in a terminal. */
import type { Answer } from '../../engine/types.js';

export function formatForPeople(answer: Answer): string {
  const lines = [answer.text];
  if (answer.sources.length > 0) {
    lines.push('', 'Sources:', ...answer.sources.map((s) => `  [${s.id}] "${s.text}"`));
  }
  if (answer.suggestions.length > 0) {
    const lead = answer.kind === 'clarify' ? 'Choose one' : 'You could also ask';
    lines.push('', `${lead}: ${answer.suggestions.map((s, i) => `(${i + 1}) ${s.label}`).join('  ')}`);
  }
  return lines.join('\n');
}
