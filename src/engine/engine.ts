/**
 * The answer engine: pure (no I/O). Safety rules first, then follow-up context, then the
 * calibrated classifier, then the passage tier, then an honest fallback.
 */
import type { Content, ResponseDefinition } from '../content/load.js';
import type { EngineSettings } from '../content/settings.js';
import type { Ranked } from '../language/classifier.js';
import type { Analysis } from '../language/features.js';
import { DEFAULT_MODEL_OPTIONS, languageModelFrom, learnLanguage, type LanguageModel, type LanguageSnapshot, type ModelOptions } from '../language/model.js';
import { asksForMore, choiceIndex, withoutLeadIn } from './followup.js';
import type { Requirement } from './literals.js';
import { SafetyRules, safetyRequirements, type SafetyContent } from './safety.js';
import { SmallTalkWords } from './smallTalkWords.js';
import { fillPlaceholders, placeholdersFrom } from './templates.js';
import { compilePattern } from '../content/patterns.js';
import { SafetyTextFolder } from '../language/safetyText.js';
import { SpellingCorrector } from '../language/spelling.js';
import type { Answer, AnswerKind, ConversationContext, Source, Suggestion } from './types.js';

export interface Tuning {
  /** Calibrated confidence that answers with an intent on its own... */
  answerThreshold: number;
  /** ...or, with at least this much, a lead of answerMargin times the runner-up. */
  answerFloor: number;
  answerMargin: number;
  /** Below answerThreshold, the top intent needs this much to ask a clarifying question... */
  clarifyThreshold: number;
  /** ...and the runners-up at least this share of the top probability. */
  clarifyShare: number;
  /**
   * A crisis intent among the classifier's top three with this probability answers, whatever the
   * coverage and the other thresholds, when the message shows crisis evidence: a missed crisis is
   * the worst failure there is.
   */
  crisisNet: number;
  /**
   * Without crisis evidence, a crisis intent answers when the crisis model's log-odds reach
   * crisisLogOdds and the crisis intents hold crisisShare of the classifier's top three: two
   * models that learned differently must agree.
   */
  crisisLogOdds: number;
  crisisShare: number;
  /** With crisis evidence, the crisis model's log-odds must still reach this: "I'm all set, goodbye!" is no farewell. */
  crisisEvidenceLogOdds: number;
  /** Share of a question's content words the training vocabulary must know before anything but a fallback. */
  minCoverage: number;
  /** A passage must contain this many of the question's content words and this share of them. */
  passageMinMatched: number;
  passageMinCoverage: number;
}

/** Chosen on the blind sets' dev part and a third of HWU64 (right answers against false accepts); never on the locked part. */
export const DEFAULT_TUNING: Tuning = {
  answerThreshold: 0.3,
  answerFloor: 0.2,
  answerMargin: 3,
  clarifyThreshold: 0.25,
  clarifyShare: 0.5,
  crisisNet: 0.4,
  crisisLogOdds: 10,
  crisisShare: 0.5,
  crisisEvidenceLogOdds: 3,
  minCoverage: 0.5,
  passageMinMatched: 2,
  passageMinCoverage: 0.75,
};

export interface EngineOptions {
  model?: ModelOptions;
  tuning?: Partial<Tuning>;
  /** What learnEngine() learned from this same content: given, nothing is learned again. */
  learned?: EngineSnapshot;
}

/** What the engine learns from its content, as plain data that a cache can keep. */
export interface EngineSnapshot {
  language: LanguageSnapshot;
  /** The literals each safety pattern requires, for the prefilter. */
  safetyLiterals: Requirement[];
}

export function learnEngine(content: Content, model: ModelOptions = DEFAULT_MODEL_OPTIONS): EngineSnapshot {
  return { language: learnLanguage(content, model), safetyLiterals: safetyRequirements(safetyContentOf(content)) };
}

export function safetyContentOf(content: Content): SafetyContent {
  const { rules, aboutMedication, crisisEvidence, instructionsToBot } = content;
  return { rules, aboutMedication, crisisEvidence, instructionsToBot, lists: content.lexicon.lists };
}

/** Kinds of answer that speak from the document: they need a topic anchor (see isAnchored), as known-gap replies do. */
const TOPIC_KINDS: ReadonlySet<AnswerKind> = new Set(['answer', 'passage', 'clarify']);
/** How many unseen sentences one "tell me more" adds. */
const MORE_SENTENCES = 2;
const STRENGTH = /\b\d+(?:\.\d+)?\s?mg\b/i;

/** The lexicon list of words a crisis message may hide or misspell ("k1ll", "mysef"). */
const CRISIS_WORDS = 'crisis_words';

