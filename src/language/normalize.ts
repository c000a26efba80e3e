/**
 * Text normalisation shared by the rules, the classifier and retrieval:
 * Unicode, case, quotes, contractions, punctuation, then lexicon synonyms.
 */
/** Contractions, found in one pass: at each place the first alternative that fits wins, as listed. */
const CONTRACTION = /\b(?:can't|won't|shan't|i'm)\b|\b(what|it|that|how|there|here|who|where|when|she|he)'s\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'s\b/g;
const EXPANSIONS: Readonly<Record<string, string>> = {
  "can't": 'cannot',
  "won't": 'will not',
  "shan't": 'shall not',
  "i'm": 'i am',
  "n't": ' not',
  "'re": ' are',
  "'ve": ' have',
  "'ll": ' will',
  "'d": ' would',
  "'s": '', // "mom's pills" -> "mom pills"
};

function expandContraction(contraction: string, subject: string | undefined): string {
  return subject ? `${subject} is` : EXPANSIONS[contraction]!;
}

// How people type contractions without the apostrophe.
const BARE_CONTRACTIONS: Readonly<Record<string, string>> = {
  dont: 'do not',
  doesnt: 'does not',
  didnt: 'did not',
  isnt: 'is not',
  arent: 'are not',
  wasnt: 'was not',
  werent: 'were not',
  cant: 'cannot',
  couldnt: 'could not',
  shouldnt: 'should not',
  wouldnt: 'would not',
  havent: 'have not',
  hasnt: 'has not',
  im: 'i am',
  ive: 'i have',
  youre: 'you are',
  theyre: 'they are',
  wont: 'will not',
  whats: 'what is',
  hows: 'how is',
  thats: 'that is',
};

const MAX_PHRASE_WORDS = 4;
// eslint-disable-next-line no-control-regex -- the whole ASCII range, control characters included
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
const ASCII_SEPARATORS = /[^a-z0-9]+/;

/** What the normaliser knows of a word that begins a phrase to replace. */
interface PhraseStart {
  /** The replacement of the word on its own, if it has one. */
  replacement?: string[];
  /** Words in the longest phrase that begins with it. */
  longest: number;
}

export class Normalizer {
  /** Phrases of two words or more, by their text. */
  private readonly phrases = new Map<string, string[]>();
  /** One look-up per word of a question: most words begin no phrase at all. */
  private readonly starts = new Map<string, PhraseStart>();

  constructor(synonyms: Readonly<Record<string, string>>) {
    const replacements = [
      ...Object.entries(BARE_CONTRACTIONS).map(([word, expansion]) => [[word], expansion.split(' ')] as const),
      ...Object.entries(synonyms).map(([phrase, replacement]) => [this.basicTokens(phrase), this.basicTokens(replacement)] as const),
    ];
    for (const [words, replacement] of replacements) {
      if (words.length === 0) continue;
      const start = this.starts.get(words[0]) ?? { longest: 1 };
      if (words.length === 1) start.replacement = replacement;
      else this.phrases.set(words.join(' '), replacement);
      start.longest = Math.max(start.longest, words.length);
      this.starts.set(words[0], start);
    }
  }

  /** A word the normaliser rewrites ("im", "gonna", "benzos"): known to it, though no training text keeps it. */
  isShorthand(word: string): boolean {
    return this.starts.get(word)?.replacement !== undefined;
  }

  /** The normalised words of a text, synonyms applied. */
  tokens(text: string): string[] {
    return this.applyPhrases(this.basicTokens(text));
  }

  /** The normalised text: what safety rules match against. */
  normalize(text: string): string {
    return this.tokens(text).join(' ');
  }

  private basicTokens(text: string): string[] {
    // Plain ASCII, most questions, is already in normal form and splits on a simpler class.
    const ascii = ASCII_ONLY.test(text);
    const folded = (ascii ? text : text.normalize('NFKC')).toLowerCase().replace(APOSTROPHES, "'");
    const expanded = folded.includes("'") ? folded.replace(CONTRACTION, expandContraction) : folded;
    return expanded.split(ascii ? ASCII_SEPARATORS : SEPARATORS).filter(Boolean);
  }

  private applyPhrases(words: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < words.length;) {
      const match = this.longestPhraseAt(words, i);
      if (match) {
        out.push(...match.replacement);
        i += match.length;
      } else {
        out.push(words[i]!);
        i += 1;
      }
    }
    return out;
  }

  private longestPhraseAt(words: string[], start: number): { replacement: string[]; length: number } | null {
    const known = this.starts.get(words[start]!);
    if (known === undefined) return null;
    for (let length = Math.min(known.longest, MAX_PHRASE_WORDS, words.length - start); length > 1; length--) {
      const replacement = this.phrases.get(words.slice(start, start + length).join(' '));
      if (replacement) return { replacement, length };
    }
    return known.replacement ? { replacement: known.replacement, length: 1 } : null;
  }
}
