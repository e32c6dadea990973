import { defineConfig } from 'vitest/config';

// Browser tests in Debian's firefox-esr on the production Firefox build, driven over Marionette.
// One Firefox at a time: CI has two cores, and each suite starts its own browser.
export default defineConfig({
  test: {
    include: ['tests/e2e/firefox/**/*.firefox.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
