import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTRACT_INTENTS } from '../../src/content/contract.js';
import { loadContent } from '../../src/content/load.js';
import { ContentError } from '../../src/content/yamlFile.js';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';

const copies: string[] = [];

/** A copy of the project's content that a test may break. */
function contentCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'content-'));
  copies.push(root);
  for (const folder of ['intents', 'responses', 'knowledge']) cpSync(join(PROJECT_ROOT, folder), join(root, folder), { recursive: true });
  return root;
}

function edit(root: string, file: string, change: (text: string) => string): void {
  const path = join(root, file);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

function problemsOf(root: string): string[] {
  try {
    loadContent(root);
  } catch (error) {
    if (error instanceof ContentError) return [...error.problems];
    throw error;
  }
  return [];
}

function lineOf(root: string, file: string, needle: string): number {
  return (
    readFileSync(join(root, file), 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(needle)) + 1
  );
}

afterEach(() => {
  for (const root of copies.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('content loading', () => {
  it('loads the project content with every contract intent and a response for each', () => {
    const content = loadContent(PROJECT_ROOT);
    const ids = new Set(content.intents.map((i) => i.id));
    for (const id of Object.keys(CONTRACT_INTENTS)) {
      expect(ids.has(id), id).toBe(true);
      expect(content.responses.has(id), id).toBe(true);
    }
    expect(content.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('names file and line of an utterance repeated in another intent', () => {
    const root = contentCopy();
    const first = loadContent(root).intents[0]!;
    const repeated = first.utterances[0]!;
    edit(root, 'intents/smalltalk.intents.yaml', (text) => text.replace(/utterances:\n/, `utterances:\n      - "${repeated.toUpperCase()}!"\n`));
    const line = lineOf(root, 'intents/smalltalk.intents.yaml', `${repeated.toUpperCase()}!`);
    expect(problemsOf(root)).toContainEqual(expect.stringMatching(new RegExp(`^intents/smalltalk\\.intents\\.yaml:${line}: duplicate utterance`)));
  });

  it('names file and line of an unknown sentence id and of a schema error', () => {
    const root = contentCopy();
    edit(root, 'responses/document.responses.yaml', (text) => text.replace(/sources: \[p1s1/, 'sources: [p9s9'));
    edit(root, 'responses/system.yaml', (text) => text.replace(/^starters:/m, 'extra_key: 1\nstarters:'));
    const problems = problemsOf(root);
    const sourceLine = lineOf(root, 'responses/document.responses.yaml', 'p9s9');
    expect(problems).toContainEqual(`responses/document.responses.yaml:${sourceLine}: unknown sentence id p9s9`);
    expect(problems).toContainEqual(expect.stringMatching(/^responses\/system\.yaml:\d+: .*extra_key/));
  });

  it('reports a missing response, a contract intent removed, and a broken safety pattern', () => {
    const root = contentCopy();
    edit(root, 'responses/smalltalk.responses.yaml', (text) => text.replace(/intent: smalltalk\.goodbye/, 'intent: smalltalk.farewell'));
    edit(root, 'intents/safety-rules.yaml', (text) => text.replace(/^about_medication:\n/m, "about_medication:\n  - '(unclosed'\n"));
    const problems = problemsOf(root);
    expect(problems).toContainEqual('responses/:1: intent smalltalk.goodbye has no response');
    expect(problems).toContainEqual(expect.stringMatching(/^responses\/smalltalk\.responses\.yaml:\d+: response for unknown intent smalltalk\.farewell/));
    expect(problems).toContainEqual(expect.stringMatching(/^intents\/safety-rules\.yaml:\d+: Invalid regular expression/));
  });

  it('reports small-talk words given to an intent that is not small talk, with its line', () => {
    const root = contentCopy();
    edit(root, 'intents/lexicon.yaml', (text) => text.replace('  - intent: smalltalk.thanks\n', '  - intent: safety.self_harm\n'));
    const lines = readFileSync(join(root, 'intents/lexicon.yaml'), 'utf8').split('\n');
    const line = lines.indexOf('  - intent: safety.self_harm') + 1;
    expect(problemsOf(root)).toContainEqual(`intents/lexicon.yaml:${line}: smalltalk_words intent safety.self_harm is not a small-talk intent`);
  });

  it('reports YAML syntax errors with their line', () => {
    const root = contentCopy();
    edit(root, 'intents/lexicon.yaml', (text) => `${text}\n  - [unbalanced\n`);
    expect(problemsOf(root)).toContainEqual(expect.stringMatching(/^intents\/lexicon\.yaml:\d+: /));
  });

  it('changes the content version when content changes', () => {
    const root = contentCopy();
    const before = loadContent(root).version;
    edit(root, 'responses/document.responses.yaml', (text) => text.replace('The document', 'The article'));
    expect(loadContent(root).version).not.toBe(before);
  });
});
