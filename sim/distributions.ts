/**
 * Latency distributions (microseconds). Every device's first-byte latency is one of
 * these, given in a config as a plain object so that presets and calibrated files
 * are data.
 */
import { z } from 'zod';
import { InputError } from './errors.ts';
import type { Rng } from './random.ts';

/** The 0.99 quantile of the standard normal distribution. */
export const Z99 = 2.3263478740408408;

export interface Distribution {
  sample(rng: Rng): number;
  /** The q-quantile, q in (0,1): used by reports and tests. */
  quantile(q: number): number;
  readonly mean: number;
}

export const distributionSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant'), us: z.number().nonnegative() }),
  z.object({ kind: z.literal('uniform'), minUs: z.number().nonnegative(), maxUs: z.number().nonnegative() }),
  z.object({ kind: z.literal('exponential'), meanUs: z.number().positive() }),
  z.object({ kind: z.literal('lognormal'), p50Us: z.number().positive(), p99Us: z.number().positive() }),
  z.object({ kind: z.literal('empirical'), samplesUs: z.array(z.number().nonnegative()).min(1) }),
]);
export type DistributionSpec = z.infer<typeof distributionSpec>;

export class Constant implements Distribution {
  constructor(readonly value: number) {}
  sample(): number { return this.value; }
  quantile(): number { return this.value; }
  get mean(): number { return this.value; }
}

export class Uniform implements Distribution {
  constructor(readonly min: number, readonly max: number) {
    if (max < min) throw new InputError(`uniform distribution: max ${max} < min ${min}`);
  }
  sample(rng: Rng): number { return this.min + (this.max - this.min) * rng.next(); }
  quantile(q: number): number { return this.min + (this.max - this.min) * q; }
  get mean(): number { return (this.min + this.max) / 2; }
}

export class Exponential implements Distribution {
  constructor(readonly mean: number) {}
  sample(rng: Rng): number { return -this.mean * Math.log(1 - rng.next()); }
  quantile(q: number): number { return -this.mean * Math.log(1 - q); }
}

/** Lognormal given by its median and 99th percentile: μ = ln p50, σ = ln(p99/p50)/z99. */
export class LogNormal implements Distribution {
  readonly mu: number;
  readonly sigma: number;
  constructor(p50: number, p99: number) {
    if (p99 < p50) throw new InputError(`lognormal distribution: p99 ${p99} is below p50 ${p50}`);
    this.mu = Math.log(p50);
    this.sigma = Math.log(p99 / p50) / Z99;
  }
  static fromMuSigma(mu: number, sigma: number): LogNormal {
    return new LogNormal(Math.exp(mu), Math.exp(mu + sigma * Z99));
  }
  sample(rng: Rng): number { return Math.exp(this.mu + this.sigma * rng.normal()); }
  quantile(q: number): number { return Math.exp(this.mu + this.sigma * normalQuantile(q)); }
  get mean(): number { return Math.exp(this.mu + (this.sigma * this.sigma) / 2); }
}

/** Resamples measured values: inverse CDF with linear interpolation between order statistics. */
export class Empirical implements Distribution {
  private readonly sorted: Float64Array;
  readonly mean: number;
  constructor(samples: ArrayLike<number>) {
    if (samples.length === 0) throw new InputError('empirical distribution: no samples');
    this.sorted = Float64Array.from(samples).sort();
    let sum = 0;
    for (const v of this.sorted) sum += v;
    this.mean = sum / this.sorted.length;
  }
  sample(rng: Rng): number { return this.quantile(rng.next()); }
  quantile(q: number): number {
    const s = this.sorted;
    const pos = q * (s.length - 1);
    const i = Math.floor(pos);
    if (i >= s.length - 1) return s[s.length - 1]!;
    return s[i]! + (s[i + 1]! - s[i]!) * (pos - i);
  }
}

export function makeDistribution(spec: DistributionSpec): Distribution {
  switch (spec.kind) {
    case 'constant': return new Constant(spec.us);
    case 'uniform': return new Uniform(spec.minUs, spec.maxUs);
    case 'exponential': return new Exponential(spec.meanUs);
    case 'lognormal': return new LogNormal(spec.p50Us, spec.p99Us);
    case 'empirical': return new Empirical(spec.samplesUs);
  }
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation,
 * relative error below 1.2e-9), enough for quantiles of fitted lognormals.
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
