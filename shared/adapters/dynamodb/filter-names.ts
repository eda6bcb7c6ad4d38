/** Listing filters name `phase` and `owner` (DynamoDB reserved words) by placeholder. */
const RESERVED = { '#phase': 'phase', '#owner': 'owner' } as const;

/** The ExpressionAttributeNames a listing filter needs: none, or the placeholders it uses. */
export function filterNames(filter: string): { ExpressionAttributeNames?: Record<string, string> } {
  const used = Object.entries(RESERVED).filter(([placeholder]) => filter.includes(placeholder));
  return used.length ? { ExpressionAttributeNames: Object.fromEntries(used) } : {};
}
