/**
 * Where the chain signer's mnemonic comes from (a file locally; a secrets store in the cloud).
 * Implementations must never log the mnemonic.
 */
export interface SignerSource {
  /** The BIP-39 mnemonic, trimmed, words separated by single spaces. */
  mnemonic(): Promise<string>;
}

/** Normalises a mnemonic's whitespace and checks it has a BIP-39 word count (12, 15, 18, 21 or 24). */
export function normaliseMnemonic(raw: string, origin: string): string {
  const words = raw
    .trim()
    .split(/\s+/)
    .filter((word) => word.length > 0);
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    throw new Error(
      `The mnemonic from ${origin} has ${words.length} words; a BIP-39 mnemonic has 12, 15, 18, 21 or 24`,
    );
  }
  return words.join(' ');
}
