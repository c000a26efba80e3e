import { defineConfig } from 'vitest/config';

// Generous limits: a busy 2-core CI machine trains the model and starts servers several times slower
// than an idle one. Speed is measured by `npm run bench`, never by a test's time limit.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
