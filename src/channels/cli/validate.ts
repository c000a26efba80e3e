/** `npm run validate`: checks all content; problems are printed as file:line and the exit code is 1. */
import { engineSettingsFrom } from '../../content/settings.js';
import { ContentError } from '../../content/yamlFile.js';
import { loadDotEnv, settingsOrExit } from '../shared/env.js';
import { loadEngine } from '../shared/loadEngine.js';

loadDotEnv();
const settings = settingsOrExit(engineSettingsFrom);

try {
  const engine = await loadEngine(settings, { cache: false });
  const { calibration } = engine.model.classifier;
  console.log(`content ok (version ${engine.contentVersion}); leave-one-out accuracy ${(calibration.looAccuracy * 100).toFixed(1)}%`);
} catch (error) {
  if (!(error instanceof ContentError)) throw error;
  console.error(error.problems.join('\n'));
  console.error(`${error.problems.length} problem(s) found`);
  process.exitCode = 1;
}
