// Fixtures for the notification and metrics tests: a real HTTP receiver on 127.0.0.1 that
// records every request (or hangs), and a strict parser of the Prometheus text format.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export interface Receiver {
  port: number;
  url: string;
  requests: Received[];
  // Stop answering (requests are recorded, never answered) or answer again.
  setHang(hang: boolean): void;
  // The status code answered from now on (200 at first).
  setStatus(status: number): void;
  close(): Promise<void>;
}

// Starts a receiver on a kernel-chosen port.
export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  let hang = false;
  let status = 200;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body, at: Date.now() });
      if (!hang) response.writeHead(status).end('OK');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    requests,
    setHang: (value) => (hang = value),
    setStatus: (value) => (status = value),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// One sample of a Prometheus text exposition.
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\[\\"n])*)"\s*(,|$)/y;

// Parses the text format 0.0.4 strictly; throws on the first line that does not conform.
export function parsePrometheusText(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  if (!text.endsWith('\n')) throw new Error('expected the exposition to end with a newline');
  text.split('\n').forEach((line, index) => {
    const where = `line ${index + 1}: ${JSON.stringify(line)}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!meta) return;
      if (!NAME.test(meta[2]!)) throw new Error(`bad metric name at ${where}`);
      if (meta[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3] ?? '')) throw new Error(`bad type at ${where}`);
        if (types.has(meta[2]!)) throw new Error(`second TYPE at ${where}`);
        types.set(meta[2]!, meta[3]!);
      }
      return;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`expected a sample at ${where}`);
    const labels: Record<string, string> = {};
    const raw = match[2] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < raw.length) {
      const label = LABEL.exec(raw);
      if (!label) throw new Error(`bad labels at ${where}`);
      labels[label[1]!] = label[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    }
    const value = match[3] === '+Inf' ? Infinity : match[3] === '-Inf' ? -Infinity : match[3] === 'NaN' ? NaN : Number(match[3]);
    if (Number.isNaN(value) && match[3] !== 'NaN') throw new Error(`bad value at ${where}`);
    if (!types.has(match[1]!)) throw new Error(`sample without a TYPE at ${where}`);
    samples.push({ name: match[1]!, labels, value });
  });
  return { types, samples };
}

// The value of the one sample with `name` and these labels, or undefined.
export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find(
    (s) =>
      s.name === name &&
      Object.entries(labels).every(([k, v]) => s.labels[k] === v) &&
      Object.keys(s.labels).length === Object.keys(labels).length,
  )?.value;
}
