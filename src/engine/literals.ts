/**
 * A fast pre-check for a regular expression: the literal strings one of which every match must
 * contain. Testing `text.includes()` for a few words skips most of the 200-odd safety patterns
 * at a fraction of the cost of running them.
 */
import regjsparser, { type AstNode, type RootNode } from 'regjsparser';

const { parse } = regjsparser;

/** Some of these must appear in any match; null when nothing is known to be required. */
type Required = string[] | null;

/** Beyond this many strings, testing them costs more than running the expression. */
const MAX_LITERALS = 16;

export function requiredLiterals(source: string): Required {
  const required = parsedRequirement(source);
  return required && required.length <= MAX_LITERALS ? required : null;
}

function parsedRequirement(source: string): Required {
  let tree: RootNode<{ lookbehind: true; namedGroups: true; unicodePropertyEscape: true }>;
  try {
    tree = parse(source, 'u', { lookbehind: true, namedGroups: true, unicodePropertyEscape: true });
  } catch {
    return null;
  }
  return fromNode(tree as AstNode<{ lookbehind: true; namedGroups: true; unicodePropertyEscape: true }>);
}

function fromNode(node: AstNode<{ lookbehind: true; namedGroups: true; unicodePropertyEscape: true }>): Required {
  switch (node.type) {
    case 'alternative':
      return fromSequence(node.body);
    case 'disjunction':
      return union(node.body.map(fromNode));
    case 'group':
      // A positive lookahead must match too, just without consuming: its text is in the input all the same.
      return node.behavior === 'normal' || node.behavior === 'ignore' || node.behavior === 'lookahead' ? fromSequence(node.body) : null;
    case 'quantifier':
      return node.min >= 1 ? fromSequence(node.body) : null;
    case 'value':
      return [String.fromCodePoint(node.codePoint)];
    default:
      return null; // anchors, classes, dots, lookarounds: nothing literal is required
  }
}

function fromSequence(terms: readonly AstNode<{ lookbehind: true; namedGroups: true; unicodePropertyEscape: true }>[]): Required {
  const candidates: string[][] = [];
  let run = '';
  for (const term of terms) {
    if (term.type === 'value') {
      run += String.fromCodePoint(term.codePoint);
      continue;
    }
    if (run) candidates.push([run]);
    run = '';
    const required = fromNode(term);
    if (required) candidates.push(required);
  }
  if (run) candidates.push([run]);
  return mostSelective(candidates);
}

/** Every alternative must contribute a requirement, or the whole has none. */
function union(parts: Required[]): Required {
  if (parts.some((part) => part === null)) return null;
  const all = [...new Set(parts.flat() as string[])];
  // "kill" already covers "killing": a text containing the longer contains the shorter.
  return all.filter((s) => !all.some((other) => other !== s && s.includes(other)));
}

/** Longer strings are rarer; fewer of them are cheaper to test. */
function mostSelective(candidates: string[][]): Required {
  let best: string[] | null = null;
  let bestScore = -Infinity;
  for (const candidate of candidates) {
    const score = Math.min(...candidate.map((s) => s.length)) * 100 - candidate.length;
    if (score > bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}
