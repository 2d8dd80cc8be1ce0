/**
 * Device presets. One global set: every experiment, including `tiersim reproduce`,
 * uses these figures. Each carries its source.
 *
 * The published per-read latencies (PVLDB'25 Table 1) are latencies of one state
 * read, i.e. one block of 4 KiB. A request here costs first-byte + bytes/bandwidth,
 * so the first-byte median is the published figure minus the 4 KiB transfer time;
 * a 4 KiB probe then reports the published median.
 */
import type { DeviceSpec } from './device.ts';

const KiB = 1024;
const MiB = 1024 * 1024;
const PUBLISHED_READ_BYTES = 4 * KiB;

/** 25 Gbit/s per machine (FLIP-423 motivation: "from hundreds of Mbps to 25 Gbps"). */
export const NETWORK_BYTES_PER_SEC = 25e9 / 8;

function firstByteFor(publishedUs: number, bandwidth: number): number {
  return publishedUs - (PUBLISHED_READ_BYTES / bandwidth) * 1e6;
}

const nvmeBandwidth = 2000 * MiB;
const hdfsBandwidth = 200 * MiB;
const ossBandwidth = 80 * MiB;
const s3Bandwidth = 55 * MiB;
const s3ExpressBandwidth = 100 * MiB;

export const PRESETS: Record<string, DeviceSpec> = {
  nvme: {
    name: 'nvme',
    description: 'local NVMe SSD',
    source: 'PVLDB 18(12) 2025 Table 1: 68 µs per read; tail p99 = 3× median (assumption); ~2 GiB/s per stream',
    concurrency: 32,
    read: { firstByte: { kind: 'lognormal', p50Us: firstByteFor(68, nvmeBandwidth), p99Us: 3 * 68 }, bandwidthBytesPerSec: nvmeBandwidth },
    write: { firstByte: { kind: 'lognormal', p50Us: 20, p99Us: 80 }, bandwidthBytesPerSec: 1500 * MiB },
    capacityBytes: 1024 ** 4,
  },
  hdfs: {
    name: 'hdfs',
    description: 'HDFS on the same LAN',
    source: 'PVLDB 18(12) 2025 Table 1: 1.5 ms per read (22× NVMe); p99 = 4× median (assumption); 25 Gbit/s NIC (FLIP-423)',
    concurrency: 64,
    read: { firstByte: { kind: 'lognormal', p50Us: firstByteFor(1500, hdfsBandwidth), p99Us: 6000 }, bandwidthBytesPerSec: hdfsBandwidth },
    // An HDFS write goes through a pipeline of three datanodes before it is acknowledged.
    write: { firstByte: { kind: 'lognormal', p50Us: 3000, p99Us: 12000 }, bandwidthBytesPerSec: 150 * MiB },
    aggregateBandwidthBytesPerSec: NETWORK_BYTES_PER_SEC,
  },
  oss: {
    name: 'oss',
    description: 'Alibaba Cloud OSS (object storage)',
    source: 'PVLDB 18(12) 2025 Table 1: 23 ms per read (338× NVMe); p99 = 4× median (assumption); 25 Gbit/s NIC',
    concurrency: 128,
    read: { firstByte: { kind: 'lognormal', p50Us: firstByteFor(23000, ossBandwidth), p99Us: 92000 }, bandwidthBytesPerSec: ossBandwidth },
    write: { firstByte: { kind: 'lognormal', p50Us: 30000, p99Us: 120000 }, bandwidthBytesPerSec: ossBandwidth },
    aggregateBandwidthBytesPerSec: NETWORK_BYTES_PER_SEC,
  },
  s3: {
    name: 's3',
    description: 'Amazon S3 Standard',
    source: 'Durner, Leis, Neumann, PVLDB 16 (2023): ~15 ms warm first-byte median, p99 ~150 ms, 55 MiB/s median per object stream; '
      + 'AWS list prices: GET $0.0004 and PUT $0.005 per 1,000 requests',
    concurrency: 256,
    read: {
      firstByte: { kind: 'lognormal', p50Us: 15000, p99Us: 150000 }, bandwidthBytesPerSec: s3Bandwidth,
      costPerRequestUsd: 0.0004 / 1000,
    },
    write: {
      firstByte: { kind: 'lognormal', p50Us: 25000, p99Us: 200000 }, bandwidthBytesPerSec: s3Bandwidth,
      costPerRequestUsd: 0.005 / 1000,
    },
    aggregateBandwidthBytesPerSec: NETWORK_BYTES_PER_SEC,
  },
  's3-express': {
    name: 's3-express',
    description: 'Amazon S3 Express One Zone',
    source: 'AWS documentation: single-digit millisecond first byte (p50 3 ms, p99 9 ms assumed); '
      + 'AWS list prices (2025): GET $0.00003 and PUT $0.00113 per 1,000 requests, $0.0006/GB retrieved, $0.0032/GB uploaded',
    concurrency: 256,
    read: {
      firstByte: { kind: 'lognormal', p50Us: 3000, p99Us: 9000 }, bandwidthBytesPerSec: s3ExpressBandwidth,
      costPerRequestUsd: 0.00003 / 1000, costPerGBUsd: 0.0006,
    },
    write: {
      firstByte: { kind: 'lognormal', p50Us: 5000, p99Us: 15000 }, bandwidthBytesPerSec: s3ExpressBandwidth,
      costPerRequestUsd: 0.00113 / 1000, costPerGBUsd: 0.0032,
    },
    aggregateBandwidthBytesPerSec: NETWORK_BYTES_PER_SEC,
  },
  memory: {
    name: 'memory',
    description: 'DRAM',
    source: 'typical server DRAM: ~0.1 µs access, ~10 GiB/s per stream',
    concurrency: 16,
    read: { firstByte: { kind: 'constant', us: 0.1 }, bandwidthBytesPerSec: 10 * 1024 * MiB },
    write: { firstByte: { kind: 'constant', us: 0.1 }, bandwidthBytesPerSec: 10 * 1024 * MiB },
  },
};

export const PRESET_NAMES = Object.keys(PRESETS);
