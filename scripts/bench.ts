/**
 * `npm run bench`: speed and memory figures, printed as tables (medians of repeated runs; this
 * machine is noisy, so compare ratios rather than absolute numbers). `npm run bench -- http` runs
 * only the HTTP section.
 * - the engine: start-up to ready (cached model and cold), answer latency p50/p99 over 10,000
 *   mixed questions, held-out accuracy and peak RSS; the same for NLP.js on the same intents;
 * - `ask --json` streaming 10,000 questions, start-up included, run as `npm run ask` runs it: wall time and peak RSS;
 * - HTTP: start-up to accepting requests, and POST /api/messages (expectReplies) under load,
 *   against the assistant (its state in memory, and in a private redis-server) and against an echo
 *   bot on the same restify + CloudAdapter stack (bundled and started the same way), in interleaved rounds.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { z } from 'zod';
import { parseSettings, wholeNumber } from '../src/content/envSettings.js';
import { settingsOrExit } from '../src/channels/shared/env.js';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';
import type { ProbeResult } from './benchProbe.js';
import { bundleServer, ECHO_BUNDLE } from './bundle.js';
import { startCompiledServer } from './compiledServer.js';
import { RedisServer } from './redisServer.js';
import { evaluationSets } from './evaluation.js';
import { messageLoad, mixedQuestions } from './messageLoad.js';

const DIST = join(PROJECT_ROOT, 'dist');
const { BENCH_LOAD_SECONDS: LOAD_SECONDS } = settingsOrExit((env) => parseSettings(z.object({ BENCH_LOAD_SECONDS: wholeNumber(10, { min: 1 }) }), env));
const WARM_UP_SECONDS = 2;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fixed = (value: number, digits = 0) => value.toFixed(digits);
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function node(script: string, args: string[] = [], input?: string, nodeOptions: string[] = []) {
  return spawnSync(process.execPath, [...nodeOptions, join(DIST, script), ...args], { cwd: PROJECT_ROOT, input, encoding: 'utf8', maxBuffer: 1 << 28 });
}

/**
 * The node options of `npm run ask` (package.json), so the bench measures the command people run:
 * with Node's defaults, V8's young generation grows to two 16 MB semi-spaces and each of V8's four
 * background threads keeps a malloc arena of its own, about 34 MB of the peak RSS for 10,000
 * questions; with --max-semi-space-size=1 and --v8-pool-size=1 the CLI is no slower. An 80 MB old
 * space makes V8 collect before it grows the heap (it runs in 64 MB): 89 MB peak instead of 103.
 * --no-concurrent-recompilation keeps the optimising compiler's arena off another thread: 3 MB less,
 * 0.3 s more over 10,000 questions (session 11, 20,173 training utterances).
 */
function askNodeOptions(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: { ask: string } };
  const [command, ...words] = scripts.ask.split(' ');
  if (command !== 'node' || words.at(-1) !== 'dist/src/channels/cli/ask.js') throw new Error(`npm run ask is not "node [options] dist/src/channels/cli/ask.js": ${scripts.ask}`);
  return words.slice(0, -1);
}

const PEAK_RSS = /^peak RSS: (\d+) KB$/m;

function probeOnce(name: string): ProbeResult {
  return JSON.parse(node('scripts/benchProbe.js', [name]).stdout) as ProbeResult;
}

/** The median of each figure over several runs. */
function medianResult(results: readonly ProbeResult[]): ProbeResult {
  const pick = (key: keyof ProbeResult) => median(results.map((r) => r[key] as number));
  return { ...results[0]!, readyMs: pick('readyMs'), p50Us: pick('p50Us'), p99Us: pick('p99Us'), peakRssMb: pick('peakRssMb') };
}

const ROUNDS = 5;

function engineTable(): string[] {
  // Interleaved rounds: when the machine is busier for a while, both engines feel it.
  const rounds = Array.from({ length: ROUNDS }, () => ({ warm: probeOnce('natural'), cold: probeOnce('natural-cold'), nlpjs: probeOnce('nlpjs') }));
  const [warm, cold, nlpjs] = (['warm', 'cold', 'nlpjs'] as const).map((key) => medianResult(rounds.map((round) => round[key])));
  const speedUp = (key: 'p50Us' | 'p99Us') => fixed(median(rounds.map((round) => round.nlpjs[key] / round.warm[key])), 1);
  const row = (label: string, r: ProbeResult) =>
    `| ${label} | ${fixed(r.readyMs)} | ${fixed(r.p50Us, 1)} | ${fixed(r.p99Us, 1)} | ${percent(r.topicAccuracy)} | ${percent(r.heldoutAccuracy)} | ${percent(r.offtopicFallback)} | ${fixed(r.peakRssMb)} |`;
  return [
    `Medians of ${ROUNDS} interleaved rounds (one fresh process per engine per round).`,
    '',
    '| engine | ready (ms) | p50 (us) | p99 (us) | held-out topics | held-out all | off-topic fallback | peak RSS (MB) |',
    '|---|---|---|---|---|---|---|---|',
    row('natural (this engine, model cache warm)', warm!),
    row('natural (cold: parse and train)', cold!),
    row('NLP.js (same intents)', nlpjs!),
    '',
    `speed-up over NLP.js, median of the per-round ratios: p50 ${speedUp('p50Us')}x, p99 ${speedUp('p99Us')}x`,
  ];
}