export interface Engine {
  answer(question: string, context?: ConversationContext): Answer;
  /** Whether the answer is a crisis reply (self-harm, an overdose): one that no limit may withhold. */
  isCrisis(answer: Answer): boolean;
  /** The welcome text and starter questions. */
  welcome(): { text: string; suggestions: Suggestion[] };
  /** A system message by name (rate_limited, error, ...), placeholders filled. */
  message(name: keyof Content['system']['messages']): string;
  readonly contentVersion: string;
  readonly content: Content;
  readonly model: LanguageModel;
  readonly settings: EngineSettings;
}

export function createEngine(content: Content, settings: EngineSettings, options: EngineOptions = {}): Engine {
  return new AnswerEngine(content, settings, options);
}

class AnswerEngine implements Engine {
  readonly model: LanguageModel;
  readonly contentVersion: string;
  private readonly tuning: Tuning;
  private readonly safety: SafetyRules;
  private readonly folder: SafetyTextFolder;
  private readonly topicAnchors: RegExp[];
  private readonly smallTalkWords: SmallTalkWords;
  private readonly crisisWords: ReadonlySet<string>;
  /** Typo tolerance towards crisis words, down to three letters ("kil"). */
  private readonly crisisSpeller: SpellingCorrector;
  private readonly intentKinds: ReadonlyMap<string, string>;
  private readonly intentByLabel: ReadonlyMap<string, string>;
  private readonly sentences: ReadonlyMap<string, Source>;
  /** Response and message texts with their placeholders filled, once. */
  private readonly texts = new Map<string, string>();

  constructor(
    readonly content: Content,
    readonly settings: EngineSettings,
    options: EngineOptions,
  ) {
    const learned = options.learned ?? learnEngine(content, options.model);
    this.model = languageModelFrom(learned.language, content.lexicon.synonyms);
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.contentVersion = content.version;
    this.safety = new SafetyRules(safetyContentOf(content), learned.safetyLiterals);
    const crisisWords = content.lexicon.lists[CRISIS_WORDS] ?? [];
    this.crisisWords = new Set(crisisWords);
    this.folder = new SafetyTextFolder(
      (word) => this.isKnownWord(word) || this.model.normalizer.isShorthand(word),
      (word) => this.crisisWords.has(word),
    );
    this.topicAnchors = content.lexicon.topic_anchors.map((pattern) => compilePattern(pattern, content.lexicon.lists));
    this.smallTalkWords = new SmallTalkWords(content.lexicon.smalltalk_words);
    this.crisisSpeller = new SpellingCorrector(new Map(crisisWords.map((w) => [w, 1])), 3);
    this.intentKinds = new Map(content.intents.map((i) => [i.id, i.kind]));
    this.intentByLabel = new Map([
      ...[...content.responses.values()].map((r) => [this.model.normalizer.normalize(r.label), r.intent] as const),
      ...Object.entries(content.system.commands).map(([command, intent]) => [this.model.normalizer.normalize(command), intent] as const),
    ]);
    this.sentences = new Map(content.sentences.map((s) => [s.id, { id: s.id, text: s.text }]));
    const placeholders = placeholdersFrom(settings);
    for (const [name, text] of Object.entries(content.system.messages)) this.texts.set(`message:${name}`, fillPlaceholders(text, placeholders));
    for (const response of content.responses.values()) this.texts.set(response.intent, fillPlaceholders(response.text, placeholders));
  }

  answer(question: string, context: ConversationContext = {}): Answer {
    if (question.trim() === '') return this.systemAnswer(question, 'empty');
    if (question.length > this.settings.maxQuestionLength) return this.answerTooLong(question);
    const words = this.wordsOf(question);
    const normalized = words.join(' ');
    const chosen = this.intentByLabel.get(normalized) ?? this.pickedChoice(normalized, context);
    if (chosen) return this.respond(question, chosen, 1);
    const topic = withoutLeadIn(normalized);
    const analysis = this.model.featurizer.analyzeWords(topic === normalized ? words : topic.split(' '));
    const coverage = this.coverage(analysis.contentStems);
    const inScope = coverage === 1;
    const ruled = this.safetyIntentOf(words, normalized, inScope);
    if (ruled !== null && this.safety.isCrisisIntent(ruled)) return this.respond(question, ruled, 1);
    // "tell me more" with nothing said before has no topic: say what the document covers.
    if (ruled === null && asksForMore(normalized)) return context.lastIntent ? this.more(question, context.lastIntent, context.seen) : this.systemAnswer(question, 'fallback');
    // A safety rule's intent, a training utterance's own, or small talk told by its words alone.
    const decided = ruled ?? this.model.utteranceIntents.get(normalized) ?? this.smallTalkWords.intentOf(words);
    const ranked = this.model.classifier.rankByEvidence(analysis.features);
    // The evidence behind the classifier is read as typed: a correction ("alice" -> "alive", "pull" -> "pill") is no evidence.
    const crisisLogOdds = this.model.crisisModel.score(analysis.features);
    // A crisis the rules missed outranks any other safety rule: "took my oxy and about 10 klonopin" names two medicines.
    const crisis = this.crisisAmong(ranked, normalized, crisisLogOdds);
    if (crisis) return this.respond(question, crisis.label, crisis.probability);
    if (decided) return this.respond(question, decided, 1);
    const answer = this.classify(question, coverage < this.tuning.minCoverage ? [] : ranked, analysis, normalized, crisisLogOdds);
    return this.speaksOfTheMedicine(answer) && !this.isAnchored(normalized, context) ? this.systemAnswer(question, 'fallback') : answer;
  }

