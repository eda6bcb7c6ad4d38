/** An intent as the API shows it: one shape for the routes and the producer client (shared/domain/intent-replies.ts). */
export { presentIntent } from '../../shared/domain/intent-replies.ts';
