/** What every CLI command file exports: a name, a one-line summary, its help text, and run. */
export interface Command {
  name: string;
  summary: string;
  /** Full help, printed by `ner <name> --help`; a function gets the other arguments (`--model DIR`, say). */
  help: string | ((argv: string[]) => string);
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}
