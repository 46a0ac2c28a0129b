// The extension side of the analysis worker thread: starts it, sends requests, and turns
// its replies into promises and progress callbacks. The worker keeps the parsed report,
// so selection previews and sample lookups do not read the log again.
import { Worker } from 'node:worker_threads';
import type { NoiseSelection } from './messages';
import type {
  AnalysisInput, GeneratedRule, WorkerReply, WorkerRequest,
} from './workerProtocol';
import type { RulesPreview, SampleRecord, ViewReport } from './viewReport';

export interface AnalysisCallbacks {
  onProgress(bytesRead: number, totalBytes: number): void;
}

export type AnalysisOutcome =
  | { kind: 'report'; report: ViewReport }
  | { kind: 'cancelled' };

/** How long a cancelled analysis may take to stop before the worker is terminated. */
const cancelGraceMs = 2000;

/** The worker's heap limit: a runaway parse ends the worker, not the extension host. */
const workerHeapMb = 1024;

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: Error): void;
  callbacks?: AnalysisCallbacks;
}

export class AnalysisClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly workerScript: string) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerScript, {
      resourceLimits: { maxOldGenerationSizeMb: workerHeapMb },
    });
    worker.on('message', (reply: WorkerReply) => this.receive(reply));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => {
      this.worker = undefined;
      this.failAll(new Error(`the analysis worker stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  private receive(reply: WorkerReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if (reply.type === 'progress') {
      pending.callbacks?.onProgress(reply.bytesRead, reply.totalBytes);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === 'error') pending.reject(new Error(reply.message));
    else pending.resolve(reply);
  }

  private request(request: WorkerRequest, callbacks?: AnalysisCallbacks): Promise<WorkerReply> {
    const worker = this.start();
    return new Promise((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject, callbacks });
      worker.postMessage(request);
    });
  }

  async analyse(
    input: AnalysisInput,
    callbacks: AnalysisCallbacks,
    cancellation: { onCancel(listener: () => void): void },
  ): Promise<AnalysisOutcome> {
    const id = this.nextId++;
    let cancelled = false;
    cancellation.onCancel(() => {
      cancelled = true;
      this.worker?.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
      // A parse that does not notice the abort in time is stopped the hard way.
      const timer = setTimeout(() => {
        if (this.pending.has(id)) void this.worker?.terminate();
      }, cancelGraceMs);
      timer.unref?.();
    });

    try {
      const reply = await this.request({ type: 'analyse', id, input }, callbacks);
      if (reply.type === 'report') return { kind: 'report', report: reply.report };
      return { kind: 'cancelled' };
    } catch (error) {
      if (cancelled) return { kind: 'cancelled' };
      throw error;
    }
  }

  async preview(selection: NoiseSelection, maxLogFileMb: number):
    Promise<{ preview: RulesPreview; rules: GeneratedRule[]; hostMachine: string }> {
    const id = this.nextId++;
    const reply = await this.request({ type: 'preview', id, selection, maxLogFileMb });
    if (reply.type !== 'preview') throw new Error(`unexpected reply ${reply.type} to preview`);
    return { preview: reply.preview, rules: reply.rules, hostMachine: reply.hostMachine };
  }

  /** The report again, with the rotation forecast for another max_log_file. */
  async setMaxLogFile(maxLogFileMb: number): Promise<ViewReport> {
    const reply = await this.request({ type: 'maxLogFile', id: this.nextId++, maxLogFileMb });
    if (reply.type !== 'report') throw new Error(`unexpected reply ${reply.type} to maxLogFile`);
    return reply.report;
  }

  async samples(query: { exe: string; syscall?: string; key?: string }): Promise<SampleRecord[]> {
    const reply = await this.request({ type: 'samples', id: this.nextId++, ...query });
    if (reply.type !== 'samples') throw new Error(`unexpected reply ${reply.type} to samples`);
    return reply.samples;
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('the noise view was closed'));
    void worker?.terminate();
  }
}
