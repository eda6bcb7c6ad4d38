const SECRET_PAIR =
  /\b([\w-]*(?:secret|token|password|passwd|pwd|api[_-]?key|access[_-]?key|credential|session|authorization|private[_-]?key)[\w-]*)(["']?\s*[:=]\s*["']?)(?:bearer\s+)?[^\s"',;&}]+/gi;
const AWS_KEY_ID = /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g;
const BEARER = /\bbearer\s+[^\s"',;]+/gi;
const LONG_RUN = /[A-Za-z0-9+/=_-]{32,}/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * A short, safe excerpt of what a remote target answered, for errors and records: control characters collapsed,
 * anything that looks like a secret (key=value pairs named like credentials, AWS key ids, bearer tokens, long
 * base64 or hex runs) replaced by [redacted], and cut to `max` characters.
 */
export function safeExcerpt(text: string, max = 200): string {
  const clean = text
    .replace(CONTROL, ' ')
    .replace(SECRET_PAIR, '$1$2[redacted]')
    .replace(AWS_KEY_ID, '[redacted]')
    .replace(BEARER, 'Bearer [redacted]')
    .replace(LONG_RUN, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
