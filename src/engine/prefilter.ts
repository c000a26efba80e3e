/**
 * Which safety patterns could match a text, found in one pass over it. Each pattern comes with
 * its required literals (literals.ts): sets of strings, one of each set must occur. All the
 * literals form one Aho-Corasick automaton, so the pass costs one table look-up per character;
 * a pattern becomes a candidate once all of its sets are met.
 */
import { mostSelectiveSets, type Requirement } from './literals.js';

/** The characters of normalised text; a literal with any other character is not indexed. */
const ALPHABET = ' 0123456789abcdefghijklmnopqrstuvwxyz';
const RADIX = ALPHABET.length + 1;
const OTHER = 0;
const CHAR_CODES = new Uint8Array(128);
for (let i = 0; i < ALPHABET.length; i++) CHAR_CODES[ALPHABET.charCodeAt(i)] = i + 1;

function codeOf(char: number): number {
  return char < 128 ? CHAR_CODES[char]! : OTHER;
}

/** Sets of literals checked per pattern: the most selective ones. */
const SETS_PER_PATTERN = 2;

/** Literals shorter than this occur in almost every text: they are not worth a check. */
const MIN_LITERAL_LENGTH = 2;

function indexable(literal: string): boolean {
  if (literal.length < MIN_LITERAL_LENGTH) return false;
  for (let i = 0; i < literal.length; i++) if (codeOf(literal.charCodeAt(i)) === OTHER) return false;
  return true;
}

interface TrieNode {
  next: Map<number, TrieNode>;
  /** The sets met when a literal ends here. */
  sets: number[];
  state: number;
}

/**
 * The automaton: from a state and a character code, the next state; and per state the sets met
 * by every literal that ends there (its own and, through the failure links, shorter ones).
 */
class Automaton {
  readonly transitions: Uint16Array | Uint32Array;
  readonly outputs: (number[] | undefined)[];

  constructor(literals: ReadonlyMap<string, number[]>) {
    const nodes: TrieNode[] = [{ next: new Map(), sets: [], state: 0 }];
    for (const [literal, sets] of literals) {
      let node = nodes[0]!;
      for (let i = 0; i < literal.length; i++) {
        const code = codeOf(literal.charCodeAt(i));
        let child = node.next.get(code);
        if (!child) node.next.set(code, (child = nodes[nodes.push({ next: new Map(), sets: [], state: nodes.length }) - 1]!));
        node = child;
      }
      node.sets.push(...sets);
    }
    // Two bytes a state while they fit: the table stays small enough for the CPU caches.
    this.transitions = nodes.length <= 0xffff ? new Uint16Array(nodes.length * RADIX) : new Uint32Array(nodes.length * RADIX);
    this.outputs = nodes.map(() => undefined);
    this.link(nodes);
  }

  /** Breadth first: a state's failure target is shallower, so it is complete by the time it is used. */
  private link(nodes: readonly TrieNode[]): void {
    const failure = new Int32Array(nodes.length);
    const queue = [nodes[0]!];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      const fallback = failure[node.state]!;
      const inherited = node.state === 0 ? [] : (this.outputs[fallback] ?? []);
      if (node.sets.length > 0 || inherited.length > 0) this.outputs[node.state] = [...new Set([...node.sets, ...inherited])];
      for (let code = 1; code < RADIX; code++) {
        const child = node.next.get(code);
        const viaFailure = this.transitions[fallback * RADIX + code]!;
        if (!child) {
          this.transitions[node.state * RADIX + code] = node.state === 0 ? 0 : viaFailure;
          continue;
        }
        this.transitions[node.state * RADIX + code] = child.state;
        failure[child.state] = node.state === 0 ? 0 : viaFailure;
        queue.push(child);
      }
    }
  }

}

export class LiteralPrefilter {
  private readonly automaton: Automaton;
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
  private found: number[] = [];

  constructor(requirements: readonly Requirement[]) {
    // Every set met costs time, and common ones ("the", "my") are met by almost any text.
    const setsOf = requirements.map((requirement) => mostSelectiveSets(requirement.filter((set) => set.every(indexable)), SETS_PER_PATTERN));
    this.needed = setsOf.map((sets) => sets.length);
    this.alwaysRun = [...this.needed.keys()].filter((pattern) => this.needed[pattern] === 0);
    const literals = new Map<string, number[]>();
    setsOf.forEach((sets, pattern) =>
      sets.forEach((set) => {
        const id = this.patternsOfSet.push([pattern]) - 1;
        for (const literal of new Set(set)) literals.set(literal, [...(literals.get(literal) ?? []), id]);
      }),
    );
    this.automaton = new Automaton(literals);
    this.setMark = new Uint32Array(this.patternsOfSet.length);
    this.patternMark = new Uint32Array(requirements.length);
    this.patternMet = new Int32Array(requirements.length);
  }

  /** The patterns that may match `text`, in ascending order; the others cannot. */
  candidates(text: string): number[] {
    this.nextCall();
    this.found = [...this.alwaysRun];
    const { transitions, outputs } = this.automaton;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      state = transitions[state * RADIX + codeOf(text.charCodeAt(i))]!;
      const sets = outputs[state];
      if (sets !== undefined) this.meetAll(sets);
    }
    return this.found.length > 1 ? this.found.sort((a, b) => a - b) : this.found;
  }

  private meetAll(sets: readonly number[]): void {
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
        if (++patternMet[pattern]! === needed[pattern]) this.found.push(pattern);
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
}
