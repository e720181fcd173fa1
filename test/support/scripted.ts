/** A scripted HTTP server on loopback: each request is answered by the test's own handler. */
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";

/** A running scripted server. */
export interface Scripted {
  /** `http(s)://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** Requests received so far. */
  readonly requests: http.IncomingMessage[];
  /** Stops it and drops every connection. */
  close(): Promise<void>;
}

/** Starts a server whose every request goes to `handler`; `tls` serves https with that key and certificate. */
export async function scripted(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  tls?: { key: Buffer; cert: Buffer },
): Promise<Scripted> {
  const requests: http.IncomingMessage[] = [];
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    requests.push(req);
    res.on("error", () => undefined);
    handler(req, res);
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `${tls ? "https" : "http"}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JD Cloud-shaped error answer. */
export function jdError(
  res: http.ServerResponse,
  httpStatus: number,
  status: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(httpStatus, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ requestId: "scripted-request-1", error: { code: httpStatus, status, message } }));
}
