import { renderHtml } from '../../core/tagger/html.js';
import { tokenize } from '../../core/text/tokenize.js';
import { availableParallelism } from 'node:os';
import type { Writable } from 'node:stream';
import { NerError, usageError } from '../../core/errors.js';
import { isTagFormat, TAG_FORMATS, type RenderSpec } from '../../core/tagger/format.js';
import { MAX_TEXT_BYTES } from '../../core/tagger/limits.js';
import { tagAndRender, tagLines } from '../../core/tagger/tag-stream.js';
import { Tagger } from '../../core/tagger/tagger.js';
import type { DocumentTagger } from '../../core/tagger/types.js';
import { describeBytes, readInputLines, readInputText, textToLines, type InputLine } from '../../core/text/input-lines.js';
import { utf8ByteLength } from '../../core/text/utf8.js';
import { openTextSource, type TextSource } from '../../node/files/text-source.js';
import { closedByReader, writeChunks } from '../../node/write-chunks.js';
import { TaggerPool } from '../../node/workers/tagger-pool.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { workersOption } from '../workers-option.js';
import { backendHelp, backendOption, workersForBackend } from '../backend-option.js';
import type { BackendRequest } from '../../core/runtime.js';
import { MIN_SCORE_HELP, minScoreOption } from '../min-score-option.js';
import { withMinScore } from '../../core/tagger/min-score.js';
import { BUNDLED_MODELS, modelTypes } from '../model-types.js';
import { createProgress } from '../progress.js';
import { streamStatus } from '../stream-progress.js';

/**
 * Largest document `ner tag` accepts: a line for jsonl/conll/pretty, the whole input for
 * json. The library's limit for one text (see limits.ts for why 2 MiB), so the CLI and
 * `tagger.tag` accept the same documents.
 */
export const MAX_DOCUMENT_BYTES = MAX_TEXT_BYTES;
/**
 * An --input file this large is tagged by one worker per core (unless --workers says
 * otherwise). Measured (issue 17, CoNLL-2003 train as lines, 2-vCPU machine): a pool of two
 * takes 0.34 s to start against 0.13 s for the in-process model, and each worker pays its
 * own cold first batch (0.6 s for 2,048 lines against 0.2 s later), so with two free cores
 * it breaks even near 1 MB; with the cores shared, `--workers 2` was no faster than 1 at
 * 1.1 MB (median 2.53 against 2.41 s) nor at 4.4 MB (7.29 against 7.22 s). Hence 4 MiB.
 */
export const PARALLEL_FROM_BYTES = 4 << 20;

/** The help, naming the types of the model `--model` gives (or the bundled model's). */
export function tagHelp(argv: readonly string[] = []): string {
  const at = argv.findIndex((a) => a === '--model' || a.startsWith('--model='));
  const dir = at < 0 ? undefined : argv[at].startsWith('--model=') ? argv[at].slice('--model='.length) : argv[at + 1];
  const types = modelTypes(dir);
  const which = dir === undefined ? 'the bundled model' : `the model ${dir}`;
  const found = types ? `${types.join(', ')} (${which})` : `those of the model (${which} could not be read)`;
  return HELP.replace('{TYPES}', found);
}

