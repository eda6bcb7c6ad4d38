import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** A registration of one id stopped between its two steps, as a slow network or a dying process stops it. */
export interface BetweenSteps {
  /** Resolves once the registration's Put is done and its gate read is about to be sent. */
  readonly reached: Promise<void>;
  /** The gate read goes on. */
  go(): void;
  /** The registrant dies here: its gate read is never sent (the handler fails), its Put stays. */
  die(): void;
}

const idOf = (v: unknown): unknown => (v && typeof v === 'object' && 'S' in v ? (v as { S: unknown }).S : v);

let next = 0;

/**
 * Holds the next registration of `id` through `db` (the handlers' DynamoDB client) after its Put (step 1) and before
 * its strongly consistent gate read (step 2), until the test says `go` or `die`. The engine is untouched: every
 * request still reaches DynamoDB Local, only later. The hold is removed once used.
 */
export function holdBetweenSteps(
  db: DynamoDBDocumentClient,
  tables: { intents: string; control: string },
  id: string,
): BetweenSteps {
  const name = `hold-between-steps-${++next}`;
  let reachedNow = () => {};
  const reached = new Promise<void>((r) => {
    reachedNow = r;
  });
  let decide: (d: 'go' | 'die') => void = () => {};
  const decision = new Promise<'go' | 'die'>((r) => {
    decide = r;
  });
  let putDone = false;
  db.middlewareStack.add(
    (send) => async (args) => {
      const input = args.input as { TableName?: string; Item?: { id?: unknown }; ConsistentRead?: boolean };
      if (input.TableName === tables.intents && idOf(input.Item?.id) === id && !putDone) {
        const out = await send(args);
        putDone = true;
        return out;
      }
      if (putDone && input.TableName === tables.control && input.ConsistentRead) {
        db.middlewareStack.remove(name);
        reachedNow();
        if ((await decision) === 'die')
          throw new Error(`registrant of ${id} killed between its Put and its gate read`);
      }
      return send(args);
    },
    { step: 'initialize', name },
  );
  return { reached, go: () => decide('go'), die: () => decide('die') };
}
