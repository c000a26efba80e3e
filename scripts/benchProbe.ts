/**
 * One measured run in a fresh process (started by bench.ts): time to ready, answer latency over
 * 10,000 mixed questions, held-out accuracy and peak RSS, printed as one JSON line.
 * Usage: node dist/scripts/benchProbe.js natural|natural-cold|nlpjs
 */
import { performance } from 'node:perf_hooks';
import { engineSettingsFrom } from '../src/content/settings.js';
import { loadEngine } from '../src/channels/shared/loadEngine.js';
import { settingsOrExit } from '../src/channels/shared/env.js';
import type { Labelled } from './evaluation.js';
import { verdict } from './verdict.js';

export interface ProbeResult {
  name: string;
  readyMs: number;
  p50Us: number;
  p99Us: number;
  heldoutAccuracy: number;
  topicAccuracy: number;
  offtopicFallback: number;
  peakRssMb: number;
}

type Predict = (question: string) => Promise<string | null> | string | null;

const QUESTIONS = 10_000;
const WARM_UP = 2_000;

async function latencies(predict: Predict, questions: readonly string[]): Promise<number[]> {
  for (let i = 0; i < WARM_UP; i++) await predict(questions[i % questions.length]!);
  const times: number[] = [];
  for (let i = 0; i < QUESTIONS; i++) {
    const start = process.hrtime.bigint();
    const answer = predict(questions[i % questions.length]!);
    // Only a promise is awaited: a synchronous engine is timed without a detour through the microtask queue.
    if (answer instanceof Promise) await answer;
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  return times.sort((a, b) => a - b);
}

async function share(items: readonly Labelled[], predict: Predict): Promise<number> {
  let hits = 0;
  for (const item of items) if ((await predict(item.question)) === item.intent) hits++;
  return hits / items.length;
}

async function predictorFor(name: string): Promise<Predict> {
  if (name === 'nlpjs') return (await import('./nlpjs.js')).trainNlpJs();
  const engine = await loadEngine(settingsOrExit(engineSettingsFrom), { cache: name !== 'natural-cold' });
  return (question) => verdict(engine.answer(question));
}

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'natural';
  const predict = await predictorFor(name);
  const readyMs = performance.now();
  // Loaded after "ready": the evaluation sets are the bench's, not the assistant's start-up.
  const sets = (await import('./evaluation.js')).evaluationSets();
  const mixed = [...sets.heldout, ...sets.offtopic, ...sets.crisis].map((item) => item.question);
  const times = await latencies(predict, mixed);
  const topics = sets.heldout.filter((item) => !item.intent?.startsWith('smalltalk.') && !item.intent?.match(/^(safety|scope)\./));
  const result: ProbeResult = {
    name,
    readyMs,
    p50Us: times[Math.floor(times.length * 0.5)]!,
    p99Us: times[Math.floor(times.length * 0.99)]!,
    heldoutAccuracy: await share(sets.heldout, predict),
    topicAccuracy: await share(topics, predict),
    offtopicFallback: await share(sets.offtopic, predict),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
