// The log engine's NoiseReport, shaped for the view: times as epoch seconds, uids named,
// tables cut to `rowLimit` rows, and the exe x key drill-down derived from the event
// profile. No counting happens here: every number comes from the engine.
import { skipReasonText } from '../../../server/src/log/scan';
import type { NoiseReport } from '../../../server/src/log/report';
import type { MdatpReport } from '../../../server/src/log/mdatp';
import { mdatpLabel } from './preview';
import { normaliseExe } from '../../../server/src/log/rank';
import {
  rowLimit, type AuditViewReport, type ExeKeyRow, type MdatpViewReport, type SourceLog,
} from './viewReport';

/** auid / uid 4294967295: the id was never set (the kernel's AUDIT_UID_UNSET). */
const unsetId = 4294967295;

function epochSeconds(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms / 1000;
}

function exeKeyRows(report: NoiseReport): ExeKeyRow[] {
  const totals = new Map<string, ExeKeyRow>();
  for (const bucket of report.profile.buckets) {
    if (bucket.exe === null) continue;
    const { exe } = normaliseExe(bucket.exe);
    for (const key of bucket.keys) {
      const id = `${exe}\u0000${key}`;
      const row = totals.get(id);
      if (row) row.events += bucket.events;
      else totals.set(id, { exe, key, events: bucket.events });
    }
  }
  return [...totals.values()].sort((a, b) => b.events - a.events);
}

export function toAuditViewReport(report: NoiseReport, sources: SourceLog[]): AuditViewReport {
  let truncatedRows = 0;
  const cut = <Row>(rows: Row[]): Row[] => {
    if (rows.length <= rowLimit) return rows;
    truncatedRows += rows.length - rowLimit;
    return rows.slice(0, rowLimit);
  };

  const minutes = report.spanSeconds / 60;
  const fileIndex = new Map(report.files.map((file, index) => [file, index]));

  return {
    kind: 'audit',
    sources,
    records: report.records,
    events: report.events,
    skippedLines: report.skippedLines,
    skippedSamples: report.skippedSamples.map((skipped) => ({
      source: fileIndex.get(skipped.file) ?? 0,
      line: skipped.line,
      reason: `${skipReasonText[skipped.reason]}: ${skipped.text}`,
    })),
    lostRecords: report.lostRecords,
    firstTime: epochSeconds(report.firstTime),
    lastTime: epochSeconds(report.lastTime),
    // A log of one instant is one minute's worth of events.
    eventsPerMinute: minutes > 0 ? report.events / minutes : report.events,
    maxLogFileMb: report.rotation.maxLogFileMB,
    rotationMinutes: report.rotation.minutesPerRotation,
    byExe: cut(report.byExe.map((row) => ({
      exe: row.exe, events: row.events, bytes: row.bytes, deleted: row.deleted,
    }))),
    bySyscall: cut(report.bySyscall.map((row) => ({
      arch: row.arch, number: row.number, name: row.name ?? `#${row.number}`, events: row.events,
    }))),
    byKey: cut(report.byKey.map((row) => ({ key: row.key, events: row.events }))),
    byType: cut(report.byType.map((row) => ({
      type: row.type, records: row.records,
    }))),
    byUid: cut(report.byUid.map((row) => ({
      uid: row.id === unsetId ? 'unset (4294967295)' : String(row.id), events: row.events,
    }))),
    byExeSyscall: cut(report.byExeSyscall.map((row) => ({
      exe: row.exe, arch: row.arch, number: row.number, name: row.name ?? `#${row.number}`,
      events: row.events,
    }))),
    byExeKey: cut(exeKeyRows(report)),
    perMinute: report.perMinute.map((row) => ({
      minute: Date.parse(row.minute) / 1000, events: row.events,
    })),
    truncatedRows,
  };
}

/** The scan-time figure shown per process: the first total-like time field, if any. */
function totalScanTime(scanTimes: Record<string, number>): number | null {
  const name = Object.keys(scanTimes).find((n) => /total/i.test(n) && /time/i.test(n))
    ?? Object.keys(scanTimes).find((n) => /time/i.test(n));
  return name === undefined ? null : scanTimes[name];
}

export function toMdatpViewReport(report: MdatpReport, sources: SourceLog[]): MdatpViewReport {
  return {
    kind: 'mdatp',
    sources,
    processes: report.byPath.slice(0, rowLimit).map((entry) => ({
      path: mdatpLabel(entry),
      name: entry.names.join(', '),
      filesScanned: entry.filesScanned,
      scanTime: totalScanTime(entry.scanTimes),
    })),
    totalFilesScanned: report.totalFilesScanned,
  };
}