  isCrisis(answer: Answer): boolean {
    return answer.kind === 'safety' && answer.intent !== null && this.safety.isCrisisIntent(answer.intent);
  }

  /** The question's normalised words: disguises undone, instructions aimed at the bot left out. */
  private wordsOf(question: string): string[] {
    const folded = this.model.normalizer.tokens(this.folder.fold(question));
    const separated = this.folder.separated(folded);
    const words = separated === null ? folded : this.model.normalizer.tokens(separated);
    const text = words.join(' ');
    const meant = this.safety.withoutInstructionsToBot(text);
    return meant === text ? words : meant.split(' ').filter(Boolean);
  }

  /**
   * The safety rules read the text as typed, then, where typo correction changes it, the crisis
   * rules read the corrected text too ("i wnat to kil mysef"). Corrections never decide another
   * rule: "lyrics" must not become the medicine "lyrica".
   */
  private safetyIntentOf(words: readonly string[], normalized: string, inScope: boolean): string | null {
    const asTyped = this.safety.match(normalized, inScope);
    if (asTyped) return asTyped;
    const corrected = this.safetyTextOf(words);
    return corrected === normalized ? null : this.safety.match(corrected, inScope, true);
  }

  /** What the safety rules read: the words with typos corrected ("i wnat to kil mysef"). */
  private safetyTextOf(words: readonly string[]): string {
    return words.map((word) => this.crisisWordMeant(word) ?? (this.isKnownWord(word) ? word : (this.model.featurizer.spellingOf(word) ?? word))).join(' ');
  }

  /** A word the training texts use, or a crisis word. */
  private isKnownWord(word: string): boolean {
    return this.model.featurizer.wordCounts.has(word) || this.crisisWords.has(word);
  }

  /**
   * A word the training texts use rarely, or only in crisis messages, may be one of their writers'
   * typos of a crisis word ("wnat to kil myslef"): it is read as the crisis word, as an unknown word is.
   */
  private mayBeCrisisTypo(word: string): boolean {
    return (this.model.featurizer.wordCounts.get(word) ?? 0) < RARE_WORD_COUNT || this.model.crisisOnlyWords.has(word);
  }

  /**
   * The crisis word a typo stands for. A three-letter word only for a letter left out ("kil") or two
   * swapped ("dei"), never one changed: "dim" is not "die".
   */
  private crisisWordMeant(word: string): string | null {
    if (!this.mayBeCrisisTypo(word)) return null;
    const meant = this.crisisSpeller.correct(word);
    if (meant === null || word.length > 3 || meant.length > word.length) return meant;
    return sortedLetters(meant) === sortedLetters(word) ? meant : null;
  }

  welcome(): { text: string; suggestions: Suggestion[] } {
    return { text: this.message('welcome'), suggestions: this.suggestionsFor(this.content.system.starters) };
  }

  message(name: keyof Content['system']['messages']): string {
    return this.texts.get(`message:${name}`)!;
  }

  /** Too long to classify, but read whole by the safety rules: an emergency is never missed for length. */
  private answerTooLong(question: string): Answer {
    const words = this.wordsOf(question);
    const safetyIntent = this.safetyIntentOf(words, words.join(' '), false);
    return safetyIntent ? this.respond(question, safetyIntent, 1) : this.systemAnswer(question, 'too_long');
  }

  private pickedChoice(normalized: string, context: ConversationContext): string | undefined {
    const index = choiceIndex(normalized);
    return index === null ? undefined : context.choices?.[index];
  }

