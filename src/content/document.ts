/** Splits the source document into cited sentences: paragraphs by blank lines, ids p<paragraph>s<sentence>. */
export interface Sentence {
  id: string;
  paragraph: number;
  text: string;
}

const PARAGRAPH_BREAK = /\n[ \t]*\n/;
// Every sentence of the article ends in '.', '!' or '?' followed by a capitalised word.
const SENTENCE_BREAK = /(?<=[.!?])\s+(?=\p{Lu})/u;

export function splitDocument(text: string): Sentence[] {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(PARAGRAPH_BREAK)
    .map((p) => p.trim())
    .filter(Boolean);
  return paragraphs.flatMap((paragraph, p) =>
    paragraph.split(SENTENCE_BREAK).map((sentence, s) => ({
      id: `p${p + 1}s${s + 1}`,
      paragraph: p + 1,
      text: sentence.replace(/[ \t\n]+/g, ' ').trim(),
    })),
  );
}
