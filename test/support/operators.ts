import type { Reply, TestApi } from './api.ts';

/** Four operators with tokens of their own; alice, bob and carol approve (2 of 3), erin only proposes. */
export const OPERATORS = {
  alice: 'op-token-alice-0123456789',
  bob: 'op-token-bob-0123456789ab',
  carol: 'op-token-carol-0123456789',
  erin: 'op-token-erin-0123456789a',
} as const;
export type OperatorName = keyof typeof OPERATORS;

/** The approval policy's environment for the tests: 2 of alice, bob, carol; a short timelock. */
export const approvalEnv = (timelockSecs: number): Record<string, string> => ({
  OPERATOR_TOKENS: JSON.stringify(OPERATORS),
  APPROVERS: 'alice,bob,carol',
  APPROVAL_THRESHOLD: '2',
  APPROVAL_TIMELOCK_SECS: String(timelockSecs),
  PROPOSAL_EXPIRY_SECS: '3600',
});

/** A request with an operator's own token. */
export const as =
  (api: TestApi, who: OperatorName) =>
  (method: string, path: string, body?: unknown): Promise<Reply> =>
    api.raw(method, path, {
      headers: {
        authorization: `Bearer ${OPERATORS[who]}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
