import { guardedRequest } from '../net/guarded-request.ts';
import type { Notifier, ProposalNotice } from './proposal-notice.ts';

/**
 * Proposal announcements without SNS (the embedded runtime): one log line each, and a JSON POST of the notice to
 * the webhook (PROPOSAL_WEBHOOK_URL) when one is configured. A webhook that fails is logged, never fatal.
 */
export class LogNotifier implements Notifier {
  constructor(
    private readonly log: (line: string, fields: Record<string, unknown>) => void,
    private readonly webhookUrl: string | undefined,
  ) {}

  async notify(n: ProposalNotice): Promise<void> {
    this.log(`proposal ${n.proposal_id}: ${n.subject}`, { notice: n });
    if (!this.webhookUrl) return;
    try {
      const out = await guardedRequest(this.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(n),
        timeoutMs: 5000,
        maxBytes: 1024,
      });
      if (out.status >= 300)
        this.log(`proposal webhook answered ${out.status}`, { proposal_id: n.proposal_id });
    } catch (err) {
      this.log(`proposal webhook failed: ${(err as Error).message}`, { proposal_id: n.proposal_id });
    }
  }
}
