/**
 * `npm run loadtest`: a bounded load on the compiled server, on loopback, with the rate limits off.
 * For LOADTEST_SECONDS (default 60), 10 connections post mixed questions (the evaluation sets:
 * held-out, off-topic, crisis) to POST /api/messages as expectReplies messages, while the server's
 * RSS is read from /proc/<pid>/status every second. Then the server gets SIGTERM; the line it logs
 * when stopping carries its event-loop delay since it started (perf_hooks.monitorEventLoopDelay),
 * so the largest stall covers the whole run, start-up included. The server logs as in production
 * (a line per turn), to a temporary file. Prints the figures and the targets, and exits with
 * status 1 if one is missed: no errors, no 5xx, RSS growth under 10% from the first third of the
 * run (20 s of 60) to its end (medians of the 5 s before each), no event-loop stall over 100 ms,
 * a clean stop (exit status 0).
 *
 * Then the Direct Line phase, on a fresh server with the default limits for LOADTEST_DIRECTLINE_SECONDS
 * (default 30): 20 clients, all from one address as an attacker's would be, post padded activities
 * and poll their whole history in bursts (scripts/directLineLoad.ts) while GET /healthz is timed. Targets: no 5xx, no connection errors, /healthz p99 under 100 ms,
 * RSS under DIRECTLINE_RSS_BUDGET_MB all along, a clean stop.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { z } from 'zod';
import { parseSettings, wholeNumber } from '../src/content/envSettings.js';
import { settingsOrExit } from '../src/channels/shared/env.js';
import { startCompiledServer } from './compiledServer.js';
import { directLineLoad } from './directLineLoad.js';
import { messageLoad, mixedQuestions } from './messageLoad.js';

const DURATIONS = z.object({ LOADTEST_SECONDS: wholeNumber(60, { min: 1 }), LOADTEST_DIRECTLINE_SECONDS: wholeNumber(30, { min: 1 }) });
const { LOADTEST_SECONDS: SECONDS, LOADTEST_DIRECTLINE_SECONDS: DIRECTLINE_SECONDS } = settingsOrExit((env) => parseSettings(DURATIONS, env));
const CONNECTIONS = 10;
/** RSS growth is measured from here on: the first third of the run warms up (JIT, pools, caches). */
const STEADY_FROM_SECOND = Math.round(SECONDS / 3);
const MAX_RSS_GROWTH = 0.1;
const MAX_STALL_MS = 100;
/** What the server may take during the Direct Line flood: its RSS under load (about 250 MB) plus every history's budget (64 MB at the defaults), with room to spare. */
const DIRECTLINE_RSS_BUDGET_MB = 400;
const MAX_HEALTH_P99_MS = 100;

interface RssSample {
  second: number;
  megabytes: number;
}

interface EventLoopDelay {
  maxMs: number;
  p99Ms: number;
}

function rssMegabytes(pid: number): number {
  const kilobytes = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kilobytes) / 1024;
}

/** Samples the RSS now and then every second, until stopped. */
function sampleRss(pid: number): { samples: RssSample[]; stop(): void } {
  const started = performance.now();
  const samples: RssSample[] = [];
  const sample = () => samples.push({ second: (performance.now() - started) / 1000, megabytes: rssMegabytes(pid) });
  sample();
  const timer = setInterval(sample, 1000);
  return { samples, stop: () => clearInterval(timer) };
}

/** RSS readings over a window: one reading lands anywhere on the garbage collector's saw-tooth. */
const WINDOW_SECONDS = 5;

/** The median RSS of the WINDOW_SECONDS up to `second`. */
function rssUpTo(samples: readonly RssSample[], second: number): RssSample {
  const window = samples.filter((sample) => sample.second > second - WINDOW_SECONDS && sample.second <= second + 0.5);
  const sorted = window.map((sample) => sample.megabytes).sort((a, b) => a - b);
  return { second, megabytes: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN };
}

/** The event-loop delay in the server's stop line. */
function stopLineDelay(log: string): EventLoopDelay | undefined {
  const line = log.split('\n').find((candidate) => candidate.includes('"eventLoopDelayMs"'));
  return line ? (JSON.parse(line) as { eventLoopDelayMs: EventLoopDelay }).eventLoopDelayMs : undefined;
}

/**
 * Runs `measure` with the server's log going to a temporary file (a pipe that this busy process drained
 * late would block the server's writes and show up as stalls), and returns the log with the result.
 */
