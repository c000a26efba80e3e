/**
 * A fast pre-check for the safety patterns. From each regular expression we derive literal
 * strings that any match must contain, as a conjunction of alternatives ("a match contains one
 * of {how much, how many} AND one of {take}"); one pass over a text then tells which of the
 * 200-odd patterns could match at all, and only those run.
 */
import regjsparser, { type AstNode, type RootNode } from 'regjsparser';

const { parse } = regjsparser;

type Features = { lookbehind: true; namedGroups: true; unicodePropertyEscape: true };
type Node = AstNode<Features>;

/** Every set must be met by one of its strings; [] when nothing is known to be required. */
export type Requirement = string[][];

export function requiredLiterals(source: string): Requirement {
  let tree: RootNode<Features>;
  try {
    tree = parse(source, 'u', { lookbehind: true, namedGroups: true, unicodePropertyEscape: true });
  } catch {
    return [];
  }
  return requirementOf(tree as Node);
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
function mostSelective(sets: Requirement): string[] | null {
  let best: string[] | null = null;
  let bestScore = -Infinity;
  for (const set of sets) {
    const score = Math.min(...set.map((s) => s.length)) * 100 - set.length;
    if (score > bestScore) [best, bestScore] = [set, score];
  }
  return best;
}

/** Literals are indexed by their first three characters, or two for two-character ones ("od", "to"). */
const PREFIX_LENGTH = 3;
const SHORT_LENGTH = 2;

/** The first `length` characters as one small integer (Latin-1 only), or -1: a cheap map key. */
function prefixKey(text: string, at: number, length: number): number {
  let key = 0;
  for (let k = 0; k < length; k++) {
    const code = text.charCodeAt(at + k);
    if (!(code <= 0xff)) return -1; // also NaN past the end
    key = (key << 8) | code;
  }
  return key;
}

/** text.startsWith(literal, at) for a literal whose prefix is known to match; inlined by the JIT where startsWith is not. */
function continuesWith(text: string, at: number, literal: string): boolean {
  if (at + literal.length > text.length) return false;
  for (let k = PREFIX_LENGTH; k < literal.length; k++) if (text.charCodeAt(at + k) !== literal.charCodeAt(k)) return false;
  return true;
}

function indexable(literal: string): boolean {
  return literal.length >= SHORT_LENGTH && prefixKey(literal, 0, Math.min(literal.length, PREFIX_LENGTH)) !== -1;
}

/**
 * Which patterns could match a text, found in one pass over it: every literal is indexed by its
 * first three characters, so each position of the text costs one integer map look-up.
 */
export class LiteralPrefilter {
  private readonly byPrefix = new Map<number, { literal: string; set: number }[]>();
  /** Two-character literals, by their whole text. */
  private readonly shortLiterals = new Map<number, number[]>();
  /** The sets of pattern p are sets[offsets[p]] up to sets[offsets[p + 1]] (none: always run it). */
  private readonly sets: Int32Array;
  private readonly offsets: Int32Array;
  private setCount = 0;
  // Reused by every call: allocating typed arrays per question costs more than all the look-ups.
  private readonly met: Uint8Array;
  private readonly possible: Uint8Array;

  constructor(requirements: readonly Requirement[]) {
    const setsOf = requirements.map((requirement) => requirement.filter((set) => set.every(indexable)).map((set) => this.index(set)));
    this.sets = Int32Array.from(setsOf.flat());
    this.offsets = new Int32Array(setsOf.length + 1);
    setsOf.forEach((sets, pattern) => {
      this.offsets[pattern + 1] = this.offsets[pattern]! + sets.length;
    });
    this.met = new Uint8Array(this.setCount);
    this.possible = new Uint8Array(setsOf.length);
  }

  /** A flag per pattern: 1 where the pattern may match `text`, 0 where it cannot. Valid until the next call. */
  candidates(text: string): Uint8Array {
    const { met, possible } = this;
    met.fill(0);
    for (let i = 0; i + SHORT_LENGTH <= text.length; i++) {
      const shortKey = prefixKey(text, i, SHORT_LENGTH);
      if (shortKey === -1) continue;
      const shortSets = this.shortLiterals.get(shortKey);
      if (shortSets) for (const set of shortSets) met[set] = 1;
      const third = text.charCodeAt(i + 2);
      if (!(third <= 0xff)) continue;
      const entries = this.byPrefix.get((shortKey << 8) | third);
      if (!entries) continue;
      for (let e = 0; e < entries.length; e++) {
        const { literal, set } = entries[e]!;
        if (!met[set] && continuesWith(text, i, literal)) met[set] = 1;
      }
    }
    for (let pattern = 0; pattern < possible.length; pattern++) {
      let all = 1;
      for (let j = this.offsets[pattern]!; j < this.offsets[pattern + 1]! && all; j++) all = met[this.sets[j]!]!;
      possible[pattern] = all;
    }
    return possible;
  }

  private index(set: readonly string[]): number {
    const id = this.setCount++;
    for (const literal of set) {
      if (literal.length === SHORT_LENGTH) {
        const key = prefixKey(literal, 0, SHORT_LENGTH);
        this.shortLiterals.set(key, [...(this.shortLiterals.get(key) ?? []), id]);
        continue;
      }
      const prefix = prefixKey(literal, 0, PREFIX_LENGTH);
      const entries = this.byPrefix.get(prefix);
      if (entries) entries.push({ literal, set: id });
      else this.byPrefix.set(prefix, [{ literal, set: id }]);
    }
    return id;
  }
}
