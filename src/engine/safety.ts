/** The rule layer: ordered patterns over the normalised text, checked before any classifier. */
import { compilePattern } from '../content/patterns.js';
import type { SafetyRule } from '../content/load.js';
import { requiredLiterals } from './literals.js';

/** A pattern and the literals one of which any match contains (null: unknown, always run it). */
interface Pattern {
  regexp: RegExp;
  literals: string[] | null;
}

interface CompiledRule {
  intent: string;
  patterns: Pattern[];
  unless: RegExp[];
  onlyAboutMedication: boolean;
}

function compileChecked(pattern: string, lists: Readonly<Record<string, readonly string[]>>): Pattern {
  const regexp = compilePattern(pattern, lists);
  return { regexp, literals: requiredLiterals(regexp.source) };
}

function matches(pattern: Pattern, text: string): boolean {
  if (pattern.literals && !pattern.literals.some((literal) => text.includes(literal))) return false;
  return pattern.regexp.test(text);
}

export class SafetyRules {
  private readonly rules: CompiledRule[];
  private readonly medicationPatterns: RegExp[];
  private readonly medicationOnlyIntents: ReadonlySet<string>;

  constructor(rules: readonly SafetyRule[], aboutMedication: readonly string[], lists: Readonly<Record<string, readonly string[]>>) {
    const compile = (pattern: string) => compilePattern(pattern, lists);
    this.medicationPatterns = aboutMedication.map(compile);
    this.medicationOnlyIntents = new Set(rules.filter((r) => r.onlyAboutMedication).map((r) => r.intent));
    this.rules = rules.map((rule) => ({
      ...rule,
      patterns: rule.patterns.map((p) => compileChecked(p, lists)),
      unless: rule.unless.map(compile),
    }));
  }

  /**
   * The safety intent of the first rule that matches, or null. A rule marked only_about_medication
   * needs a medicine named, or `inScope()`: nothing in the message outside the assistant's topics.
   */
  match(normalizedText: string, inScope: () => boolean): string | null {
    for (const rule of this.rules) {
      if (!rule.patterns.some((p) => matches(p, normalizedText)) || rule.unless.some((p) => p.test(normalizedText))) continue;
      if (this.appliesTo(rule.intent, normalizedText, inScope)) return rule.intent;
    }
    return null;
  }

  /**
   * Whether a safety intent may answer this message: the classifier's safety intents, a second
   * net behind the rules, are held to the same only_about_medication condition as the rules.
   */
  appliesTo(intent: string, normalizedText: string, inScope: () => boolean): boolean {
    return !this.medicationOnlyIntents.has(intent) || this.namesMedication(normalizedText) || inScope();
  }

  private namesMedication(normalizedText: string): boolean {
    return this.medicationPatterns.some((p) => p.test(normalizedText));
  }
}
