import { z } from 'zod';
import { CLEAN_TEXT_MESSAGE, isCleanText } from '../domain/free-text.ts';

/** Free text of 1 to `max` characters with no control characters (see isCleanText). */
export const freeText = (max: number) => z.string().min(1).max(max).refine(isCleanText, CLEAN_TEXT_MESSAGE);
