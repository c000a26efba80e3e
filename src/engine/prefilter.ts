/**
 * Which safety patterns could match a text, found in one pass over it. Each pattern comes with
 * its required literals (literals.ts): sets of strings, one of each set must occur. All the
 * literals form one Aho-Corasick automaton, so the pass costs one table look-up per character;
 * a pattern becomes a candidate once all of its sets are met.
 */
import type { Requirement } from './literals.js';

/** The characters of normalised text; a literal with any other character is not indexed. */
const ALPHABET = ' 0123456789abcdefghijklmnopqrstuvwxyz';
const RADIX = ALPHABET.length + 1;
const OTHER = 0;
const CHAR_CODES = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) CHAR_CODES[ALPHABET.charCodeAt(i)] = i + 1;

function codeOf(char: number): number {
  return char < 128 ? CHAR_CODES[char]! : OTHER;
}

/** Literals shorter than this occur in almost every text: they are not worth a check. */
const MIN_LITERAL_LENGTH = 2;

/** Whether the prefilter can look for this literal; a set with any other literal is not checked. */
export function indexable(literal: string): boolean {
  if (literal.length < MIN_LITERAL_LENGTH) return false;
  for (let i = 0; i < literal.length; i++) if (codeOf(literal.charCodeAt(i)) === OTHER) return false;
  return true;
}

/**
 * The automaton: from a state and a character code, the next state. Reaching a state means every
 * literal on its chain of matches was found: the state itself when a literal ends there
 * (`firstMatch`), then ever shorter literals that end at the same character (`nextMatch`).
 */
class Automaton {
  readonly transitions: Uint16Array | Uint32Array;
  /** The sets met by the literal that ends at a state. */
  readonly sets: (number[] | undefined)[] = [undefined];
  /** Per state, the first state of its chain of matches, 0 when none; per such state, the next one. */
  readonly firstMatch: Uint32Array;
  readonly nextMatch: Uint32Array;
  /** The trie while building: each state's parent, the code that leads to it, and its depth. */
  private readonly parents: number[] = [0];
  private readonly codes: number[] = [0];
  private readonly depths: number[] = [0];

  constructor(literals: ReadonlyMap<string, number[]>) {
    const maxStates = 1 + [...literals.keys()].reduce((sum, literal) => sum + literal.length, 0);
    // Two bytes a state while they fit: the table stays small enough for the CPU caches.
    this.transitions = maxStates <= 0xffff ? new Uint16Array(maxStates * RADIX) : new Uint32Array(maxStates * RADIX);
    for (const [literal, sets] of literals) this.sets[this.insert(literal)] = sets;
    this.transitions = this.transitions.slice(0, this.sets.length * RADIX);
    this.firstMatch = new Uint32Array(this.sets.length);
    this.nextMatch = new Uint32Array(this.sets.length);
    this.link();
  }

  /** Adds the literal's path to the trie; returns its last state. */
  private insert(literal: string): number {
    let state = 0;
    for (let i = 0; i < literal.length; i++) {
      const code = codeOf(literal.charCodeAt(i));
      const slot = state * RADIX + code;
      if (this.transitions[slot] === 0) {
        this.transitions[slot] = this.sets.push(undefined) - 1;
        this.parents.push(state);
        this.codes.push(code);
        this.depths.push(this.depths[state]! + 1);
      }
      state = this.transitions[slot]!;
    }
    return state;
  }

  /**
   * Turns the trie into the automaton, one depth at a time: a state's row becomes a copy of its
   * failure target's row (shallower, so complete), and its children are written back over that
   * copy when the next depth begins. A state's chain of matches continues with its failure target's.
   */
  private link(): void {
    const { transitions, sets, firstMatch, nextMatch, parents, codes } = this;
    const failure = new Uint32Array(sets.length);
    for (const states of this.statesByDepth()) {
      for (const state of states) transitions[parents[state]! * RADIX + codes[state]!] = state;
      for (const state of states) {
        const parent = parents[state]!;
        const target = parent === 0 ? 0 : transitions[failure[parent]! * RADIX + codes[state]!]!;
        failure[state] = target;
        nextMatch[state] = firstMatch[target]!;
        firstMatch[state] = sets[state] ? state : firstMatch[target]!;
        transitions.copyWithin(state * RADIX, target * RADIX, target * RADIX + RADIX);
      }
    }
  }

  /** The states of depth 1, 2, ... */
  private statesByDepth(): number[][] {
    const levels: number[][] = [];
    for (let state = 1; state < this.depths.length; state++) (levels[this.depths[state]! - 1] ??= []).push(state);
    return levels;
  }
}

export class LiteralPrefilter {
  private readonly automaton: Automaton;
  /** Each set belongs to one pattern. */
  private readonly patternOfSet: number[] = [];
  /** Per pattern, how many sets it needs met. */
  private readonly needed: number[];
  /** Patterns with nothing indexable required: they always run. */
  private readonly alwaysRun: number[];
  // Marks stamped with the call number: nothing to clear between calls.
  private call = 0;
  private readonly setMark: Uint32Array;
  private readonly patternMark: Uint32Array;
  private readonly patternMet: Int32Array;
  private found: number[] = [];

  constructor(requirements: readonly Requirement[]) {
    const setsOf = requirements.map((requirement) => requirement.filter((set) => set.every(indexable)));
    this.needed = setsOf.map((sets) => sets.length);
    this.alwaysRun = [...this.needed.keys()].filter((pattern) => this.needed[pattern] === 0);
    const literals = new Map<string, number[]>();
    setsOf.forEach((sets, pattern) =>
      sets.forEach((set) => {
        const id = this.patternOfSet.push(pattern) - 1;
        for (const literal of new Set(set)) {
          const ids = literals.get(literal);
          if (ids) ids.push(id);
          else literals.set(literal, [id]);
        }
      }),
    );
    this.automaton = new Automaton(literals);
    this.setMark = new Uint32Array(this.patternOfSet.length);
    this.patternMark = new Uint32Array(requirements.length);
    this.patternMet = new Int32Array(requirements.length);
  }

  /** The patterns that may match `text`, in ascending order; the others cannot. */
  candidates(text: string): number[] {
    this.nextCall();
    this.found = [...this.alwaysRun];
    const { transitions, sets, firstMatch, nextMatch } = this.automaton;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      state = transitions[state * RADIX + codeOf(text.charCodeAt(i))]!;
      for (let end = firstMatch[state]!; end !== 0; end = nextMatch[end]!) this.meetAll(sets[end]!);
    }
    return this.found.length > 1 ? this.found.sort((a, b) => a - b) : this.found;
  }

  private meetAll(sets: readonly number[]): void {
    const { call, setMark, patternMark, patternMet, needed } = this;
    for (let s = 0; s < sets.length; s++) {
      const set = sets[s]!;
      if (setMark[set] === call) continue;
      setMark[set] = call;
      const pattern = this.patternOfSet[set]!;
      if (patternMark[pattern] !== call) {
        patternMark[pattern] = call;
        patternMet[pattern] = 0;
      }
      if (++patternMet[pattern]! === needed[pattern]) this.found.push(pattern);
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
}
