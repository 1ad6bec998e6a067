/**
 * A floating-point sum that is exact until it is read, then correctly rounded: the value does not
 * depend on the order of the addends, so sums of one level's records accumulated in several
 * processes and merged equal the sum accumulated in one process, bit for bit.
 *
 * The running sum is a list of non-overlapping partials (Shewchuk, "Adaptive Precision
 * Floating-Point Arithmetic and Fast Robust Geometric Predicates", Discrete & Computational Geometry
 * 18, 1997); reading it rounds their exact total half-even, as CPython's math.fsum does
 * (https://github.com/python/cpython/blob/v3.12.0/Modules/mathmodule.c, math_fsum_impl). Addends are
 * finite. The list stays short (a few partials for values of similar magnitude).
 */
export class ExactSum {
  /** The partials, increasing in magnitude, in p[0..n) (a typed array: this runs once per latency sample). */
  private p = new Float64Array(4);
  private n = 0;

  add(value: number): void {
    let p = this.p;
    let x = value;
    let i = 0;
    for (let j = 0; j < this.n; j++) {
      let y = p[j];
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    if (x !== 0) {
      if (i === p.length) {
        const grown = new Float64Array(p.length * 2);
        grown.set(p);
        this.p = p = grown;
      }
      p[i++] = x;
    }
    this.n = i;
  }

  /** Adds every addend of `other` (exactly: its partials are its exact total). */
  merge(other: ExactSum): void {
    for (let i = 0; i < other.n; i++) this.add(other.p[i]);
  }

  /** The exact total, correctly rounded to the nearest double (ties to even). */
  value(): number {
    const p = this.p;
    let n = this.n;
    if (n === 0) return 0;
    let hi = p[--n];
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n];
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Half-way case: the rest of the partials decide the rounding direction.
    if (n > 0 && ((lo < 0 && p[n - 1] < 0) || (lo > 0 && p[n - 1] > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  /** The partials, for another process to merge (JSON numbers round-trip doubles exactly). */
  encode(): number[] {
    return Array.from(this.p.subarray(0, this.n));
  }

  static decode(partials: readonly number[]): ExactSum {
    const s = new ExactSum();
    for (const p of partials) s.add(p);
    return s;
  }
}
