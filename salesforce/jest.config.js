/**
 * Jest for the package's Lightning web components (LWC Jest: `@salesforce/sfdx-lwc-jest`, which
 * compiles the components with the LWC compiler and stubs `lightning/*` and `@salesforce/*`).
 * The rest of the repository is ESM TypeScript run by vitest; the components are plain JS with
 * LWC decorators, so they get their own runner. sfdx-lwc-jest finds the components through
 * sfdx-project.json in the working directory: run it from salesforce/ (`npm run test:lwc`).
 */
import { fileURLToPath } from 'node:url'
import sfdxLwcJest from '@salesforce/sfdx-lwc-jest/config.js'

export default {
  ...sfdxLwcJest.jestConfig,
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  testMatch: ['<rootDir>/force-app/**/lwc/**/__tests__/**/*.test.js'],
  restoreMocks: true,
}