const HELP = `Usage: ner tag [TEXT ...] [--input FILE] [--format pretty|json|jsonl|conll|html] [--model DIR] [--workers N]
               [--min-score X] [--backend auto|webgpu|wasm|cpu]

Finds named entities in raw text. Types: {TYPES}.
The text is the TEXT arguments joined with a space, or the file given with --input, or
stdin when there is neither.
Data goes to stdout, messages to stderr.

Options:
  --input FILE    Tag the UTF-8 text of FILE ("-" for stdin). Not together with TEXT.
  --format NAME   Output format (default: pretty):
                    pretty  the text with entities marked, [Barack Obama]PER, in colour
                            on a terminal (set NO_COLOR to turn colour off)
                    json    one JSON object for the whole input:
                            {"text","entities":[{"text","type","start","end","score"}],
                             "sentences":[{"start","end","tokens":[{"text","start","end","tag"}]}]}
                            start/end are UTF-16 offsets into "text", end exclusive
                    jsonl   one such JSON object per input line, each line its own document
                    conll   one "TOKEN TAG" line per token, a blank line between sentences
                    html    one self-contained page for the whole input: entities highlighted
                            by type (type and score on hover), a legend; the text escaped
  --model DIR     Model directory to tag with, or a bundled model's name:
                    ${BUNDLED_MODELS[0]}           (the default) one window classifier, the fastest
                    ${BUNDLED_MODELS[1]}  five networks averaged: more accurate, about 3x slower
  --workers N     Worker threads tagging in parallel, each with the model loaded; from 1
                  to the number of cores (default: one per core for an --input file of
                  ${describeBytes(PARALLEL_FROM_BYTES)} or more with a line format, else 1: for short input,
                  loading more copies of the model costs more than it saves).
  --min-score X   ${MIN_SCORE_HELP}
${backendHelp(16)}
  --debug         Print a stack trace on failure.
  -h, --help      Show this help.

Input:
  jsonl, conll and pretty read and write line by line as the input arrives, so a file of
  any size can be tagged in bounded memory; json holds the whole input in one object.
  Every line break ends a sentence. Empty input gives an empty result, e.g. with json
  {"text":"","entities":[],"sentences":[]}; a UTF-8 byte order mark at the start is dropped.
  Refused with exit code 1 and FILE:LINE in the message (lines before it are already
  written by the streaming formats):
    - invalid UTF-8, and a NUL byte (the mark of a binary file);
    - a line longer than ${describeBytes(MAX_DOCUMENT_BYTES)}, and for json an input larger than that.
  Text starting with "-" goes after "--": ner tag -- -5 degrees in Oslo

Exit codes: 0 success, 2 usage error (unknown flag, bad --format or --backend, TEXT with
--input), 1 any other failure (unreadable input, missing or corrupt model, a backend asked
for by name that cannot start, e.g. webgpu without a GPU driver).

Examples:
  ner tag "Angela Merkel met Emmanuel Macron in Paris on Monday."
  ner tag --format json "Barack Obama visited Berlin." | jq .entities
  ner tag --input news.txt --format jsonl > news.jsonl
  cat news.txt | ner tag --format conll
`;

/** Where the tag command reads and writes; the process's streams unless a test gives others. */
export interface TagCommandIo {
  stdin?: AsyncIterable<Uint8Array | string> & { isTTY?: boolean };
  stdout?: Writable & { isTTY?: boolean };
  stderr?: Writable;
  /** Colour the pretty format; default: when stdout is a terminal and NO_COLOR is not set. */
  color?: boolean;
}

/**
 * Builds `ner tag` around a tagger loader, so it can run with a stand-in tagger in tests.
 *
 * @example
 * const command = createTagCommand(async () => fakeTagger, { stdout: sink });
 * await command.run(['--format', 'json', 'Barack Obama visited Paris.']); // 0
 */
export function createTagCommand(loadTagger: TaggerLoader, io: TagCommandIo = {}): Command {
  return {
    name: 'tag',
    summary: 'tag entities in raw text (arguments, a file, or stdin)',
    help: tagHelp,
    run: (argv) => runTag(argv, loadTagger, io),
  };
}

/**
 * Loads the tagger for a model directory on a backend; with `workers` > 1, a pool of that
 * many worker threads, each starting the backend itself.
 */
export type TaggerLoader = (dir: string | undefined, workers: number, backend: BackendRequest) => Promise<DocumentTagger & { close?: () => Promise<void> }>;

/** `ner tag` with the bundled model or `--model DIR`: Tagger.load, or TaggerPool for big inputs. */
export const tagCommand: Command = createTagCommand((dir, workers, backend) =>
  workers > 1 ? TaggerPool.start({ modelDir: dir, workers, backend }) : Tagger.load(dir, { backend }),
);

