import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';

const HERE = import.meta.dirname;

/**
 * esbuild resolves packages by their `module` field first: the AWS SDK's ES build, which esbuild can tree-shake
 * (the SDK packages declare `"sideEffects": false`), instead of its `dist-cjs` files, each one pre-bundled CommonJS
 * that comes in whole (every DynamoDB command, the browser user-agent parser, ...). Packages with an `exports` map
 * resolve through it either way.
 */
export const BUNDLE_MAIN_FIELDS = ['module', 'main'];

/**
 * Modules the SDK imports that a Lambda function never runs, replaced in every bundle by small stand-ins (each
 * file says why it is safe). Values are absolute paths: esbuild resolves alias targets from its working directory.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': join(HERE, 'lambda-credentials.ts'),
  '@smithy/core/event-streams': join(HERE, 'no-event-streams.ts'),
  'mnemonist/lru-cache': join(HERE, 'lru-cache.ts'),
};

/**
 * How every function is built, as esbuild options: what the CDK app gives NodejsFunction (project-function.ts), and
 * what a benchmark or test uses to build a bundle as a function's would be.
 */
export const FUNCTION_BUILD = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  minify: true,
  // Error class names reach Step Functions (Retry/Catch match them): minification must not rename them.
  keepNames: true,
  mainFields: BUNDLE_MAIN_FIELDS,
  alias: { ...BUNDLE_ALIASES },
} satisfies BuildOptions;
