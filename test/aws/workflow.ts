import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { LocalAnswer } from './proxy.ts';
import type { AwsRequest } from './requests.ts';

/** Invokes a Lambda function by ARN as Step Functions would (under the state machine role's policy). */
export type LambdaInvoker = (functionArn: string, payload: unknown) => Promise<unknown>;

/** AWS's history quota per execution: past it the execution fails, uncatchably. */
export const HISTORY_LIMIT = 25_000;

interface Run {
  arn: string;
  name: string;
  input: unknown;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  startDate: number;
  stopDate: number | null;
  output: unknown;
  error: string | null;
  cause: string | null;
  events: {
    timestamp: number;
    type: string;
    state: string | null;
    error: string | null;
    cause: string | null;
  }[];
  abort: () => void;
  finished: Promise<void>;
}

const awsError = (status: number, type: string, message: string): LocalAnswer => ({
  status,
  body: { __type: type, message },
});

/**
 * The template's substituted ASL run by aws-local-stepfunctions, with every Task invoking its bundle, served as
 * the Step Functions API (StartExecution, DescribeExecution, GetExecutionHistory, StopExecution, SendTask*).
 */
export class WorkflowService {
  private readonly machine: StateMachine;
  private readonly taskHandlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  private readonly runs = new Map<string, Run>();
  private readonly waiting = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly issued = new Set<string>();

