/**
 * Loads content from the project folder and builds the engine: the one place channels touch
 * the disk for it. What the engine learns is cached (node_modules/.cache), keyed by the content
 * and the build, so a restart skips parsing, normalising and training unless either changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Content, ResponseDefinition } from '../../content/load.js';
import { contentFingerprint } from '../../content/fingerprint.js';
import type { EngineSettings } from '../../content/settings.js';
import { createEngine, learnEngine, type Engine, type EngineOptions, type EngineSnapshot } from '../../engine/engine.js';
import { DEFAULT_MODEL_OPTIONS } from '../../language/model.js';

/** The project root (the folder with package.json), both from src/ (tests) and from dist/ (compiled). */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${start}`);
  }
}

interface EngineCache {
  key: string;
  content: Omit<Content, 'responses'> & { responses: ResponseDefinition[] };
  learned: EngineSnapshot;
}

export interface LoadOptions extends EngineOptions {
  root?: string;
  /** Use and refresh the trained-model cache (default true). */
  cache?: boolean;
}

export async function loadEngine(settings: EngineSettings, options: LoadOptions = {}): Promise<Engine> {
  const { root = PROJECT_ROOT, cache = true, ...engineOptions } = options;
  const key = cacheKey(root, engineOptions);
  const cached = cache ? readCache(root, key) : null;
  if (cached) {
    const content = { ...cached.content, responses: new Map(cached.content.responses.map((r) => [r.intent, r])) };
    return createEngine(content, settings, { ...engineOptions, learned: cached.learned });
  }
  const { loadContent } = await import('../../content/load.js'); // YAML and schema code load only when needed
  const content = loadContent(root);
  const learned = learnEngine(content, engineOptions.model);
  if (cache) writeCache(root, { key, content: cachedContentOf(content), learned });
  return createEngine(content, settings, { ...engineOptions, learned });
}

/** The content a cached start needs: the training utterances are in the learned model already, so they are left out. */
function cachedContentOf(content: Content): EngineCache['content'] {
  const intents = content.intents.map((intent) => ({ ...intent, utterances: [] }));
  return { ...content, intents, responses: [...content.responses.values()] };
}

/** Where the project's caches go (the learned engine, the servers' V8 code caches): a file under node_modules/.cache. */
export function cacheFile(name: string, root = PROJECT_ROOT): string {
  return join(root, 'node_modules', '.cache', 'faq-assistant', name);
}

function cachePath(root: string): string {
  return cacheFile('engine.json', root);
}

/**
 * Content, model options and the code that loads and learns it: a change to any of them retrains.
 * The code counts by this module's file: every build (tsc, or the bundle) writes it anew.
 */
function cacheKey(root: string, options: EngineOptions): string {
  const code = statSync(fileURLToPath(import.meta.url));
  return createHash('sha256')
    .update(contentFingerprint(root))
    .update(JSON.stringify(options.model ?? DEFAULT_MODEL_OPTIONS))
    .update(`${code.mtimeMs}:${code.size}`)
    .digest('hex');
}

function readCache(root: string, key: string): EngineCache | null {
  try {
    const cache = JSON.parse(readFileSync(cachePath(root), 'utf8')) as EngineCache;
    return cache.key === key ? cache : null;
  } catch {
    return null; // no cache yet, or unreadable: train instead
  }
}

function writeCache(root: string, cache: EngineCache): void {
  try {
    mkdirSync(dirname(cachePath(root)), { recursive: true });
    writeFileSync(cachePath(root), JSON.stringify(cache));
  } catch {
    // A read-only install still works; it trains at every start.
  }
}