async function withLogFile<T>(measure: (fd: number) => Promise<T>): Promise<{ result: T; log: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'loadtest-'));
  const path = join(folder, 'server.log');
  const fd = openSync(path, 'w');
  try {
    const result = await measure(fd);
    return { result, log: readFileSync(path, 'utf8') };
  } finally {
    closeSync(fd);
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The messages phase: its figures printed, and the targets it missed. */
async function messagesPhase(): Promise<string[]> {
  const questions = mixedQuestions();
  console.log(`# npm run loadtest: ${SECONDS} s, ${CONNECTIONS} connections, ${questions.length} mixed questions (${new Date().toISOString()}, node ${process.version})\n`);
  const { result: run, log } = await withLogFile(async (fd) => {
    const server = await startCompiledServer({ env: { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'info' }, stdout: fd });
    const rss = sampleRss(server.child.pid!);
    const result = await autocannon({ ...messageLoad(server.url, questions), connections: CONNECTIONS, duration: SECONDS });
    rss.stop();
    server.child.kill('SIGTERM');
    return { result, rss: rss.samples, exitCode: await server.exited };
  });
  const { result, exitCode } = run;
  const eventLoop = stopLineDelay(log);

  const start = run.rss[0]!;
  const steady = rssUpTo(run.rss, STEADY_FROM_SECOND);
  const end = rssUpTo(run.rss, SECONDS);
  const growth = (end.megabytes - steady.megabytes) / steady.megabytes;
  const errors = result.errors + result.timeouts;
  const serverErrors = result['5xx'];
  const mb = (sample: RssSample) => `${sample.megabytes.toFixed(1)} MB`;

  console.log('| figure | value |');
  console.log('|---|---|');
  console.log(`| requests | ${result.requests.total} (${result.requests.average.toFixed(0)} req/s) |`);
  console.log(`| latency p50 / p99 | ${result.latency.p50} ms / ${result.latency.p99} ms |`);
  console.log(`| errors (connection, timeout) | ${errors} |`);
  console.log(`| non-2xx / 5xx | ${result.non2xx} / ${serverErrors} |`);
  console.log(`| RSS at start / ${STEADY_FROM_SECOND} s / ${SECONDS} s (median of the ${WINDOW_SECONDS} s before) | ${mb(start)} / ${mb(steady)} / ${mb(end)} |`);
  console.log(`| RSS growth ${STEADY_FROM_SECOND} s to end | ${(growth * 100).toFixed(1)}% |`);
  console.log(`| event-loop delay max / p99 | ${eventLoop ? `${eventLoop.maxMs} ms / ${eventLoop.p99Ms} ms` : 'not reported'} |`);
  console.log(`| server exit status after SIGTERM | ${exitCode} |`);

  return [
    errors > 0 && `${errors} errors`,
    result.non2xx > 0 && `${result.non2xx} non-2xx answers`,
    growth >= MAX_RSS_GROWTH && `RSS grew ${(growth * 100).toFixed(1)}% (limit ${MAX_RSS_GROWTH * 100}%)`,
    (!eventLoop || eventLoop.maxMs > MAX_STALL_MS) && `event-loop stall over ${MAX_STALL_MS} ms (or not reported)`,
    exitCode !== 0 && `exit status ${exitCode}`,
  ].filter((missed): missed is string => typeof missed === 'string');
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}

/** The Direct Line phase: its figures printed, and the targets it missed. */
async function directLinePhase(): Promise<string[]> {
  console.log(`\n# Direct Line flood: ${DIRECTLINE_SECONDS} s, padded posts and bursts of whole-history polls\n`);
  const { result: run, log } = await withLogFile(async (fd) => {
    // The limits as deployed: every client here shares one address, as the probe's flood did.
    const server = await startCompiledServer({ env: { RATE_LIMIT_PER_MINUTE: '', LOG_LEVEL: 'info' }, stdout: fd });
    const rss = sampleRss(server.child.pid!);
    const result = await directLineLoad(server.url, DIRECTLINE_SECONDS);
    rss.stop();
    server.child.kill('SIGTERM');
    return { result, rss, exitCode: await server.exited };
  });
  const { result, rss, exitCode } = run;
  const eventLoop = stopLineDelay(log);
  const rssMax = Math.max(...rss.samples.map((sample) => sample.megabytes));
  const [p50, p99, max] = [percentile(result.healthMs, 0.5), percentile(result.healthMs, 0.99), Math.max(...result.healthMs)];
  const serverErrors = result.statuses['5xx'] ?? 0;

  console.log('| figure | value |');
  console.log('|---|---|');
  console.log(`| posts / polls | ${result.posts} / ${result.polls} |`);
  console.log(`| answers 2xx / 4xx / 5xx | ${result.statuses['2xx'] ?? 0} / ${result.statuses['4xx'] ?? 0} / ${serverErrors} |`);
  console.log(`| connection errors | ${result.errors} |`);
  console.log(`| GET /healthz during the flood: p50 / p99 / max (${result.healthMs.length} probes) | ${p50.toFixed(1)} ms / ${p99.toFixed(1)} ms / ${max.toFixed(1)} ms |`);
  console.log(`| RSS at start / max | ${rss.samples[0]!.megabytes.toFixed(1)} MB / ${rssMax.toFixed(1)} MB (budget ${DIRECTLINE_RSS_BUDGET_MB} MB) |`);
  console.log(`| event-loop delay max / p99 | ${eventLoop ? `${eventLoop.maxMs} ms / ${eventLoop.p99Ms} ms` : 'not reported'} |`);
  console.log(`| server exit status after SIGTERM | ${exitCode} |`);

  return [
    serverErrors > 0 && `${serverErrors} 5xx answers`,
    result.errors > 0 && `${result.errors} connection errors`,
    !(p99 < MAX_HEALTH_P99_MS) && `/healthz p99 ${p99.toFixed(1)} ms (limit ${MAX_HEALTH_P99_MS} ms)`,
    rssMax >= DIRECTLINE_RSS_BUDGET_MB && `RSS reached ${rssMax.toFixed(1)} MB (budget ${DIRECTLINE_RSS_BUDGET_MB} MB)`,
    exitCode !== 0 && `Direct Line phase exit status ${exitCode}`,
  ].filter((missed): missed is string => typeof missed === 'string');
}

async function main(): Promise<void> {
  const missed = [...(await messagesPhase()), ...(await directLinePhase())];
  console.log(missed.length === 0 ? '\nAll targets met.' : `\nTargets missed: ${missed.join('; ')}.`);
  process.exitCode = missed.length === 0 ? 0 : 1;
}

await main();
