/**
 * Undoes the ways a message can hide its words from the safety rules, before anything else reads
 * it: invisible and format characters, accents, look-alike letters from other scripts, leetspeak
 * ("k1ll"), stretched letters ("dieeee"), masked letters ("k*ll") and spaced or hyphenated letters
 * ("k i l l", "d-i-e", "$ u i c i d a l") and words run together ("iwanttodie"). Words are only
 * rewritten into words the assistant knows, so ordinary text passes unchanged.
 */

/** Cyrillic and Greek letters that look like Latin ones (Unicode confusables, lowercase). */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ɡ: 'g',
  һ: 'h',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  γ: 'y',
};
const LOOK_ALIKE = new RegExp(`[${Object.keys(LOOK_ALIKES).join('')}]`, 'gu');
/** Emoji that stand for a means or its harm ("🪢 tonight"): read as the word. */
const EMOJI_WORDS: Readonly<Record<string, string>> = { '🪢': 'noose', '🔪': 'knife', '💊': 'pills', '🩸': 'blood', '🔫': 'gun', '⚰': 'coffin', '🪦': 'grave' };
const EMOJI = new RegExp(Object.keys(EMOJI_WORDS).join('|'), 'gu');
/** Format characters (zero-width spaces and joiners, soft hyphens, bidi marks) and combining marks. */
const INVISIBLE = /[\p{Cf}\p{M}]/gu;

const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l' };
/** Words, with the digits and symbols that can stand in for letters ("k1ll", "mys3lf", "d!e", "k*ll"). */
const WORD = /[\p{L}\p{N}@$!|*]+/gu;
const STAND_INS = /[0-9@$!|*]/;
const LETTER = /\p{L}/u;
/** Three or more of one letter: "dieeee", "killlll". */
const STRETCHED = /(\p{L})\1\1/u;
/** Three or more single letters (or symbols standing in for one) in a row, split by spaces, dots, hyphens or underscores: "k i l l", "d-i-e". */
const SPACED_LETTERS = /(?<![\p{L}\p{N}])[\p{L}@$!|](?:[ ._-]+[\p{L}@$!|](?![\p{L}\p{N}])){2,}/gu;
// eslint-disable-next-line no-control-regex -- [^\x00-\x7f]: any character outside ASCII
const NEEDS_WORK = /[^\x00-\x7f]|[a-z][0-9@$!|*]|[0-9@$!|*][a-z]|([a-z])\1\1|(?:^|[^a-z])[a-z@$!|][ ._-]+[a-z][ ._-]+[a-z](?![a-z])/i;
/** Shortest run of letters that may be words run together ("endit"). */
const MIN_RUN_TOGETHER = 5;

/**
 * The short words a message run together is made of ("i want to die", "end it"): a split into
 * other short pieces reads a word of another language as English ("abend" is not "ab end").
 */
const SHORT_WORDS: ReadonlySet<string> = new Set('i a to my me it of in on up do go so no be is am an at by he we us or if oh ok'.split(' '));
const isPlausiblePart = (part: string) => part.length > 2 || SHORT_WORDS.has(part);

/** How often a known part of a run-together word is split again. */
const MAX_SPLIT_DEPTH = 2;

/** Longest run of single letters joined into words ("kill myself" from "k i l l m y s e l f"). */
const MAX_JOINED_LETTERS = 40;

export class SafetyTextFolder {
  /**
   * `knows`: whether a lowercase word is one the assistant knows (its vocabulary and crisis words);
   * `isCrisisWord`: whether it is one of the crisis words, the only reason to split words run together.
   */
  constructor(
    private readonly knows: (word: string) => boolean,
    private readonly isCrisisWord: (word: string) => boolean,
  ) {}

  /** The text with disguises undone; text without any comes back as it was. */
  fold(text: string): string {
    if (!NEEDS_WORK.test(text)) return text;
    const plain = text
      .normalize('NFKD')
      .replace(INVISIBLE, '')
      .toLowerCase()
      .replace(LOOK_ALIKE, (c) => LOOK_ALIKES[c]!)
      .replace(EMOJI, (emoji) => ` ${EMOJI_WORDS[emoji]!} `);
    return plain.replace(WORD, (word) => this.unhidden(word) ?? word).replace(SPACED_LETTERS, (run) => this.joined(run) ?? run);
  }

  private unhidden(word: string): string | null {
    if (!LETTER.test(word)) return null;
    if (STAND_INS.test(word)) return this.undisguised(word);
    return STRETCHED.test(word) ? this.unstretched(word) : null;
  }

  /**
   * "iwanttodie" -> "i want to die": the text of normalised words with each unknown word split into
   * known ones where one of them is a crisis word, or null when no word is. A separate step from
   * fold(), on words: most questions have no unknown long word, and a set look-up tells.
   */
  separated(words: readonly string[]): string | null {
    let changed = false;
    const parts = words.map((word) => {
      if (word.length < MIN_RUN_TOGETHER || this.knows(word)) return word;
      const split = this.crisisWordsIn(word);
      if (!split) return word;
      changed = true;
      return split.join(' ');
    });
    return changed ? parts.join(' ') : null;
  }

