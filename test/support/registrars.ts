import { IntentClient } from '../../client/index.ts';
import type { Config } from '../../shared/config.ts';
import type { ControlPlane } from '../../shared/control-plane.ts';
import { NotAdmittingError } from '../../shared/domain/errors.ts';

/**
 * A way a producer registers and completes intents, for tests that must hold whichever way it is: the in-process
 * service (what the intent Lambdas run), the embedded producer client, and (later) the HTTP routes. `register`
 * answers whether the fence admitted the intent; any other failure is thrown.
 */
export interface Registrar {
  readonly name: string;
  register(id: string): Promise<'admitted' | 'refused'>;
  complete(id: string): Promise<void>;
  close(): Promise<void>;
}

/** Builds a registrar over the tables of a fresh control plane (test/support/control-plane.ts). */
export type RegistrarFactory = (ctx: { cp: ControlPlane; config: Config }) => Registrar;

const admittedOrRefused = async (admit: () => Promise<unknown>): Promise<'admitted' | 'refused'> => {
  try {
    await admit();
    return 'admitted';
  } catch (err) {
    if (err instanceof NotAdmittingError) return 'refused';
    throw err;
  }
};

/** The control plane's own InflightService, in this process. */
export const inProcess: RegistrarFactory = ({ cp }) => ({
  name: 'in-process service',
  register: (id) => admittedOrRefused(() => cp.inflight.register({ id })),
  complete: async (id) => {
    await cp.inflight.complete(id);
  },
  close: async () => {},
});

/** The embedded producer client (client/), with its own DynamoDB client, on the same tables. */
export const producerClient: RegistrarFactory = ({ config }) => {
  const client = new IntentClient({
    tables: config.tables,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint } : {}),
    fenceClockSkewMs: config.fenceClockSkewMs,
    versionCacheMs: config.versionCacheMs,
    requestTimeoutMs: config.dynamoRequestTimeoutMs,
  });
  return {
    name: 'producer client',
    register: (id) => admittedOrRefused(() => client.register({ id })),
    complete: async (id) => {
      await client.complete(id);
    },
    close: async () => client.close(),
  };
};