  /** A document answer, passage or clarification, or a known-gap reply: each speaks of the medicine. */
  private speaksOfTheMedicine(answer: Answer): boolean {
    return TOPIC_KINDS.has(answer.kind) || (answer.intent !== null && this.intentKinds.get(answer.intent) === 'gap');
  }

  /** About the medicine or the article: a topic anchor in the message, or an earlier answer to follow on from. */
  private isAnchored(normalized: string, context: ConversationContext): boolean {
    return Boolean(context.lastIntent) || this.topicAnchors.some((anchor) => anchor.test(normalized));
  }

  /** The crisis intent to answer with, if the classifier's ranking and the crisis model say so. */
  private crisisAmong(ranked: readonly Ranked[], normalized: string, logOdds: number): Ranked | undefined {
    const crisis = ranked.filter((r) => this.safety.isCrisisIntent(r.label));
    const top = crisis[0];
    if (top === undefined || this.safety.isExceptedFrom(top.label, normalized)) return undefined;
    if (top.probability >= this.tuning.crisisNet && this.safety.classifierMayAnswer(top.label, normalized, logOdds >= this.tuning.crisisEvidenceLogOdds)) return top;
    const share = crisis.reduce((sum, r) => sum + r.probability, 0);
    return modelsAgreeOnCrisis(share, logOdds, this.tuning) ? top : undefined;
  }

  /** The classifier's decision; its safety intents compete only where the message shows evidence for them (`crisisLogOdds`: the crisis model's). */
  private classify(question: string, candidates: Ranked[], analysis: Analysis, normalized: string, crisisLogOdds: number): Answer {
    const crisisModelAgrees = crisisLogOdds >= this.tuning.crisisEvidenceLogOdds;
    const ranked = withoutRuledOut(candidates, (r) => this.kindOf(r.label) === 'safety' && !this.safety.classifierMayAnswer(r.label, normalized, crisisModelAgrees));
    const top = ranked[0];
    if (top === undefined) return this.systemAnswer(question, 'fallback');
    if (this.isConfident(ranked)) return this.respond(question, top.label, top.probability);
    const close = this.closeCandidates(top, ranked);
    if (close.length >= 2) return this.clarify(question, close, top.probability);
    return this.passageOrFallback(question, analysis.contentStems);
  }

  private isConfident([top, runnerUp]: Ranked[]): boolean {
    const { answerThreshold, answerFloor, answerMargin } = this.tuning;
    if (top!.probability >= answerThreshold) return true;
    return top!.probability >= answerFloor && top!.probability >= answerMargin * (runnerUp?.probability ?? 0);
  }

  /** Share of content words that the assistant's topics use; a question of function words only counts as covered. */
  private coverage(contentStems: readonly string[]): number {
    if (contentStems.length === 0) return 1;
    let known = 0;
    for (const stem of contentStems) if (this.model.inScopeStems.has(stem)) known++;
    return known / contentStems.length;
  }

  private closeCandidates(top: Ranked, ranked: Ranked[]): string[] {
    if (top.probability < this.tuning.clarifyThreshold) return [];
    return ranked.filter((r) => r.probability >= top.probability * this.tuning.clarifyShare && this.kindOf(r.label) !== 'none').map((r) => r.label);
  }

  private passageOrFallback(question: string, contentStems: readonly string[]): Answer {
    const match = this.model.retriever.best(contentStems);
    const strong = match && match.matched >= this.tuning.passageMinMatched && match.coverage >= this.tuning.passageMinCoverage;
    if (!match || !strong) return this.systemAnswer(question, 'fallback');
    const sentence = this.content.sentences[match.index]!;
    const text = `${this.message('passage')} "${sentence.text}"`;
    return this.answerOf(question, 'passage', null, match.coverage, text, [{ id: sentence.id, text: sentence.text }], this.content.system.starters);
  }

  private clarify(question: string, intents: string[], confidence: number): Answer {
    return this.answerOf(question, 'clarify', null, confidence, this.message('clarify'), [], intents);
  }

  /**
   * "tell me more": the article's sentences next to the topic's that the reader has not seen yet;
   * once the topic's paragraphs are exhausted, the first related topic with something unseen;
   * otherwise it says there is nothing more. A safety reply is repeated, never extended.
   */
  private more(question: string, intent: string, seenBefore: readonly string[] = []): Answer {
    const response = this.responseOf(intent);
    if (this.kindOf(intent) !== 'answer' || response.sources.length === 0) return this.respond(question, intent, 1);
    const seen = new Set([...seenBefore, ...response.sources]);
    const neighbours = this.unseenNeighbours(response.sources, seen);
    if (neighbours.length > 0) {
      return this.answerOf(question, 'answer', intent, 1, this.withProductName(this.message('more'), neighbours), neighbours, response.followups);
    }
    const related = response.followups.find((followup) => this.responseOf(followup).sources.some((id) => !seen.has(id)));
    if (!related) return this.answerOf(question, 'answer', intent, 1, this.message('no_more'), [], response.followups);
    const answer = this.respond(question, related, 1);
    return { ...answer, text: `${this.message('more_related')} ${answer.text}` };
  }

