/** An announcement to operators and producers: a proposal's, or a protocol rollout's phase change. */
export interface Announcement {
  readonly event: string;
  readonly subject: string;
  readonly message: string;
  /** What it is about (one of them): subscribers filter on it. */
  readonly proposal_id?: string;
  readonly rollout_id?: string;
}

/** Where announcements go: an SNS topic on AWS; a log line and an optional webhook locally. */
export interface Notifier {
  notify(notice: Announcement): Promise<void>;
}

/** The subject id of an announcement, as its log line and its SNS attribute name it. */
export const aboutOf = (n: Announcement): { name: 'proposal_id' | 'rollout_id'; id: string } =>
  n.rollout_id ? { name: 'rollout_id', id: n.rollout_id } : { name: 'proposal_id', id: n.proposal_id ?? '' };