  /**
   * The known words `letters` splits into when one of them is a crisis word, or null. A part that is
   * itself a known run-together word ("iwanttodie", learned from a crisis message) is split again:
   * "iwanttodieiwanttodie" first splits into two of them.
   */
  private crisisWordsIn(letters: string, depth = 0): string[] | null {
    const split = this.split(letters, depth > 0);
    if (!split || split.length < 2 || !split.every(isPlausiblePart)) return null;
    const parts = split.flatMap((part) =>
      depth < MAX_SPLIT_DEPTH && part.length >= MIN_RUN_TOGETHER && !this.isCrisisWord(part) ? (this.crisisWordsIn(part, depth + 1) ?? [part]) : [part],
    );
    return parts.some(this.isCrisisWord) ? parts : null;
  }

  private undisguised(word: string): string | null {
    // "2mg", "24h", "covid19": a number with its unit is no disguise.
    if (/^[1-9]\d*[\p{L}]+$/u.test(word) && !/[@$!|*]/.test(word)) return null;
    const decoded = word.replace(/[0-9@$!|]/g, (c) => LEET[c] ?? c);
    if (decoded.includes('*')) return this.unmasked(decoded);
    if (this.knows(decoded)) return decoded;
    // A 1 stands for an l as often as for an i: "ki11".
    const withL = word.replace(/[0-9@$!|]/g, (c) => (c === '1' ? 'l' : (LEET[c] ?? c)));
    if (withL !== decoded && this.knows(withL)) return withL;
    // A symbol between letters is a disguise, never punctuation: the typo pass reads what it hides ("d!ing").
    return /\p{L}[@$!|]\p{L}/u.test(word) ? decoded : null;
  }

  /** "k*ll" -> "kill": the first known word with letters in place of the stars. */
  private unmasked(word: string): string | null {
    if ((word.match(/\*/g) ?? []).length > 2) return null;
    const pattern = new RegExp(`^${word.replace(/\*/g, '[a-z]')}$`);
    const letters = 'aeiouylrstnmkdhgcbpfwvjxzq';
    const fill = (partial: string): string | null => {
      const star = partial.indexOf('*');
      if (star < 0) return pattern.test(partial) && this.knows(partial) ? partial : null;
      for (const letter of letters) {
        const found = fill(partial.slice(0, star) + letter + partial.slice(star + 1));
        if (found) return found;
      }
      return null;
    };
    return fill(word);
  }

  /** "dieeee" -> "die", "killlll" -> "kill": runs cut to two letters or one, whichever is a known word. */
  private unstretched(word: string): string | null {
    const double = word.replace(/(\p{L})\1+/gu, '$1$1');
    if (this.knows(double)) return double;
    const single = word.replace(/(\p{L})\1+/gu, '$1');
    if (this.knows(single)) return single;
    // A run of three or more cut to one, doubles kept: "killll myselffff" -> "kill myself".
    const runsCut = word.replace(/(\p{L})\1\1+/gu, '$1');
    return this.knows(runsCut) ? runsCut : null;
  }

  /**
   * "k i l l m y s e l f" -> "kill myself": the letters split into known words, or null. Wider gaps
   * mark the words where the writer left them ("e n d i n g  i t": "ending it", not "ending git").
   */
  private joined(run: string): string | null {
    const groups = run.split(/ {2,}/).map((group) => group.replace(/[ ._-]+/g, '').replace(/[@$!|]/g, (c) => LEET[c]!));
    if (groups.join('').length > MAX_JOINED_LETTERS) return null;
    const byGroup = groups.length > 1 ? groups.map((group) => this.split(group)) : [];
    const words = byGroup.length > 0 && byGroup.every(Boolean) ? byGroup.flatMap((group) => group!) : this.split(groups.join(''));
    return words ? ` ${words.join(' ')} ` : null;
  }

  /**
   * The fewest known words that spell `letters` exactly, fewest one-letter words on a tie (dynamic
   * programming), or null; with `apart`, never `letters` itself as one word.
   */
  private split(letters: string, apart = false): string[] | null {
    const best: ({ words: string[]; cost: number } | null)[] = [{ words: [], cost: 0 }];
    for (let end = 1; end <= letters.length; end++) {
      best[end] = null;
      for (let start = Math.max(0, end - 20); start < end; start++) {
        const head = best[start];
        const word = letters.slice(start, end);
        // "end it all", not "end i tall": a one-letter word costs a little more than a longer one.
        const cost = (head?.cost ?? 0) + (word.length === 1 ? 3 : 2);
        const cheapest = best[end];
        if (head && (word.length > 1 || word === 'i' || word === 'a') && !(apart && word === letters) && this.knows(word) && (!cheapest || cost < cheapest.cost)) {
          best[end] = { words: [...head.words, word], cost };
        }
      }
    }
    return best[letters.length]?.words ?? null;
  }
}
