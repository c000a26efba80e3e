/**
 * `npm run eval`: the blind test sets (dev and locked parts, aggregates only) and HWU64's
 * off-domain requests, next to NLP.js trained on the same utterances; then held-out accuracy,
 * per-intent precision/recall, confusion pairs and an HTML report in reports/.
 * `-- --misses` also lists the dev part's misses (never the locked part's); `-- --sweep` adds the
 * k-fold comparison of feature choices and answer thresholds (slow).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadContent, type Content } from '../src/content/load.js';
import { engineSettingsFrom } from '../src/content/settings.js';
import { createEngine, DEFAULT_TUNING, learnEngine, type Engine, type Tuning } from '../src/engine/engine.js';
import type { Answer, AnswerKind } from '../src/engine/types.js';
import { DEFAULT_MODEL_OPTIONS, type ModelOptions } from '../src/language/model.js';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';
import { accuracy, evaluationSets, isDocumentTopic, type Labelled } from './evaluation.js';
import { blindSet, type BlindItem } from './blindSets.js';
import { blindRows, devMisses, hwu64Requests, offDomain } from './blindEval.js';
import { trainNlpJs } from './nlpjs.js';
import { confusionReport } from './report.js';
import { verdict } from './verdict.js';

const FOLDS = 5;
const VARIANTS: ModelOptions[] = (['none', 'questions', 'all'] as const).flatMap((functionWords) =>
  (['none', 'content', 'all'] as const).flatMap((bigrams) =>
    [false, true].flatMap((rareWords) => [0.05, 0.1].map((smoothing) => ({ functionWords, bigrams, rareWords, smoothing }))),
  ),
);

const SWEEP: Partial<Tuning>[] = [0.4, 0.5].flatMap((answerThreshold) =>
  [0.2, 0.3].flatMap((answerFloor) =>
    [1.5, 2, 3].flatMap((answerMargin) =>
      [0.6, 0.7].flatMap((minCoverage) => [0.25, 0.35].map((clarifyThreshold) => ({ answerThreshold, answerFloor, answerMargin, minCoverage, clarifyThreshold }))),
    ),
  ),
);

const content = loadContent(PROJECT_ROOT);
const settings = engineSettingsFrom({});
const sets = evaluationSets();
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

interface FoldItem extends Labelled {
  /** What the engine should answer: the intent, or null (fallback) for out-of-scope utterances. */
  expected: string | null;
}

/** Every k-th utterance of each intent is held out in fold k. */
function fold(source: Content, k: number): { train: Content; test: FoldItem[] } {
  const test: FoldItem[] = [];
  const intents = source.intents.map((intent) => ({
    ...intent,
    utterances: intent.utterances.filter((utterance, i) => {
      if (i % FOLDS !== k) return true;
      test.push({ question: utterance, intent: intent.id, expected: intent.kind === 'none' ? null : intent.id });
      return false;
    }),
  }));
  return { train: { ...source, intents }, test };
}

/**
 * The answer thresholds, cross-validated: per fold, the engine trained on the other folds answers
 * the held-back utterances (in-scope ones should get their intent, out-of-scope ones the fallback).
 */
function sweepThresholds(): string[] {
  const totals = SWEEP.map(() => ({ inScope: { asked: 0, right: 0 }, outOfScope: { asked: 0, right: 0 } }));
  for (let k = 0; k < FOLDS; k++) {
    const { train, test } = fold(content, k);
    const learned = learnEngine(train);
    SWEEP.forEach((tuning, t) => {
      const engine = createEngine(train, settings, { tuning, learned });
      for (const item of test) {
        const tally = item.expected === null ? totals[t]!.outOfScope : totals[t]!.inScope;
        tally.asked++;
        if (verdict(engine.answer(item.question)) === item.expected) tally.right++;
      }
    });
  }
  const rows = SWEEP.map((tuning, t) => ({
    tuning,
    inScope: totals[t]!.inScope.right / totals[t]!.inScope.asked,
    outOfScope: totals[t]!.outOfScope.right / totals[t]!.outOfScope.asked,
  })).sort((a, b) => b.inScope + b.outOfScope - (a.inScope + a.outOfScope) || b.inScope - a.inScope);
  const isDefault = (tuning: Partial<Tuning>) => Object.entries(tuning).every(([key, value]) => DEFAULT_TUNING[key as keyof Tuning] === value);
  return [
    '| answer threshold | floor | margin | min coverage | clarify threshold | in-scope right (CV) | out-of-scope to fallback (CV) |',
    '|---|---|---|---|---|---|---|',
    ...rows
      .slice(0, 8)
      .map(
        ({ tuning, inScope, outOfScope }) =>
          `| ${tuning.answerThreshold} | ${tuning.answerFloor} | ${tuning.answerMargin} | ${tuning.minCoverage} | ` +
          `${tuning.clarifyThreshold}${isDefault(tuning) ? ' (default)' : ''} | ${percent(inScope)} | ${percent(outOfScope)} |`,
      ),
  ];
}

