/**
 * How deep an upgrade's config may nest. DynamoDB stores at most 32 levels, and the run record and a proposal
 * keep the config a few levels down, so 20 leaves room; a deeper config is refused at the API with this number.
 */
export const MAX_CONFIG_DEPTH = 20;

/** What a stored JSON value breaks: nesting past `maxDepth`, or an empty key (DynamoDB refuses both). */
export function jsonLimitProblem(
  value: unknown,
  maxDepth: number,
  path: readonly (string | number)[] = [],
  depth = 1,
): { path: (string | number)[]; message: string } | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth > maxDepth)
    return { path: [...path], message: `is nested deeper than ${maxDepth} levels: flatten it` };
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value as Record<string, unknown>);
  for (const [key, child] of entries) {
    if (key === '') return { path: [...path], message: 'has an empty key (""): every key needs a name' };
    const problem = jsonLimitProblem(child, maxDepth, [...path, key], depth + 1);
    if (problem) return problem;
  }
  return null;
}
