/**
 * Child process of bench/checkpoint.ts: checkpoints every intent to S3 and restores them, as the Lambda would,
 * and reports its timings and its own peak RSS (the S3 server and DynamoDB Local run elsewhere).
 */
const { loadConfig } = await import('../shared/config.ts');
const { buildControlPlane } = await import('../shared/control-plane.ts');
const cp = buildControlPlane(loadConfig());
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
const t1 = performance.now();
const restored = await cp.upgrade.checkpoints.restore(manifest.id);
const t2 = performance.now();
console.log(
  JSON.stringify({
    records: manifest.record_counts.inflight_intents,
    restored: restored.restored,
    bare_pass_records_per_sec: scanned / scanSecs,
    checkpoint_secs: (t1 - t0) / 1000,
    restore_secs: (t2 - t1) / 1000,
    bytes: manifest.parts.reduce((n, p) => n + p.bytes, 0),
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
  }),
);
