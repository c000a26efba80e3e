/**
 * A fast pre-check for the safety patterns. From each regular expression we derive literal
 * strings that any match must contain, as a conjunction of alternatives ("a match contains one
 * of {how much, how many} AND one of {take}"); the prefilter (prefilter.ts) then finds in one
 * pass over a text which of the 200-odd patterns could match at all, and only those run.
 */
import { createRequire } from 'node:module';
import type { AstNode, RootNode } from 'regjsparser';

// Loaded on first use: a start-up with cached requirements never parses a pattern.
const require = createRequire(import.meta.url);
let parse: (typeof import('regjsparser'))['parse'] | undefined;

type Features = { lookbehind: true; namedGroups: true; unicodePropertyEscape: true };
type Node = AstNode<Features>;

/** Every set must be met by one of its strings; [] when nothing is known to be required. */
export type Requirement = string[][];

export function requiredLiterals(source: string): Requirement {
  let tree: RootNode<Features>;
  try {
    parse ??= (require('regjsparser') as typeof import('regjsparser')).parse;
    tree = parse(source, 'u', { lookbehind: true, namedGroups: true, unicodePropertyEscape: true });
  } catch {
    return [];
  }
  return requirementOf(tree);
}

function requirementOf(node: Node): Requirement {
  switch (node.type) {
    case 'alternative':
      return sequenceRequirement(node.body);
    case 'disjunction':
      return alternativesRequirement(node.body);
    case 'group':
      // A positive lookahead must match too, just without consuming: its text is in the input all the same.
      return node.behavior === 'normal' || node.behavior === 'ignore' || node.behavior === 'lookahead' ? sequenceRequirement(node.body) : [];
    case 'quantifier':
      return node.min >= 1 ? sequenceRequirement(node.body) : [];
    case 'value':
      return [[String.fromCodePoint(node.codePoint)]];
    default:
      return []; // anchors, classes, dots, negative lookarounds: nothing literal is required
  }
}

/** Runs of plain characters become strings; every mandatory part adds its own sets. */
function sequenceRequirement(terms: readonly Node[]): Requirement {
  const sets: string[][] = [];
  let run = '';
  for (const term of terms) {
    if (term.type === 'value') {
      run += String.fromCodePoint(term.codePoint);
      continue;
    }
    if (run) sets.push([run]);
    run = '';
    sets.push(...requirementOf(term));
  }
  if (run) sets.push([run]);
  return sets;
}

/** One of the alternatives matches: the union of each alternative's most selective set. */
function alternativesRequirement(alternatives: readonly Node[]): Requirement {
  const chosen = alternatives.map((alternative) => mostSelective(requirementOf(alternative)));
  if (chosen.some((set) => set === null)) return [];
  const all = [...new Set(chosen.flat() as string[])];
  // "kill" already covers "killing": a text containing the longer contains the shorter.
  return [all.filter((s) => !all.some((other) => other !== s && s.includes(other)))];
}

/** Longer strings are rarer; fewer of them are cheaper to test. */
function selectivity(set: readonly string[]): number {
  return Math.min(...set.map((s) => s.length)) * 100 - set.length;
}

/** The `count` most selective sets (the first of equals first); safety.ts says how many the prefilter checks. */
export function mostSelectiveSets(requirement: Requirement, count: number): Requirement {
  return [...requirement].sort((a, b) => selectivity(b) - selectivity(a)).slice(0, count);
}

function mostSelective(sets: Requirement): string[] | null {
  return mostSelectiveSets(sets, 1)[0] ?? null;
}
