import { setTimeout as sleep } from "node:timers/promises";

export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** Runs at most `concurrency` tasks at once, the rest in arrival order (p-limit, in 20 lines). */
export function createLimiter(concurrency: number): Limiter {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return async (task) => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/**
 * Spaces request starts at least `1000 / perSecond` ms apart. Each caller reserves the next
 * free start time synchronously, so concurrent callers queue without racing.
 */
export function createRateLimiter(perSecond: number | undefined): () => Promise<void> {
  if (!perSecond || perSecond <= 0) return async () => {};
  const gap = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = performance.now();
    const start = Math.max(now, next);
    next = start + gap;
    if (start > now) await sleep(start - now);
  };
}

/**
 * Maps `items` through `task` with at most `concurrency` in flight, keeping input order. On
 * the first failure no new task starts, and the running ones finish before it is thrown:
 * nothing keeps writing after the caller has moved on to clean up.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
