/**
 * Precision, recall and F1 from true positive, false positive and false negative counts,
 * in the manner of spaCy's `PRFScore`, but in percent and computed with the CoNLL
 * evaluation script's exact arithmetic.
 */

/**
 * Counts for one entity type (or all of them): `tp` entities found and correct, `fp` found
 * but wrong, `fn` in the gold standard but not found.
 *
 * The figures are in percent, computed as conlleval.pl computes them: `100*tp/found`, then
 * `2*p*r/(p+r)` from the percentages, operation for operation. The order matters: rounding
 * to two decimals can flip on the last bit of a double (100*97/800 is exactly 12.125 and
 * prints as 12.12; 100*(97/800) does not).
 *
 * @example
 * const prf = new PRFScore(3, 1, 2); // 3 correct of 4 found, 5 in the gold standard
 * prf.precision; // 75      (100*3/4)
 * prf.recall;    // 60      (100*3/5)
 * prf.f1;        // 66.666… (2*75*60/135)
 */
export class PRFScore {
  constructor(
    public tp = 0,
    public fp = 0,
    public fn = 0,
  ) {}

  /** Entities predicted: tp + fp. */
  get predicted(): number {
    return this.tp + this.fp;
  }

  /** Entities in the gold standard: tp + fn. */
  get gold(): number {
    return this.tp + this.fn;
  }

  /** 100 * correct / predicted; 0 when nothing was predicted. */
  get precision(): number {
    return this.predicted > 0 ? (100 * this.tp) / this.predicted : 0;
  }

  /** 100 * correct / gold; 0 when the gold standard has none. */
  get recall(): number {
    return this.gold > 0 ? (100 * this.tp) / this.gold : 0;
  }

  /** The harmonic mean of precision and recall, in percent; 0 when both are 0. */
  get f1(): number {
    const p = this.precision;
    const r = this.recall;
    return p + r > 0 ? (2 * p * r) / (p + r) : 0;
  }

  /**
   * Adds counts from predicted and gold entity counts and the number correct.
   *
   * @example
   * new PRFScore().addCounts({ gold: 5, predicted: 4, correct: 3 }).fn; // 2
   */
  addCounts(counts: { gold: number; predicted: number; correct: number }): PRFScore {
    this.tp += counts.correct;
    this.fp += counts.predicted - counts.correct;
    this.fn += counts.gold - counts.correct;
    return this;
  }
}
