/**
 * The central difference of `loss` in `param[k]`, `(loss(x + step) - loss(x - step)) / 2 step`,
 * with `param[k]` put back as it was: the numeric side of the tests' gradient checks
 * (test/model/gradient-check.test.ts keeps its own, which also tells ReLU kinks apart).
 */
export function centralDifference(param: Float32Array, k: number, loss: () => number, step = 1e-3): number {
  const keep = param[k];
  param[k] = keep + step;
  const up = loss();
  param[k] = keep - step;
  const down = loss();
  param[k] = keep;
  return (up - down) / (2 * step);
}
