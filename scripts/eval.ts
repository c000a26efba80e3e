/**
 * `npm run eval`: k-fold cross-validation over the training utterances for several feature and
 * smoothing choices and for the answer thresholds, held-out accuracy, per-intent
 * precision/recall, confusion pairs, and an HTML report with a confusion-matrix picture in
 * reports/. Choices are made on the training folds only; the held-out file is only reported.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadContent, type Content } from '../src/content/load.js';
import { engineSettingsFrom } from '../src/content/settings.js';
import { createEngine, DEFAULT_TUNING, learnEngine, type Engine, type Tuning } from '../src/engine/engine.js';
import { DEFAULT_MODEL_OPTIONS, type ModelOptions } from '../src/language/model.js';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';
import { accuracy, evaluationSets, isDocumentTopic, type Labelled } from './evaluation.js';
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
      [0.6, 0.7].flatMap((minCoverage) =>
        [0.25, 0.35].map((clarifyThreshold) => ({ answerThreshold, answerFloor, answerMargin, minCoverage, clarifyThreshold })),
      ),
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
      .map(({ tuning, inScope, outOfScope }) =>
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
  const rows = [
    '| function words | bigrams | rare words | smoothing | 5-fold CV (classifier) | held-out topics (engine) | off-topic fallback |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const options of VARIANTS) {
    const engine = createEngine(content, settings, { model: options });
    const predict = (q: string) => verdict(engine.answer(q));
    const chosen = JSON.stringify(options) === JSON.stringify(DEFAULT_MODEL_OPTIONS) ? ' (chosen)' : '';
    rows.push(
      `| ${options.functionWords} | ${options.bigrams} | ${options.rareWords} | ${options.smoothing}${chosen} | ${percent(crossValidate(options))} | ` +
        `${percent(accuracy(sets.heldout.filter((i) => isDocumentTopic(i.intent)), predict))} | ${percent(accuracy(sets.offtopic, predict))} |`,
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

function main(): void {
  const engine = createEngine(content, settings);
  const predict = (q: string) => verdict(engine.answer(q));
  const { calibration } = engine.model.classifier;
  const summary = [
    `training utterances: ${content.intents.reduce((n, i) => n + i.utterances.length, 0)} over ${content.intents.length} intents`,
    `leave-one-out accuracy (classifier): ${percent(calibration.looAccuracy)}; calibrated temperatures ${calibration.temperatures.map((t) => t.toFixed(2)).join(' / ')}`,
    `held-out document topics: ${percent(accuracy(sets.heldout.filter((i) => isDocumentTopic(i.intent)), predict))}`,
    `held-out all intents: ${percent(accuracy(sets.heldout, predict))} (${sets.heldout.length} questions)`,
    `crisis to safety intent: ${percent(accuracy(sets.crisis, predict))} (${sets.crisis.length})`,
    `off-topic to fallback: ${percent(accuracy(sets.offtopic, predict))} (${sets.offtopic.length})`,
  ];
  console.log(summary.join('\n'));
  const variants = compareVariants();
  console.log(`\n${variants.join('\n')}`);
  const thresholds = sweepThresholds();
  console.log(`\nanswer thresholds, best first by in-scope + out-of-scope (5-fold CV):\n${thresholds.join('\n')}`);
  const { rows, pairs, predictions } = perIntent(engine, [...sets.heldout, ...sets.offtopic]);
  const confusions = [...pairs].sort((a, b) => b[1] - a[1]).map(([pair, n]) => `${n}  ${pair}`);
  console.log(`\nper intent (held-out + off-topic):\n${rows.join('\n')}\n\nconfusion pairs:\n${confusions.join('\n') || '(none)'}`);
  const reports = join(PROJECT_ROOT, 'reports');
  mkdirSync(reports, { recursive: true });
  const file = join(reports, 'eval.html');
  writeFileSync(file, confusionReport({ summary, variants, thresholds, perIntent: rows, confusions, predictions }));
  console.log(`\nreport: ${file}`);
}

main();