function streamTable(): string[] {
  const mixed = mixedQuestions();
  const input = `${Array.from({ length: 10_000 }, (_, i) => mixed[i % mixed.length]).join('\n')}\n`;
  const nodeOptions = [...askNodeOptions(), '--import', pathToFileURL(join(DIST, 'scripts', 'peakRss.js')).href];
  const runs = Array.from({ length: 3 }, () => {
    const start = performance.now();
    const result = node('src/channels/cli/ask.js', ['--json'], input, nodeOptions);
    const wallMs = performance.now() - start;
    const lines = result.stdout.trim().split('\n').length;
    if (lines !== 10_000) throw new Error(`ask --json wrote ${lines} lines for 10,000 questions`);
    const peakRss = PEAK_RSS.exec(result.stderr);
    if (!peakRss) throw new Error(`ask --json reported no peak RSS: ${result.stderr}`);
    return { wallMs, peakRssMb: Number(peakRss[1]) / 1024 };
  });
  const wall = median(runs.map((run) => run.wallMs));
  const peakRss = median(runs.map((run) => run.peakRssMb));
  return [`ask --json (as npm run ask runs it), 10,000 questions through standard input, start-up included: ${fixed(wall)} ms wall, peak RSS ${fixed(peakRss)} MB (medians of 3)`];
}

/** A compiled server script as the HTTP bench runs it: limits off, quiet log. */
function startServer({ script, env }: ServerUnderTest) {
  return startCompiledServer({ script, env: { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn', ...env } });
}

async function load(url: string, questions: readonly string[], duration = LOAD_SECONDS) {
  const result = await autocannon({ ...messageLoad(url, questions.slice(0, 200)), connections: 10, duration });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** A fresh process of the server: its start-up, WARM_UP_SECONDS of load not counted (the JIT compiles the hot paths), then LOAD_SECONDS of load. */
async function measureServer(subject: ServerUnderTest, questions: readonly string[]) {
  const server = await startServer(subject);
  try {
    await load(server.url, questions, WARM_UP_SECONDS);
    return { start: server.startMs, ...(await load(server.url, questions)) };
  } finally {
    server.child.kill('SIGTERM');
  }
}

const HTTP_ROUNDS = 5;

interface ServerUnderTest {
  script: string;
  env?: Record<string, string>;
}

type ServerName = 'assistant' | 'redis' | 'echo';
type Round = Record<ServerName, Awaited<ReturnType<typeof measureServer>>>;

async function httpTable(): Promise<string[]> {
  await bundleServer('scripts/echoApp.js', ECHO_BUNDLE);
  const redis = await RedisServer.start();
  const servers: Record<ServerName, ServerUnderTest> = {
    assistant: { script: 'src/index.js' },
    redis: { script: 'src/index.js', env: { REDIS_URL: redis.url } },
    echo: { script: 'scripts/echoBot.js' },
  };
  const sets = evaluationSets();
  const questions = [...sets.heldout, ...sets.offtopic].map((item) => item.question).sort(() => 0.5 - Math.random());
  const rounds: Round[] = [];
  try {
    for (let round = 0; round < HTTP_ROUNDS; round++) {
      // Interleaved, the order rotated every round: when the machine is busier for a while, every server feels it.
      const names = rotated(Object.keys(servers) as ServerName[], round);
      const results: Partial<Round> = {};
      for (const name of names) results[name] = await measureServer(servers[name], questions);
      rounds.push(results as Round);
    }
  } finally {
    await redis.kill();
  }
  const row = (label: string, name: ServerName) => {
    const pick = (key: 'start' | 'rps' | 'p50' | 'p99') => median(rounds.map((round) => round[name][key]));
    const errors = rounds.reduce((sum, round) => sum + round[name].errors, 0);
    return `| ${label} | ${fixed(pick('start'))} | ${fixed(pick('rps'))} | ${pick('p50')} | ${pick('p99')} | ${errors} |`;
  };
  const ratios = rounds.map((round) => round.assistant.rps / round.echo.rps);
  const redisRatios = rounds.map((round) => round.redis.rps / round.assistant.rps);
  return [
    `Medians of ${HTTP_ROUNDS} interleaved rounds (one fresh process per server per round; errors summed).`,
    '',
    '| server | start-up to accepting (ms) | req/s | p50 (ms) | p99 (ms) | errors + non-2xx |',
    '|---|---|---|---|---|---|',
    row('assistant', 'assistant'),
    row('assistant, conversation state in Redis (REDIS_URL)', 'redis'),
    row('echo bot (same stack)', 'echo'),
    '',
    `assistant throughput / echo bot throughput, median of the per-round ratios: ${percent(median(ratios))} (rounds: ${ratios.map(percent).join(', ')}; ${LOAD_SECONDS} s of POST /api/messages after ${WARM_UP_SECONDS} s of warm-up, expectReplies, 10 connections)`,
    `assistant with Redis state / in memory, median of the per-round ratios: ${percent(median(redisRatios))} (rounds: ${redisRatios.map(percent).join(', ')}; a private redis-server on loopback)`,
  ];
}

function rotated<T>(items: readonly T[], by: number): T[] {
  const start = by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

async function main(section = process.argv[2]): Promise<void> {
  if (section !== undefined && section !== 'http') throw new Error(`unknown section "${section}": run \`npm run bench\` or \`npm run bench -- http\``);
  console.log(`# npm run bench${section ? ` -- ${section}` : ''} (${new Date().toISOString()}, node ${process.version})\n`);
  if (!section) {
    console.log(engineTable().join('\n'));
    console.log(`\n${streamTable().join('\n')}\n`);
  }
  console.log((await httpTable()).join('\n'));
}

await main();
