/**
 * Stack traces that name the TypeScript sources (src/...ts:line:column) instead of the compiled files
 * under dist/, through the source maps `npm run build` writes beside them. Node's own
 * --enable-source-maps (or process.setSourceMapsEnabled) maps only modules its loaders compile, not
 * the server bundle, which src/index.ts runs through vm.Script for V8's code cache; so this maps every
 * file under dist/ itself. A map is read the first time a frame of its file is printed: never at start.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const sourceMaps = new Map<string, SourceMap | undefined>();

/** From now on, every stack trace maps the frames of files under `compiledFolder` (dist/) to their sources. */
export function mapStackTraces(compiledFolder: string): void {
  const folder = compiledFolder.endsWith(sep) ? compiledFolder : `${compiledFolder}${sep}`;
  Error.prepareStackTrace = (error: Error, sites: NodeJS.CallSite[]) => [String(error), ...sites.map((site) => `    at ${mappedSite(site, folder)}`)].join('\n');
}

/** How V8 prints the call site, with the source's location in place of the compiled file's. */
function mappedSite(site: NodeJS.CallSite, folder: string): string {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a V8 CallSite prints itself as its stack-trace line
  const printed = site.toString();
  const file = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!file || line === null || column === null) return printed;
  const path = file.startsWith('file:') ? fileURLToPath(file) : file;
  if (!path.startsWith(folder)) return printed;
  const original = originalLocation(path, line, column);
  const compiled = `${file}:${line}:${column}`;
  const at = printed.lastIndexOf(compiled);
  return original && at >= 0 ? `${printed.slice(0, at)}${original}${printed.slice(at + compiled.length)}` : printed;
}

function originalLocation(path: string, line: number, column: number): string | undefined {
  const entry: Partial<SourceMapping> = sourceMapOf(path)?.findEntry(line - 1, column - 1) ?? {};
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
  return `${resolve(dirname(path), entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

interface SourceMapping {
  originalSource: string;
  originalLine: number;
  originalColumn: number;
}

function sourceMapOf(path: string): SourceMap | undefined {
  if (!sourceMaps.has(path)) sourceMaps.set(path, readSourceMap(`${path}.map`));
  return sourceMaps.get(path);
}

function readSourceMap(mapPath: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    return undefined; // no map (or an unreadable one): the frame stays as compiled
  }
}
