/**
 * The `auditd.*` settings the server reads (package.json contributes.configuration),
 * with their defaults. Anything malformed in the user's settings falls back to the
 * default rather than failing the request that needed it.
 */
import { codeTable } from '../rules/codes';
import { AuditVersion, Machine, auditVersions, defaultAuditVersion, machines } from '../tables';
import { LogLevel, isLogLevel, logLevels } from './logger';

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
  // A client configured by hand (a Lua table, JSON) may write 4.2 as a number.
  const version = typeof raw.auditVersion === 'number' ? String(raw.auditVersion)
    : raw.auditVersion;
  const auditVersion = (auditVersions as readonly unknown[]).includes(version)
    ? (version as AuditVersion)
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

/**
 * What readSettings set aside, one sentence each: a value that is not one of the choices
 * (the default is used instead) and a severity for a code no diagnostic has. An editor
 * with a settings schema flags these where they are written; other editors do not, and a
 * typo would otherwise only show as a setting that does nothing.
 */
export function settingsProblems(section: unknown): string[] {
  if (typeof section !== 'object' || section === null) return [];
  const raw = section as Record<string, unknown>;
  const problems: string[] = [];
  const choice = (name: string, choices: readonly string[], fallback: string) => {
    const value = raw[name];
    if (value === undefined || value === null || choices.includes(value as string)) return;
    if (typeof value === 'number' && choices.includes(String(value))) return;
    problems.push(`auditd.${name} ${JSON.stringify(value)} is not one of ` +
      `${choices.join(', ')}; ${fallback} is used.`);
  };
  choice('defaultArch', machines, defaultSettings.defaultArch);
  choice('auditVersion', auditVersions, defaultSettings.auditVersion);
  choice('logLevel', logLevels, defaultSettings.logLevel);

  const diagnostics = raw.diagnostics as Record<string, unknown> | undefined;
  const severityRaw = diagnostics?.severity ?? raw['diagnostics.severity'];
  if (typeof severityRaw === 'object' && severityRaw !== null) {
    for (const [code, value] of Object.entries(severityRaw)) {
      if (!codeTable.has(code)) {
        problems.push(`auditd.diagnostics.severity names ${JSON.stringify(code)}, which is ` +
          'not a diagnostic code; the codes are listed in docs/diagnostics.md.');
      } else if (typeof value !== 'string' || !severityOverrides.includes(value)) {
        problems.push(`auditd.diagnostics.severity of ${code} is ${JSON.stringify(value)}, not ` +
          `one of ${severityOverrides.join(', ')}; the code keeps its own severity.`);
      }
    }
  }
  return problems;
}
