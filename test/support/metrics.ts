import { vi } from 'vitest';

/** The names of the EMF metrics (CloudWatch embedded metric format) the workflow's Tasks wrote to stdout while `run` ran. */
export async function metricsDuring(run: () => Promise<unknown>): Promise<string[]> {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  const names: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.includes('"_aws"')) continue;
      const record = JSON.parse(line) as { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } };
      for (const m of record._aws.CloudWatchMetrics.flatMap((c) => c.Metrics)) names.push(m.Name);
    }
    return String(chunk).includes('"_aws"') ? true : write(chunk, ...(rest as []));
  });
  await run();
  vi.restoreAllMocks();
  return names;
}
