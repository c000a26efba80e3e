/** `npm run test:e2e`: the browser tests (tests/e2e/*.e2e.ts), which the default `vitest run` leaves out. */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
