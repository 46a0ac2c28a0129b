/**
 * Worker thread body: scans one byte range of a log file and posts the part's tally, its
 * first events and its still-open last events back (bundled as dist/log-worker.js). The
 * first events go as soon as they are complete, ahead of the rest.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanRange, type RangeJob } from './analyze';
import { packPartResult, type StraddlingEvents } from './partTransfer';

const job = workerData as RangeJob;
let pending = 0;
const piecesOf = (events: StraddlingEvents) =>
  [events.columns.buffer as ArrayBuffer, events.typeCounts.buffer as ArrayBuffer];
const result = scanRange(job, (bytes) => {
  // Progress in steps of 16 MiB keeps the message traffic negligible.
  pending += bytes;
  if (pending >= 16 << 20) {
    parentPort?.postMessage({ progress: pending });
    pending = 0;
  }
}, (head) => parentPort?.postMessage({ head }, piecesOf(head)));
if (pending > 0) parentPort?.postMessage({ progress: pending });
const packed = packPartResult(result);
// The columns move to the main thread instead of being copied.
const columns = [packed.profile.buffer as ArrayBuffer,
  packed.profileTypeCounts.buffer as ArrayBuffer, ...piecesOf(packed.head),
  ...piecesOf(packed.tail)];
parentPort?.postMessage({ result: packed }, columns);
