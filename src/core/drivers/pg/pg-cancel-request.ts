import { connect } from "node:net";

/** The CancelRequest code of the PostgreSQL wire protocol (1234 << 16 | 5678). */
const CANCEL_REQUEST_CODE = 80877102;

/** How long to wait for the server to take a cancel request. */
const CANCEL_TIMEOUT_MS = 5_000;

/**
 * Asks the server to cancel whatever the backend `processId` is running: a CancelRequest (length,
 * code, process id, secret key) on a connection of its own, which the server closes once it has
 * signalled the backend. pg has no public API for this (its `Client#cancel` needs pg's internal
 * query object). The request is sent in clear, as libpq does without `sslmode=require`: it holds
 * no credentials, only the key the server handed out for this purpose.
 */
export function sendCancelRequest(target: { host: string; port: number; processId: number; secretKey: number }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const socket = target.host.startsWith("/") ? connect(`${target.host}/.s.PGSQL.${target.port}`) : connect(target.port, target.host);
    socket.setTimeout(CANCEL_TIMEOUT_MS, () => socket.destroy(new Error("The PostgreSQL cancel request timed out")));
    socket.once("connect", () => {
      const message = Buffer.alloc(16);
      message.writeInt32BE(16, 0);
      message.writeInt32BE(CANCEL_REQUEST_CODE, 4);
      message.writeInt32BE(target.processId, 8);
      message.writeInt32BE(target.secretKey, 12);
      socket.end(message);
    });
    socket.once("error", reject);
    socket.once("close", () => resolve());
  });
}
