/**
 * When to try a request again, and after how long. Pure: the HTTP client feeds it what
 * happened, it answers with a decision. Kept apart so every rule is unit-tested without
 * waiting on real timers.
 */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff step; doubles on each retry. */
  baseDelayMs: number;
  /** Ceiling for one backoff step. */
  maxDelayMs: number;
  /** A server asking us to wait longer than this (Retry-After, quota reset) ends the build. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxWaitMs: 120_000,
};

export type Outcome =
  | { kind: "status"; status: number; retryAfter?: string | undefined; resetAt?: Date | undefined }
  | { kind: "network"; code: string | undefined }
  | { kind: "bad-body" };

export type Decision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; reason: string; quota?: boolean };

/** Network error codes worth another attempt: resets, timeouts, refused while restarting. */
const TRANSIENT_CODES = new Set([
  ...["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "ENETUNREACH"],
  ...["UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT"],
  ...["UND_ERR_BODY_TIMEOUT", "UND_ERR_CLOSED", "UND_ERR_RES_CONTENT_LENGTH_MISMATCH"],
]);

/**
 * `attempt` counts from 0 (the first try). `random` is injectable for tests; jitter keeps
 * many crawlers (or many of our own requests) from retrying in lockstep.
 */
export function decide(
  outcome: Outcome,
  attempt: number,
  policy: RetryPolicy,
  options: { now: number; random?: () => number },
): Decision {
  const reason = describeOutcome(outcome);
  const transient =
    outcome.kind === "bad-body" ||
    (outcome.kind === "network" && TRANSIENT_CODES.has(outcome.code ?? "")) ||
    (outcome.kind === "status" &&
      (outcome.status >= 500 || [408, 425, 429].includes(outcome.status)));
  if (!transient) return { retry: false, reason };

  if (outcome.kind === "status") {
    const wait = serverWait(outcome, options.now);
    if (wait !== undefined && wait > policy.maxWaitMs) {
      return { retry: false, reason, quota: outcome.status === 429 };
    }
    if (attempt >= policy.retries) return { retry: false, reason };
    if (wait !== undefined) return { retry: true, delayMs: Math.max(wait, 0), reason };
  }
  if (attempt >= policy.retries) return { retry: false, reason };
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  // "Equal jitter": never less than half a step, so retries still back off.
  const delayMs = Math.round(step / 2 + (options.random ?? Math.random)() * (step / 2));
  return { retry: true, delayMs, reason };
}

/** Milliseconds the server asked us to wait (Retry-After, then the quota reset), if it said. */
export function serverWait(
  outcome: { retryAfter?: string | undefined; resetAt?: Date | undefined },
  now: number,
): number | undefined {
  if (outcome.retryAfter !== undefined) {
    const seconds = Number(outcome.retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(outcome.retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  if (outcome.resetAt) return Math.max(0, outcome.resetAt.getTime() - now);
  return undefined;
}

export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case "status":
      return `HTTP ${outcome.status}`;
    case "network":
      return outcome.code ?? "network error";
    case "bad-body":
      return "malformed JSON body";
  }
}
