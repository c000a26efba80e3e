/** The safety rule layer: the literal prefilter may only skip patterns that cannot match. */
import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../src/content/patterns.js';
import { requiredLiterals } from '../../src/engine/literals.js';
import { LiteralPrefilter } from '../../src/engine/prefilter.js';
import { safetyContentOf } from '../../src/engine/engine.js';
import { SafetyRules } from '../../src/engine/safety.js';
import { projectEngine, testData, type Crisis, type Heldout, type Offtopic } from '../support/engine.js';

const { content, engine } = projectEngine();
const normalize = (text: string) => engine.model.normalizer.normalize(text);

const safetyContent = safetyContentOf(content);

const compiled = content.rules.map((rule) => ({
  intent: rule.intent,
  patterns: rule.patterns.map((p) => compilePattern(p, content.lexicon.lists)),
  unless: rule.unless.map((p) => compilePattern(p, content.lexicon.lists)),
}));

/** The rules as written, every pattern run: what the prefiltered rules must agree with. */
function unfilteredMatch(rules: SafetyRules, text: string): string | null {
  const rule = compiled.find((r) => r.patterns.some((p) => p.test(text)) && !r.unless.some((p) => p.test(text)) && rules.appliesTo(r.intent, text, true));
  return rule?.intent ?? null;
}

describe('required literals', () => {
  it('finds the strings every match must contain, as a conjunction of alternatives', () => {
    expect(requiredLiterals('\\bhow (much|many) (?:clonazepam )?should i take\\b')).toEqual([['how '], ['much', 'many'], [' '], ['should i take']]);
    expect(requiredLiterals('\\b(?:took|taken) the whole bottle')).toEqual([['took', 'taken'], [' the whole bottle']]);
    expect(requiredLiterals('^(?=.*\\bpills\\b)(?!.*\\bvitamin\\b)')).toEqual([['pills']]);
    expect(requiredLiterals('a?b*|c')).toEqual([]);
  });

  it('marks a pattern possible only when every required set is present', () => {
    const prefilter = new LiteralPrefilter([[['whole bottle']], [['od'], ['took', 'taken']], []]);
    expect(prefilter.candidates('i took the whole bottle')).toEqual([0, 2]);
    expect(prefilter.candidates('someone od and took it')).toEqual([1, 2]);
    expect(prefilter.candidates('odd but not taken')).toEqual([1, 2]);
    expect(prefilter.candidates('nothing here')).toEqual([2]);
  });

  it('finds literals inside others and after a false start, as an Aho-Corasick automaton must', () => {
    const prefilter = new LiteralPrefilter([[['she took']], [['took']], [['ook a']], [['abcd']], [['bce']], [['x1 ']]]);
    expect(prefilter.candidates('she took a')).toEqual([0, 1, 2]);
    expect(prefilter.candidates('abce')).toEqual([4]);
    expect(prefilter.candidates('abcabcd x1 ')).toEqual([3, 5]);
    expect(prefilter.candidates('é took')).toEqual([1]);
  });
});

describe('safety rules with the prefilter', () => {
  const heldout = testData<Heldout>('heldout.yaml').questions.flatMap((q) => q.asks);
  const crisis = testData<Crisis>('crisis.yaml');
  const texts = [...content.intents.flatMap((i) => i.utterances), ...heldout, ...crisis.overdose, ...crisis.self_harm, ...testData<Offtopic>('offtopic.yaml').questions].map(
    normalize,
  );

  it('decide exactly as running every pattern would, on 2,000+ texts', () => {
    const rules = new SafetyRules(safetyContent);
    const disagreements = texts.filter((text) => rules.match(text, true) !== unfilteredMatch(rules, text));
    expect(texts.length).toBeGreaterThan(2000);
    expect(disagreements).toEqual([]);
  });

  it('hold medication-only rules back for messages about other things', () => {
    const rules = new SafetyRules(safetyContent);
    expect(rules.match(normalize('where can i buy cheap running shoes'), false)).toBeNull();
    expect(rules.match(normalize('where can i buy klonopin cheap'), false)).toBe('safety.acquire_without_prescription');
    expect(rules.match(normalize('i took the whole bottle'), false)).toBe('safety.overdose_emergency');
  });
});
