/** `ner serve`: parses options, loads the model into a TaggerPool and runs the server of src/node/server. */
import type { AddressInfo } from 'node:net';
import { usageError } from '../../core/errors.js';
import { DEFAULT_MAX_BODY_BYTES, createNerServer } from '../../node/server/server.js';
import { readManifest } from '../../core/storage/model-read.js';
import { BUNDLED_MODEL_NAME } from '../../node/storage/bundled-model.js';
import { directorySource } from '../../node/storage/model-io.js';
import { TaggerPool } from '../../node/workers/tagger-pool.js';
import { intOption, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { typesOfTags } from '../model-types.js';
import { workersOption } from '../workers-option.js';
import { backendHelp, backendOption, workersForBackend } from '../backend-option.js';
import { Tagger } from '../../core/tagger/tagger.js';

const HELP = `Usage: ner serve [--port N] [--host H] [--model M] [--workers N] [--max-body BYTES]
                 [--backend auto|webgpu|wasm|cpu]

Serves the model over HTTP:
  POST /tag     {"text": "..."} -> the \`ner tag --format json\` object;
                {"texts": ["...", ...]} -> a list of them
  GET  /        a page with a text box that shows the entities highlighted
  GET  /health  {"status":"ok"}
  GET  /model   the model's entity types, features and scores (dev, test) if recorded
Bad requests get a JSON {"error"}: 400 invalid JSON or fields, 413 a body over the cap,
415 a content type other than application/json, 404 and 405 where they apply.

  --port N        port to listen on (default 8080; 0: any free port)
  --host H        address to bind (default 127.0.0.1: this machine only)
  --model M       model folder or bundled model's name (default: the bundled model)
  --workers N     worker threads tagging requests, each with the model loaded (default 1);
                  tagging never runs on the event loop, so /health answers while they work
                  (except with --backend webgpu, which tags in this process)
  --max-body B    largest request body in bytes (default ${DEFAULT_MAX_BODY_BYTES})
${backendHelp(16)}

One line per request goes to stderr. SIGTERM (or Ctrl-C) stops accepting connections,
lets the requests in flight finish, and exits 0.
`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the model over HTTP (POST /tag, a page at /)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { port: { type: 'string' }, host: { type: 'string' }, model: { type: 'string' }, workers: { type: 'string' }, 'max-body': { type: 'string' }, backend: { type: 'string' } },
      'serve',
    );
    if (positionals.length > 0) throw usageError(`unexpected argument "${positionals[0]}"`, 'see `ner serve --help`');
    const port = intOption(values.port as string | undefined, 'port', 8080);
    if (port > 65535) throw usageError(`--port must be from 0 to 65535, got ${port}`);
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    const maxBodyBytes = intOption(values['max-body'] as string | undefined, 'max-body', DEFAULT_MAX_BODY_BYTES);
    if (maxBodyBytes < 1) throw usageError(`--max-body must be at least 1, got ${maxBodyBytes}`);
    const backend = backendOption(values.backend as string | undefined);
    const workers = workersForBackend(backend, workersOption(values.workers as string | undefined)) ?? 1;
    const modelDir = values.model as string | undefined;

    // model.json alone for GET /model: the workers load (and check) the whole model.
    const manifest = await readManifest(await directorySource(modelDir ?? BUNDLED_MODEL_NAME));
    // webgpu: one in-process tagger, as one GPU device serves all requests.
    const pool = backend === 'webgpu' ? inProcess(await Tagger.load(modelDir, { backend })) : await TaggerPool.start({ modelDir, workers, backend });
    const model = {
      name: modelDir ?? BUNDLED_MODEL_NAME,
      types: typesOfTags(manifest.config.tags),
      features: manifest.config.features,
      window: manifest.config.window,
      members: manifest.config.members ?? 1,
      scores: { dev: manifest.training?.dev ?? null, test: manifest.training?.test ?? null },
    };
    const server = createNerServer({ tagger: pool, model, maxBodyBytes, log: (line) => process.stderr.write(`${line}\n`) });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    }).catch(async (err: NodeJS.ErrnoException) => {
      await pool.close();
      throw usageError(`cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}`);
    });
    const address = server.address() as AddressInfo;
    process.stderr.write(`ner serve: listening on http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        process.stderr.write(`ner serve: ${signal}: finishing the requests in flight\n`);
        // close() stops accepting and calls back once every open request has been answered.
        server.close(() => resolve());
        server.closeIdleConnections();
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    await pool.close();
    process.stderr.write('ner serve: stopped\n');
    return 0;
  },
};

/** A Tagger with the pool's close(), which has nothing to stop. */
function inProcess(tagger: Tagger): Tagger & { close: () => Promise<void> } {
  return Object.assign(tagger, { close: async () => {} });
}
