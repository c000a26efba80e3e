/** The crisis intents, apart from load.ts: a start from the engine cache then loads neither YAML nor the content schemas. */
import type { SafetyRule } from './load.js';

/** The intents of the crisis rules (self-harm, overdose): the rules that apply to every message, not only to those about medicine. */
export function crisisIntentIds(content: { rules: readonly SafetyRule[] }): Set<string> {
  return new Set(content.rules.filter((r) => !r.onlyAboutMedication).map((r) => r.intent));
}
