#!/usr/bin/env node
import '../node/runtime.js';
import { NerError, USAGE_CODES } from '../core/errors.js';
import { commands } from './commands/index.js';
import { cliMessage } from './model-hint.js';

const HELP = `ner: named entity recognition with a window classifier

Usage: ner <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join('\n')}

Run \`ner <command> --help\` for a command's options. Add --debug to any command for stack traces.
`;

/** Runs the CLI and resolves to the process exit code: 0 ok, 2 usage error, 1 anything else. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = args;
  if (name === undefined) {
    // No command is a usage error: the help goes to stderr, stdout stays for data.
    process.stderr.write(HELP);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    process.stderr.write(`ner: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    const help = typeof command.help === 'function' ? command.help(rest) : command.help;
    process.stdout.write(help.endsWith('\n') ? help : `${help}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    return reportError(err, name, debug);
  }
}

function reportError(err: unknown, command: string, debug: boolean): number {
  if (err instanceof NerError) {
    process.stderr.write(`ner ${command}: ${cliMessage(err)}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return USAGE_CODES.includes(err.code) ? 2 : 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`ner ${command}: ${message}\n`);
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else process.stderr.write('(run again with --debug for a stack trace)\n');
  return 1;
}

// Run only when executed as the `ner` binary, not when imported by tests.
const invokedAs = process.argv[1] ?? '';
if (/(?:^|[\\/])(?:ner|main\.js)$/.test(invokedAs)) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`ner: ${String(err)}\n`); process.exitCode = 1; },
  );
}
