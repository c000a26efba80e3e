/** The rule layer: ordered patterns over the normalised text, checked before any classifier. */
import { compilePattern, expandLists } from '../content/patterns.js';
import { crisisIntentIds } from '../content/crisis.js';
import type { SafetyRule } from '../content/load.js';
import { mostSelectiveSets, requiredLiterals, type Requirement } from './literals.js';
import { indexable, LiteralPrefilter } from './prefilter.js';

interface CompiledRule {
  intent: string;
  unless: RegExp[];
}

/** A pattern with the index of its rule; patterns are numbered in rule order. */
interface Pattern {
  regexp: RegExp;
  rule: number;
}

export interface SafetyContent {
  rules: readonly SafetyRule[];
  aboutMedication: readonly string[];
  crisisEvidence: readonly string[];
  instructionsToBot: readonly string[];
  lists: Readonly<Record<string, readonly string[]>>;
}

/**
 * Sets of required literals the prefilter checks per pattern: every set met costs time, and common
 * ones ("the", "my") are met by almost any text. With three instead of two, a question leaves 1.0
 * patterns on average to test instead of 1.8, which between the SDK's turns saves 2 to 3 us.
 */
const SETS_PER_PATTERN = 3;

/** The literals each pattern requires (its most selective sets), in rule order: derived once, then cached with the model. */
export function safetyRequirements({ rules, lists }: SafetyContent): Requirement[] {
  return rules.flatMap((rule) =>
    rule.patterns.map((pattern) => {
      const required = requiredLiterals(expandLists(pattern, lists, 'plain'));
      return mostSelectiveSets(
        required.filter((set) => set.every(indexable)),
        SETS_PER_PATTERN,
      );
    }),
  );
}

/** Words that refer back to the medicine the conversation is about: "can I drink on it". */
const REFERS_BACK = /\b(?:it|this|them|these|they)\b/;

export class SafetyRules {
  private readonly rules: CompiledRule[];
  private readonly patterns: Pattern[];
  private readonly medicationPatterns: RegExp[];
  private readonly crisisPatterns: RegExp[];
  private readonly instructionsToBot: RegExp | null;
  private readonly medicationOnlyIntents: ReadonlySet<string>;
  private readonly crisisIntents: ReadonlySet<string>;
  private readonly prefilter: LiteralPrefilter;

  /** `requirements`: safetyRequirements() of this same content, when known already. */
  constructor(content: SafetyContent, requirements: readonly Requirement[] = safetyRequirements(content)) {
    const compile = (pattern: string) => compilePattern(pattern, content.lists);
    this.medicationPatterns = content.aboutMedication.map(compile);
    this.crisisPatterns = content.crisisEvidence.map(compile);
    this.instructionsToBot = content.instructionsToBot.length > 0 ? new RegExp(content.instructionsToBot.map((p) => compile(p).source).join('|'), 'g') : null;
    this.medicationOnlyIntents = new Set(content.rules.filter((r) => r.onlyAboutMedication).map((r) => r.intent));
    this.crisisIntents = crisisIntentIds(content);
    this.rules = content.rules.map((rule) => ({ intent: rule.intent, unless: rule.unless.map(compile) }));
    this.patterns = content.rules.flatMap((rule, index) => rule.patterns.map((pattern) => ({ regexp: compile(pattern), rule: index })));
    if (requirements.length !== this.patterns.length) throw new Error('safety requirements do not fit these rules');
    this.prefilter = new LiteralPrefilter(requirements);
  }

  /**
   * The safety intent of the first rule that matches, or null. A rule marked only_about_medication
   * needs a medicine named, or `inScope` (nothing in the message outside the assistant's topics)
   * and a word that refers back to the medicine ("can I drink on it"). `crisisOnly`: only the
   * crisis rules (those without that condition) are read.
   */
  match(normalizedText: string, inScope: boolean, crisisOnly = false): string | null {
    let decidedRule = -1;
    for (const id of this.prefilter.candidates(normalizedText)) {
      const { regexp, rule } = this.patterns[id]!;
      if (rule === decidedRule || !regexp.test(normalizedText)) continue;
      decidedRule = rule;
      const { intent, unless } = this.rules[rule]!;
      if (crisisOnly && this.medicationOnlyIntents.has(intent)) continue;
      if (!unless.some((p) => p.test(normalizedText)) && this.appliesTo(intent, normalizedText, inScope)) return intent;
    }
    return null;
  }

  /**
   * Whether a safety intent may answer this message: the classifier's safety intents, a second
   * net behind the rules, are held to the same only_about_medication condition as the rules.
   */
  appliesTo(intent: string, normalizedText: string, inScope: boolean): boolean {
    return !this.medicationOnlyIntents.has(intent) || (inScope && REFERS_BACK.test(normalizedText)) || this.namesMedication(normalizedText);
  }

  /**
   * Whether a safety intent that the classifier chose may answer: only where the message shows
   * evidence for it, so that "wake me up at five" never gets the crisis line. The crisis intents
   * need a word or phrase of crisis (a medicine named is not one), the crisis model's agreement
   * and none of their rules' exceptions ("took my pills at 8"), the others a medicine named.
   */
  classifierMayAnswer(intent: string, normalizedText: string, crisisModelAgrees: boolean): boolean {
    if (!this.crisisIntents.has(intent)) return this.namesMedication(normalizedText);
    return crisisModelAgrees && this.showsCrisis(normalizedText) && !this.isExceptedFrom(intent, normalizedText);
  }

  /** Whether the text has a word or phrase of crisis (`crisis_evidence`): a medicine named is not one. */
  showsCrisis(normalizedText: string): boolean {
    return this.crisisPatterns.some((p) => p.test(normalizedText));
  }

  /** Whether an `unless` of this intent's rules matches: an everyday idiom ("dying to know") that the classifier must respect too. */
  isExceptedFrom(intent: string, normalizedText: string): boolean {
    return this.rules.some((rule) => rule.intent === intent && rule.unless.some((p) => p.test(normalizedText)));
  }

  /** A crisis intent: one whose rules apply to any message (self-harm, overdose). */
  isCrisisIntent(intent: string): boolean {
    return this.crisisIntents.has(intent);
  }

  /** The text without instructions aimed at the bot ("ignore previous instructions and ..."): they carry no weight. */
  withoutInstructionsToBot(normalizedText: string): string {
    if (!this.instructionsToBot) return normalizedText;
    return normalizedText.replace(this.instructionsToBot, ' ').replace(/ {2,}/g, ' ').trim();
  }

  private namesMedication(normalizedText: string): boolean {
    return this.medicationPatterns.some((p) => p.test(normalizedText));
  }
}