  /** At most MORE_SENTENCES unseen sentences of the topic's paragraphs, nearest to its sources first, in document order. */
  private unseenNeighbours(topic: readonly string[], seen: ReadonlySet<string>): Source[] {
    const sentences = this.content.sentences.map((sentence, index) => ({ sentence, index }));
    const anchors = sentences.filter(({ sentence }) => topic.includes(sentence.id));
    const distanceTo = ({ sentence, index }: (typeof sentences)[number]) =>
      Math.min(...anchors.filter((anchor) => anchor.sentence.paragraph === sentence.paragraph).map((anchor) => Math.abs(anchor.index - index)));
    return sentences
      .filter(({ sentence }) => !seen.has(sentence.id) && anchors.some((anchor) => anchor.sentence.paragraph === sentence.paragraph))
      .map((candidate) => ({ ...candidate, distance: distanceTo(candidate) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, MORE_SENTENCES)
      .sort((a, b) => a.index - b.index)
      .map(({ sentence }) => this.sentences.get(sentence.id)!);
  }

  /** The article names its generic product by a strength ("Clonazepam 2mg"): quoting it, say it is a name, not a dose. */
  private withProductName(text: string, sources: readonly Source[]): string {
    return sources.some((source) => STRENGTH.test(source.text)) ? `${text} ${this.message('product_name')}` : text;
  }

  private respond(question: string, intent: string, confidence: number): Answer {
    const kind = this.kindOf(intent);
    if (kind === 'none') return this.systemAnswer(question, 'fallback');
    const response = this.responseOf(intent);
    return this.answerOf(question, kind, intent, confidence, this.texts.get(intent)!, this.sourcesOf(response), response.followups);
  }

  private systemAnswer(question: string, message: 'empty' | 'fallback' | 'too_long'): Answer {
    return this.answerOf(question, 'fallback', null, 0, this.message(message), [], this.content.system.starters);
  }

  /** `offered`: the intents offered next, as candidates and as suggestions. */
  private answerOf(question: string, kind: AnswerKind, intent: string | null, confidence: number, text: string, sources: Source[], offered: readonly string[]): Answer {
    return { question, kind, intent, confidence: round(confidence), text, sources, candidates: [...offered], suggestions: this.suggestionsFor(offered) };
  }

  private suggestionsFor(intents: readonly string[]): Suggestion[] {
    return intents.map((intent) => ({ intent, label: this.responseOf(intent).label }));
  }

  /** The answer kind of an intent: a known gap is answered with its own fallback. */
  private kindOf(intent: string): AnswerKind | 'none' {
    const kind = this.intentKinds.get(intent) ?? 'answer';
    return (kind === 'gap' ? 'fallback' : kind) as AnswerKind | 'none';
  }

  private responseOf(intent: string): ResponseDefinition {
    const response = this.content.responses.get(intent);
    if (!response) throw new Error(`no response for intent ${intent}`); // loadContent guarantees one
    return response;
  }

  private sourcesOf(response: ResponseDefinition): Source[] {
    return response.sources.map((id) => this.sentences.get(id)!);
  }
}

/** Whether the classifier's crisis share and the crisis model's log-odds both clear their thresholds. */
export function modelsAgreeOnCrisis(share: number, logOdds: number, tuning: Pick<Tuning, 'crisisShare' | 'crisisLogOdds'>): boolean {
  return share >= tuning.crisisShare && logOdds >= tuning.crisisLogOdds;
}

function round(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}

/** The ranking without the intents ruled out, the others' probabilities given that those are impossible. */
function withoutRuledOut(ranked: Ranked[], ruledOut: (r: Ranked) => boolean): Ranked[] {
  const kept = ranked.filter((r) => !ruledOut(r));
  const remaining = 1 - ranked.reduce((sum, r) => sum + (kept.includes(r) ? 0 : r.probability), 0);
  return kept.length === ranked.length || remaining <= 0 ? kept : kept.map((r) => ({ label: r.label, probability: r.probability / remaining }));
}

/** Fewer uses than this in the training texts and the document make a word rare. */
const RARE_WORD_COUNT = 5;

const sortedLetters = (word: string) => [...word].sort().join('');
