/**
 * The worker thread in which the language server reads an analysed log: scanning, merging
 * the parts and ranking a large log take seconds, and on the server's own thread every
 * hover and completion would wait behind them. Posts the samples, or the error's text.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeLogs } from '../log/analyze';
import { AnalysedLog, logSamples } from './logSamples';

export interface LogSamplesJob {
  files: string[];
}

export type LogSamplesMessage =
  | { kind: 'samples'; log: AnalysedLog }
  | { kind: 'error'; message: string };

async function read(job: LogSamplesJob): Promise<LogSamplesMessage> {
  try {
    const report = await analyzeLogs(job.files);
    return {
      kind: 'samples',
      log: {
        files: job.files,
        events: report.events,
        records: report.records,
        samples: logSamples(report),
      },
    };
  } catch (error) {
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

if (parentPort) {
  const port = parentPort;
  void read(workerData as LogSamplesJob).then((message) => port.postMessage(message));
}
