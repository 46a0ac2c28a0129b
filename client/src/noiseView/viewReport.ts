// What the noise view shows: the log engine's report, cut to the rows a table can hold
// and shaped for the webview. Pure data, no `vscode` import, shared with the front end.

/** One log file of the analysed set; record links refer to it by index. */
export interface SourceLog {
  label: string;
  bytes: number;
}

export interface ExeRow { exe: string; events: number; bytes: number; deleted: boolean }
export interface SyscallRow { arch: string; number: number; name: string; events: number }
export interface KeyRow { key: string; events: number }
export interface TypeRow { type: string; records: number }
export interface UidRow { uid: string; events: number }
export interface ExeSyscallRow {
  exe: string; arch: string; number: number; name: string; events: number;
}
export interface ExeKeyRow { exe: string; key: string; events: number }
export interface MinuteRow { minute: number; events: number }
export interface SkippedLine { source: number; line: number; reason: string }

export interface AuditViewReport {
  kind: 'audit';
  sources: SourceLog[];
  records: number;
  events: number;
  skippedLines: number;
  skippedSamples: SkippedLine[];
  lostRecords: number;
  /** Seconds since the epoch, or null for a log without a timestamped record. */
  firstTime: number | null;
  lastTime: number | null;
  eventsPerMinute: number;
  maxLogFileMb: number;
  /** Minutes between rotations at this rate; null when the rate cannot be known. */
  rotationMinutes: number | null;
  byExe: ExeRow[];
  bySyscall: SyscallRow[];
  byKey: KeyRow[];
  byType: TypeRow[];
  byUid: UidRow[];
  byExeSyscall: ExeSyscallRow[];
  byExeKey: ExeKeyRow[];
  perMinute: MinuteRow[];
  /** Rows dropped from the tables because a table holds at most `rowLimit` rows. */
  truncatedRows: number;
}

export interface MdatpRow {
  path: string;
  name: string;
  filesScanned: number;
  /** The statistics' total scan time for the path, in the unit mdatp gives it. */
  scanTime: number | null;
}

export interface MdatpViewReport {
  kind: 'mdatp';
  sources: SourceLog[];
  processes: MdatpRow[];
  totalFilesScanned: number;
}

export type ViewReport = AuditViewReport | MdatpViewReport;

export interface SuggestedRule {
  rule: string;
  events: number;
  bytes: number;
  warnings: string[];
}

/** Selection -> rules with their impact, as the preview pane shows it. */
export interface RulesPreview {
  rules: SuggestedRule[];
  eventsRemoved: number;
  bytesRemoved: number;
  eventsBefore: number;
  rotationMinutesBefore: number | null;
  rotationMinutesAfter: number | null;
  /** Selected names the generator refused, each with its reason. */
  refused: Array<{ name: string; reason: string }>;
  /** Facts worth knowing before using the rules. */
  notes: string[];
}

export interface SampleRecord {
  source: number;
  line: number;
  text: string;
}

/** Tables longer than this are cut: the DOM stays light and the message small. */
export const rowLimit = 2000;
