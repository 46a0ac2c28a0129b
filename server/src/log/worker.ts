/**
 * Worker thread body: scans one byte range of a log file and posts the part's tally, its
 * first events and its still-open last events back (bundled as dist/log-worker.js).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanRange, type RangeJob } from './analyze';
import { packPartResult } from './partTransfer';

const job = workerData as RangeJob;
let pending = 0;
const result = scanRange(job, (bytes) => {
  // Progress in steps of 16 MiB keeps the message traffic negligible.
  pending += bytes;
  if (pending >= 16 << 20) {
    parentPort?.postMessage({ progress: pending });
    pending = 0;
  }
});
if (pending > 0) parentPort?.postMessage({ progress: pending });
const packed = packPartResult(result);
// The columns move to the main thread instead of being copied.
const columns = [packed.profile, packed.profileTypeCounts, packed.head.columns,
  packed.head.typeCounts, packed.tail.columns, packed.tail.typeCounts]
  .map((column) => column.buffer as ArrayBuffer);
parentPort?.postMessage({ result: packed }, columns);
