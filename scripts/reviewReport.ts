/**
 * The review of unanswered questions: groups similar ones (natural's TF-IDF over each question's
 * content stems, then a single pass that joins a question to the group whose centroid is most like
 * it, by cosine, or starts a new one), and renders the groups as HTML with a YAML snippet each.
 */
import { createRequire } from 'node:module';
import type TfIdf from 'natural/lib/natural/tfidf/tfidf.js';
import { stringify } from 'yaml';
import type { ReviewEntry, ReviewKind } from '../src/channels/review/reviewLog.js';
import type { Engine } from '../src/engine/engine.js';

const require = createRequire(import.meta.url);

/** How alike (cosine of TF-IDF vectors) a question must be to a group's centroid to join it. */
const JOIN_SIMILARITY = 0.3;
const EXAMPLES = 5;
const NEAREST_INTENTS = 3;

type Vector = Map<string, number>;

export interface Cluster {
  size: number;
  /** The stems that weigh most in the group. */
  terms: string[];
  examples: string[];
  kinds: Partial<Record<ReviewKind, number>>;
  /** The classifier's intents for its questions, by mean score. */
  nearestIntents: { intent: string; score: number }[];
  /** Training utterances to paste under an intent. */
  yaml: string;
}

export interface Review {
  entries: number;
  kinds: Partial<Record<ReviewKind, number>>;
  clusters: Cluster[];
}

export function reviewOf(entries: readonly ReviewEntry[], engine: Engine): Review {
  const questions = entries.filter((entry): entry is ReviewEntry & { question: string } => entry.question !== undefined);
  const vectors = tfidfVectors(questions.map((entry) => engine.model.featurizer.analyze(entry.question).contentStems));
  const groups = groupBySimilarity(vectors);
  const clusters = groups.map((members) =>
    clusterOf(
      members.map((index) => questions[index]!),
      centroidOf(members.map((index) => vectors[index]!)),
    ),
  );
  return { entries: entries.length, kinds: countKinds(entries), clusters: clusters.sort((a, b) => b.size - a.size) };
}

function tfidfVectors(documents: string[][]): Vector[] {
  const tfidf = new (require('natural/lib/natural/tfidf/tfidf.js') as typeof TfIdf)();
  for (const stems of documents) tfidf.addDocument([...stems]);
  return documents.map((stems, index) => unit(new Map([...new Set(stems)].map((stem) => [stem, tfidf.tfidf(stem, index)]))));
}

/** Each question joins the most similar group (by its centroid so far) above JOIN_SIMILARITY, or starts one. */
function groupBySimilarity(vectors: Vector[]): number[][] {
  const groups: { members: number[]; sum: Vector }[] = [];
  vectors.forEach((vector, index) => {
    let best: { members: number[]; sum: Vector } | undefined;
    let bestSimilarity = JOIN_SIMILARITY;
    for (const group of groups) {
      const similarity = dot(vector, unit(group.sum));
      if (similarity >= bestSimilarity) [best, bestSimilarity] = [group, similarity];
    }
    if (!best) groups.push({ members: [index], sum: new Map(vector) });
    else {
      best.members.push(index);
      for (const [term, weight] of vector) best.sum.set(term, (best.sum.get(term) ?? 0) + weight);
    }
  });
  return groups.map((group) => group.members);
}

function clusterOf(members: (ReviewEntry & { question: string })[], centroid: Vector): Cluster {
  const examples = [...new Set(members.map((entry) => entry.question))].slice(0, EXAMPLES);
  const nearestIntents = meanScores(members).slice(0, NEAREST_INTENTS);
  return {
    size: members.length,
    terms: [...centroid]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([term]) => term),
    examples,
    kinds: countKinds(members),
    nearestIntents,
    yaml: yamlSnippet(nearestIntents[0]?.intent, examples),
  };
}

function meanScores(members: readonly ReviewEntry[]): { intent: string; score: number }[] {
  const sums = new Map<string, number>();
  for (const { candidates = [] } of members) for (const { intent, score } of candidates) sums.set(intent, (sums.get(intent) ?? 0) + score);
  return [...sums].map(([intent, sum]) => ({ intent, score: Math.round((sum / members.length) * 1000) / 1000 })).sort((a, b) => b.score - a.score);
}

/** The group's questions as training utterances of its nearest intent (or of a new one, when there is none). */
function yamlSnippet(intent: string | undefined, examples: string[]): string {
  const utterances = examples.map((example) => example.toLowerCase().replace(/\s+/g, ' ').trim());
  return stringify({ intents: [{ id: intent ?? 'new.intent', utterances }] });
}

function countKinds(entries: readonly ReviewEntry[]): Partial<Record<ReviewKind, number>> {
  const kinds: Partial<Record<ReviewKind, number>> = {};
  for (const { kind } of entries) kinds[kind] = (kinds[kind] ?? 0) + 1;
  return kinds;
}

function centroidOf(vectors: Vector[]): Vector {
  const sum: Vector = new Map();
  for (const vector of vectors) for (const [term, weight] of vector) sum.set(term, (sum.get(term) ?? 0) + weight);
  return unit(sum);
}

function unit(vector: Vector): Vector {
  const length = Math.sqrt([...vector.values()].reduce((total, weight) => total + weight * weight, 0));
  return length === 0 ? vector : new Map([...vector].map(([term, weight]) => [term, weight / length]));
}

function dot(a: Vector, b: Vector): number {
  let total = 0;
  for (const [term, weight] of a) total += weight * (b.get(term) ?? 0);
  return total;
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);

function kindsText(kinds: Partial<Record<ReviewKind, number>>): string {
  return Object.entries(kinds)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
}

/** A few lines for the terminal: how many, of which kinds, and the largest groups. */
export function reviewSummary(review: Review, largest = 5): string {
  const lines = [`${review.entries} entries (${kindsText(review.kinds) || 'none'}); ${review.clusters.length} groups of questions.`];
  for (const cluster of review.clusters.slice(0, largest)) {
    const nearest = cluster.nearestIntents[0];
    lines.push(`- ${cluster.size} x "${cluster.examples[0]}" (${cluster.terms.join(', ')}); nearest intent ${nearest ? `${nearest.intent} ${nearest.score}` : 'none'}`);
  }
  return lines.join('\n');
}

export function reviewHtml(review: Review, contentVersion: string): string {
  const sections = review.clusters.map(
    (cluster, index) => `<section>
<h2>${index + 1}. ${cluster.size} question${cluster.size === 1 ? '' : 's'}: ${escapeHtml(cluster.terms.join(', '))}</h2>
<p>${escapeHtml(kindsText(cluster.kinds))}. Nearest intents: ${escapeHtml(cluster.nearestIntents.map(({ intent, score }) => `${intent} (${score})`).join(', ') || 'none')}</p>
<ul>${cluster.examples.map((example) => `<li>${escapeHtml(example)}</li>`).join('')}</ul>
<pre>${escapeHtml(cluster.yaml)}</pre>
</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Unanswered questions</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}section{border-top:1px solid #ccc}</style></head>
<body><h1>Unanswered questions</h1>
<p>${review.entries} entries (${escapeHtml(kindsText(review.kinds) || 'none')}), content version ${escapeHtml(contentVersion)}. Safety messages are counted, never kept.
Paste a group's YAML under the intent in <code>intents/</code> (only the utterances that truly ask for it; never a question from <code>tests/data/</code>), then run <code>npm run validate</code>.</p>
${sections.join('\n')}
</body></html>
`;
}
