/**
 * The Direct Line phase of `npm run loadtest`: clients that flood the local Direct Line as an outside
 * probe did (posts padded with a large unknown field and a long text, then bursts of concurrent polls
 * of the whole history), while GET /healthz is timed, one request after another. The flood runs in a
 * worker thread: timed from the same event loop as the flood, /healthz would look as slow as the
 * load generator is busy.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
const CLIENTS = 20;
/** Concurrent polls of the whole history after each post: more than a conversation may hold at once. */
const POLL_BURST = 10;
const PADDING = 'x'.repeat(50_000);
const LONG_TEXT = 'what is the half-life of clonazepam? '.repeat(220);
const HEALTH_PROBE_INTERVAL_MS = 100;

export interface FloodResult {
  posts: number;
  polls: number;
  /** Answers by status class: 2xx, 4xx, 5xx. */
  statuses: Record<string, number>;
  /** Requests that got no answer (connection errors). */
  errors: number;
}

export interface DirectLineLoadResult extends FloodResult {
  /** Latencies of GET /healthz during the flood, in milliseconds. */
  healthMs: number[];
}

interface FloodOrder {
  serverUrl: string;
  seconds: number;
}

/** Floods the server from a worker thread for `seconds`, timing GET /healthz from this one meanwhile. */
export async function directLineLoad(serverUrl: string, seconds: number): Promise<DirectLineLoadResult> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { serverUrl, seconds } satisfies FloodOrder });
  const flooded = new Promise<FloodResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const healthMs = await timeHealth(serverUrl, seconds);
  return { ...(await flooded), healthMs };
}

async function timeHealth(serverUrl: string, seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (performance.now() < deadline) {
    const sent = performance.now();
    const answered = await fetch(`${serverUrl}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    latencies.push(answered ? performance.now() - sent : Number.POSITIVE_INFINITY); // a failed probe misses any latency target
    await new Promise((resolve) => setTimeout(resolve, HEALTH_PROBE_INTERVAL_MS));
  }
  return latencies;
}

async function flood({ serverUrl, seconds }: FloodOrder): Promise<FloodResult> {
  const result: FloodResult = { posts: 0, polls: 0, statuses: {}, errors: 0 };
  const deadline = performance.now() + seconds * 1000;
  const running = () => performance.now() < deadline;
  const call = async (url: string, init: RequestInit = {}): Promise<{ status: number; body: string } | undefined> => {
    try {
      const response = await fetch(url, init);
      const body = await response.text();
      const status = `${Math.floor(response.status / 100)}xx`;
      result.statuses[status] = (result.statuses[status] ?? 0) + 1;
      return { status: response.status, body };
    } catch {
      result.errors++;
      return undefined;
    }
  };
  const client = async (): Promise<void> => {
    const started = await call(`${serverUrl}/directline/conversations`, { method: 'POST' });
    if (started?.status !== 201) return;
    const { conversationId, token } = JSON.parse(started.body) as { conversationId: string; token: string };
    const activities = `${serverUrl}/directline/conversations/${conversationId}/activities`;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    while (running()) {
      await call(activities, { method: 'POST', headers, body: JSON.stringify({ type: 'message', text: LONG_TEXT, padding: PADDING }) });
      result.posts++;
      await Promise.all(Array.from({ length: POLL_BURST }, () => call(`${activities}?watermark=0`, { headers })));
      result.polls += POLL_BURST;
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  return result;
}

if (!isMainThread) parentPort!.postMessage(await flood(workerData as FloodOrder));
