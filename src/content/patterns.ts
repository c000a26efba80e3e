/** Safety-rule patterns: `{name}` stands for a word list of lexicon.yaml. */
const LIST_REFERENCE = /\{([a-z_]+)\}/g;

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Trie {
  end: boolean;
  next: Map<string, Trie>;
}

/**
 * An alternation of words as a prefix tree, (?:a(?:lprazolam|tivan)|...): the regular-expression
 * engine then rejects a position after one character instead of trying every word in turn.
 */
export function wordAlternation(words: readonly string[]): string {
  let source = alternations.get(words);
  if (source === undefined) {
    source = treeAlternation(words);
    alternations.set(words, source);
  }
  return source;
}

/** A list is used by many patterns: its tree is built once. */
const alternations = new WeakMap<readonly string[], string>();

function treeAlternation(words: readonly string[]): string {
  const root: Trie = { end: false, next: new Map() };
  for (const word of words) {
    let node = root;
    for (const char of word) {
      let child = node.next.get(char);
      if (!child) node.next.set(char, (child = { end: false, next: new Map() }));
      node = child;
    }
    node.end = true;
  }
  return `(?:${trieSource(root)})`;
}

function trieSource(node: Trie): string {
  const branches = [...node.next].map(([char, child]) => escapeRegExp(char) + trieSource(child));
  if (branches.length === 0) return '';
  const body = branches.length === 1 ? branches[0]! : `(?:${branches.join('|')})`;
  // A word that ends here may also continue: the longer one is tried first, as in a sorted alternation.
  return node.end ? `(?:${body})?` : body;
}

/**
 * Expands `{name}` references: as a prefix tree for matching, or as a plain alternation of whole
 * words (the same language, easier to read for literal analysis). Throws on an unknown list name.
 */
export function expandLists(pattern: string, lists: Readonly<Record<string, readonly string[]>>, style: 'tree' | 'plain' = 'tree'): string {
  return pattern.replace(LIST_REFERENCE, (_, name: string) => {
    const words = lists[name];
    if (!words) throw new Error(`unknown word list {${name}}`);
    return style === 'tree' ? wordAlternation(words) : `(?:${words.map(escapeRegExp).join('|')})`;
  });
}

/** Expands `{name}` references; throws on an unknown list name or an invalid regular expression. */
export function compilePattern(pattern: string, lists: Readonly<Record<string, readonly string[]>>): RegExp {
  return new RegExp(expandLists(pattern, lists), 'u');
}
