/** Reads a YAML content file and validates it against a schema; every problem carries file:line. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';

export class ContentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`content is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ContentError';
  }
}

/** A parsed file that can say on which line any value stands. */
export interface LocatedFile<T> {
  file: string;
  data: T;
  lineOf(path: readonly (string | number)[]): number;
}

/** Parses `root/file`; problems are reported against `file`, relative to the root. */
export function readYamlFile<S extends z.ZodType>(file: string, schema: S, problems: string[], root: string): LocatedFile<z.infer<S>> | null {
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(join(root, file), 'utf8'), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (path: readonly (string | number)[]) => lineOfPath(doc, lineCounter, path);
  if (doc.errors.length > 0) {
    for (const error of doc.errors) problems.push(`${file}:${lineCounter.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`);
    return null;
  }
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
      problems.push(`${file}:${lineOf(issue.path as (string | number)[])}: ${issue.message}${where}`);
    }
    return null;
  }
  return { file, data: parsed.data, lineOf };
}

function lineOfPath(doc: Document, lineCounter: LineCounter, path: readonly (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return 1;
}
