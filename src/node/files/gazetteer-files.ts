import { parseGazetteerText } from '../../core/features/gazetteer.js';
import type { TrainGazetteerArgs } from '../../core/train/train-args.js';
import { readLineBatches } from './conll-files.js';

/** A gazetteer as trainFiles takes it: list files instead of parsed lists. */
export interface GazetteerFileArgs extends Omit<TrainGazetteerArgs, 'lists'> {
  /** Files of names, one `TYPE<TAB>entry` a line (see parseGazetteerText). */
  files?: string[];
}

/**
 * Reads gazetteer list files into one set of lists by type: a missing file is E_FILE, a
 * malformed line E_FORMAT naming file and line.
 *
 * @example
 * const lists = await readGazetteerFiles(['cities.tsv', 'names.tsv']); // { LOC: [...], PER: [...] }
 */
export async function readGazetteerFiles(files: readonly string[]): Promise<Record<string, string[]>> {
  const lists: Record<string, string[]> = {};
  for (const file of files) {
    const lines: string[] = [];
    for await (const batch of readLineBatches(file)) lines.push(...batch.lines);
    for (const [type, entries] of Object.entries(parseGazetteerText(lines.join('\n'), file))) (lists[type] ??= []).push(...entries);
  }
  return lists;
}

/** The gazetteer of TrainArgs from that of trainFiles: its files read. */
export async function gazetteerFromFiles(args: GazetteerFileArgs | undefined): Promise<TrainGazetteerArgs | undefined> {
  if (!args) return undefined;
  const { files, ...rest } = args;
  return { ...rest, ...(files && files.length > 0 ? { lists: await readGazetteerFiles(files) } : {}) };
}
