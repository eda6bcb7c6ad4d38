/**
 * Child process of bench/checkpoint.ts, as the Lambda would run each step: `checkpoint` checkpoints every intent to
 * S3; `restore <id>` restores that checkpoint (validated first). Each reports its timings and its own peak RSS (the
 * S3 server and DynamoDB Local run elsewhere).
 */
const { loadConfig } = await import('../shared/config.ts');
const { buildControlPlane } = await import('../shared/control-plane.ts');
const cp = buildControlPlane(loadConfig());
const [mode, id] = process.argv.slice(2);
const rssMb = () => process.resourceUsage().maxRSS / 1024;

if (mode === 'checkpoint') {
  // Warm the connection pool as a warm Lambda would have it, and time a bare pass over the records for reference.
  const tScan = performance.now();
  let scanned = 0;
  for await (const page of cp.upgrade.records.pages(4)) scanned += page.length;
  const scanSecs = (performance.now() - tScan) / 1000;
  const t0 = performance.now();
  const manifest = await cp.upgrade.checkpoints.create({
    upgradeId: 'bench',
    protocolVersion: '1.0.0',
    config: {},
  });
  console.log(
    JSON.stringify({
      id: manifest.id,
      records: manifest.record_counts.inflight_intents,
      bare_pass_records_per_sec: scanned / scanSecs,
      checkpoint_secs: (performance.now() - t0) / 1000,
      bytes: manifest.parts.reduce((n, p) => n + p.bytes, 0),
      max_rss_mb: rssMb(),
    }),
  );
} else if (mode === 'restore' && id) {
  await cp.fence.readMode().catch(() => {}); // one call first: the connection pool as a warm Lambda has it
  const t0 = performance.now();
  const restored = await cp.upgrade.checkpoints.restore(id);
  console.log(
    JSON.stringify({
      restored: restored.restored,
      restore_secs: (performance.now() - t0) / 1000,
      max_rss_mb: rssMb(),
    }),
  );
} else {
  throw new Error('usage: checkpoint-worker.ts checkpoint | restore <checkpoint id>');
}
