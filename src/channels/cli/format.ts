/** How an answer reads in a terminal. */
import type { Answer, Suggestion } from '../../engine/types.js';

/** `width`: the terminal's columns, to wrap at; without it (output piped), lines are left whole. */
export function formatForPeople(answer: Answer, width?: number): string {
  const lines = [answer.text];
  if (answer.sources.length > 0) {
    lines.push('', 'Sources:', ...answer.sources.map((s) => `  [${s.id}] "${s.text}"`));
  }
  if (answer.suggestions.length > 0) {
    lines.push('', numberedList(answer.kind === 'clarify' ? 'Choose one' : 'You could also ask', answer.suggestions));
  }
  return wrapped(lines.join('\n'), width);
}

/** "You could also ask: (1) ... (2) ...": the numbers a reader may type to pick one. */
export function numberedList(lead: string, suggestions: readonly Suggestion[]): string {
  return `${lead}: ${suggestions.map((s, i) => `(${i + 1}) ${s.label}`).join('  ')}`;
}

/** Breaks lines between words to fit `width`; a continuation keeps its line's indent, a word too long stays whole. */
export function wrapped(text: string, width?: number): string {
  if (!width) return text;
  return text
    .split('\n')
    .map((line) => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string {
  const indent = /^ */.exec(line)![0];
  const rows: string[] = [];
  let row = '';
  for (const word of line.slice(indent.length).split(/ +/)) {
    if (row && indent.length + row.length + 1 + word.length > width) {
      rows.push(row);
      row = word;
    } else row = row ? `${row} ${word}` : word;
  }
  rows.push(row);
  return rows.map((r) => indent + r).join('\n');
}
