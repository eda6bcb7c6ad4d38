import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FUNCTION_BUILD } from './bundling/options.ts';
import { HOT_PATH, hotPathLogEnvironment } from './hot-path.ts';

export const PROJECT_ROOT = join(import.meta.dirname, '..');

/**
 * Where each function's source map is kept, out of its asset (`<logical id>.js.map`): what ships is the bundle
 * alone, and a stack trace from AWS can still be decoded here against the map of the same synth.
 */
export const SOURCE_MAP_DIR = join(PROJECT_ROOT, 'cdk.out', 'source-maps');

export interface ProjectFunctionProps {
  /** Handler file, relative to the repository root (e.g. lambdas/drain-start.ts). */
  readonly entry: string;
  readonly description: string;
  readonly environment: Record<string, string>;
  /** Default 256 MB. */
  readonly memorySize?: number;
  /** Default 30 s. */
  readonly timeout?: Duration;
  /** An intent route's function: it logs (Powertools and Lambda) and traces as HOT_PATH says (cdk/hot-path.ts). */
  readonly hotPath?: boolean;
}

/**
 * The one way this project makes a Lambda function: Node.js 22 on arm64, explicit memory and timeout, X-Ray
 * tracing (an intent route's: the caller's sample), its own log group with retention, bundled by the project's own esbuild (no Docker) with the AWS SDK
 * inside (its ES build, without the parts a function never runs) and class and function names kept.
 *
 * What ships is `index.js` alone, and what `bench:bundles` measures: no source map in the asset (it was 5x the
 * bundle, 200 MB over all functions) and no `--enable-source-maps` (10-12 ms more on every cold init). Stack traces
 * keep their names (keepNames); the map of each bundle stays in SOURCE_MAP_DIR for decoding positions.
 */
export class ProjectFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      entry: join(PROJECT_ROOT, props.entry),
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      handler: 'handler',
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: props.hotPath ? HOT_PATH.functionTracing : Tracing.ACTIVE,
      logGroup,
      ...(props.hotPath
        ? { loggingFormat: LoggingFormat.JSON, systemLogLevelV2: HOT_PATH.systemLogLevel }
        : {}),
      environment: props.hotPath ? { ...props.environment, ...hotPathLogEnvironment() } : props.environment,
      bundling: {
        sourceMap: true,
        // No sourceMappingURL comment; the map is moved out of the asset before it is hashed and staged.
        sourceMapMode: SourceMapMode.EXTERNAL,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) => [
            `mkdir -p "${SOURCE_MAP_DIR}" && mv "${output}/index.js.map" "${SOURCE_MAP_DIR}/${id}.js.map"`,
          ],
        },
        minify: FUNCTION_BUILD.minify,
        target: FUNCTION_BUILD.target,
        format: OutputFormat.CJS,
        keepNames: FUNCTION_BUILD.keepNames,
        // The AWS SDK is bundled: functions run the SDK versions the tests ran, not whatever the runtime ships...
        externalModules: [],
        // ...in its ES build, tree-shaken, with what never runs on Lambda left out (cdk/bundling/options.ts).
        mainFields: FUNCTION_BUILD.mainFields,
        esbuildArgs: { '--alias': Object.entries(FUNCTION_BUILD.alias).map(([from, to]) => `${from}=${to}`) },
        forceDockerBundling: false,
      },
    });
    if (props.hotPath)
      Validations.of(this).acknowledge({
        id: 'Serverless::Serverless-LambdaTracing',
        reason:
          "An intent route's function traces what its caller sampled (PassThrough): the API's sampling rule traces 1% of intent requests (cdk/hot-path.ts), not the default 5% of a per-intent path.",
      });
  }
}
