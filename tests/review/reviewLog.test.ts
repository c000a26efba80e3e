/**
 * The unanswered-question review: a few hundred questions through the real bot with the review log
 * on, then what the log holds (kinds, no safety text, nothing a redaction should have caught), its
 * bounds, and the report's groups.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { redact } from '../../src/channels/review/redact.js';
import { ReviewLog, type ReviewEntry } from '../../src/channels/review/reviewLog.js';
import { FileReviewSink } from '../../src/channels/review/sinks.js';
import { reviewHtml, reviewOf, reviewSummary } from '../../scripts/reviewReport.js';
import { BotConversation } from '../bot/conversation.js';
import { projectEngine } from '../support/engine.js';

const { engine } = projectEngine();
const folder = mkdtempSync(join(tmpdir(), 'review-log-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const silent = pino({ level: 'silent' });

const offTopic = (parse(readFileSync('tests/data/offtopic.yaml', 'utf8')) as { questions: string[] }).questions;
const crisis = Object.values(parse(readFileSync('tests/data/crisis.yaml', 'utf8')) as Record<string, string[]>).flat();
const PEOPLE = ['Alice Moreau', 'Bob', 'Chandra Patel', 'dmitri', 'Eve Santos', 'Farid', 'Grace Lee', 'Hana', 'Ivan Petrov', 'Jo'];
/** Questions on the medicine the document does not answer, with personal details. */
const personal = PEOPLE.flatMap((person, index) => [
  `my name is ${person} and my email is ${person.split(' ')[0]!.toLowerCase()}${index}@example.com, what colour is a klonopin pill`,
  `what does a clonazepam tablet look like? call me on +1 (555) 201-${String(1000 + index)} or see https://pics.example.org/pill${index}`,
  `what colour are the pills, my patient number is 98765${index}4321`,
  `how much does klonopin cost without insurance, email me at ${index}x@clinic.co.uk`,
  `what is the price of clonazepam at walmart, my name is ${person}`,
  `can i keep my klonopin in the fridge, my phone is 07700 900${String(100 + index)}`,
]);

async function feed(questions: string[], review: ReviewLog): Promise<void> {
  const chat = new BotConversation(engine, { review });
  for (const question of questions) await chat.send(question);
  await review.close();
}

function readEntries(path: string): ReviewEntry[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ReviewEntry);
}

