import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type {
  ExecutionDescription,
  ExecutionEvent,
  RecoveryRequest,
  WorkflowEngine,
} from '../../upgrade/workflow-engine.ts';

/** Step Functions on AWS: the deployed state machine built by the CDK app from the same ASL file. */
export class AwsWorkflowEngine implements WorkflowEngine {
  readonly kind = 'aws' as const;
  private readonly sfn: SFNClient;

  constructor(
    private readonly stateMachineArn: string,
    region?: string,
  ) {
    this.sfn = new SFNClient({ region });
  }

  /**
   * Recovery of an upgrade whose execution cannot resume runs as an execution of its own (the state machine's
   * "Recover an interrupted upgrade" Task), so it is bounded by its Task's timeout, never by an API call's 29 s.
   */
  async startRecovery(request: RecoveryRequest): Promise<void> {
    const name = `recover-${request.upgrade_id.slice(0, 60)}-${Date.now().toString(36)}`;
    await this.start(name, { recover: request });
  }

  async start(name: string, input: unknown): Promise<{ executionArn: string }> {
    try {
      const out = await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
      return { executionArn: out.executionArn as string };
    } catch (err) {
      if (err instanceof ExecutionAlreadyExists)
        throw new ConflictError('execution_exists', `an execution named ${name} exists already`);
      throw err;
    }
  }

  async describe(executionArn: string): Promise<ExecutionDescription> {
    const out = await this.sfn.send(new DescribeExecutionCommand({ executionArn })).catch((err: unknown) => {
      if (err instanceof ExecutionDoesNotExist) throw new NotFoundError(`no execution ${executionArn}`);
      throw err;
    });
    return {
      executionArn,
      name: out.name ?? '',
      status: out.status as ExecutionDescription['status'],
      startDate: (out.startDate ?? new Date()).toISOString(),
      stopDate: out.stopDate ? out.stopDate.toISOString() : null,
      output: out.output ? (JSON.parse(out.output) as unknown) : null,
      error: out.error ?? null,
      cause: out.cause ?? null,
    };
  }

  async history(executionArn: string): Promise<ExecutionEvent[]> {
    const events: ExecutionEvent[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.sfn.send(
        new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }),
      );
      for (const e of out.events ?? []) events.push(toEvent(e));
      nextToken = out.nextToken;
    } while (nextToken);
    return events;
  }

  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    await this.sfn
      .send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }))
      .catch(waitEnded);
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void> {
    await this.sfn.send(new SendTaskFailureCommand({ taskToken, error, cause })).catch(waitEnded);
  }

  async stop(executionArn: string, cause: string): Promise<void> {
    await this.sfn.send(new StopExecutionCommand({ executionArn, cause, error: 'StoppedByOperator' }));
  }
}

/** A task token Step Functions no longer waits on (timed out, ended, unknown): a conflict, not a server error. */
export function waitEnded(err: unknown): never {
  if (err instanceof TaskTimedOut || err instanceof TaskDoesNotExist || err instanceof InvalidToken) {
    throw new ConflictError('not_waiting', `the workflow no longer waits on this task (${err.name})`);
  }
  throw err;
}

function toEvent(e: HistoryEvent): ExecutionEvent {
  const failed =
    e.taskFailedEventDetails ?? e.executionFailedEventDetails ?? e.lambdaFunctionFailedEventDetails;
  return {
    timestamp: (e.timestamp ?? new Date()).toISOString(),
    type: e.type ?? 'Unknown',
    state: e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name ?? null,
    error: failed?.error ?? null,
    cause: failed?.cause ?? null,
  };
}