/** Top-1 intent of the classifier alone, rules and thresholds aside. */
function classifierIntent(engine: Engine, question: string): string {
  const analysis = engine.model.featurizer.analyze(question);
  return engine.model.classifier.rank(analysis.features, 1)[0]!.label;
}

function crossValidate(options: ModelOptions): number {
  let correct = 0;
  let total = 0;
  for (let k = 0; k < FOLDS; k++) {
    const { train, test } = fold(content, k);
    const engine = createEngine(train, settings, { model: options });
    correct += test.filter((item) => classifierIntent(engine, item.question) === item.intent).length;
    total += test.length;
  }
  return correct / total;
}

function compareVariants(): string[] {
  const rows = ['| function words | bigrams | rare words | smoothing | 5-fold CV (classifier) | held-out topics (engine) | off-topic fallback |', '|---|---|---|---|---|---|---|'];
  for (const options of VARIANTS) {
    const engine = createEngine(content, settings, { model: options });
    const predict = (q: string) => verdict(engine.answer(q));
    const chosen = JSON.stringify(options) === JSON.stringify(DEFAULT_MODEL_OPTIONS) ? ' (chosen)' : '';
    rows.push(
      `| ${options.functionWords} | ${options.bigrams} | ${options.rareWords} | ${options.smoothing}${chosen} | ${percent(crossValidate(options))} | ` +
        `${percent(
          accuracy(
            sets.heldout.filter((i) => isDocumentTopic(i.intent)),
            predict,
          ),
        )} | ${percent(accuracy(sets.offtopic, predict))} |`,
    );
  }
  return rows;
}

function perIntent(engine: Engine, items: Labelled[]): { rows: string[]; pairs: Map<string, number>; predictions: [string, string][] } {
  const predictions: [string, string][] = items.map((item) => {
    const answer = engine.answer(item.question);
    return [item.intent ?? 'fallback', answer.intent ?? answer.kind];
  });
  const labels = [...new Set(predictions.map(([expected]) => expected))].sort();
  const rows = ['| intent | precision | recall | n |', '|---|---|---|---|'];
  for (const label of labels) {
    const truePositive = predictions.filter(([e, p]) => e === label && p === label).length;
    const predicted = predictions.filter(([, p]) => p === label).length;
    const actual = predictions.filter(([e]) => e === label).length;
    rows.push(`| ${label} | ${predicted ? percent(truePositive / predicted) : '-'} | ${percent(truePositive / actual)} | ${actual} |`);
  }
  const pairs = new Map<string, number>();
  for (const [expected, predicted] of predictions) {
    if (expected !== predicted) pairs.set(`${expected} -> ${predicted}`, (pairs.get(`${expected} -> ${predicted}`) ?? 0) + 1);
  }
  return { rows, pairs, predictions };
}

/** NLP.js's intent per question, asked once each, as an engine-shaped answer (it has no safety rules, no gaps kind). */
async function nlpJsAnswers(questions: readonly string[]): Promise<(question: string) => Answer> {
  const classify = await trainNlpJs();
  const intents = new Map<string, string | null>();
  for (const question of new Set(questions)) intents.set(question, await classify(question));
  const kinds = new Map(content.intents.map((i) => [i.id, i.kind]));
  return (question) => {
    const intent = intents.get(question) ?? null;
    const kind = intent === null ? 'fallback' : (({ gap: 'fallback', none: 'fallback' } as Record<string, AnswerKind>)[kinds.get(intent)!] ?? (kinds.get(intent) as AnswerKind));
    return { question, kind, intent, confidence: 1, text: '', sources: [], candidates: [], suggestions: [] };
  };
}

