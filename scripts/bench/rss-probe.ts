/**
 * Preloaded into a child process (`node --import`) where GNU time is missing: prints the
 * process's peak memory to stderr as it exits, for cli-runs.ts to read.
 */
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
export {};
