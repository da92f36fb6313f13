/** `--set key=JSON` pairs (e.g. `--set sharedDropoutMask=true --set hidden=[500]`): recipe variants for experiments. */
export function overrides(pairs: string[]): Record<string, unknown> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--set takes key=JSON, got "${pair}"`);
      return [pair.slice(0, at), JSON.parse(pair.slice(at + 1))];
    }),
  );
}
