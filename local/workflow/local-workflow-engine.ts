import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Bindable, Environment } from '../../lambdas/compose/environment.ts';
import { WORKFLOW_TASKS } from '../../lambdas/workflow/tasks.ts';
import { ConflictError, NotFoundError } from '../../shared/domain/errors.ts';
import type {
  ExecutionDescription,
  ExecutionEvent,
  RecoveryRequest,
  WorkflowEngine,
} from '../../shared/upgrade/workflow-engine.ts';
import { crashHook, crashNow } from './crash-hook.ts';
import { ExecutionJournal } from './execution-journal.ts';
import { adaptTimeoutPaths, type GuardedTask, type Run, type TaskFn, toEvent } from './execution-run.ts';
import { LocalRecoveries } from './local-recovery.ts';
import { originalStateName, resumeDefinition } from './resume-definition.ts';

export interface LocalEngineOptions {
  /** Pause between Retry attempts, in ms (AWS waits IntervalSeconds with backoff; locally shorter). */
  readonly retryIntervalMs?: number;
  /** Fault injection for tests: the number of times each Task state fails (as Lambda.ServiceException) before its handler runs. */
  readonly faults?: Record<string, number>;
  /** The data folder: executions are saved in `<dataDir>/executions/` and resumed by {@link resumeInterrupted}. */
  readonly dataDir?: string;
  /** The environment the Tasks run in (the local stack's, a test's); without it, the Tasks' own (AWS's). */
  readonly environment?: Environment;
  /**
   * Tests only: every Wait state lasts this many ms instead of its seconds (the drain-race property test runs
   * hundreds of upgrades). Callback timeouts and the steps' own clocks are unchanged.
   */
  readonly waitMs?: number;
}

export const ASL_FILE = join(import.meta.dirname, '../../statemachines/upgrade.asl.json');

const never = () => new Promise<never>(() => {});
/** Lets the event consumer save what the interpreter dispatched (it runs on microtasks) before going on. */
const flush = () => new Promise<void>((r) => setImmediate(r));

/**
 * The same ASL file run by aws-local-stepfunctions in this process, each Task mapped to its Lambda handler from
 * lambdas/workflow/. Waits are real; the event log is kept as the execution history. With a data folder, every
 * execution is saved at each state it enters, so one interrupted by a crash or a stop resumes at the next start
 * from the state it was in (that state's Task runs again), its waits and task tokens kept.
 */
export class LocalWorkflowEngine implements WorkflowEngine {
  readonly kind = 'local' as const;
  private readonly machine: StateMachine;
  private readonly stateHandlers: Record<string, TaskFn> = {};
  private readonly callbackHandlers: Record<string, TaskFn> = {};
  private readonly runs = new Map<string, Run>();
  /** Steps waiting for a callback, by task token: resolved by sendTaskSuccess / sendTaskFailure. */
  private readonly waiting = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly journal: ExecutionJournal | null;
  private readonly hook = crashHook();
  /** Shutting down: no new Task starts. Frozen: nothing more is saved (what is saved is resumed next start). */
  private stopping = false;
  private frozen = false;
  private activeTasks = 0;
  /** Recoveries of upgrades whose execution cannot resume, run in the background. */
  readonly recoveries: LocalRecoveries;

