// Messages between the noise view's panel and its analysis worker thread. Both sides are
// this extension's own code; the types keep them in step.
import type { RuleInput } from '../../../server/src/rules/match';
import type { NoiseSelection } from './messages';
import type { RulesPreview, SampleRecord, ViewReport } from './viewReport';

export interface AnalysisInput {
  /** Absolute file system paths, in the order the user gave them. */
  files: string[];
  maxLogFileMb: number;
}

/** One generated rule as the panel needs it to place and insert it. */
export interface GeneratedRule {
  text: string;
  list: string;
  /** The rule as the matching model reads it (absent for mdatp commands). */
  model?: RuleInput;
}

export type WorkerRequest =
  | { type: 'analyse'; id: number; input: AnalysisInput }
  | { type: 'preview'; id: number; selection: NoiseSelection; maxLogFileMb: number }
  | { type: 'samples'; id: number; exe: string; syscall?: string; key?: string }
  | { type: 'maxLogFile'; id: number; maxLogFileMb: number }
  | { type: 'cancel'; id: number };

export type WorkerReply =
  | { type: 'progress'; id: number; bytesRead: number; totalBytes: number }
  | { type: 'report'; id: number; report: ViewReport }
  | { type: 'preview'; id: number; preview: RulesPreview; rules: GeneratedRule[];
      hostMachine: string }
  | { type: 'samples'; id: number; samples: SampleRecord[] }
  | { type: 'cancelled'; id: number }
  | { type: 'error'; id: number; message: string };
