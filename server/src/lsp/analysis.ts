/**
 * One check of a document per (version, settings, sibling files): diagnostics, hover,
 * completion, symbols and fixes all read the same parsed document, so a burst of
 * requests after an edit parses and checks the text once.
 *
 * A file in a `rules.d` folder is checked as augenrules reads the folder (every `*.rules`
 * file, sorted, as one stream), so a duplicate of a rule in another file, or a rule after
 * a `-e 2` in 99-finalize.rules, shows in the file being edited. Any other document is
 * checked on its own, as `auditctl -R` loads it, with the same whole-ruleset analysis.
 */
import { diagnostic } from '../rules/codes';
import { lineRange, type RuleDiagnostic } from '../rules/diagnostics';
import type { RuleModel } from '../rules/model';
import type { RulesDocument } from '../rules/parse';
import { RulesFileText, RulesetCache, checkRuleset } from '../rules/ruleset';
import type { ServerSettings } from './settings';

export interface DocumentAnalysis {
  /** The name the document has in the ruleset (its path, or its URI when it has none). */
  file: string;
  document: RulesDocument;
  rules: readonly RuleModel[];
  /** The engine's diagnostics for this document, before the user's severity settings. */
  diagnostics: readonly RuleDiagnostic[];
  /** After the severity settings: `ignore` removed, overrides applied. */
  reported: RuleDiagnostic[];
  /** The files checked together with it (its rules.d siblings), in load order. */
  files: readonly string[];
  /** Milliseconds the check took. */
  checkMillis: number;
}

/** The other files of a rules.d folder, and a signature that changes when any does. */
export interface RulesFolder {
  siblings: () => RulesFileText[];
  signature: string;
  /** Siblings left out for their size: the check of this file goes without them. */
  notRead?: readonly { file: string; bytes: number; limit: number }[];
}

export interface AnalysisRequest {
  uri: string;
  version: number;
  /** The file name diagnostics and related information use. */
  file: string;
  text: () => string;
  folder?: RulesFolder;
}

interface CacheEntry {
  version: number;
  settings: ServerSettings;
  signature: string;
  analysis: DocumentAnalysis;
}

export class AnalysisCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** Per-file checks reused across analyses while a file's text is unchanged. */
  private readonly perFile: RulesetCache = new Map();

  constructor(private settings: ServerSettings) {}

  setSettings(settings: ServerSettings): void {
    this.settings = settings;
    this.entries.clear();
    this.perFile.clear();
  }

  get currentSettings(): ServerSettings {
    return this.settings;
  }

  /**
   * Drops a document's analysis, and with `file` its own check too: a closed document's
   * check of a large file would otherwise stay for as long as the server runs.
   */
  forget(uri: string, file?: string): void {
    this.entries.delete(uri);
    if (file !== undefined) this.perFile.delete(file);
  }

  analyse(request: AnalysisRequest): DocumentAnalysis {
    const signature = request.folder?.signature ?? '';
    const cached = this.entries.get(request.uri);
    if (
      cached &&
      cached.version === request.version &&
      cached.settings === this.settings &&
      cached.signature === signature
    ) {
      return cached.analysis;
    }
    const analysis = analyseRequest(request, this.settings, this.perFile);
    this.entries.set(request.uri, {
      version: request.version,
      settings: this.settings,
      signature,
      analysis,
    });
    return analysis;
  }
}

export function analyseRequest(
  request: AnalysisRequest,
  settings: ServerSettings,
  perFile?: RulesetCache,
): DocumentAnalysis {
  const started = performance.now();
  const own: RulesFileText = { file: request.file, text: request.text() };
  const files = request.folder ? [own, ...request.folder.siblings()] : [own];
  const result = checkRuleset(files, {
    mode: request.folder ? 'augenrules' : 'file',
    auditVersion: settings.auditVersion,
    hostMachine: settings.defaultArch,
    cache: perFile,
  });
  const checked = result.perFile.get(request.file);
  if (!checked) throw new Error(`the ruleset check lost ${request.file}`);

  const diagnostics = result.diagnostics.filter(
    (entry) => (entry.file ?? request.file) === request.file,
  );
  for (const sibling of request.folder?.notRead ?? []) {
    diagnostics.unshift(diagnostic('sibling-not-read', lineRange(0, 0, 0), {
      file: sibling.file, size: sizeOver(sibling.bytes, sibling.limit),
      limit: mebibytes(sibling.limit),
    }));
  }
  return {
    file: request.file,
    document: checked.document,
    rules: checked.rules,
    diagnostics,
    reported: applySeverities(diagnostics, settings),
    files: result.files,
    checkMillis: performance.now() - started,
  };
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(bytes < 10 << 20 ? 1 : 0)} MiB`;
}

/** A size beside the limit it is over: in bytes where both would round alike. */
function sizeOver(bytes: number, limit: number): string {
  const size = mebibytes(bytes);
  return size === mebibytes(limit) ? `${bytes.toLocaleString('en-US')} bytes` : size;
}

/** The user's per-code severities: `ignore` drops the diagnostic. */
export function applySeverities(
  diagnostics: readonly RuleDiagnostic[],
  settings: ServerSettings,
): RuleDiagnostic[] {
  const reported: RuleDiagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const override = settings.severity[diagnostic.code];
    if (override === 'ignore') continue;
    reported.push(override ? { ...diagnostic, severity: override } : diagnostic);
  }
  return reported;
}
