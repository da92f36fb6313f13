import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Writable } from 'node:stream';
import { fileReadError, NerError, usageError } from '../../core/errors.js';
import { isTagFormat, renderResult, resultToJson, TAG_FORMATS, type RenderSpec, type TagFormat } from '../../core/tagger/format.js';
import { MAX_TEXT_BYTES } from '../../core/tagger/limits.js';
import { Tagger } from '../../core/tagger/tagger.js';
import { TaggerPool } from '../../node/workers/tagger-pool.js';
import type { TagResult, TextTagger } from '../../core/tagger/types.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { workersOption } from '../workers-option.js';
import { describeBytes, readInputLines, readInputText, textToLines, type InputLine } from '../text-input.js';

/**
 * Largest document `ner tag` accepts: a line for jsonl/conll/pretty, the whole input for
 * json. The library's limit for one text (see limits.ts for why 2 MiB), so the CLI and
 * `tagger.tag` accept the same documents.
 */
export const MAX_DOCUMENT_BYTES = MAX_TEXT_BYTES;
/** Lines per `tagBatch` call: enough to fill the network's batches, few enough to start output early. */
const BATCH_LINES = 2048;
/** Characters per `tagBatch` call, so a batch of long lines stays small in memory. */
const BATCH_CHARS = 256 << 10;
/** An --input file this large is tagged by one worker per core (unless --workers says otherwise). */
export const PARALLEL_FROM_BYTES = 4 << 20;
/** Bytes per read from a file. */
const READ_CHUNK = 1 << 16;

