/**
 * One check of a document per (version, settings): diagnostics, hover, completion,
 * symbols and fixes all read the same parsed document, so a burst of requests after an
 * edit parses and checks the text once.
 */
import { checkRulesText } from '../rules/check';
import type { RuleDiagnostic } from '../rules/diagnostics';
import type { RuleModel } from '../rules/model';
import type { RulesDocument } from '../rules/parse';
import type { ServerSettings } from './settings';

export interface DocumentAnalysis {
  document: RulesDocument;
  rules: readonly RuleModel[];
  /** The engine's diagnostics, before the user's severity settings apply. */
  diagnostics: readonly RuleDiagnostic[];
  /** After the severity settings: `ignore` removed, overrides applied. */
  reported: RuleDiagnostic[];
  /** Milliseconds the check took. */
  checkMillis: number;
}

interface CacheEntry {
  version: number;
  settings: ServerSettings;
  analysis: DocumentAnalysis;
}

export class AnalysisCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private settings: ServerSettings) {}

  setSettings(settings: ServerSettings): void {
    this.settings = settings;
    this.entries.clear();
  }

  get currentSettings(): ServerSettings {
    return this.settings;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }

  analyse(uri: string, version: number, text: () => string): DocumentAnalysis {
    const cached = this.entries.get(uri);
    if (cached && cached.version === version && cached.settings === this.settings) {
      return cached.analysis;
    }
    const analysis = analyseText(text(), this.settings);
    this.entries.set(uri, { version, settings: this.settings, analysis });
    return analysis;
  }
}

export function analyseText(text: string, settings: ServerSettings): DocumentAnalysis {
  const started = performance.now();
  const result = checkRulesText(text, {
    auditVersion: settings.auditVersion,
    hostMachine: settings.defaultArch,
  });
  const checkMillis = performance.now() - started;
  return {
    document: result.document,
    rules: result.rules,
    diagnostics: result.diagnostics,
    reported: applySeverities(result.diagnostics, settings),
    checkMillis,
  };
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
