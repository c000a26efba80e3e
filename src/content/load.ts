/** Loads and cross-checks all content: the document, intents, responses, safety rules and lexicon. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_INTENTS, SENTENCE_COUNTS_PER_PARAGRAPH, type IntentKind } from './contract.js';
import { splitDocument, type Sentence } from './document.js';
import { contentFingerprint, DOCUMENT_FILE } from './fingerprint.js';
import { compilePattern } from './patterns.js';
import {
  intentsFileSchema,
  lexiconFileSchema,
  responsesFileSchema,
  safetyRulesFileSchema,
  systemFileSchema,
  type IntentsFile,
  type LexiconFile,
  type ResponsesFile,
  type SafetyRulesFile,
  type SystemFile,
} from './schema.js';
import type { z } from 'zod';
import { ContentError, readYamlFile, type LocatedFile } from './yamlFile.js';

export interface IntentDefinition {
  id: string;
  kind: IntentKind;
  utterances: string[];
}

export interface ResponseDefinition {
  intent: string;
  label: string;
  text: string;
  sources: string[];
  followups: string[];
}

export interface SafetyRule {
  intent: string;
  patterns: string[];
  unless: string[];
  /** Applies only to messages about medicine, so "where can I buy cheap shoes" is not a safety case. */
  onlyAboutMedication: boolean;
}

export interface Content {
  sentences: Sentence[];
  intents: IntentDefinition[];
  responses: ReadonlyMap<string, ResponseDefinition>;
  system: SystemFile;
  rules: SafetyRule[];
  /** Patterns that show a message is about medicine (for rules marked only_about_medication). */
  aboutMedication: string[];
  /** Patterns that show a message may be about a crisis: without one, the classifier's crisis intents do not answer. */
  crisisEvidence: string[];
  /** Patterns of instructions aimed at the bot ("ignore previous instructions"): removed, the rest decides. */
  instructionsToBot: string[];
  lexicon: LexiconFile;
  /** A short hash of every content file: changes whenever the content does. */
  version: string;
}

/** Loads content from a project root; throws ContentError listing every problem as file:line. */
export function loadContent(root: string): Content {
  const problems: string[] = [];
  const read = <S extends z.ZodType>(relative: string, schema: S) => readYamlFile(relative, schema, problems, root);
  const documentText = readFileSync(join(root, DOCUMENT_FILE), 'utf8');
  const sentences = splitDocument(documentText);
  checkSentenceCounts(sentences, problems);

  const intentFiles = yamlFilesIn(root, 'intents', '.intents.yaml').map((f) => read(f, intentsFileSchema));
  const responseFiles = yamlFilesIn(root, 'responses', '.responses.yaml').map((f) => read(f, responsesFileSchema));
  const system = read('responses/system.yaml', systemFileSchema);
  const rules = read('intents/safety-rules.yaml', safetyRulesFileSchema);
  const lexicon = read('intents/lexicon.yaml', lexiconFileSchema);

  // Cross-checks run on whatever parsed, so one run reports every problem it can.
  const intents = collectIntents(intentFiles, problems);
  const responses = collectResponses(responseFiles, problems);
  const sentenceIds = new Set(sentences.map((s) => s.id));
  const intentKinds = new Map(intents.map((i) => [i.id, i.kind]));
  checkContract(intentKinds, problems);
  checkResponses(responseFiles, intentKinds, sentenceIds, problems);
  if (system) checkSystem(system, intentKinds, problems);
  if (rules && lexicon) checkRules(rules, lexicon.data, intentKinds, problems);
  if (lexicon) checkAnchors(lexicon, problems);
  if (lexicon) checkSmallTalkWords(lexicon, intentKinds, problems);
  if (problems.length > 0 || !system || !rules || !lexicon) throw new ContentError(problems);

  return {
    sentences,
    intents,
    responses,
    system: system.data,
    rules: rules.data.rules.map((r) => ({
      intent: r.intent,
      patterns: r.patterns,
      unless: r.unless ?? [],
      onlyAboutMedication: r.only_about_medication ?? false,
    })),
    aboutMedication: rules.data.about_medication,
    crisisEvidence: rules.data.crisis_evidence,
    instructionsToBot: rules.data.instructions_to_bot ?? [],
    lexicon: lexicon.data,
    version: contentFingerprint(root),
  };
}

