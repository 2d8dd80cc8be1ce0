/**
 * Fitting a lognormal to measured latencies (maximum likelihood on the logs), and
 * how well the fit reproduces the measured quantiles.
 */
import { mean, quantileSorted, standardDeviation } from 'simple-statistics';
import { InputError } from './errors.ts';
import { LogNormal } from './distributions.ts';

export interface LogNormalFit {
  samples: number;
  mu: number;
  sigma: number;
  p50Us: number;
  p99Us: number;
  /** Measured versus fitted quantiles, and the relative error of the fit. */
  quantiles: { q: number; measuredUs: number; fittedUs: number; relativeError: number }[];
}

export function fitLogNormal(samplesUs: ArrayLike<number>): LogNormalFit {
  if (samplesUs.length < 2) throw new InputError(`calibrate: need at least 2 samples, got ${samplesUs.length}`);
  const logs: number[] = [];
  for (let i = 0; i < samplesUs.length; i++) {
    const v = samplesUs[i]!;
    if (!(v > 0)) throw new InputError(`calibrate: sample ${i + 1} is ${v}; latencies must be positive`);
    logs.push(Math.log(v));
  }
  const mu = mean(logs);
  const sigma = standardDeviation(logs);
  const fit = LogNormal.fromMuSigma(mu, sigma);
  const sorted = Array.from(samplesUs).sort((a, b) => a - b);
  const quantiles = [0.5, 0.9, 0.99].map((q) => {
    const measuredUs = quantileSorted(sorted, q);
    const fittedUs = fit.quantile(q);
    return { q, measuredUs, fittedUs, relativeError: (fittedUs - measuredUs) / measuredUs };
  });
  return { samples: samplesUs.length, mu, sigma, p50Us: fit.quantile(0.5), p99Us: fit.quantile(0.99), quantiles };
}
