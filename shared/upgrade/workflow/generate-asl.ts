import type { OtherEntry, TaskEntry, WorkflowDefinition } from './types.ts';

/** A Task state's TimeoutSeconds is its function's timeout plus this: Lambda always gives up first. */
export const STATE_TIMEOUT_MARGIN_SECS = 30;

/** The Lambda errors AWS recommends retrying for a Task that invokes a function. */
export const LAMBDA_RETRYABLE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
] as const;

/**
 * What a step's transient dependency failure is rethrown as (lambdas/workflow/workflow-task.ts): DynamoDB or S3 timing
 * out, throttling, refusing the connection or answering 5xx once the SDK's own attempts are spent (a checkpoint part
 * upload, a store read). An idempotent Task retries it like its own time-out.
 */
export const DEPENDENCY_UNAVAILABLE = 'DependencyUnavailable';

/** Backoff of every Retry: 2 s, then doubling, with full jitter. */
export const RETRY_BACKOFF = { IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' };

/** The ASL of one Task entry. Rules hold by construction: see the comments on each field. */
export function taskState(t: TaskEntry): Record<string, unknown> {
  const arn = `\${${t.fn}FunctionArn}`;
  const out: Record<string, unknown> = { Type: 'Task' };
  if (t.callback) {
    out.Resource = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
    if (t.comment) out.Comment = t.comment;
    out.Parameters = { FunctionName: arn, Payload: t.parameters ?? {} };
    // The wait's own deadline (an input of the upgrade); the function only records the token.
    out.TimeoutSecondsPath = t.callback.timeoutSecondsPath;
  } else {
    out.Resource = arn;
    if (t.comment) out.Comment = t.comment;
    if (t.parameters) out.Parameters = t.parameters;
    // Strictly longer than the function's timeout: an attempt never overlaps one still running.
    out.TimeoutSeconds = t.timeoutSecs + STATE_TIMEOUT_MARGIN_SECS;
  }
  out.ResultPath = t.resultPath;
  if (t.outputPath) out.OutputPath = t.outputPath;
  // Only an idempotent step is retried after a timeout or a dependency's failure (the attempt may have done part of
  // its work, or all of it).
  const transient = t.idempotent && !t.callback ? ['States.Timeout', DEPENDENCY_UNAVAILABLE] : [];
  out.Retry = [{ ErrorEquals: [...LAMBDA_RETRYABLE_ERRORS, ...transient], ...RETRY_BACKOFF }];
  if (t.catch)
    out.Catch = [{ ErrorEquals: ['States.ALL'], ResultPath: t.catch.resultPath, Next: t.catch.next }];
  out.Next = t.next;
  return out;
}

/** The whole ASL document (JSONPath, one file both engines run), placeholders `${XxxFunctionArn}` left in. */
export function generateAsl(def: WorkflowDefinition): Record<string, unknown> {
  const states: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(def.states)) {
    states[name] = entry.Type === 'Task' ? taskState(entry as TaskEntry) : { ...(entry as OtherEntry) };
  }
  return {
    Comment: def.comment,
    StartAt: def.startAt,
    TimeoutSeconds: def.executionTimeoutSecs,
    States: states,
  };
}
