/**
 * Grounding is checked, not trusted: every medically meaningful term or number in a reply
 * must stand in the sentences it cites. The term list deliberately includes many terms the
 * document never uses, so an invented fact is caught.
 */
import { describe, expect, it } from 'vitest';
import { CONTRACT_INTENTS } from '../../src/content/contract.js';
import { projectEngine } from '../support/engine.js';

const MEDICAL_TERMS = [
  // drugs and classes
  'clonazepam',
  'benzodiazepine',
  'anxiolytic',
  'klonopin',
  'rivotril',
  'alprazolam',
  'xanax',
  'lorazepam',
  'diazepam',
  'valium',
  'ssri',
  'antidepressant',
  'opioid',
  'barbiturate',
  'antiepileptic',
  'anticonvulsant',
  'sedative',
  'hypnotic',
  'muscle relaxant',
  'placebo',
  // receptors, ions, cells, chemistry
  'gaba',
  'gaba-a',
  'gabaergic',
  'receptor',
  'subunit',
  'ligand-gated',
  'ion channel',
  'chloride',
  'sodium',
  'potassium',
  'calcium',
  'neuron',
  'neurotransmitter',
  'neurotransmission',
  'glutamate',
  'serotonin',
  'dopamine',
  'norepinephrine',
  'hyperpolarization',
  'depolarization',
  'synapse',
  'enzyme',
  'metabolite',
  // brain regions and systems
  'limbic system',
  'central nervous system',
  'cns',
  'amygdala',
  'hippocampus',
  'cortex',
  'brainstem',
  'cerebellum',
  'bloodstream',
  'liver',
  'kidney',
  // conditions and symptoms
  'anxiety disorder',
  'panic',
  'seizure',
  'epilepsy',
  'insomnia',
  'depression',
  'sedation',
  'dizziness',
  'cognitive impairment',
  'drowsiness',
  'memory',
  'confusion',
  'coordination',
  'fatigue',
  'respiratory',
  'breathing',
  'rebound anxiety',
  'tolerance',
  'withdrawal',
  'tapering',
  'accumulation',
  'substance abuse',
  'overdose',
  'coma',
  'death',
  'suicidal',
  'hallucination',
  'tremor',
  'nausea',
  'headache',
  // pharmacokinetics, doses and frequencies
  'half-life',
  'pharmacokinetics',
  'pharmacological',
  'once or twice-daily',
  'twice-daily',
  'once daily',
  'three times',
  'hours',
  'days',
  'weeks',
  'mg',
  'milligram',
  'microgram',
  'dose',
  'dosing',
];

/** Spec-named guidance that safety replies may add without a source. */
const SAFETY_GUIDANCE = ['clonazepam', 'emergency', 'crisis', 'poison', 'pharmacist', 'prescriber', 'doctor', 'clinician', 'drowsiness', 'breathing'];
const SAFETY_TOPICS: Readonly<Record<string, readonly string[]>> = {
  'safety.overdose_emergency': ['overdose'],
  'safety.interactions': ['opioid', 'alcohol'],
  'safety.pregnancy': ['pregnancy', 'breastfeeding'],
  'scope.other_drug': ['alprazolam', 'xanax', 'sertraline'],
  'safety.personal_dosing': ['dose', 'dosing'],
};

function fold(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/\u00a0/g, ' ')
    .replace(/[-\u2010-\u2015]/g, ' ')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')} `;
}

/** Whole-word presence, allowing a plural or -ic/-al ending ("benzodiazepines", "receptors"). */
function mentions(foldedText: string, term: string): boolean {
  const word = fold(term).trim().replace(/ /g, ' ');
  return new RegExp(` ${word}(?:s|es|ic|al)? `).test(foldedText);
}

function ungroundedTerms(text: string, cited: string, allowed: readonly string[] = []): string[] {
  const answer = fold(text.replace(/\{\{[A-Z_]+\}\}/g, ' '));
  const sources = fold(cited);
  const terms = MEDICAL_TERMS.filter((term) => mentions(answer, term) && !mentions(sources, term) && !allowed.some((a) => term.includes(a)));
  const numbers = (answer.match(/\b\d+(?:mg)?\b/g) ?? []).filter((n) => !sources.includes(` ${n} `) && !sources.includes(`${n} `));
  return [...terms, ...numbers];
}

const { content } = projectEngine();
const sentenceText = new Map(content.sentences.map((s) => [s.id, s.text]));
const citedText = (sources: readonly string[]) => sources.map((id) => sentenceText.get(id) ?? '').join(' ');

describe('grounding', () => {
  it('catches an invented fact (the checker itself can fail)', () => {
    const p2s6 = citedText(['p2s6']);
    expect(ungroundedTerms('It is also used for seizures and lasts 30 hours.', p2s6)).toEqual(['seizure', 'hours', '30']);
    expect(ungroundedTerms('Its long half-life allows once or twice-daily dosing.', p2s6)).toEqual([]);
  });

  for (const response of content.responses.values()) {
    const contract = CONTRACT_INTENTS[response.intent];
    if (contract?.kind === 'answer') {
      it(`${response.intent} cites a required sentence and states nothing its sources do not`, () => {
        expect(response.sources.some((id) => contract.cites.includes(id))).toBe(true);
        expect(ungroundedTerms(response.text, citedText(response.sources))).toEqual([]);
      });
    } else if (contract?.kind === 'safety') {
      it(`${response.intent} adds only the fixed safety guidance to what it cites`, () => {
        const allowed = [...SAFETY_GUIDANCE, ...(SAFETY_TOPICS[response.intent] ?? [])];
        expect(ungroundedTerms(response.text, citedText(response.sources), allowed)).toEqual([]);
      });
    }
  }
});
