/** Control characters other than tab, newline and carriage return (C0, DEL, C1). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Free text an operator writes (a reason, a description): it lands in the audit trail, logs, announcements and
 * messages, so it holds no control characters (tab and line breaks aside) and no lone surrogate halves.
 */
export const isCleanText = (text: string): boolean => !CONTROL.test(text) && !LONE_SURROGATE.test(text);

export const CLEAN_TEXT_MESSAGE =
  'must not contain control characters (tab and line breaks aside) or unpaired surrogates';
