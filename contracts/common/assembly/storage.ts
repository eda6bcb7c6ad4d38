// Thin wrappers over the host's key-value store; keys and values are UTF-8 strings.
import { db_read, db_write } from './env';
import { readRegionString, stringToRegion } from './region';

export function readString(key: string): string | null {
  const region = db_read(stringToRegion(key));
  if (region === 0) return null;
  return readRegionString(region);
}

export function writeString(key: string, value: string): void {
  db_write(stringToRegion(key), stringToRegion(value));
}
