import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

export interface SlowRequest {
  /** Sends the rest of the body: the request is complete only then. */
  finish(): void;
  response: Promise<{ status: number; body: any }>;
}

/**
 * A POST whose headers and first half of the body are on the wire at once and whose second half is sent only
 * when the test says: a request the server has certainly received and is still reading, i.e. in flight.
 * Its own connection (no keep-alive pool), so no other request shares its fate.
 */
export function slowPost(url: string, headers: Record<string, string>, body: unknown): SlowRequest {
  const json = JSON.stringify(body);
  if (Buffer.byteLength(json) !== json.length) throw new Error('slowPost sends ASCII bodies only');
  const req = httpRequest(url, {
    method: 'POST',
    agent: false,
    headers: { ...headers, 'content-type': 'application/json', 'content-length': String(json.length) },
  });
  const response = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  const half = Math.floor(json.length / 2);
  req.flushHeaders();
  req.write(json.slice(0, half));
  return { finish: () => req.end(json.slice(half)), response };
}

/**
 * A slow-loris client: writes `head` then `trickle` one byte every `intervalMs`, on a fresh loopback socket,
 * until the server answers or closes. Resolves with the status line's code (0 when closed without an answer)
 * and how many trickled bytes the server took before that. Rejects after `giveUpMs`: the server never closed.
 */
export function trickle(
  port: number,
  head: string,
  trickleBytes: string,
  intervalMs: number,
  giveUpMs = 60_000,
): Promise<{ status: number; text: string; bytesSent: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let sentBytes = 0;
    const ticker = setInterval(() => {
      if (sentBytes < trickleBytes.length && socket.writable) socket.write(trickleBytes[sentBytes++]);
    }, intervalMs);
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a trickling socket open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(ticker);
      clearTimeout(giveUp);
      const text = Buffer.concat(chunks).toString('utf8');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: match ? Number(match[1]) : 0, text, bytesSent: sentBytes });
    });
    socket.write(head);
  });
}
