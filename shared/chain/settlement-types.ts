/** A settlement as the settlement contract (contracts/settlement) returns it from its queries. */
export interface Settlement {
  id: string;
  creator: string;
  user_funds_locked: boolean;
  solver_funds_locked: boolean;
  amount: string | null;
  status: 'inflight' | 'completed' | 'refunded';
  created_at: number;
  timeout_at: number;
}