  constructor(
    private readonly stateMachineArn: string,
    definitionText: string,
    invoke: LambdaInvoker,
  ) {
    const definition = JSON.parse(definitionText) as StateMachineDefinition;
    for (const [name, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task') continue;
      const t = state as {
        Resource: string;
        Parameters?: { Payload?: unknown };
        TimeoutSecondsPath?: string;
      };
      if (t.Resource.endsWith('lambda:invoke.waitForTaskToken')) {
        // aws-local-stepfunctions resolves TimeoutSecondsPath after Parameters (AWS: before): look inside Payload.
        if (t.TimeoutSecondsPath?.startsWith('$.'))
          t.TimeoutSecondsPath = `$.Payload.${t.TimeoutSecondsPath.slice(2)}`;
        this.taskHandlers[name] = async (input) => {
          const { FunctionName, Payload } = input as {
            FunctionName: string;
            Payload: { task_token: string };
          };
          const token = Payload.task_token;
          const result = new Promise((resolve, reject) => this.waiting.set(token, { resolve, reject }));
          this.issued.add(token);
          try {
            await invoke(FunctionName, Payload);
          } catch (err) {
            this.waiting.delete(token);
            throw err;
          }
          return result.finally(() => this.waiting.delete(token));
        };
      } else if (t.Resource.startsWith('arn:aws:lambda:')) {
        this.taskHandlers[name] = (input) => invoke(t.Resource, input);
      } else {
        throw new Error(`Task "${name}": the harness does not run resource ${t.Resource}`);
      }
    }
    this.machine = new StateMachine(definition);
  }

  /** The Step Functions API, as the proxy passes allowed requests on. */
  async handle(req: AwsRequest): Promise<LocalAnswer> {
    const op = req.target.split('.')[1];
    const body = JSON.parse(req.body.toString('utf8') || '{}') as Record<string, string>;
    if (op === 'StartExecution') {
      if (body.stateMachineArn !== this.stateMachineArn)
        return awsError(
          400,
          'StateMachineDoesNotExist',
          `State Machine Does Not Exist: '${body.stateMachineArn}'`,
        );
      return this.start(body.name ?? crypto.randomUUID(), JSON.parse(body.input ?? '{}'));
    }
    if (op === 'SendTaskSuccess' || op === 'SendTaskFailure') {
      const token = body.taskToken ?? '';
      const w = this.waiting.get(token);
      if (!w)
        return this.issued.has(token)
          ? awsError(400, 'TaskTimedOut', 'Task Timed Out')
          : awsError(400, 'InvalidToken', 'Invalid Token');
      this.waiting.delete(token);
      if (op === 'SendTaskSuccess') w.resolve(JSON.parse(body.output ?? 'null'));
      else w.reject(Object.assign(new Error(body.cause ?? ''), { name: body.error ?? 'Error' }));
      return { status: 200, body: {} };
    }
    const run = this.runs.get(body.executionArn ?? '');
    if (!run)
      return awsError(400, 'ExecutionDoesNotExist', `Execution Does Not Exist: '${body.executionArn}'`);
    if (op === 'DescribeExecution') return { status: 200, body: this.describe(run) };
    if (op === 'StopExecution') {
      if (run.status === 'RUNNING') {
        Object.assign(run, { status: 'ABORTED', error: body.error ?? null, cause: body.cause ?? null });
        run.abort();
      }
      return { status: 200, body: { stopDate: Date.now() / 1000 } };
    }
    if (op === 'GetExecutionHistory') {
      const events = run.events.map((e, i) => ({
        id: i + 1,
        timestamp: e.timestamp / 1000,
        type: e.type,
        ...(e.state ? { stateEnteredEventDetails: { name: e.state } } : {}),
        ...(e.error ? { taskFailedEventDetails: { error: e.error, cause: e.cause ?? '' } } : {}),
      }));
      return { status: 200, body: { events } };
    }
    return awsError(400, 'UnknownOperationException', `the harness has no ${op}`);
  }

  /** Resolves when the execution has ended, with its description. */
  async finished(executionArn: string): Promise<ReturnType<WorkflowService['describe']>> {
    const run = this.runs.get(executionArn);
    if (!run) throw new Error(`no execution ${executionArn}`);
    await run.finished;
    return this.describe(run);
  }

  /** Every execution started so far (name, ARN, status), oldest first. */
  executions(): { name: string; arn: string; status: string }[] {
    return [...this.runs.values()].map((r) => ({ name: r.name, arn: r.arn, status: r.status }));
  }

  stopAll(): void {
    for (const r of this.runs.values()) if (r.status === 'RUNNING') r.abort();
  }

  private start(name: string, input: unknown): LocalAnswer {
    const arn = this.stateMachineArn.replace(':stateMachine:', ':execution:').concat(`:${name}`);
    if (this.runs.has(arn))
      return awsError(400, 'ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    const exec = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.taskHandlers as never },
      noThrowOnAbort: true,
      context: {
        Execution: { Id: arn, Name: name, Input: input as never, StartTime: new Date().toISOString() },
        Task: { Token: `token:${name}` },
      },
    });
    const run: Run = {
      arn,
      name,
      input,
      status: 'RUNNING',
      startDate: Date.now(),
      stopDate: null,
      output: null,
      error: null,
      cause: null,
      events: [],
      abort: exec.abort,
      finished: Promise.resolve(),
    };
    const record = async () => {
      for await (const e of exec.eventLogs) {
        const ev = e as unknown as {
          timestamp: number;
          type: string;
          state?: { name?: string };
          Error?: string;
          Cause?: unknown;
        };
        run.events.push({
          timestamp: Number(ev.timestamp),
          type: ev.type,
          state: ev.state?.name ?? null,
          error: ev.Error ?? null,
          cause: ev.Cause === undefined ? null : String(ev.Cause),
        });
        if (run.events.length >= HISTORY_LIMIT && run.status === 'RUNNING') {
          Object.assign(run, {
            status: 'FAILED',
            error: 'States.Runtime',
            cause: 'execution history exceeded 25,000 events',
          });
          exec.abort();
        }
      }
    };
    const logged = record().catch(() => {});
    run.finished = exec.result
      .then((output) => {
        if (run.status === 'RUNNING')
          Object.assign(run, { status: output === null ? 'ABORTED' : 'SUCCEEDED', output });
      })
      .catch((err: Error & { cause?: Error }) => {
        const inner = err.cause ?? err;
        const timedOut = /timed? ?out/i.test(err.name) && /execution/i.test(err.message);
        Object.assign(run, {
          status: timedOut ? 'TIMED_OUT' : 'FAILED',
          error: inner.name ?? 'Error',
          cause: inner.message ?? String(err),
        });
      })
      .then(() => logged)
      .finally(() => {
        run.stopDate = Date.now();
      });
    this.runs.set(arn, run);
    return { status: 200, body: { executionArn: arn, startDate: run.startDate / 1000 } };
  }

  private describe(run: Run) {
    return {
      executionArn: run.arn,
      stateMachineArn: this.stateMachineArn,
      name: run.name,
      status: run.status,
      startDate: run.startDate / 1000,
      ...(run.stopDate ? { stopDate: run.stopDate / 1000 } : {}),
      input: JSON.stringify(run.input),
      ...(run.output !== null ? { output: JSON.stringify(run.output) } : {}),
      ...(run.error ? { error: run.error } : {}),
      ...(run.cause ? { cause: run.cause } : {}),
    };
  }
}