async function runTag(argv: string[], loadTagger: TaggerLoader, io: TagCommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    input: { type: 'string' },
    format: { type: 'string', default: 'pretty' },
    model: { type: 'string' },
    workers: { type: 'string' },
    'min-score': { type: 'string' },
    backend: { type: 'string' },
  }, 'tag');
  const backend = backendOption(values.backend as string | undefined);
  const requestedWorkers = workersForBackend(backend, workersOption(values.workers as string | undefined));
  const minScore = minScoreOption(values['min-score'] as string | undefined);
  const format = String(values.format);
  if (!isTagFormat(format)) throw usageError(`--format must be one of ${TAG_FORMATS.join(', ')}; got "${format}"`);
  const input = values.input as string | undefined;
  if (input !== undefined && positionals.length > 0) {
    throw usageError('give the text either as TEXT arguments or with --input, not both');
  }
  if (input === '') throw usageError('--input expects a file path (or "-" for stdin)');
  const modelDir = values.model as string | undefined;
  if (modelDir === '') throw usageError('--model expects a directory');

  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const stdin = io.stdin ?? process.stdin;
  // Open the file before loading the model: a typo in a path should fail at once.
  const source = positionals.length > 0 ? undefined : await openTextSource(input, stdin);
  const text = positionals.join(' ');
  const workers = requestedWorkers ?? (source && source.bytes >= PARALLEL_FROM_BYTES && format !== 'json' && format !== 'html' ? availableParallelism() : 1);
  const progress = await createProgress({ stream: stderr });
  try {
    progress.update(`loading ${modelDir === undefined ? 'the bundled model' : `the model ${modelDir}`}${workers > 1 ? ` on ${workers} workers` : ''}`);
    const tagger = withMinScore(await loadTagger(modelDir, workers, backend), minScore);
    progress.stop();
    if (source?.name === 'stdin' && stdin.isTTY === true) stderr.write('ner tag: reading text from stdin (end it with Ctrl-D)\n');
    const color = io.color ?? (stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb');
    try {
      if (format === 'json') {
        const whole = source ? await readWhole(source) : checkedArguments(text);
        await writeChunks(stdout, await tagAndRender(tagger, [whole], { format: 'jsonl' }));
      } else if (format === 'html') {
        // One page for the whole input, as json is one object.
        const doc = tokenize(source ? await readWhole(source) : checkedArguments(text));
        await tagger.tagDocuments([doc]);
        await writeChunks(stdout, [renderHtml(doc)]);
      } else {
        const spec: RenderSpec = format === 'pretty' ? { format, color } : { format };
        const lines = source ? readInputLines(source.read(), { name: source.name, maxLineBytes: MAX_DOCUMENT_BYTES }) : argumentLines(text);
        // Progress for a file or piped input; not for text a user types into the terminal.
        const typed = source?.name === 'stdin' && stdin.isTTY === true;
        const onProgress = source && progress.interactive && !typed ? streamStatus(progress, 'tagged', source.bytes) : undefined;
        await writeChunks(stdout, tagLines(tagger, lines, spec, { inFlight: batchesInFlight(workers), onProgress }));
      }
    } catch (err) {
      if (closedByReader(err)) return 0; // `ner tag ... | head`: the reader has all it wants
      throw err;
    } finally {
      progress.stop();
      await tagger.close?.();
    }
  } finally {
    progress.stop();
    await source?.close();
  }
  return 0;
}

/**
 * Batches tagged at once: two per worker of a pool, so that a worker that finishes while an
 * older batch is still out (results go out in input order) has its next batch already
 * (with one per worker, the second worker of a --workers 2 run sat idle 0.2 s of its first
 * 1.3 s so); one for the in-process tagger, which tags one batch at a time anyway.
 */
export function batchesInFlight(workers: number): number {
  return workers > 1 ? 2 * workers : 1;
}

/** The whole input, for json, held to the limit of one document. */
function readWhole(source: TextSource): Promise<string> {
  return readInputText(source.read(), {
    name: source.name, maxBytes: MAX_DOCUMENT_BYTES,
    tooLargeHint: '--format json and html hold the whole input at once; --format jsonl tags it line by line',
  });
}

/** The TEXT arguments as one document, held to the same limit as a file. */
function checkedArguments(text: string): string {
  if (utf8ByteLength(text) > MAX_DOCUMENT_BYTES) {
    throw new NerError('E_FORMAT', `the TEXT arguments are larger than ${describeBytes(MAX_DOCUMENT_BYTES)}`, { hint: 'use --input FILE --format jsonl' });
  }
  return text;
}

/** The TEXT arguments as lines, each held to the same limit as a file's. */
function argumentLines(text: string): InputLine[][] {
  const lines = textToLines(text);
  for (const line of lines) {
    if (utf8ByteLength(line.text) > MAX_DOCUMENT_BYTES) {
      throw new NerError('E_FORMAT', `line ${line.line} of the TEXT arguments is longer than ${describeBytes(MAX_DOCUMENT_BYTES)}`, {
        hint: 'split it into shorter lines',
      });
    }
  }
  return lines.length > 0 ? [lines] : [];
}
