/** The rule layer: ordered patterns over the normalised text, checked before any classifier. */
import { compilePattern, expandLists } from '../content/patterns.js';
import type { SafetyRule } from '../content/load.js';
import { LiteralPrefilter, requiredLiterals } from './literals.js';

/** A pattern and its index in the prefilter. */
interface Pattern {
  regexp: RegExp;
  id: number;
}

interface CompiledRule {
  intent: string;
  patterns: Pattern[];
  unless: RegExp[];
  onlyAboutMedication: boolean;
}

export class SafetyRules {
  private readonly rules: CompiledRule[];
  private readonly medicationPatterns: RegExp[];
  private readonly medicationOnlyIntents: ReadonlySet<string>;
  private readonly prefilter: LiteralPrefilter;

  constructor(rules: readonly SafetyRule[], aboutMedication: readonly string[], lists: Readonly<Record<string, readonly string[]>>) {
    const compile = (pattern: string) => compilePattern(pattern, lists);
    this.medicationPatterns = aboutMedication.map(compile);
    this.medicationOnlyIntents = new Set(rules.filter((r) => r.onlyAboutMedication).map((r) => r.intent));
    const sources: string[] = [];
    const indexed = (pattern: string): Pattern => ({ regexp: compile(pattern), id: sources.push(pattern) - 1 });
    this.rules = rules.map((rule) => ({
      ...rule,
      patterns: rule.patterns.map(indexed),
      unless: rule.unless.map(compile),
    }));
    this.prefilter = new LiteralPrefilter(sources.map((pattern) => requiredLiterals(expandLists(pattern, lists, 'plain'))));
  }

  /**
   * The safety intent of the first rule that matches, or null. A rule marked only_about_medication
   * needs a medicine named, or `inScope`: nothing in the message outside the assistant's topics.
   */
  match(normalizedText: string, inScope: boolean): string | null {
    const possible = this.prefilter.candidates(normalizedText);
    for (const rule of this.rules) {
      const matched = rule.patterns.some((p) => possible[p.id] === 1 && p.regexp.test(normalizedText));
      if (!matched || rule.unless.some((p) => p.test(normalizedText))) continue;
      if (this.appliesTo(rule.intent, normalizedText, inScope)) return rule.intent;
    }
    return null;
  }

  /**
   * Whether a safety intent may answer this message: the classifier's safety intents, a second
   * net behind the rules, are held to the same only_about_medication condition as the rules.
   */
  appliesTo(intent: string, normalizedText: string, inScope: boolean): boolean {
    return !this.medicationOnlyIntents.has(intent) || inScope || this.namesMedication(normalizedText);
  }

  private namesMedication(normalizedText: string): boolean {
    return this.medicationPatterns.some((p) => p.test(normalizedText));
  }
}