describe('redact', () => {
  it.each([
    ['write to jane.doe+meds@mail.example.com please', 'write to [email] please'],
    ['see https://example.org/a?b=1 or www.pharmacy.com', 'see [url] or [url]'],
    ['the forum at reddit.com/r/benzo says', 'the forum at [url] says'],
    ['call +44 20 7946 0958 or (555) 123-4567', 'call [phone] or [phone]'],
    ['my card is 4111111111111111', 'my card is [phone]'],
    ['record 12345 and 2 mg at 8:30', 'record [number] and 2 mg at 8:30'],
    ['hi, my name is Mary Ann Jones and i take 0.5 mg', 'hi, my name is [name] and i take 0.5 mg'],
    ["My name's tom, what is clonazepam", "My name's [name], what is clonazepam"],
  ])('%s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });
});

describe('the review log behind the bot', () => {
  const path = join(folder, 'review.jsonl');
  const questions = [...offTopic, ...crisis, ...personal, 'how long does klonopin last?', 'what is the half-life of clonazepam', 'tell me more'];

  it(`records a few hundred questions (${questions.length}): fallbacks and known gaps with their candidates, safety messages only counted`, async () => {
    await feed(questions, new ReviewLog(engine, new FileReviewSink(path, { maxEntries: 10_000, retentionDays: 30 }), 0.5, silent));
    const entries = readEntries(path);
    const kinds = new Set(entries.map((entry) => entry.kind));
    expect(kinds).toContain('fallback');
    expect(kinds).toContain('gap');
    expect(kinds).toContain('safety');
    expect(entries.length).toBeGreaterThan(250);
    const today = new Date().toISOString().slice(0, 10);
    for (const entry of entries) {
      expect(entry.day).toBe(today);
      expect(entry.contentVersion).toBe(engine.contentVersion);
      if (entry.kind === 'safety') expect(Object.keys(entry).sort()).toEqual(['contentVersion', 'day', 'kind']);
      else expect(entry.candidates!.length).toBeGreaterThan(0);
    }
    expect(entries.filter((entry) => entry.kind === 'safety').length).toBeGreaterThanOrEqual(crisis.length * 0.9);
    expect(entries.some((entry) => entry.question === 'how long does klonopin last?')).toBe(false);
  });

  it('keeps no e-mail address, phone number, long digit run, URL or given name, and no safety message text', () => {
    const text = readFileSync(path, 'utf8');
    const questions = readEntries(path).map((entry) => entry.question ?? '');
    for (const question of questions) {
      expect(question).not.toMatch(/@|https?:|www\.|example\.(com|org)|clinic\.co\.uk/);
      expect(question).not.toMatch(/\d{5,}|\d{3}\D\d{4}/);
    }
    for (const person of PEOPLE) expect(text).not.toMatch(new RegExp(`\\b${person.split(' ')[0]}\\b`, 'i'));
    for (const message of crisis) expect(text).not.toContain(JSON.stringify(message));
    expect(text).toContain('my name is [name]');
  });

  it('groups the questions: the pill-appearance and cost questions each in a group with their gap intent, a YAML snippet each', async () => {
    const review = reviewOf(await new FileReviewSink(path, { maxEntries: 10_000, retentionDays: 30 }).entries(), engine);
    const groupOf = (intent: string) => review.clusters.find((cluster) => cluster.nearestIntents[0]?.intent === intent && cluster.size >= 10);
    for (const intent of ['gap.appearance', 'gap.cost']) {
      const group = groupOf(intent);
      expect(group, intent).toBeDefined();
      expect(parse(group!.yaml)).toEqual({ intents: [{ id: intent, utterances: expect.arrayContaining([expect.any(String)]) }] });
    }
    expect(review.clusters.length).toBeLessThan(review.entries);
    expect(review.clusters[0]!.size).toBeGreaterThanOrEqual(review.clusters.at(-1)!.size);
    const html = reviewHtml(review, engine.contentVersion);
    expect(html).toContain('gap.appearance');
    expect(html).not.toMatch(/<li>[^<]*<script/);
    expect(reviewSummary(review)).toMatch(/^\d+ entries \(.*safety \d+.*\); \d+ groups of questions\./);
  });
});

describe('the review log file bounds', () => {
  const entry = (day: string, question = 'what colour is the pill'): ReviewEntry => ({ day, kind: 'gap', contentVersion: 'v', question });

  it('keeps at most maxEntries, the newest', async () => {
    const path = join(folder, 'bounded.jsonl');
    const sink = new FileReviewSink(path, { maxEntries: 10, retentionDays: 30 });
    const today = new Date().toISOString().slice(0, 10);
    for (let n = 0; n < 100; n++) await sink.append(entry(today, `question ${n}`));
    expect(readEntries(path).length).toBeLessThanOrEqual(11);
    expect((await sink.entries()).map((kept) => kept.question)).toEqual(Array.from({ length: 10 }, (_, n) => `question ${90 + n}`));
  });

  it('drops entries older than the retention period', async () => {
    const path = join(folder, 'retention.jsonl');
    writeFileSync(path, [entry('2020-01-01'), entry('2020-01-02')].map((old) => `${JSON.stringify(old)}\n`).join(''));
    const sink = new FileReviewSink(path, { maxEntries: 10, retentionDays: 30 });
    await sink.append(entry(new Date().toISOString().slice(0, 10)));
    expect(readEntries(path).map((kept) => kept.day)).toEqual([new Date().toISOString().slice(0, 10)]);
  });
});
