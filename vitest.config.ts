import { defineConfig } from 'vitest/config';

const shared = {
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 90_000,
  env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' },
};

/**
 * The long races that run in the crash project, beside the suite: the drain-race property test, the fault injection,
 * and the fence's 50-round races through the producer client and the two HTTP shapes (a minute or so each).
 */
const RACES = [
  'test/drain-race.test.ts',
  'test/fault-injection.test.ts',
  'test/client-fence.test.ts',
  'test/fence-http.test.ts',
];

/**
 * Two projects of one worker each: the suite's files one at a time (they share one DynamoDB Local, and several time
 * what they watch), and the crash matrix (with the drain-race property test and the fault injection), whose cases start stacks of their own (their own JVM, data folder and
 * port) and spend most of their time waiting on them. `npm test` (test/run-projects.mjs) runs the two as two
 * processes side by side, so on two cores the matrix runs beside the suite instead of after it; a plain
 * `vitest run` runs them one after the other.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/crash/**', ...RACES],
          maxWorkers: 1,
        },
      },
      {
        test: {
          ...shared,
          name: 'crash',
          // The matrix's stacks start engines of their own; the drain-race property test (minutes of upgrades) and
          // the fault injection (a minute of upgrades with a failing Task each) use this project's DynamoDB Local,
          // so these long files run beside the suite, not after it (the two projects take about as long).
          include: ['test/crash/**/*.test.ts', ...RACES],
          maxWorkers: 1,
        },
      },
    ],
  },
});
