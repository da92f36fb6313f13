/**
 * The HTTP server of `ner serve`, on Node's own http: POST /tag answers the `ner tag --format
 * json` shape (a list of them for `{"texts": [...]}`), GET / a page that highlights entities,
 * GET /health, GET /model. Every bad request gets its status and a JSON `{"error"}` and never
 * disturbs the others: bodies are capped while they arrive (413), JSON and fields are checked
 * (400), the content type too (415); tagging runs on the TaggerPool's worker threads, off the
 * event loop. One line per request goes to `log`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { TagResult } from '../../core/tagger/format.js';
import { SERVE_PAGE } from './page.js';

/** What the server tags with: a TaggerPool, or a Tagger. */
export interface BatchTagger {
  tagBatch(texts: readonly string[]): Promise<TagResult[]>;
}

/** Options of createNerServer. */
export interface NerServerArgs {
  tagger: BatchTagger;
  /** What GET /model answers. */
  model: Record<string, unknown>;
  /** Largest request body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Told one line per request. Default: nothing. */
  log?: (line: string) => void;
}

export const DEFAULT_MAX_BODY_BYTES = 1 << 20;

/** An answer with a status: thrown by the checks, written by the handler. */
class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

const ROUTES: Record<string, string> = { '/': 'GET', '/health': 'GET', '/model': 'GET', '/tag': 'POST' };

/**
 * The server, not yet listening.
 *
 * @example
 * const server = createNerServer({ tagger: pool, model: { types: ['PER'] } });
 * server.listen(8080, '127.0.0.1');
 */
export function createNerServer(args: NerServerArgs): Server {
  const maxBody = args.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = args.log ?? (() => {});
  return createServer((req, res) => {
    const started = performance.now();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.on('finish', () => log(`${req.method} ${path} ${res.statusCode} ${(performance.now() - started).toFixed(1)} ms`));
    handle(req, res, path).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      const message = err instanceof Error ? err.message : String(err);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A body we stopped reading: close the connection rather than drain it.
      const headers = { 'content-type': 'application/json', ...(status === 413 ? { connection: 'close' } : {}), ...(err instanceof HttpError ? err.headers : {}) };
      res.writeHead(status, headers).end(`${JSON.stringify({ error: message })}\n`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = ROUTES[path];
    if (!method) throw new HttpError(404, `no such path: ${path} (the paths are ${Object.keys(ROUTES).join(', ')})`);
    if (req.method !== method && !(method === 'GET' && req.method === 'HEAD')) {
      throw new HttpError(405, `${path} takes ${method}, not ${req.method}`, { allow: method });
    }
    if (path === '/') return send(res, 200, 'text/html; charset=utf-8', SERVE_PAGE);
    if (path === '/health') return sendJson(res, { status: 'ok' });
    if (path === '/model') return sendJson(res, args.model);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') throw new HttpError(415, `POST /tag takes application/json, not ${type || 'no content type'}`);
    const body = await readBody(req, maxBody);
    let request: unknown;
    try {
      request = JSON.parse(body);
    } catch (err) {
      throw new HttpError(400, `the body is not valid JSON: ${(err as Error).message}`);
    }
    const { texts, single } = textsOf(request);
    const results = await args.tagger.tagBatch(texts);
    sendJson(res, single ? results[0] : results);
  }
}

/** `{"text": "..."}` or `{"texts": ["...", ...]}`; anything else is a 400 saying what was expected. */
function textsOf(request: unknown): { texts: string[]; single: boolean } {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new HttpError(400, 'the body must be a JSON object: {"text": "..."} or {"texts": ["...", ...]}');
  }
  const { text, texts } = request as { text?: unknown; texts?: unknown };
  if (text !== undefined && texts !== undefined) throw new HttpError(400, 'give "text" or "texts", not both');
  if (text !== undefined) {
    if (typeof text !== 'string') throw new HttpError(400, `"text" must be a string, got ${kind(text)}`);
    return { texts: [text], single: true };
  }
  if (texts !== undefined) {
    if (!Array.isArray(texts)) throw new HttpError(400, `"texts" must be an array of strings, got ${kind(texts)}`);
    const bad = texts.findIndex((t) => typeof t !== 'string');
    if (bad >= 0) throw new HttpError(400, `"texts" must be an array of strings; texts[${bad}] is ${kind(texts[bad])}`);
    return { texts: texts as string[], single: false };
  }
  throw new HttpError(400, 'missing field: the body needs "text" (a string) or "texts" (an array of strings)');
}

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** The body as UTF-8 text, refused with 413 as soon as it passes `max` bytes. */
function readBody(req: IncomingMessage, max: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > max) return Promise.reject(new HttpError(413, `the body is ${declared} bytes; the most is ${max}`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.pause();
        reject(new HttpError(413, `the body is over ${max} bytes, the most this server takes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
}

function sendJson(res: ServerResponse, value: unknown): void {
  send(res, 200, 'application/json', `${JSON.stringify(value)}\n`);
}
