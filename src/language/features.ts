/** From text to classifier features: normalise, correct typos, drop function words, stem (natural's Porter stemmer). */
import PorterStemmer from 'natural/lib/natural/stemmers/porter_stemmer.js';
import { Normalizer } from './normalize.js';
import { SpellingCorrector } from './spelling.js';

/** Function words: they carry no topic, so they neither count as evidence nor as unknown words. */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  ('a an the of to in on at for from by with about into over after before under as than then so if or and but not no ' +
    'is are was were be been being am do does did doing done have has had having will would shall should can cannot could may might must ' +
    'i me my mine myself you your yours we us our they them their he him his she her it its this that these those there here ' +
    'what which who whom whose how why when where whats hows just also any some very really please tell know want wonder wondering ' +
    'like get got need ok okay yes yeah hey um uh ur u pls plz thing things stuff something anything much many more most lot lots bit')
    .split(' '),
);

/** Function words that shape a question: they tell "what is" from "how does" and "should i". */
const QUESTION_WORDS: ReadonlySet<string> = new Set(
  'what how why when where who which can cannot could should would will does do did is are i my me you'.split(' '),
);

export interface FeatureOptions {
  /** Which function words become features: all of them, only question-shaping ones, or none. */
  functionWords: 'all' | 'questions' | 'none';
  /** Add pairs of neighbouring words as features: of content stems only, or of all words ("how_long"). */
  bigrams: 'none' | 'content' | 'all';
  /**
   * Mark content words that are rare (seen at most once) or unknown with a feature of their own:
   * unknown words are evidence that a question is out of scope, which naive Bayes otherwise ignores.
   */
  rareWords: boolean;
}

export const RARE_WORD = '<rare>';
export const RARE_WORDS = '<rare2>';

export interface Analysis {
  /** Normalised words after typo correction. */
  words: string[];
  /** Unique classifier features. */
  features: string[];
  /** Stems of the content words (not function words). */
  contentStems: string[];
}

const STEM_CACHE_LIMIT = 20_000;

export class Featurizer {
  private readonly stems = new Map<string, string>();
  private readonly speller: SpellingCorrector;
  private readonly frequency = new Map<string, number>();

  constructor(
    readonly normalizer: Normalizer,
    /** The normalised words of every training text: the known vocabulary. */
    vocabulary: readonly (readonly string[])[],
    readonly options: FeatureOptions,
  ) {
    for (const words of vocabulary) {
      for (const word of words) this.frequency.set(word, (this.frequency.get(word) ?? 0) + 1);
    }
    this.speller = new SpellingCorrector(this.frequency);
  }

  analyze(text: string): Analysis {
    return this.analyzeWords(this.normalizer.tokens(text));
  }

  /** Like analyze(), for words already normalised. */
  analyzeWords(normalizedWords: readonly string[]): Analysis {
    const words = normalizedWords.map((word) => this.speller.correct(word) ?? word);
    const contentWords = words.filter((w) => !FUNCTION_WORDS.has(w));
    const contentStems = contentWords.map((w) => this.stem(w));
    const features = new Set<string>(contentStems);
    for (const word of words) {
      if (this.keepsFunctionWord(word)) features.add(word);
    }
    if (this.options.bigrams !== 'none') {
      const terms = this.options.bigrams === 'all' ? words.map((w) => (FUNCTION_WORDS.has(w) ? w : this.stem(w))) : contentStems;
      for (let i = 1; i < terms.length; i++) features.add(`${terms[i - 1]}_${terms[i]}`);
    }
    if (this.options.rareWords) {
      const rare = contentWords.filter((w) => (this.frequency.get(w) ?? 0) <= 1).length;
      if (rare >= 1) features.add(RARE_WORD);
      if (rare >= 2) features.add(RARE_WORDS);
    }
    return { words, features: [...features], contentStems };
  }

  private keepsFunctionWord(word: string): boolean {
    if (!FUNCTION_WORDS.has(word)) return false;
    return this.options.functionWords === 'all' || (this.options.functionWords === 'questions' && QUESTION_WORDS.has(word));
  }

  private stem(word: string): string {
    let stem = this.stems.get(word);
    if (stem === undefined) {
      stem = /^\p{N}+$/u.test(word) ? word : PorterStemmer.stem(word);
      if (this.stems.size >= STEM_CACHE_LIMIT) this.stems.clear();
      this.stems.set(word, stem);
    }
    return stem;
  }
}
