import { defineConfig } from 'vitest/config'

// Two projects: fast colocated unit tests, and everything that talks to the sandbox over real HTTP
// (contract, integration, store and end-to-end tests). `npm test` runs both.
export default defineConfig({
  test: {
    setupFiles: ['test/helpers/setup-env.ts'],
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.unit.test.ts', 'emulators/**/*.unit.test.ts', 'web/**/*.unit.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts', 'src/**/*.integration.test.ts', 'emulators/**/*.integration.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
})
