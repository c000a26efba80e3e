/**
 * `npm run review`: reads the review log (REVIEW_LOG), groups the questions and writes
 * reports/review.html, then prints a short summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reviewSinkFrom } from '../src/channels/review/sinks.js';
import { loadDotEnv, settingsOrExit } from '../src/channels/shared/env.js';
import { loadEngine, PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';
import { settingsFrom } from '../src/channels/shared/settings.js';
import { reviewHtml, reviewOf, reviewSummary } from './reviewReport.js';

async function main(): Promise<void> {
  loadDotEnv();
  const settings = settingsOrExit(settingsFrom);
  if (!settings.review.log) throw new Error('REVIEW_LOG is not set: there is no review log to read (see README.md, "Unanswered-question review")');
  let connecting: Promise<unknown> = Promise.resolve();
  const sink = reviewSinkFrom(settings.review.log, settings.review, (client) => {
    connecting = client.connect();
  });
  await connecting;
  const [entries, engine] = await Promise.all([sink.entries(), loadEngine(settings.engine)]);
  await sink.close();
  const review = reviewOf(entries, engine);
  const reports = join(PROJECT_ROOT, 'reports');
  mkdirSync(reports, { recursive: true });
  writeFileSync(join(reports, 'review.html'), reviewHtml(review, engine.contentVersion));
  console.log(`${reviewSummary(review)}\nWrote reports/review.html`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
