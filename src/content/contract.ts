/** The public contract of ../shared/content-spec.md: intent ids, their kinds and required citations. */
/**
 * `gap`: a question on the medicine that the document does not answer, answered with a specific
 * fallback (kind `fallback` with the intent id). `none` marks training data for what is out of
 * scope: it is answered with the generic fallback.
 */
export type IntentKind = 'answer' | 'safety' | 'smalltalk' | 'gap' | 'none';

export interface ContractIntent {
  kind: IntentKind;
  /** For kind answer: the sentences an answer must cite at least one of. */
  cites: readonly string[];
}

const answer = (...cites: string[]): ContractIntent => ({ kind: 'answer', cites });
const safety: ContractIntent = { kind: 'safety', cites: [] };
const smalltalk: ContractIntent = { kind: 'smalltalk', cites: [] };
const gap: ContractIntent = { kind: 'gap', cites: [] };

export const CONTRACT_INTENTS: Readonly<Record<string, ContractIntent>> = {
  'about.what_is': answer('p1s1'),
  'about.drug_class': answer('p1s1', 'p3s4', 'p3s5'),
  'about.uses': answer('p1s1', 'p2s5', 'p3s5'),
  'about.generic_2mg': answer('p1s2', 'p2s1', 'p3s5'),
  'about.effectiveness': answer('p2s2', 'p2s4', 'p2s6', 'p3s5'),
  'mechanism.overview': answer('p1s2', 'p1s6', 'p2s1', 'p3s6'),
  'mechanism.gaba': answer('p1s2', 'p2s1'),
  'mechanism.receptor': answer('p1s4', 'p1s5'),
  'mechanism.chloride': answer('p1s6', 'p1s7'),
  'mechanism.limbic_system': answer('p2s2', 'p2s3', 'p2s4'),
  'mechanism.balance': answer('p2s4', 'p3s6'),
  'anxiety.neurochemistry': answer('p1s3', 'p2s3'),
  'pharmacokinetics.half_life': answer('p2s6'),
  'pharmacokinetics.dosing_frequency': answer('p2s6'),
  'pharmacokinetics.stable_levels': answer('p2s7'),
  'pharmacokinetics.accumulation': answer('p2s8'),
  'risks.tolerance': answer('p3s2'),
  'risks.withdrawal': answer('p2s8', 'p3s3'),
  'risks.tapering': answer('p3s3'),
  'risks.side_effects': answer('p3s4'),
  'risks.cautions': answer('p3s4', 'p3s7'),
  'risks.dependence': answer('p3s2', 'p3s3', 'p3s4'),
  'overview.benefits_and_risks': answer('p3s1', 'p3s5', 'p3s7'),
  'safety.overdose_emergency': safety,
  'safety.self_harm': safety,
  'safety.personal_dosing': safety,
  'safety.acquire_without_prescription': safety,
  'safety.interactions': safety,
  'safety.pregnancy': safety,
  'safety.diagnosis': safety,
  'scope.other_drug': safety,
  'smalltalk.greeting': smalltalk,
  'smalltalk.thanks': smalltalk,
  'smalltalk.goodbye': smalltalk,
  'smalltalk.help': smalltalk,
  'smalltalk.identity': smalltalk,
  'smalltalk.source': smalltalk,
  'gap.appearance': gap,
  'gap.storage': gap,
  'gap.ingredients': gap,
  'gap.onset': gap,
  'gap.legal': gap,
  'gap.drug_test': gap,
  'gap.cost': gap,
};

export const SENTENCE_COUNTS_PER_PARAGRAPH = [7, 8, 7] as const;
