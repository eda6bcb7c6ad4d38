/**
 * Stands in for `@smithy/core/event-streams` in function bundles (esbuild alias, see project-function.ts): about
 * 20 KB of event-stream framing that only streaming operations use (S3 SelectObjectContent, Lambda
 * InvokeWithResponseStream, Bedrock, Transcribe...). None of this project's calls stream. Clients that wire a
 * marshaller at construction (S3) still construct; any operation that would send or read an event stream fails
 * with this message instead of reaching the network.
 */
const unsupported = (): never => {
  throw new Error(
    'event streams are left out of the function bundles (cdk/bundling/no-event-streams.ts); ' +
      'remove that alias to call a streaming operation',
  );
};

const marshaller = { serialize: unsupported, deserialize: unsupported };

export const eventStreamSerdeProvider = (_options?: unknown) => marshaller;

export const resolveEventStreamSerdeConfig = <T extends { eventStreamSerdeProvider: (i: T) => unknown }>(
  input: T,
): T & { eventStreamMarshaller: unknown } =>
  Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) });

export class EventStreamSerde {
  constructor(_options?: unknown) {
    unsupported();
  }
}
