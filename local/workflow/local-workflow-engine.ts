import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { WORKFLOW_TASKS } from '../../lambdas/workflow/tasks.ts';
import { ConflictError, NotFoundError } from '../../shared/domain/errors.ts';
import type {
  ExecutionDescription,
  ExecutionEvent,
  ExecutionStatus,
  WorkflowEngine,
} from '../../shared/upgrade/workflow-engine.ts';

type TaskFn = (input: unknown) => Promise<unknown>;

export interface LocalEngineOptions {
  /** Pause between Retry attempts, in ms (AWS waits IntervalSeconds with backoff; locally shorter). */
  readonly retryIntervalMs?: number;
  /** Fault injection for tests: the number of times each Task state fails (as Lambda.ServiceException) before its handler runs. */
  readonly faults?: Record<string, number>;
}

interface Run {
  name: string;
  arn: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate: string | null;
  output: unknown;
  error: string | null;
  cause: string | null;
  events: ExecutionEvent[];
  abort: () => void;
  finished: Promise<void>;
}

export const ASL_FILE = join(import.meta.dirname, '../../statemachines/upgrade.asl.json');

/**
 * The same ASL file run by aws-local-stepfunctions in this process, each Task mapped to its Lambda handler from
 * lambdas/workflow/. Waits are real; the event log is kept as the execution history.
 */