  private constructor(
    private readonly definition: StateMachineDefinition,
    handlers: Record<string, TaskFn>,
    private readonly opts: LocalEngineOptions,
  ) {
    this.machine = new StateMachine(definition);
    this.recoveries = new LocalRecoveries(opts.environment);
    this.journal = opts.dataDir ? new ExecutionJournal(join(opts.dataDir, 'executions')) : null;
    for (const [stateName, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task') continue;
      const callback = state.Resource.endsWith('.waitForTaskToken');
      const fnName = callback
        ? String((state as { Parameters?: { FunctionName?: string } }).Parameters?.FunctionName)
        : state.Resource;
      const placeholder = /function:(\w+)$/.exec(fnName)?.[1] ?? '';
      const handler = handlers[placeholder];
      if (!handler) throw new Error(`Task "${stateName}" has no local handler for ${placeholder}`);
      if (callback) this.callbackHandlers[stateName] = handler;
      this.stateHandlers[stateName] = this.guarded(
        stateName,
        this.withFaults(stateName, callback ? this.callbackTask(handler, false) : (input) => handler(input)),
      );
    }
    if (this.journal) this.load(this.journal);
  }

  /** Loads the ASL file and every workflow handler (the very modules AWS runs). */
  static async create(opts: LocalEngineOptions = {}): Promise<LocalWorkflowEngine> {
    const text = readFileSync(ASL_FILE, 'utf8').replace(
      /\$\{(\w+)FunctionArn\}/g,
      (_, name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    );
    const handlers: Record<string, TaskFn> = {};
    for (const [placeholder, file] of Object.entries(WORKFLOW_TASKS)) {
      const mod = (await import(`../../lambdas/workflow/${file}.ts`)) as { handler: Bindable<TaskFn> };
      handlers[placeholder] = opts.environment ? mod.handler.withEnvironment(opts.environment) : mod.handler;
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
    if (this.stopping) throw new ConflictError('shutting_down', 'the local runtime is shutting down');
    const run: Run = {
      name,
      arn,
      input,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
      stopDate: null,
      output: null,
      error: null,
      cause: null,
      current: null,
      resumed: 0,
      events: [],
      abort: () => {},
      finished: Promise.resolve(),
    };
    this.runs.set(arn, run);
    this.save(run);
    this.launch(run, this.machine, input, {}, this.waitOverrides());
    return { executionArn: arn };
  }

  /**
   * Resumes every saved execution that was still running when the runtime stopped, from the state it was in.
   * Returns what was resumed (and what could not be, now FAILED, for the recovery to handle).
   */
  resumeInterrupted(): { name: string; state: string; resumed: boolean; problem?: string }[] {
    const out: { name: string; state: string; resumed: boolean; problem?: string }[] = [];
    for (const run of this.runs.values()) {
      if (run.status !== 'RUNNING') continue;
      const state = run.current?.state ?? '(start)';
      try {
        const plan = resumeDefinition(
          this.definition,
          run.current,
          run.input,
          Date.parse(run.startDate),
          Date.now(),
        );
        const machine = new StateMachine(plan.definition, { validationOptions: { noValidate: true } });
        const extra: Record<string, TaskFn> = {};
        const callback = plan.preparedCallback
          ? this.callbackHandlers[originalStateName(plan.preparedCallback)]
          : undefined;
        if (plan.preparedCallback && callback)
          extra[plan.preparedCallback] = this.guarded(
            plan.preparedCallback,
            this.callbackTask(callback, true),
          );
        run.resumed++;
        this.record(run, { type: 'ExecutionResumed', state, error: null, cause: null });
        this.launch(run, machine, plan.input, extra, plan.waitOverrides);
        out.push({ name: run.name, state, resumed: true });
      } catch (err) {
        const problem = (err as Error).message;
        this.end(run, { status: 'FAILED', error: 'States.ResumeFailed', cause: problem });
        out.push({ name: run.name, state, resumed: false, problem });
      }
    }
    return out;
  }

  /** Every Wait state's time when `waitMs` is set (none otherwise). */
  private waitOverrides(): Record<string, number> {
    const { waitMs } = this.opts;
    if (waitMs === undefined) return {};
    const states = (
      JSON.parse(readFileSync(ASL_FILE, 'utf8')) as { States: Record<string, { Type: string }> }
    ).States;
    return Object.fromEntries(
      Object.entries(states)
        .filter(([, s]) => s.Type === 'Wait')
        .map(([name]) => [name, waitMs]),
    );
  }

  private launch(
    run: Run,
    machine: StateMachine,
    input: unknown,
    extraHandlers: Record<string, TaskFn>,
    waitTimeOverrides: Record<string, number>,
  ): void {
    const handlers = { ...this.stateHandlers, ...extraHandlers };
    const retryIntervalOverrides = Object.fromEntries(
      Object.keys(handlers).map((s) => [s, this.opts.retryIntervalMs ?? 200]),
    );
    const exec = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides, waitTimeOverrides },
      noThrowOnAbort: true,
      // One task token per execution: locally a callback step is an awaited promise keyed by it.
      context: {
        Execution: { Id: run.arn, Name: run.name, Input: input as never, StartTime: run.startDate },
        Task: { Token: `local-token:${run.name}` },
      },
    });
    run.abort = exec.abort;
    const consume = async () => {
      for await (const e of exec.eventLogs) this.onEvent(run, e as unknown as Record<string, unknown>);
    };
    const logged = consume().catch(() => {});
    // The end is recorded once the interpreter's last events (the final state entered) are in the history.
    const result = exec.result.then(
      (output) => ({ output, err: null }),
      (err: Error & { cause?: Error }) => ({ output: null, err }),
    );
    run.finished = Promise.all([result, logged]).then(([{ output, err }]) => {
      if (err) {
        const inner = err.cause ?? err;
        if (!this.frozen)
          this.end(run, {
            status: inner.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED',
            error: inner.name ?? 'Error',
            cause: inner.message ?? String(err),
          });
      } else if (run.status === 'RUNNING' && output !== null) this.end(run, { status: 'SUCCEEDED', output });
      else if (run.status === 'RUNNING' && !this.frozen) this.end(run, { status: 'ABORTED' });
    });
  }

