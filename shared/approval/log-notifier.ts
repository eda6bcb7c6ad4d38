import { type Announcement, aboutOf, type Notifier } from '../domain/announcement.ts';
import { guardedRequest } from '../net/guarded-request.ts';

/**
 * Announcements (proposals, protocol rollouts) without SNS (the embedded runtime): one log line each, and a JSON POST of the notice to
 * the webhook (PROPOSAL_WEBHOOK_URL) when one is configured. A webhook that fails is logged, never fatal.
 */
export class LogNotifier implements Notifier {
  constructor(
    private readonly log: (line: string, fields: Record<string, unknown>) => void,
    private readonly webhookUrl: string | undefined,
  ) {}

  async notify(n: Announcement): Promise<void> {
    const about = aboutOf(n);
    const what = `${about.name === 'proposal_id' ? 'proposal' : 'protocol rollout'} ${about.id}`;
    this.log(`${what}: ${n.subject}`, { notice: n });
    if (!this.webhookUrl) return;
    try {
      const out = await guardedRequest(this.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(n),
        timeoutMs: 5000,
        maxBytes: 1024,
      });
      if (out.status >= 300) this.log(`${what}: webhook answered ${out.status}`, { [about.name]: about.id });
    } catch (err) {
      this.log(`${what}: webhook failed: ${(err as Error).message}`, { [about.name]: about.id });
    }
  }
}
