import { describe, expect, it } from 'vitest';
import { Normalizer } from '../../src/language/normalize.js';
import { SpellingCorrector } from '../../src/language/spelling.js';

const normalizer = new Normalizer({ klonopin: 'clonazepam', 'k pins': 'clonazepam', benzos: 'benzodiazepine' });

describe('normalisation', () => {
  it('folds Unicode, case, curly quotes and contractions', () => {
    expect(normalizer.normalize('I DON\u2019T want to wake up')).toBe('i do not want to wake up');
    expect(normalizer.normalize("What's it for? I'm asking, can't sleep")).toBe('what is it for i am asking cannot sleep');
    expect(normalizer.normalize('ｋｌｏｎｏｐｉｎ')).toBe('clonazepam');
  });

  it('expands contractions typed without an apostrophe', () => {
    expect(normalizer.normalize('dont stop it suddenly, whats the risk')).toBe('do not stop it suddenly what is the risk');
  });

  it('replaces brand names and multi-word synonyms as whole words', () => {
    expect(normalizer.normalize('Are k-pins and Klonopin benzos?')).toBe('are clonazepam and clonazepam benzodiazepine');
    expect(normalizer.normalize('klonopinsomething')).toBe('klonopinsomething');
  });

  it('drops punctuation, emoji and control characters', () => {
    expect(normalizer.normalize('\u0000half\u0007-life?? 🙂🙂')).toBe('half life');
    expect(normalizer.tokens('   ')).toEqual([]);
  });
});

describe('spelling tolerance', () => {
  const speller = new SpellingCorrector(
    new Map([
      ['withdrawal', 5],
      ['clonazepam', 9],
      ['tolerance', 3],
      ['dose', 4],
      ['does', 8],
    ]),
  );

  it('corrects typos of known words within an edit budget that grows with length', () => {
    expect(speller.correct('withdrawl')).toBe('withdrawal');
    expect(speller.correct('tolerence')).toBe('tolerance');
    expect(speller.correct('clonazpeam')).toBe('clonazepam');
  });

  it('leaves known, short, numeric and far-off words alone', () => {
    expect(speller.correct('dose')).toBeNull();
    expect(speller.correct('dos')).toBeNull();
    expect(speller.correct('2mg')).toBeNull();
    expect(speller.correct('weather')).toBeNull();
  });
});
