/**
 * What one function may touch on AWS. Each level names exact actions: no `*` action on data. cdk/access.ts turns
 * it into IAM statements; the API table (lambdas/routes.ts) gives each route its own.
 */
export interface AwsAccess {
  /**
   * fence: what a registration does on the control table, on those keys only: GetItem of the mode record (MODE) and
   * the gates (SHARD#nn), and UpdateItem of the gates (a registration repairs gates an interrupted mode change left).
   */
  readonly control?: 'read' | 'write' | 'fence';
  /**
   * register: Put, and Delete of its own item when the gate refuses. reopen: read, plus UpdateItem to lift the freezes
   * an upgrade's checkpoint left and DeleteItem to remove what refused registrations left (no Put).
   * convert: read, plus UpdateItem to convert intents between protocol versions in place (the rollout tick).
   */
  readonly intents?: 'read' | 'write' | 'register' | 'update' | 'complete' | 'reopen' | 'convert';
  readonly checkpoints?: 'read' | 'write';
  /** start: StartExecution; signal: SendTask*; operate: both (abort: signal a wait, or start a recovery). */
  readonly workflow?: 'start' | 'inspect' | 'signal' | 'operate';
  readonly scheduler?: boolean;
  /** Publishes proposal announcements to the proposals' SNS topic. */
  readonly notify?: boolean;
  /**
   * Counts completion outcomes for a bake: GetItem and UpdateItem on the control table's OUTCOMES* keys only (a
   * completion route needs nothing else there).
   */
  readonly outcomes?: boolean;
}

/** The exported name of a zod schema in lambdas/http/schemas.ts, drain-schemas.ts, proposal-schemas.ts or protocol-schemas.ts. */
export type SchemaName = string;

/** What a route reads from the request: its body and query schemas (by name), and whether the body may be empty. */
export interface RouteInput {
  readonly body?: SchemaName;
  /** When true, an empty body is read as `{}`. */
  readonly bodyOptional?: boolean;
  readonly query?: SchemaName;
}

/**
 * One API route: method, path, who may call it, its handler file in lambdas/ (also its name), its input, the AWS
 * access its function needs, and the error codes it answers beyond the ones every route of its kind answers.
 * Plain data only: every bundle may read it without pulling handlers or schemas in.
 */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The API Gateway resource path; `{name}` is a path parameter. */
  readonly resource: string;
  readonly access: 'admin' | 'intent' | 'public';
  /** The handler file lambdas/<handler>.ts; the route's name in the CLI and the docs. */
  readonly handler: string;
  /** One line for docs/api.md. */
  readonly summary: string;
  readonly input?: RouteInput;
  /**
   * An operator action that may create the mode record and fence gates when they are missing (its role can write
   * the control table). Every other route only reads: a missing record answers 503 `not_initialised`.
   */
  readonly initialises?: boolean;
  readonly aws: AwsAccess;
  /** Error codes this route answers besides the common ones (see `commonErrors`). */
  readonly errors?: readonly string[];
}
