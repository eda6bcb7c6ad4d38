/**
 * Stands in for `mnemonist/lru-cache` in function bundles (esbuild alias, see project-function.ts). Its one user
 * there is the SDK's `@aws-sdk/endpoint-cache` (DynamoDB endpoint discovery, off unless
 * AWS_ENABLE_ENDPOINT_DISCOVERY is set), which calls get, set, has, peek and clear. A Map keeps insertion order,
 * which is enough for least-recently-used eviction at the cache's size (1000 endpoints); the real package and its
 * typed-array helpers are 7 KB of every bundle.
 */
export default class LRUCache<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** The value, without making it the most recently used. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }

  get(key: K): V | undefined {
    if (!this.map.has(key)) return undefined;
    const value = this.map.get(key) as V;
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  set(key: K, value: V): this {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
    return this;
  }

  clear(): void {
    this.map.clear();
  }
}
