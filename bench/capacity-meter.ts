import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Capacity units as DynamoDB bills them (DynamoDB Local reports the same), summed over every call. */
export interface CapacityTotals {
  read: number;
  write: number;
  /** The same units by operation (GetItem, Query, TransactGetItems...). */
  byCommand: Record<string, number>;
}

type Consumed = { CapacityUnits?: number };
const READS = /^(Get|BatchGet|TransactGet|Query|Scan)/;

/**
 * Asks every call of `client` for its ConsumedCapacity (ReturnConsumedCapacity TOTAL) and adds it up. Calls that
 * fail a condition are billed too, but their answer carries no figure: meter paths that succeed.
 */
export function meterCapacity(client: DynamoDBDocumentClient): { totals: CapacityTotals; reset(): void } {
  const totals: CapacityTotals = { read: 0, write: 0, byCommand: {} };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity;
      // TOTAL gives one figure per call; whether it is read or write units follows from the operation.
      const units = [consumed ?? []].flat().reduce((n, c) => n + (c.CapacityUnits ?? 0), 0);
      const command = String(context.commandName).replace(/Command$/, '');
      totals.byCommand[command] = (totals.byCommand[command] ?? 0) + units;
      if (READS.test(command)) totals.read += units;
      else totals.write += units;
      return out;
    },
    { step: 'initialize', name: 'capacityMeter' },
  );
  return {
    totals,
    reset() {
      totals.read = 0;
      totals.write = 0;
      totals.byCommand = {};
    },
  };
}