function yamlFilesIn(root: string, folder: string, suffix: string): string[] {
  return readdirSync(join(root, folder))
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => `${folder}/${name}`);
}

function checkSentenceCounts(sentences: Sentence[], problems: string[]): void {
  SENTENCE_COUNTS_PER_PARAGRAPH.forEach((expected, index) => {
    const found = sentences.filter((s) => s.paragraph === index + 1).length;
    if (found !== expected) problems.push(`${DOCUMENT_FILE}:1: paragraph ${index + 1} has ${found} sentences, the contract fixes ${expected}`);
  });
}

/** Folds case, punctuation and spacing, so near-identical utterances count as duplicates. */
export function foldUtterance(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function collectIntents(files: (LocatedFile<IntentsFile> | null)[], problems: string[]): IntentDefinition[] {
  const seenIds = new Map<string, string>();
  const seenUtterances = new Map<string, string>();
  const intents: IntentDefinition[] = [];
  for (const file of files) {
    if (!file) continue;
    file.data.intents.forEach((intent, i) => {
      const where = `${file.file}:${file.lineOf(['intents', i, 'id'])}`;
      const earlier = seenIds.get(intent.id);
      if (earlier) problems.push(`${where}: intent ${intent.id} is already defined at ${earlier}`);
      seenIds.set(intent.id, where);
      intent.utterances.forEach((utterance, u) => {
        const key = foldUtterance(utterance);
        const line = `${file.file}:${file.lineOf(['intents', i, 'utterances', u])}`;
        const first = seenUtterances.get(key);
        if (first) problems.push(`${line}: duplicate utterance "${utterance}" (first at ${first})`);
        else seenUtterances.set(key, `${line} (${intent.id})`);
      });
      intents.push(intent);
    });
  }
  return intents;
}

function collectResponses(files: (LocatedFile<ResponsesFile> | null)[], problems: string[]): Map<string, ResponseDefinition> {
  const responses = new Map<string, ResponseDefinition>();
  const labels = new Map<string, string>();
  for (const file of files) {
    if (!file) continue;
    file.data.responses.forEach((response, i) => {
      const where = `${file.file}:${file.lineOf(['responses', i, 'intent'])}`;
      if (responses.has(response.intent)) problems.push(`${where}: a second response for ${response.intent}`);
      const label = foldUtterance(response.label);
      const labelOwner = labels.get(label);
      if (labelOwner) problems.push(`${file.file}:${file.lineOf(['responses', i, 'label'])}: label "${response.label}" is already used by ${labelOwner}`);
      labels.set(label, response.intent);
      responses.set(response.intent, response);
    });
  }
  return responses;
}

function checkContract(intentKinds: ReadonlyMap<string, IntentKind>, problems: string[]): void {
  for (const [id, contract] of Object.entries(CONTRACT_INTENTS)) {
    const kind = intentKinds.get(id);
    if (!kind) problems.push(`intents/:1: the contract requires intent ${id}, which no intents file defines`);
    else if (kind !== contract.kind) problems.push(`intents/:1: intent ${id} must be of kind ${contract.kind}, not ${kind}`);
  }
}

function checkResponses(files: (LocatedFile<ResponsesFile> | null)[], intentKinds: ReadonlyMap<string, IntentKind>, sentenceIds: ReadonlySet<string>, problems: string[]): void {
  const answered = new Set<string>();
  for (const file of files) {
    if (!file) continue;
    file.data.responses.forEach((response, i) => {
      const at = (...path: (string | number)[]) => `${file.file}:${file.lineOf(['responses', i, ...path])}`;
      answered.add(response.intent);
      const kind = intentKinds.get(response.intent);
      if (!kind) problems.push(`${at('intent')}: response for unknown intent ${response.intent}`);
      response.sources.forEach((id, s) => {
        if (!sentenceIds.has(id)) problems.push(`${at('sources', s)}: unknown sentence id ${id}`);
      });
      response.followups.forEach((id, f) => {
        if (!isAnswerable(intentKinds, id)) problems.push(`${at('followups', f)}: unknown follow-up intent ${id}`);
        if (id === response.intent) problems.push(`${at('followups', f)}: an intent cannot follow itself`);
      });
      if (kind === 'answer') checkAnswerSources(response, at('sources'), problems);
      if (kind === 'gap' && response.sources.length > 0) problems.push(`${at('sources')}: ${response.intent} is a known gap: the document says nothing on it to cite`);
    });
  }
  for (const [id, kind] of intentKinds) {
    if (kind === 'none' && answered.has(id)) problems.push(`responses/:1: intent ${id} is of kind none: it is answered by the fallback, not a response`);
    if (kind !== 'none' && !answered.has(id)) problems.push(`responses/:1: intent ${id} has no response`);
  }
}

function isAnswerable(intentKinds: ReadonlyMap<string, IntentKind>, id: string): boolean {
  const kind = intentKinds.get(id);
  return kind !== undefined && kind !== 'none';
}

function checkAnswerSources(response: ResponseDefinition, where: string, problems: string[]): void {
  if (response.sources.length === 0) {
    problems.push(`${where}: an answer of ${response.intent} needs sources`);
    return;
  }
  const required = CONTRACT_INTENTS[response.intent]?.cites ?? [];
  if (required.length > 0 && !response.sources.some((id) => required.includes(id))) {
    problems.push(`${where}: ${response.intent} must cite at least one of ${required.join(', ')}`);
  }
}

function checkSystem(system: LocatedFile<SystemFile>, intentKinds: ReadonlyMap<string, IntentKind>, problems: string[]): void {
  system.data.starters.forEach((id, i) => {
    if (!isAnswerable(intentKinds, id)) problems.push(`${system.file}:${system.lineOf(['starters', i])}: unknown starter intent ${id}`);
  });
  for (const [command, id] of Object.entries(system.data.commands)) {
    if (!isAnswerable(intentKinds, id)) problems.push(`${system.file}:${system.lineOf(['commands', command])}: unknown intent ${id} for command "${command}"`);
  }
}

function checkRules(rules: LocatedFile<SafetyRulesFile>, lexicon: LexiconFile, intentKinds: ReadonlyMap<string, IntentKind>, problems: string[]): void {
  const compiles = (pattern: string, path: (string | number)[]) => {
    try {
      compilePattern(pattern, lexicon.lists);
    } catch (error) {
      problems.push(`${rules.file}:${rules.lineOf(path)}: ${(error as Error).message}`);
    }
  };
  for (const key of ['about_medication', 'crisis_evidence', 'instructions_to_bot'] as const) {
    (rules.data[key] ?? []).forEach((pattern, p) => compiles(pattern, [key, p]));
  }
  rules.data.rules.forEach((rule, r) => {
    if (intentKinds.get(rule.intent) !== 'safety') {
      problems.push(`${rules.file}:${rules.lineOf(['rules', r, 'intent'])}: rule intent ${rule.intent} is not a safety intent`);
    }
    for (const key of ['patterns', 'unless'] as const) {
      (rule[key] ?? []).forEach((pattern, p) => compiles(pattern, ['rules', r, key, p]));
    }
  });
}

function checkSmallTalkWords(lexicon: LocatedFile<LexiconFile>, intentKinds: ReadonlyMap<string, IntentKind>, problems: string[]): void {
  lexicon.data.smalltalk_words.forEach(({ intent }, i) => {
    if (intentKinds.get(intent) !== 'smalltalk') {
      problems.push(`${lexicon.file}:${lexicon.lineOf(['smalltalk_words', i, 'intent'])}: smalltalk_words intent ${intent} is not a small-talk intent`);
    }
  });
}

function checkAnchors(lexicon: LocatedFile<LexiconFile>, problems: string[]): void {
  lexicon.data.topic_anchors.forEach((pattern, p) => {
    try {
      compilePattern(pattern, lexicon.data.lists);
    } catch (error) {
      problems.push(`${lexicon.file}:${lexicon.lineOf(['topic_anchors', p])}: ${(error as Error).message}`);
    }
  });
}
