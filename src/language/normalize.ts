/**
 * Text normalisation shared by the rules, the classifier and retrieval:
 * Unicode, case, quotes, contractions, punctuation, then lexicon synonyms.
 */
const CONTRACTIONS: readonly [RegExp, string][] = [
  [/\bcan't\b/g, 'cannot'],
  [/\bwon't\b/g, 'will not'],
  [/\bshan't\b/g, 'shall not'],
  [/n't\b/g, ' not'],
  [/\bi'm\b/g, 'i am'],
  [/'re\b/g, ' are'],
  [/'ve\b/g, ' have'],
  [/'ll\b/g, ' will'],
  [/'d\b/g, ' would'],
  [/\b(what|it|that|how|there|here|who|where|when|she|he)'s\b/g, '$1 is'],
  [/'s\b/g, ''],
];

// How people type contractions without the apostrophe.
const BARE_CONTRACTIONS: Readonly<Record<string, string>> = {
  dont: 'do not', doesnt: 'does not', didnt: 'did not', isnt: 'is not', arent: 'are not',
  wasnt: 'was not', werent: 'were not', cant: 'cannot', couldnt: 'could not', shouldnt: 'should not',
  wouldnt: 'would not', havent: 'have not', hasnt: 'has not', im: 'i am', ive: 'i have',
  youre: 'you are', theyre: 'they are', wont: 'will not', whats: 'what is', hows: 'how is', thats: 'that is',
};

const MAX_PHRASE_WORDS = 4;
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const APOSTROPHES = /[\u2018\u2019\u02bc\u0060\u00b4]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
const ASCII_SEPARATORS = /[^a-z0-9]+/;

export class Normalizer {
  private readonly phrases = new Map<string, string[]>();
  /** First words of the phrases longer than one word: only these need a longer look. */
  private readonly phraseStarts = new Set<string>();

  constructor(synonyms: Readonly<Record<string, string>>) {
    for (const [word, expansion] of Object.entries(BARE_CONTRACTIONS)) this.phrases.set(word, expansion.split(' '));
    for (const [phrase, replacement] of Object.entries(synonyms)) {
      const words = this.basicTokens(phrase);
      if (words.length === 0) continue;
      this.phrases.set(words.join(' '), this.basicTokens(replacement));
      if (words.length > 1) this.phraseStarts.add(words[0]!);
    }
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
    let folded = (ascii ? text : text.normalize('NFKC')).toLowerCase().replace(APOSTROPHES, "'");
    if (folded.includes("'")) {
      for (const [pattern, replacement] of CONTRACTIONS) folded = folded.replace(pattern, replacement);
    }
    return folded.split(ascii ? ASCII_SEPARATORS : SEPARATORS).filter(Boolean);
  }

  private applyPhrases(words: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < words.length; ) {
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
    const longest = this.phraseStarts.has(words[start]!) ? Math.min(MAX_PHRASE_WORDS, words.length - start) : 1;
    for (let length = longest; length >= 1; length--) {
      const key = length === 1 ? words[start]! : words.slice(start, start + length).join(' ');
      const replacement = this.phrases.get(key);
      if (replacement) return { replacement, length };
    }
    return null;
  }
}
