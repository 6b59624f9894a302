/**
 * Codes of a server that is not (yet) taking connections: refused or reset sockets, a transient
 * DNS failure, PostgreSQL starting up (57P03) or full (53300), MySQL full (1040). Anything else
 * (bad password, unknown database) will not heal by waiting.
 */
const REFUSED_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EAI_AGAIN", "57P03", "53300", "1040", "ER_CON_COUNT_ERROR"]);

/** Opens a connection, retrying `retries` times with doubling delays when the server refused. */
export async function connectWithRetry<T>(
  open: () => Promise<T>,
  retries: number,
  delayMs: number,
  shouldStop: () => boolean = () => false,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await open();
    } catch (error) {
      if (attempt >= retries || shouldStop() || !isConnectionRefused(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs * 2 ** attempt));
    }
  }
}

/** Whether `error`, or an error it wraps, says the server refused the connection. */
export function isConnectionRefused(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, driverCode, errno, cause, errors } = current as Record<string, unknown>;
    for (const value of [code, driverCode, errno]) if (value !== undefined && REFUSED_CODES.has(String(value))) return true;
    pending.push(cause);
    if (Array.isArray(errors)) pending.push(...errors);
  }
  return false;
}