  /** Each interpreter event goes to the history; entering a state saves the execution (where a resume starts). */
  private onEvent(run: Run, raw: Record<string, unknown>): void {
    if (this.frozen || run.status !== 'RUNNING') return;
    const type = String(raw.type);
    if (type.startsWith('Execution')) return; // the end is recorded by `end`
    const event = toEvent(raw);
    this.record(run, event);
    if (type !== 'StateEntered' || !event.state) return;
    const state = raw.state as { name: string; input: unknown };
    const name = originalStateName(state.name);
    // A stand-in keeps the first entry's time, so a second crash still waits only what was left.
    const enteredAt =
      state.name !== name && run.current?.state === name ? run.current.entered_at : Date.now();
    run.current = {
      state: name,
      input: state.input,
      entered_at: enteredAt,
      ...(state.name !== name && run.current?.callback_ready_at
        ? { callback_ready_at: run.current.callback_ready_at }
        : {}),
    };
    this.save(run);
    if (this.hook?.point === name && this.hook.when === 'before' && !(name in this.stateHandlers))
      crashNow(this.hook);
  }

  private record(run: Run, e: Omit<ExecutionEvent, 'timestamp'> & { timestamp?: string }): void {
    const event = { ...e, timestamp: e.timestamp ?? new Date().toISOString() };
    run.events.push(event);
    if (!this.frozen) this.journal?.appendEvent(run.name, event);
  }

  private end(run: Run, patch: Partial<Run>): void {
    Object.assign(run, patch, { stopDate: new Date().toISOString() });
    this.record(run, {
      type: `Execution${run.status === 'SUCCEEDED' ? 'Succeeded' : run.status === 'FAILED' ? 'Failed' : run.status === 'TIMED_OUT' ? 'TimedOut' : 'Aborted'}`,
      state: null,
      error: run.error,
      cause: run.cause,
    });
    this.save(run);
  }

  private save(run: Run): void {
    if (this.frozen || !this.journal) return;
    const { events: _e, abort: _a, finished: _f, ...saved } = run;
    this.journal.save(saved);
  }

  private load(journal: ExecutionJournal): void {
    const loaded = journal.loadAll((file, err) =>
      console.error(`[local] execution file ${file} is unreadable: ${err.message}`),
    );
    for (const { saved, events } of loaded) {
      this.runs.set(saved.arn, { ...saved, events, abort: () => {}, finished: Promise.resolve() });
    }
  }

