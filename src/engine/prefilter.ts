/**
 * Which safety patterns could match a text, found in one pass over it. Each pattern comes with
 * its required literals (literals.ts): sets of strings, one of each set must occur. Every distinct
 * literal is indexed by its first three characters, so a position of the text costs one array
 * look-up; a pattern becomes a candidate once all of its sets are met.
 */
import type { Requirement } from './literals.js';

/** The characters of normalised text; any other character ends a literal's index key. */
const ALPHABET = ' 0123456789abcdefghijklmnopqrstuvwxyz';
const RADIX = ALPHABET.length + 1;
const CHAR_CODES = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) CHAR_CODES[ALPHABET.charCodeAt(i)] = i + 1;

/** Literals are keyed by their first three characters, or their whole text when two long ("od", "to"). */
const PREFIX_LENGTH = 3;
const SHORT_LENGTH = 2;

function codeAt(text: string, at: number): number {
  const char = text.charCodeAt(at);
  return char < 128 ? CHAR_CODES[char]! : 0; // NaN (past the end) is not < 128
}

/** The first `length` characters as one small integer, or 0 when one is outside the alphabet. */
function keyOf(text: string, at: number, length: number): number {
  let key = 0;
  for (let k = 0; k < length; k++) {
    const code = codeAt(text, at + k);
    if (code === 0) return 0;
    key = key * RADIX + code;
  }
  return key;
}

function indexable(literal: string): boolean {
  return literal.length >= SHORT_LENGTH && keyOf(literal, 0, Math.min(literal.length, PREFIX_LENGTH)) !== 0;
}

/** text.startsWith(literal, at) for a literal whose key is known to match; inlined by the JIT where startsWith is not. */
function continuesWith(text: string, at: number, literal: string): boolean {
  if (at + literal.length > text.length) return false;
  for (let k = PREFIX_LENGTH; k < literal.length; k++) if (text.charCodeAt(at + k) !== literal.charCodeAt(k)) return false;
  return true;
}

interface LiteralEntry {
  literal: string;
  /** The sets this literal meets ("clonazepam" is in dozens). */
  sets: number[];
}

export class LiteralPrefilter {
  private readonly byPrefix = new Array<LiteralEntry[] | undefined>(RADIX ** PREFIX_LENGTH).fill(undefined);
  private readonly byPair = new Array<number[] | undefined>(RADIX ** SHORT_LENGTH).fill(undefined);
  private readonly entries = new Map<string, LiteralEntry>();
  private readonly patternsOfSet: number[][] = [];
  /** Per pattern, how many sets it needs met. */
  private readonly needed: number[];
  /** Patterns with nothing indexable required: they always run. */
  private readonly alwaysRun: number[];
  // Marks stamped with the call number: nothing to clear between calls.
  private call = 0;
  private readonly setMark: Uint32Array;
  private readonly patternMark: Uint32Array;
  private readonly patternMet: Int32Array;

  constructor(requirements: readonly Requirement[]) {
    const setsOf = requirements.map((requirement) => requirement.filter((set) => set.every(indexable)));
    this.needed = setsOf.map((sets) => sets.length);
    this.alwaysRun = [...this.needed.keys()].filter((pattern) => this.needed[pattern] === 0);
    setsOf.forEach((sets, pattern) => sets.forEach((set) => this.addSet(set, pattern)));
    this.setMark = new Uint32Array(this.patternsOfSet.length);
    this.patternMark = new Uint32Array(requirements.length);
    this.patternMet = new Int32Array(requirements.length);
  }

  /** The patterns that may match `text`, in ascending order; the others cannot. */
  candidates(text: string): number[] {
    this.nextCall();
    const found = [...this.alwaysRun];
    for (let i = 0; i + SHORT_LENGTH <= text.length; i++) {
      const pair = keyOf(text, i, SHORT_LENGTH);
      if (pair === 0) continue;
      const pairSets = this.byPair[pair];
      if (pairSets !== undefined) this.meetAll(pairSets, found);
      const third = codeAt(text, i + 2);
      const entries = third === 0 ? undefined : this.byPrefix[pair * RADIX + third];
      if (entries === undefined) continue;
      for (let e = 0; e < entries.length; e++) {
        const entry = entries[e]!;
        if (continuesWith(text, i, entry.literal)) this.meetAll(entry.sets, found);
      }
    }
    return found.length > 1 ? found.sort((a, b) => a - b) : found;
  }

  private meetAll(sets: readonly number[], found: number[]): void {
    const { call, setMark, patternMark, patternMet, needed } = this;
    for (let s = 0; s < sets.length; s++) {
      const set = sets[s]!;
      if (setMark[set] === call) continue;
      setMark[set] = call;
      const patterns = this.patternsOfSet[set]!;
      for (let p = 0; p < patterns.length; p++) {
        const pattern = patterns[p]!;
        if (patternMark[pattern] !== call) {
          patternMark[pattern] = call;
          patternMet[pattern] = 0;
        }
        if (++patternMet[pattern]! === needed[pattern]) found.push(pattern);
      }
    }
  }

  private nextCall(): void {
    if (this.call === 0xffffffff) {
      this.setMark.fill(0);
      this.patternMark.fill(0);
      this.call = 0;
    }
    this.call++;
  }

  private addSet(literals: readonly string[], pattern: number): void {
    const set = this.patternsOfSet.push([pattern]) - 1;
    for (const literal of new Set(literals)) {
      if (literal.length === SHORT_LENGTH) {
        const pair = keyOf(literal, 0, SHORT_LENGTH);
        (this.byPair[pair] ??= []).push(set);
      } else {
        this.entryOf(literal).sets.push(set);
      }
    }
  }

  private entryOf(literal: string): LiteralEntry {
    let entry = this.entries.get(literal);
    if (!entry) {
      entry = { literal, sets: [] };
      this.entries.set(literal, entry);
      (this.byPrefix[keyOf(literal, 0, PREFIX_LENGTH)] ??= []).push(entry);
    }
    return entry;
  }
}
