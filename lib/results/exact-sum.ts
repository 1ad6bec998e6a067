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
  private partials: number[] = [];

  add(value: number): void {
    let x = value;
    let i = 0;
    for (let j = 0; j < this.partials.length; j++) {
      let y = this.partials[j];
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) this.partials[i++] = lo;
      x = hi;
    }
    this.partials.length = i;
    if (x !== 0) this.partials.push(x);
  }

  /** Adds every addend of `other` (exactly: its partials are its exact total). */
  merge(other: ExactSum): void {
    for (const p of other.partials) this.add(p);
  }

  /** The exact total, correctly rounded to the nearest double (ties to even). */
  value(): number {
    const p = this.partials;
    let n = p.length;
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
    return [...this.partials];
  }

  static decode(partials: readonly number[]): ExactSum {
    const s = new ExactSum();
    for (const p of partials) s.add(p);
    return s;
  }
}
