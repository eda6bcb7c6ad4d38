/** A health check an upgrade runs before draining (pre), after migrating (post), or while it bakes. */
export type CheckSpec =
  | { readonly name: string; readonly type: 'dynamodb' }
  | { readonly name: string; readonly type: 's3' }
  | { readonly name: string; readonly type: 'http'; readonly url: string; readonly degraded_ok?: boolean };
