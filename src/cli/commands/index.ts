import type { Command } from '../command.js';

/** Every CLI command, in the order `ner --help` lists them. */
export const commands: Command[] = [];
