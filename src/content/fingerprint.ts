/** A short hash of every content file: it changes whenever the content does. Cheap: no parsing. */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DOCUMENT_FILE = 'knowledge/clonazepam.txt';
const CONTENT_FOLDERS = ['intents', 'responses'];

/** The content files, relative to the root, in a fixed order. */
export function contentFiles(root: string): string[] {
  const yamlFiles = CONTENT_FOLDERS.flatMap((folder) =>
    readdirSync(join(root, folder))
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => `${folder}/${name}`),
  );
  return [DOCUMENT_FILE, ...yamlFiles.sort()];
}

export function contentFingerprint(root: string): string {
  const hash = createHash('sha256');
  for (const file of contentFiles(root))
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(root, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 12);
}
