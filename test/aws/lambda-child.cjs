// One warm Lambda "container": loads a function bundle once, then runs invocations sent over IPC, one at a time.
const { join } = require('node:path');

const [file, exported] = process.env.HARNESS_HANDLER.split('.');
let handler;
let initError;
const initStarted = performance.now();
try {
  handler = require(join(process.env.LAMBDA_TASK_ROOT, file))[exported];
  if (typeof handler !== 'function')
    throw Object.assign(new Error(`${exported} is not a function`), { name: 'Runtime.HandlerNotFound' });
} catch (err) {
  initError = err;
}
const initMs = performance.now() - initStarted;

const failure = (err) => ({
  errorType: err?.name || 'Error',
  errorMessage: err?.message || String(err),
  trace: String(err?.stack || '').split('\n'),
});

process.on('message', async ({ id, event, timeoutMs }) => {
  if (initError)
    return process.send({
      id,
      ok: false,
      initMs,
      error: {
        ...failure(initError),
        errorType: initError.name === 'Error' ? 'Runtime.ImportModuleError' : initError.name,
      },
    });
  const deadline = Date.now() + timeoutMs;
  const context = {
    awsRequestId: `req-${id}`,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: process.env.HARNESS_FUNCTION_ARN,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    logStreamName: 'harness',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  const started = performance.now();
  try {
    const result = await handler(event, context);
    process.send({
      id,
      ok: true,
      initMs,
      handlerMs: performance.now() - started,
      result: result === undefined ? null : JSON.parse(JSON.stringify(result)),
    });
  } catch (err) {
    process.send({ id, ok: false, initMs, error: failure(err) });
  }
});
process.send({ ready: true, initMs });