  /** Starts the recovery of an upgrade whose execution cannot resume, in the background. */
  async startRecovery(request: RecoveryRequest): Promise<void> {
    if (this.stopping) throw new ConflictError('shutting_down', 'the local runtime is shutting down');
    await this.recoveries.start(request);
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
    this.end(run, { status: 'ABORTED', cause });
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
   * for sendTaskSuccess/Failure. The state's TimeoutSeconds(Path) bounds the wait, as on AWS. `prepared`: resumed
   * after the function had run, only the wait is left. `ready` is called once the function has run.
   */
  private callbackTask(handler: TaskFn, prepared: boolean): GuardedTask {
    return async (input, ready) => {
      const payload = (input as { Payload: { task_token: string } }).Payload;
      const result = new Promise((resolve, reject) =>
        this.waiting.set(payload.task_token, { resolve, reject }),
      );
      if (!prepared) {
        try {
          await handler(payload);
        } catch (err) {
          this.waiting.delete(payload.task_token);
          throw err;
        }
        const run = [...this.runs.values()].find((r) => `local-token:${r.name}` === payload.task_token);
        if (run?.current) {
          run.current = { ...run.current, callback_ready_at: Date.now() };
          this.save(run);
        }
      }
      ready(true);
      return result;
    };
  }

  /**
   * Around every Task: its entry is saved before it runs; while shutting down no Task starts, and one that fails
   * then (its database gone) leaves the saved state as it was, to run again at the next start. The crash test's
   * hook fires here (see crash-hook.ts).
   */
  private guarded(stateName: string, task: GuardedTask): TaskFn {
    const name = originalStateName(stateName);
    return async (input) => {
      await flush();
      if (this.stopping) return never();
      const hook = this.hook?.point === name ? this.hook : null;
      if (hook?.when === 'before') crashNow(hook);
      const timer = hook?.when === 'during' ? setTimeout(() => crashNow(hook), hook.duringMs) : null;
      this.activeTasks++;
      let released = false;
      const ready = (ok: boolean) => {
        if (released) return;
        released = true;
        this.activeTasks--;
        if (timer) clearTimeout(timer);
        if (ok && (hook?.when === 'after' || hook?.when === 'during')) crashNow(hook);
      };
      try {
        const result = await task(input, ready);
        ready(true);
        return result;
      } catch (err) {
        ready(false);
        if (this.stopping) {
          this.frozen = true;
          return never();
        }
        throw err;
      }
    };
  }

  /** Resolves when the execution has ended (tests and the demo wait on this). */
  async finished(executionArn: string): Promise<ExecutionDescription> {
    await this.get(executionArn).finished;
    return this.describe(executionArn);
  }

  /**
   * Stops at a state boundary: no new Task starts, Tasks under way get `graceMs` to end (their result is saved),
   * then nothing more is saved and the executions stop. Returns the interrupted executions and where each stood:
   * they resume there at the next start.
   */
  async shutdown(graceMs = 3000): Promise<{ name: string; state: string }[]> {
    this.stopping = true;
    const until = Date.now() + graceMs;
    while (this.activeTasks > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await flush();
    this.frozen = true;
    const interrupted: { name: string; state: string }[] = [];
    for (const run of this.runs.values()) {
      if (run.status !== 'RUNNING') continue;
      interrupted.push({ name: run.name, state: run.current?.state ?? '(start)' });
      run.abort();
    }
    return interrupted;
  }

  /** Aborts every running execution (shutdown without a data folder; tests simulating a lost runtime). */
  stopAll(): void {
    this.stopping = true;
    this.frozen = true;
    for (const run of this.runs.values()) if (run.status === 'RUNNING') run.abort();
  }

  private get(arn: string): Run {
    const run = this.runs.get(arn);
    if (!run)
      throw new NotFoundError(
        `no execution ${arn} in this local engine${this.journal ? '' : ' (executions without a data folder do not survive a restart)'}`,
      );
    return run;
  }

  private withFaults(stateName: string, handler: GuardedTask): GuardedTask {
    let left = this.opts.faults?.[stateName] ?? 0;
    return async (input, ready) => {
      if (left > 0) {
        left--;
        const fault = new Error(`injected fault in "${stateName}"`);
        fault.name = 'Lambda.ServiceException';
        throw fault;
      }
      return handler(input, ready);
    };
  }
}
