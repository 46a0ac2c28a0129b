/**
 * The `auditd.*` settings the server reads (package.json contributes.configuration),
 * with their defaults. Anything malformed in the user's settings falls back to the
 * default rather than failing the request that needed it.
 */
import { AuditVersion, Machine, auditVersions, defaultAuditVersion, machines } from '../tables';
import { LogLevel, isLogLevel } from './logger';

export type SeverityOverride = 'ignore' | 'information' | 'warning' | 'error';

export interface ServerSettings {
  /** The machine auditctl runs on: what b64/b32 mean, the table for rules without arch. */
  defaultArch: Machine;
  auditVersion: AuditVersion;
  /** Per diagnostic code. */
  severity: Readonly<Record<string, SeverityOverride>>;
  logLevel: LogLevel;
}

export const defaultSettings: ServerSettings = {
  defaultArch: 'x86_64',
  auditVersion: defaultAuditVersion,
  severity: {},
  logLevel: 'error',
};

const severityOverrides: readonly string[] = ['ignore', 'information', 'warning', 'error'];

/** Reads the `auditd` section as the client sends it (unknown shape). */
export function readSettings(section: unknown): ServerSettings {
  if (typeof section !== 'object' || section === null) return defaultSettings;
  const raw = section as Record<string, unknown>;

  const defaultArch = (machines as readonly unknown[]).includes(raw.defaultArch)
    ? (raw.defaultArch as Machine)
    : defaultSettings.defaultArch;
  const auditVersion = (auditVersions as readonly unknown[]).includes(raw.auditVersion)
    ? (raw.auditVersion as AuditVersion)
    : defaultSettings.auditVersion;
  const logLevel = isLogLevel(raw.logLevel) ? raw.logLevel : defaultSettings.logLevel;

  // VS Code sends dotted settings as nested objects: auditd.diagnostics.severity.
  const diagnostics = raw.diagnostics as Record<string, unknown> | undefined;
  const severityRaw = diagnostics?.severity ?? raw['diagnostics.severity'];
  const severity: Record<string, SeverityOverride> = {};
  if (typeof severityRaw === 'object' && severityRaw !== null) {
    for (const [code, value] of Object.entries(severityRaw)) {
      if (typeof value === 'string' && severityOverrides.includes(value)) {
        severity[code] = value as SeverityOverride;
      }
    }
  }

  return { defaultArch, auditVersion, severity, logLevel };
}