function sideBySide(title: string, columns: string[], tables: string[][]): string {
  const rows = tables[0]!.map((row, r) =>
    row.replace(
      / \|$/,
      ` | ${tables
        .slice(1)
        .map((table) => table[r]!.split('|')[2]!.trim())
        .join(' | ')} |`,
    ),
  );
  return `${title}\n| figure | ${columns.join(' | ')} |\n|---|${columns.map(() => '---|').join('')}\n${rows.join('\n')}`;
}

function offDomainLine(name: string, requests: readonly string[], answer: (q: string) => Answer): string[] {
  const result = offDomain(requests, answer);
  const share = (n: number) => `${((100 * n) / result.asked).toFixed(2)}%`;
  return [
    `${name}: ${share(result.accepted)} false accepts (answer, passage, clarify or safety; target <= 1%), ${share(result.safety)} safety replies (target <= 0.3%), over ${result.asked}`,
    ...result.safetyReplies.map((line) => `  safety reply: ${line}`),
  ];
}

async function blindEvaluation(engine: Engine): Promise<string[]> {
  const dev = blindSet('dev');
  const locked = blindSet('locked');
  const hwu64 = hwu64Requests();
  const nlpjs = await nlpJsAnswers([...locked, ...dev].map((item: BlindItem) => item.question).concat(hwu64 ?? []));
  const answer = (q: string) => engine.answer(q);
  const lines = [
    sideBySide(
      `blind sets (${dev.length} dev, ${locked.length} locked questions; tests/data/blind/):`,
      ['locked, this engine', 'locked, NLP.js', 'dev, this engine'],
      [blindRows(locked, answer), blindRows(locked, nlpjs), blindRows(dev, answer)],
    ),
  ];
  if (hwu64 === null) lines.push('HWU64: skipped, ../shared/data/hwu64/utterances.tsv is absent');
  else lines.push(...offDomainLine('HWU64, this engine', hwu64, answer), offDomainLine('HWU64, NLP.js', hwu64, nlpjs)[0]!);
  if (process.argv.includes('--misses')) lines.push('dev misses (expected -> answered | question):', ...devMisses(dev, answer));
  return lines;
}

async function main(): Promise<void> {
  const engine = createEngine(content, settings);
  const predict = (q: string) => verdict(engine.answer(q));
  const { calibration } = engine.model.classifier;
  const summary = [
    `training utterances: ${content.intents.reduce((n, i) => n + i.utterances.length, 0)} over ${content.intents.length} intents`,
    `leave-one-out accuracy (classifier): ${percent(calibration.looAccuracy)}; calibrated temperatures ${calibration.temperatures.map((t) => t.toFixed(2)).join(' / ')}`,
    `self-written held-out document topics: ${percent(
      accuracy(
        sets.heldout.filter((i) => isDocumentTopic(i.intent)),
        predict,
      ),
    )}`,
    `self-written held-out all intents: ${percent(accuracy(sets.heldout, predict))} (${sets.heldout.length} questions)`,
    `self-written crisis to safety intent: ${percent(accuracy(sets.crisis, predict))} (${sets.crisis.length})`,
    `self-written off-topic to fallback: ${percent(accuracy(sets.offtopic, predict))} (${sets.offtopic.length})`,
  ];
  console.log(`${(await blindEvaluation(engine)).join('\n')}\n`);
  console.log(summary.join('\n'));
  const sweep = process.argv.includes('--sweep');
  const variants = sweep ? compareVariants() : ['| (run with -- --sweep) |', '|---|'];
  const thresholds = sweep ? sweepThresholds() : ['| (run with -- --sweep) |', '|---|'];
  if (sweep) console.log(`\n${variants.join('\n')}\n\nanswer thresholds, best first by in-scope + out-of-scope (5-fold CV):\n${thresholds.join('\n')}`);
  const { rows, pairs, predictions } = perIntent(engine, [...sets.heldout, ...sets.offtopic]);
  const confusions = [...pairs].sort((a, b) => b[1] - a[1]).map(([pair, n]) => `${n}  ${pair}`);
  console.log(`\nper intent (self-written held-out + off-topic):\n${rows.join('\n')}\n\nconfusion pairs:\n${confusions.join('\n') || '(none)'}`);
  const reports = join(PROJECT_ROOT, 'reports');
  mkdirSync(reports, { recursive: true });
  const file = join(reports, 'eval.html');
  writeFileSync(file, confusionReport({ summary, variants, thresholds, perIntent: rows, confusions, predictions }));
  console.log(`\nreport: ${file}`);
}

await main();
