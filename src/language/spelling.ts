/**
 * Typo tolerance against a known vocabulary: a deletion index (as in SymSpell) finds
 * candidates cheaply, natural's Damerau-Levenshtein distance confirms them.
 */
import { DamerauLevenshteinDistance } from 'natural/lib/natural/distance/levenshtein_distance.js';

const MIN_WORD_LENGTH = 4;
const LONG_WORD_LENGTH = 8;

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Edits allowed for a word of this length: short words are too easily confused. */
function allowedEdits(length: number, minWordLength: number): number {
  if (length < minWordLength) return 0;
  return length >= LONG_WORD_LENGTH ? 2 : 1;
}

const CACHE_LIMIT = 20_000;

export class SpellingCorrector {
  /** Deletion key -> the words it comes from: most keys have one, kept as a bare string (an array each made the index twice as large). */
  private readonly index = new Map<string, string | string[]>();
  /** Answers for words seen before (bounded: cleared when full). */
  private readonly cache = new Map<string, string | null>();

  /**
   * `frequency` ranks candidates: the more common word wins a tie. Words shorter than
   * `minWordLength` are never corrected, nor corrected to.
   */
  constructor(
    private readonly frequency: ReadonlyMap<string, number>,
    private readonly minWordLength = MIN_WORD_LENGTH,
  ) {
    for (const word of frequency.keys()) {
      if (this.allowedEdits(word.length) === 0) continue;
      this.addToIndex(word, word);
      for (let i = 0; i < word.length; i++) this.addToIndex(word.slice(0, i) + word.slice(i + 1), word);
    }
  }

  /** The vocabulary word meant by `word`, or null when it is known already or nothing is close. */
  correct(word: string): string | null {
    if (this.frequency.has(word) || !/^\p{L}+$/u.test(word) || this.allowedEdits(word.length) === 0) return null;
    let corrected = this.cache.get(word);
    if (corrected === undefined) {
      corrected = this.closest(word);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(word, corrected);
    }
    return corrected;
  }

  private closest(word: string): string | null {
    const budget = this.allowedEdits(word.length);
    let best: string | null = null;
    let bestDistance = budget + 1;
    for (const candidate of this.candidates(word)) {
      const distance = DamerauLevenshteinDistance(word, candidate, { restricted: true });
      if (distance > this.allowedEdits(Math.min(word.length, candidate.length))) continue;
      if (distance < bestDistance || (distance === bestDistance && this.rank(candidate) > this.rank(best))) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  private allowedEdits(length: number): number {
    return allowedEdits(length, this.minWordLength);
  }

  private rank(word: string | null): number {
    return word === null ? -1 : (this.frequency.get(word) ?? 0);
  }

  private candidates(word: string): Set<string> {
    const found = new Set<string>();
    for (const key of [word, ...deletions(word)]) {
      const words = this.index.get(key);
      if (typeof words === 'string') found.add(words);
      else for (const candidate of words ?? []) found.add(candidate);
    }
    return found;
  }

  /** A word's keys are added one after another, so a repeat ("see": "se" twice) is the last entry. */
  private addToIndex(key: string, word: string): void {
    const words = this.index.get(key);
    if (words === undefined) this.index.set(key, word);
    else if (typeof words === 'string') {
      if (words !== word) this.index.set(key, [words, word]);
    } else if (words[words.length - 1] !== word) words.push(word);
  }
}
