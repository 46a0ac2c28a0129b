// The noise view's worker thread (bundled as dist/noise-worker.js). It runs the log engine
// off the extension host's main thread, keeps the last report for selection previews, and
// looks up sample records. Every count comes from the engine; this file only adapts.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { analyzeLogs } from '../../../server/src/log/analyze';
import type { NoiseReport } from '../../../server/src/log/report';
import { analyzeMdatpStatistics, looksLikeMdatpStatistics, type MdatpReport } from
  '../../../server/src/log/mdatp';
import type { NoiseSelection } from './messages';
import { toAuditViewReport, toMdatpViewReport } from './reportAdapter';
import { auditPreview, mdatpPreview } from './preview';
import { findSampleRecords } from './sampleRecords';
import type { SourceLog, ViewReport } from './viewReport';
import type { AnalysisInput, WorkerReply, WorkerRequest } from './workerProtocol';

interface Analysed {
  input: AnalysisInput;
  view: ViewReport;
  audit?: NoiseReport;
  mdatp?: MdatpReport;
}

let analysed: Analysed | undefined;
const running = new Map<number, AbortController>();

function reply(message: WorkerReply): void {
  parentPort?.postMessage(message);
}

function sourcesOf(files: readonly string[]): SourceLog[] {
  return files.map((file) => ({ label: basename(file), bytes: statSync(file).size }));
}

/** An mdatp statistics file is JSON with a "counters" array; audit logs never start with {. */
function isMdatpInput(files: readonly string[]): boolean {
  if (files.length !== 1 || files[0].endsWith('.gz')) return false;
  const head = Buffer.alloc(4096);
  const fd = openSync(files[0], 'r');
  try {
    const length = readSync(fd, head, 0, head.length, 0);
    return looksLikeMdatpStatistics(head.toString('utf8', 0, length));
  } finally {
    closeSync(fd);
  }
}

async function analyse(id: number, input: AnalysisInput): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    if (isMdatpInput(input.files)) {
      const mdatp = analyzeMdatpStatistics(readFileSync(input.files[0], 'utf8'));
      if (mdatp.error) throw new Error(`${basename(input.files[0])}: ${mdatp.error.message}`);
      const view = toMdatpViewReport(mdatp, sourcesOf(input.files));
      analysed = { input, view, mdatp };
      reply({ type: 'report', id, report: view });
      return;
    }

    let lastPercent = -1;
    const report = await analyzeLogs(input.files, {
      maxLogFileMB: input.maxLogFileMb,
      signal: controller.signal,
      onProgress: ({ bytesRead, totalBytes }) => {
        // One message per percent keeps the traffic to the panel negligible.
        const percent = totalBytes ? Math.floor((100 * bytesRead) / totalBytes) : -1;
        if (percent === lastPercent) return;
        lastPercent = percent;
        reply({ type: 'progress', id, bytesRead, totalBytes: totalBytes ?? 0 });
      },
    });
    const view = toAuditViewReport(report, sourcesOf(input.files));
    analysed = { input, view, audit: report };
    reply({ type: 'report', id, report: view });
  } catch (error) {
    if (controller.signal.aborted) reply({ type: 'cancelled', id });
    else reply({ type: 'error', id, message: error instanceof Error ? error.message : `${error}` });
  } finally {
    running.delete(id);
  }
}

function preview(id: number, selection: NoiseSelection, maxLogFileMb: number): void {
  if (!analysed) {
    reply({ type: 'error', id, message: 'no log has been analysed yet' });
    return;
  }
  if (analysed.mdatp) {
    reply({ type: 'preview', id, ...mdatpPreview(analysed.mdatp, selection) });
  } else if (analysed.audit && analysed.view.kind === 'audit') {
    reply({ type: 'preview', id, ...auditPreview(analysed.audit, analysed.view, selection,
      maxLogFileMb) });
  }
}

function rescale(id: number, maxLogFileMb: number): void {
  if (!analysed || analysed.view.kind !== 'audit' || !analysed.audit) {
    reply({ type: 'error', id, message: 'no audit log has been analysed yet' });
    return;
  }
  const bytesPerMinute = analysed.audit.rotation.bytesPerMinute;
  analysed.input = { ...analysed.input, maxLogFileMb };
  analysed.view = {
    ...analysed.view,
    maxLogFileMb,
    rotationMinutes: bytesPerMinute ? (maxLogFileMb * 1048576) / bytesPerMinute : null,
  };
  reply({ type: 'report', id, report: analysed.view });
}

async function samples(id: number, query: { exe: string; syscall?: string; key?: string }) {
  if (!analysed) {
    reply({ type: 'samples', id, samples: [] });
    return;
  }
  const found = await findSampleRecords(analysed.input.files, query);
  reply({ type: 'samples', id, samples: found });
}

parentPort?.on('message', (request: WorkerRequest) => {
  const fail = (error: unknown) => reply({
    type: 'error', id: request.id, message: error instanceof Error ? error.message : String(error),
  });
  try {
    switch (request.type) {
      case 'analyse':
        void analyse(request.id, request.input);
        break;
      case 'preview':
        preview(request.id, request.selection, request.maxLogFileMb);
        break;
      case 'samples':
        samples(request.id, request).catch(fail);
        break;
      case 'maxLogFile':
        rescale(request.id, request.maxLogFileMb);
        break;
      case 'cancel':
        running.get(request.id)?.abort();
        break;
    }
  } catch (error) {
    fail(error);
  }
});
