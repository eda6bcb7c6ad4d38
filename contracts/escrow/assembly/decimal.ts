// Uint128 arithmetic on canonical decimal strings (the contract sums solver bonds).

/** a + b for canonical non-negative decimal strings (no sign, no leading zeros). */
export function addDecimal(a: string, b: string): string {
  let i = a.length - 1;
  let j = b.length - 1;
  let carry = 0;
  let out = '';
  while (i >= 0 || j >= 0 || carry > 0) {
    const x = i >= 0 ? a.charCodeAt(i) - 48 : 0;
    const y = j >= 0 ? b.charCodeAt(j) - 48 : 0;
    const sum = x + y + carry;
    out = String.fromCharCode(48 + (sum % 10)) + out;
    carry = sum / 10;
    i--;
    j--;
  }
  return out.length === 0 ? '0' : out;
}