export class LocalWorkflowEngine implements WorkflowEngine {
  readonly kind = 'local' as const;
  private readonly machine: StateMachine;
  private readonly stateHandlers: Record<string, TaskFn> = {};
  private readonly runs = new Map<string, Run>();
  /** Steps waiting for a callback, by task token: resolved by sendTaskSuccess / sendTaskFailure. */
  private readonly waiting = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    definition: StateMachineDefinition,
    handlers: Record<string, TaskFn>,
    private readonly opts: LocalEngineOptions,
  ) {
    this.machine = new StateMachine(definition);
    for (const [stateName, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task') continue;
      const callback = state.Resource.endsWith('.waitForTaskToken');
      const fnName = callback
        ? String((state as { Parameters?: { FunctionName?: string } }).Parameters?.FunctionName)
        : state.Resource;
      const placeholder = /function:(\w+)$/.exec(fnName)?.[1] ?? '';
      const handler = handlers[placeholder];
      if (!handler) throw new Error(`Task "${stateName}" has no local handler for ${placeholder}`);
      this.stateHandlers[stateName] = this.withFaults(
        stateName,
        callback ? this.callbackTask(handler) : handler,
      );
    }
  }

  /** Loads the ASL file and every workflow handler (the very modules AWS runs). */
  static async create(opts: LocalEngineOptions = {}): Promise<LocalWorkflowEngine> {
    const text = readFileSync(ASL_FILE, 'utf8').replace(
      /\$\{(\w+)FunctionArn\}/g,
      (_, name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    );
    const handlers: Record<string, TaskFn> = {};
    for (const [placeholder, file] of Object.entries(WORKFLOW_TASKS)) {
      const mod = (await import(`../../lambdas/workflow/${file}.ts`)) as { handler: TaskFn };
      handlers[placeholder] = mod.handler;
    }
    return new LocalWorkflowEngine(
      adaptTimeoutPaths(JSON.parse(text) as StateMachineDefinition),
      handlers,
      opts,
    );
  }

  async start(name: string, input: unknown): Promise<{ executionArn: string }> {
    const arn = `arn:aws:states:local:000000000000:execution:upgrade:${name}`;
    if (this.runs.has(arn))
      throw new ConflictError('execution_exists', `an execution named ${name} exists already`);
    const retryIntervalOverrides = Object.fromEntries(
      Object.keys(this.stateHandlers).map((s) => [s, this.opts.retryIntervalMs ?? 200]),
    );
    const exec = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.stateHandlers as never, retryIntervalOverrides },
      noThrowOnAbort: true,
      // One task token per execution: locally a callback step is an awaited promise keyed by it.
      context: {
        Execution: { Id: arn, Name: name, Input: input as never, StartTime: new Date().toISOString() },
        Task: { Token: `local-token:${name}` },
      },
    });
    const run: Run = {
      name,
      arn,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
      stopDate: null,
      output: null,
      error: null,
      cause: null,
      events: [],
      abort: exec.abort,
      finished: Promise.resolve(),
    };
    const record = async () => {
      for await (const e of exec.eventLogs) run.events.push(toEvent(e as unknown as Record<string, unknown>));
    };
    const logged = record().catch(() => {});
    run.finished = exec.result
      .then((output) => {
        if (run.status === 'RUNNING')
          Object.assign(run, { status: output === null ? 'ABORTED' : 'SUCCEEDED', output });
      })
      .catch((err: Error & { cause?: Error }) => {
        const inner = err.cause ?? err;
        Object.assign(run, {
          status: 'FAILED',
          error: inner.name ?? 'Error',
          cause: inner.message ?? String(err),
        });
      })
      .then(() => logged)
      .finally(() => {
        run.stopDate = new Date().toISOString();
      });
    this.runs.set(arn, run);
    return { executionArn: arn };
  }

  async describe(executionArn: string): Promise<ExecutionDescription> {
    const run = this.get(executionArn);
    const { name, status, startDate, stopDate, output, error, cause } = run;
    return { executionArn, name, status, startDate, stopDate, output, error, cause };
  }

  async history(executionArn: string): Promise<ExecutionEvent[]> {
    return [...this.get(executionArn).events];
  }

  async stop(executionArn: string, cause: string): Promise<void> {
    const run = this.get(executionArn);
    if (run.status !== 'RUNNING') return;
    Object.assign(run, { status: 'ABORTED', cause });
    run.abort();
  }

  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    const w = this.waiting.get(taskToken);
    if (!w) throw new NotFoundError(`no step is waiting for task token ${taskToken}`);
    this.waiting.delete(taskToken);
    w.resolve(output);
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    const w = this.waiting.get(taskToken);
    if (!w) throw new NotFoundError(`no step is waiting for task token ${taskToken}`);
    this.waiting.delete(taskToken);
    const err = new Error(cause);
    err.name = error;
    w.reject(err);
  }

  /**
   * `lambda:invoke.waitForTaskToken` locally: run the function with the Payload (it records the token), then wait
   * for sendTaskSuccess/Failure. The state's TimeoutSeconds(Path) bounds the wait, as on AWS.
   */
  private callbackTask(handler: TaskFn): TaskFn {
    return async (input) => {
      const payload = (input as { Payload: { task_token: string } }).Payload;
      const result = new Promise((resolve, reject) =>
        this.waiting.set(payload.task_token, { resolve, reject }),
      );
      try {
        await handler(payload);
      } catch (err) {
        this.waiting.delete(payload.task_token);
        throw err;
      }
      return result;
    };
  }

  /** Resolves when the execution has ended (tests and the demo wait on this). */
  async finished(executionArn: string): Promise<ExecutionDescription> {
    await this.get(executionArn).finished;
    return this.describe(executionArn);
  }

  /** Aborts every running execution (shutdown). */
  stopAll(): void {
    for (const run of this.runs.values()) if (run.status === 'RUNNING') run.abort();
  }

  private get(arn: string): Run {
    const run = this.runs.get(arn);
    if (!run)
      throw new NotFoundError(
        `no execution ${arn} in this local engine (executions do not survive a restart)`,
      );
    return run;
  }

  private withFaults(stateName: string, handler: TaskFn): TaskFn {
    let left = this.opts.faults?.[stateName] ?? 0;
    return async (input) => {
      if (left > 0) {
        left--;
        const fault = new Error(`injected fault in "${stateName}"`);
        fault.name = 'Lambda.ServiceException';
        throw fault;
      }
      return handler(input);
    };
  }
}

function toEvent(e: Record<string, unknown>): ExecutionEvent {
  const state = (e.state as { name?: string } | undefined)?.name ?? null;
  return {
    timestamp: new Date(Number(e.timestamp)).toISOString(),
    type: String(e.type),
    state,
    error: typeof e.Error === 'string' ? e.Error : null,
    cause: e.Cause === undefined ? null : String(e.Cause),
  };
}

/**
 * aws-local-stepfunctions 3.0.0 resolves a Task's TimeoutSecondsPath against its effective input (after
 * Parameters), where AWS resolves it against the state input. For a callback Task whose Parameters carry the state
 * in `Payload`, the local copy of the definition looks the path up inside `Payload`: same value, both engines.
 */
function adaptTimeoutPaths(definition: StateMachineDefinition): StateMachineDefinition {
  for (const state of Object.values(definition.States)) {
    const t = state as { Type: string; TimeoutSecondsPath?: string; Parameters?: { Payload?: unknown } };
    if (t.Type === 'Task' && t.TimeoutSecondsPath?.startsWith('$.') && t.Parameters?.Payload) {
      t.TimeoutSecondsPath = `$.Payload.${t.TimeoutSecondsPath.slice(2)}`;
    }
  }
  return definition;
}
