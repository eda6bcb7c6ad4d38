import { defineConfig } from 'vitest/config';

const env = { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true' };

/**
 * Two projects that run side by side: the suite, one file at a time against the shared DynamoDB Local and S3
 * server of the global setup; and the crash matrix, whose cases start stacks of their own (processes with their own
 * JVM and data folder) and spend most of their time waiting for them.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/crash/**'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
          env,
        },
      },
      {
        test: {
          name: 'crash',
          include: ['test/crash/**/*.test.ts'],
          testTimeout: 420_000,
          hookTimeout: 90_000,
          fileParallelism: false,
          env,
        },
      },
    ],
  },
});