const HELP = `Usage: ner tag [TEXT ...] [--input FILE] [--format pretty|json|jsonl|conll] [--model DIR]

Finds named entities (PER, LOC, ORG, MISC) in raw text. The text is the TEXT arguments
joined with a space, or the file given with --input, or stdin when there is neither.
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
  --model DIR     Model directory to tag with (default: the bundled model).
  --workers N     Worker threads tagging in parallel, each with the model loaded; from 1
                  to the number of cores (default: one per core for an --input file of
                  ${describeBytes(PARALLEL_FROM_BYTES)} or more with a line format, else 1: for short input,
                  loading more copies of the model costs more than it saves).
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

Exit codes: 0 success, 2 usage error (unknown flag, bad --format, TEXT with --input),
1 any other failure (unreadable input, missing or corrupt model).

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
    help: HELP,
    run: (argv) => runTag(argv, loadTagger, io),
  };
}

/** Loads the tagger for a model directory; with `workers` > 1, a pool of that many worker threads. */
export type TaggerLoader = (dir: string | undefined, workers: number) => Promise<TextTagger & { close?: () => Promise<void> }>;

/** `ner tag` with the bundled model or `--model DIR`: Tagger.load, or TaggerPool for big inputs. */
export const tagCommand: Command = createTagCommand((dir, workers) =>
  workers > 1 ? TaggerPool.start({ modelDir: dir, workers }) : Tagger.load(dir),
);

/** Where the text comes from: a file or stdin, read as a stream. */
interface Source {
  name: string;
  /** Size of a file; 0 for stdin. */
  bytes: number;
  read: () => AsyncIterable<Uint8Array | string>;
  close: () => Promise<void>;
}

/** The TEXT arguments, or a stream. */
type Input = { text: string } | { source: Source };

async function runTag(argv: string[], loadTagger: TaggerLoader, io: TagCommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    input: { type: 'string' },
    format: { type: 'string', default: 'pretty' },
    model: { type: 'string' },
    workers: { type: 'string' },
  }, 'tag');
  const requestedWorkers = workersOption(values.workers as string | undefined);
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
  const source = positionals.length > 0 ? undefined : await openSource(input, stdin);
  const from: Input = source ? { source } : { text: positionals.join(' ') };
  const workers = requestedWorkers ?? (source && source.bytes >= PARALLEL_FROM_BYTES && format !== 'json' ? availableParallelism() : 1);
  try {
    const tagger = await loadTagger(modelDir, workers);
    if (source?.name === 'stdin' && stdin.isTTY === true) stderr.write('ner tag: reading text from stdin (end it with Ctrl-D)\n');
    const out = new Output(stdout);
    const color = io.color ?? (stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb');
    try {
      if (format === 'json') await tagWhole(tagger, from, out);
      else await tagLines(tagger, from, format, color, out, workers);
    } catch (err) {
      if (out.closedByReader(err)) return 0; // `ner tag ... | head`: the reader has all it wants
      throw err;
    } finally {
      out.release();
      await tagger.close?.();
    }
  } finally {
    await source?.close();
  }
  return 0;
}

async function openSource(input: string | undefined, stdin: AsyncIterable<Uint8Array | string>): Promise<Source> {
  if (input === undefined || input === '-') return { name: 'stdin', bytes: 0, read: () => stdin, close: async () => {} };
  const handle = await open(input, 'r').catch((err: unknown) => { throw fileReadError(err, input); });
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new NerError('E_FILE', 'is a directory, not a file', { file: input });
  }
  return {
    name: input,
    bytes: stat.size,
    read: () => readFile(handle.createReadStream({ highWaterMark: READ_CHUNK, autoClose: false }), input),
    close: () => handle.close(),
  };
}

async function* readFile(stream: AsyncIterable<Uint8Array> & { destroy(): void }, path: string): AsyncGenerator<Uint8Array> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (err) {
    throw fileReadError(err, path);
  } finally {
    stream.destroy();
  }
}


/** Any non-whitespace: a text without it is blank and needs no model. */
const HAS_TEXT = /\S/;

/** Tags texts in order; blank ones get their empty result without a trip through the model. */
async function tagTexts(tagger: TextTagger, texts: readonly string[]): Promise<TagResult[]> {
  const toTag = texts.filter((t) => HAS_TEXT.test(t));
  const tagged = toTag.length > 0 ? await tagger.tagBatch(toTag) : [];
  if (tagged.length !== toTag.length) {
    throw new Error(`the tagger returned ${tagged.length} results for ${toTag.length} texts`);
  }
  let k = 0;
  return texts.map((text) => (HAS_TEXT.test(text) ? tagged[k++] : { text, entities: [], sentences: [] }));
}

async function tagWhole(tagger: TextTagger, from: Input, out: Output): Promise<void> {
  let text: string;
  if ('source' in from) {
    text = await readInputText(from.source.read(), {
      name: from.source.name, maxBytes: MAX_DOCUMENT_BYTES,
      tooLargeHint: '--format json holds the whole input in one object; --format jsonl tags it line by line',
    });
  } else {
    text = from.text;
    if (Buffer.byteLength(text) > MAX_DOCUMENT_BYTES) {
      throw new NerError('E_FORMAT', `the TEXT arguments are larger than ${describeBytes(MAX_DOCUMENT_BYTES)}`, { hint: 'use --input FILE --format jsonl' });
    }
  }
  const [result] = await tagTexts(tagger, [text]);
  await out.write(resultToJson(result));
}

async function tagLines(
  tagger: TextTagger, from: Input, format: Exclude<TagFormat, 'json'>, color: boolean, out: Output, workers: number,
): Promise<void> {
  const spec: RenderSpec = format === 'pretty' ? { format, color } : { format };
  let sentenceWritten = false;
  let endedWithNewline = true;
  const lineBatches = 'source' in from
    ? readInputLines(from.source.read(), { name: from.source.name, maxLineBytes: MAX_DOCUMENT_BYTES })
    : argumentLines(from.text);
  // Batches in flight, oldest first: with a worker pool each worker has one to tag while
  // the results of the oldest are written, in input order.
  const inFlight: { batch: InputLine[]; rendered: Promise<string[]> }[] = [];
  const writeOldest = async () => {
    const { batch, rendered } = inFlight.shift()!;
    const texts = await rendered;
    let chunk = '';
    for (let i = 0; i < batch.length; i++) {
      const text = texts[i];
      if (format === 'jsonl') chunk += text;
      else if (format === 'conll') {
        // A blank line between the sentences of consecutive lines.
        if (text === '') continue;
        if (sentenceWritten) chunk += '\n';
        sentenceWritten = true;
        chunk += text;
      } else {
        // pretty: the line as it was, its own line ending included
        chunk += text + batch[i].ending;
        endedWithNewline = batch[i].ending !== '';
      }
    }
    await out.write(chunk);
  };
  try {
    for await (const lines of lineBatches) {
      for (let first = 0; first < lines.length;) {
        const to = batchEnd(lines, first);
        const batch = lines.slice(first, to);
        inFlight.push({ batch, rendered: renderTexts(tagger, batch.map((l) => l.text), spec) });
        if (inFlight.length >= workers) await writeOldest();
        first = to;
      }
    }
    while (inFlight.length > 0) await writeOldest();
  } finally {
    // A failure leaves batches in flight; their rejections must not go unhandled.
    for (const pending of inFlight) pending.rendered.catch(() => {});
  }
  if (format === 'pretty' && !endedWithNewline) await out.write('\n');
}

/**
 * Tags and renders texts in order (renderResult); where the tagger renders (a TaggerPool, on
 * its worker threads) only strings come back. Blank texts get their empty result's rendering
 * without a trip through the model.
 */
async function renderTexts(tagger: TextTagger, texts: readonly string[], spec: RenderSpec): Promise<string[]> {
  const toTag = texts.filter((t) => HAS_TEXT.test(t));
  let rendered: string[] = [];
  if (toTag.length > 0) {
    rendered = tagger.tagBatchRendered
      ? await tagger.tagBatchRendered(toTag, spec)
      : (await tagger.tagBatch(toTag)).map((result) => renderResult(result, spec));
  }
  if (rendered.length !== toTag.length) {
    throw new Error(`the tagger returned ${rendered.length} results for ${toTag.length} texts`);
  }
  let k = 0;
  return texts.map((text) => (HAS_TEXT.test(text) ? rendered[k++] : renderResult({ text, entities: [], sentences: [] }, spec)));
}

/** The TEXT arguments as one batch of lines, each held to the same limit as a file's. */
async function* argumentLines(text: string): AsyncGenerator<InputLine[]> {
  const lines = textToLines(text);
  for (const line of lines) {
    if (Buffer.byteLength(line.text) > MAX_DOCUMENT_BYTES) {
      throw new NerError('E_FORMAT', `line ${line.line} of the TEXT arguments is longer than ${describeBytes(MAX_DOCUMENT_BYTES)}`, {
        hint: 'split it into shorter lines',
      });
    }
  }
  if (lines.length > 0) yield lines;
}

/** End of the batch starting at `from`: at most BATCH_LINES lines and about BATCH_CHARS characters. */
function batchEnd(lines: readonly InputLine[], from: number): number {
  let chars = 0;
  let to = from;
  while (to < lines.length && to - from < BATCH_LINES) {
    chars += lines[to].text.length;
    if (chars > BATCH_CHARS && to > from) break;
    to++;
  }
  return to;
}

/**
 * stdout with backpressure: `write` waits for 'drain' when the stream's buffer is full, so
 * a slow reader slows the tagging instead of growing memory. A stream error (EPIPE when
 * the reader went away) is kept and turned into a rejected write, never an unhandled event.
 */
class Output {
  private error: Error | undefined;
  private readonly onError = (err: Error): void => { this.error = err; };

  constructor(private readonly stream: Writable) {
    stream.on('error', this.onError);
  }

  async write(chunk: string): Promise<void> {
    if (this.error) throw this.error;
    if (chunk === '' || this.stream.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        this.stream.off('drain', onDrain);
        this.stream.off('error', done);
        this.stream.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => done();
      const onClose = (): void => done(this.error ?? Object.assign(new Error('stdout closed'), { code: 'EPIPE' }));
      this.stream.on('drain', onDrain);
      this.stream.on('error', done);
      this.stream.on('close', onClose);
    });
  }

  /** Was `err` the reader closing the pipe (EPIPE), which ends the command quietly? */
  closedByReader(err: unknown): boolean {
    return (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
  }

  release(): void {
    // Left attached for errors still to come from writes already buffered.
    if (this.error === undefined) this.stream.off('error', this.onError);
  }
}
