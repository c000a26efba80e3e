import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitDocument } from '../../src/content/document.js';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';

const sentences = splitDocument(readFileSync(join(PROJECT_ROOT, 'knowledge', 'clonazepam.txt'), 'utf8'));
const byId = new Map(sentences.map((s) => [s.id, s.text]));

describe('the source document', () => {
  it('splits into the 22 sentences of the contract, p1s1 to p3s7', () => {
    expect(sentences).toHaveLength(22);
    expect(sentences.map((s) => s.id)).toEqual([
      ...Array.from({ length: 7 }, (_, i) => `p1s${i + 1}`),
      ...Array.from({ length: 8 }, (_, i) => `p2s${i + 1}`),
      ...Array.from({ length: 7 }, (_, i) => `p3s${i + 1}`),
    ]);
  });

  it('pins sentence ids to their text', () => {
    expect(byId.get('p1s1')).toMatch(/^Clonazepam, a member of the benzodiazepine class of drugs,.*anxiety disorders\.$/);
    expect(byId.get('p2s6')).toBe('With a relatively long half-life, Clonazepam provides sustained relief, allowing for once or twice-daily dosing.');
    expect(byId.get('p3s3')).toMatch(/^Moreover, abrupt discontinuation may result in withdrawal symptoms/);
    expect(byId.get('p3s7')).toMatch(/individual patient characteristics and medical history\.$/);
  });

  it('keeps the no-break space of p2s1 verbatim', () => {
    expect(byId.get('p2s1')!.startsWith('Essentially,\u00a0Generic Clonazepam 2mg')).toBe(true);
  });

  it('treats Windows line endings the same', () => {
    const text = readFileSync(join(PROJECT_ROOT, 'knowledge', 'clonazepam.txt'), 'utf8').replace(/\n/g, '\r\n');
    expect(splitDocument(text).map((s) => s.text)).toEqual(sentences.map((s) => s.text));
  });
});
