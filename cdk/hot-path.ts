import { MethodLoggingLevel } from 'aws-cdk-lib/aws-apigateway';
import { SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';

/**
 * What the intent routes log and trace. Every intent crosses them two to five times (register, PATCHes, complete),
 * so here observability is paid per intent: at API Gateway's INFO level, Powertools' INFO request line, Lambda's
 * START/END/REPORT lines and X-Ray's default 5%, the logs and traces cost more than the fence's DynamoDB calls
 * (`npm run bench:cost`). The admin routes keep the full settings. Failures stay visible: errors are logged at
 * every layer, and the Lambda metrics (Invocations, Errors, Duration, Throttles) do not depend on logs.
 */
export const HOT_PATH = {
  /** API Gateway execution logs of the intent methods: errors only (INFO writes several lines a request). */
  executionLogLevel: MethodLoggingLevel.ERROR,
  /** Powertools' level in the intent functions: warnings and errors (no per-request INFO line)... */
  functionLogLevel: 'WARN',
  /** ...except in this share of invocations, which log everything down to DEBUG (POWERTOOLS_LOGGER_SAMPLE_RATE). */
  debugSampleRate: 0.01,
  /** Lambda's own platform lines (START, END, REPORT): only warnings (needs the JSON log format). */
  systemLogLevel: SystemLogLevel.WARN,
  /** The share of intent requests X-Ray traces (the API stage's sampling rule, after one a second)... */
  traceRate: 0.01,
  /** ...and the intent functions trace only what the caller sampled (no 5% of their own). */
  functionTracing: Tracing.PASS_THROUGH,
} as const;

/** The Powertools variables of an intent function: its level and its debug sample. */
export const hotPathLogEnvironment = (): Record<string, string> => ({
  POWERTOOLS_LOG_LEVEL: HOT_PATH.functionLogLevel,
  POWERTOOLS_LOGGER_SAMPLE_RATE: String(HOT_PATH.debugSampleRate),
});
