/**
 * What the editor shows of the whole-ruleset analysis beyond diagnostics: the match counts
 * of the last analysed log (hover and code lens), the plain-language summary on a rule's
 * list,action word, and the "move above" fix when the rule that pre-empts a never rule
 * sits in another file of the rules.d folder.
 *
 * The noise view reads logs in a worker of the client; it tells the server which files it
 * read (analysedLogsProtocol.ts) and the server reads them again through the log engine,
 * so the counts come from the same event profile and the same rule-matching model as the
 * view's impact preview.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  ClientCapabilities,
  CodeAction,
  CodeActionKind,
  CodeLensRefreshRequest,
  CodeLensRequest,
  Connection,
  Diagnostic,
  ServerCapabilities,
  TextDocuments,
  TextEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeLogs } from '../log/analyze';
import { targetAt } from '../rules/cursor';
import { describeRule } from '../rules/describe';
import type { Position, Range, RuleDiagnostic } from '../rules/diagnostics';
import { ruleSummaryMarkdown, type RulesHover } from '../rules/hover';
import { FactName, RuleMatchCount, WeightedFacts, factsNeeded, matchCounts } from '../rules/match';
import { RuleModel, ruleIdentity } from '../rules/model';
import type { MoveRuleData } from '../rules/ruleset';
import { AnalysedLogsParams, analysedLogsNotification } from './analysedLogsProtocol';
import type { DocumentAnalysis } from './analysis';
import { countWords, ruleCodeLenses } from './codeLens';
import { AnalysedLog, logSamples, projectSamples } from './logSamples';
import type { LogSamplesJob, LogSamplesMessage } from './logSamplesWorker';
import type { ServerLogger } from './logger';

/** A rule's share of the analysed log: events (records on the exclude list). */
export interface RuleLogCount {
  matched: number;
  /** Events whose match depends on facts the profile does not keep. */
  undecided: number;
  /** What `matched` is a share of. */
  total: number;
  unit: 'event' | 'record';
}

function samplesWorkerScript(): string | undefined {
  // Bundled: dist/log-samples-worker.js beside dist/server.js; compiled by tsc:
  // logSamplesWorker.js beside this file.
  for (const name of ['log-samples-worker.js', 'logSamplesWorker.js']) {
    const candidate = path.join(__dirname, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Reads the logs in a worker thread (in this one when no worker script is there). */
async function readLogSamples(files: string[], signal: AbortSignal): Promise<AnalysedLog> {
  const script = samplesWorkerScript();
  if (!script) {
    const report = await analyzeLogs(files, { signal });
    return {
      files, events: report.events, records: report.records, samples: logSamples(report),
    };
  }
  return new Promise((resolve, reject) => {
    const job: LogSamplesJob = { files };
    const worker = new Worker(script, { workerData: job });
    const onAbort = () => {
      void worker.terminate();
      reject(new Error('the log reading was cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal.removeEventListener('abort', onAbort);
    worker.once('message', (message: LogSamplesMessage) => {
      settle();
      void worker.terminate();
      if (message.kind === 'samples') resolve(message.log);
      else reject(new Error(message.message));
    });
    worker.once('error', (error) => {
      settle();
      reject(error);
    });
    worker.once('exit', (code) => {
      settle();
      reject(new Error(`the log reader stopped with exit code ${code}`));
    });
  });
}

/**
 * The analysed logs and the rules' counts against them. A rule's matched count depends on
 * the rule alone (not on its neighbours), so counts are kept per rule identity: an edit
 * recounts only the rules it changed.
 */
export class AnalysedLogs {
  private current: AnalysedLog | undefined;
  private readonly counted = new Map<string, RuleMatchCount>();
  /** Projected samples per list and set of facts read, for the current log. */
  private readonly projections = new Map<string, WeightedFacts[]>();
  private readonly byList = new Map<string, WeightedFacts[]>();
  private reading: AbortController | undefined;

  constructor(private readonly logger: ServerLogger) {}

  get log(): AnalysedLog | undefined {
    return this.current;
  }

  /** Reads the logs; a newer call cancels an older one still reading. */
  async load(files: readonly string[]): Promise<boolean> {
    this.reading?.abort();
    const reading = new AbortController();
    this.reading = reading;

    if (files.length === 0) {
      this.replace(undefined);
      return true;
    }
    const started = performance.now();
    try {
      const log = await readLogSamples([...files], reading.signal);
      if (this.reading !== reading) return false;
      this.replace(log);
      this.logger.info(
        `read ${log.events} events of ${files.join(', ')} for match counts in ` +
        `${(performance.now() - started).toFixed(0)} ms`,
      );
      return true;
    } catch (error) {
      if (reading.signal.aborted) return false;
      this.logger.warn(`cannot read the analysed logs for match counts: ${String(error)}`);
      this.replace(undefined);
      return true;
    } finally {
      if (this.reading === reading) this.reading = undefined;
    }
  }

  private replace(log: AnalysedLog | undefined): void {
    this.current = log;
    this.counted.clear();
    this.projections.clear();
    this.byList.clear();
  }

  /** The current log's samples of one list (an exclude sample per record type: many). */
  private samplesOf(list: WeightedFacts['facts']['list']): WeightedFacts[] {
    let samples = this.byList.get(list);
    if (!samples) {
      samples = (this.current?.samples ?? []).filter((sample) => sample.facts.list === list);
      this.byList.set(list, samples);
    }
    return samples;
  }

  /** The counts of the rules (those a log can match: not `-d`), undefined without a log. */
  countsFor(rules: readonly RuleModel[]): Map<RuleModel, RuleLogCount> | undefined {
    const log = this.current;
    if (!log) return undefined;

    const identities = new Map<RuleModel, string>();
    const uncounted: RuleModel[] = [];
    for (const rule of rules) {
      if (rule.operation === 'delete') continue;
      const identity = `${rule.machine ?? ''}\u0000${ruleIdentity(rule)}`;
      identities.set(rule, identity);
      if (!this.counted.has(identity)) uncounted.push(rule);
    }
    // Rules reading the same facts are counted together over one projection.
    const byFacts = new Map<string, { facts: FactName[]; rules: RuleModel[] }>();
    for (const rule of uncounted) {
      const facts = factsNeeded(rule).sort();
      const signature = `${rule.list}:${facts.join(',')}`;
      const group = byFacts.get(signature) ?? { facts, rules: [] };
      group.rules.push(rule);
      byFacts.set(signature, group);
    }
    for (const [signature, group] of byFacts) {
      let samples = this.projections.get(signature);
      if (!samples) {
        const list = group.rules[0].list;
        samples = projectSamples(this.samplesOf(list), list, group.facts);
        this.projections.set(signature, samples);
      }
      for (const [rule, count] of matchCounts(group.rules, samples)) {
        this.counted.set(identities.get(rule)!, count);
      }
    }

    const counts = new Map<RuleModel, RuleLogCount>();
    for (const [rule, identity] of identities) {
      const count = this.counted.get(identity)!;
      const exclude = rule.list === 'exclude';
      counts.set(rule, {
        matched: count.matched,
        undecided: count.unknown,
        total: exclude ? log.records : log.events,
        unit: exclude ? 'record' : 'event',
      });
    }
    return counts;
  }
}

const ruleOptions: ReadonlySet<string> = new Set(['-a', '-A', '-d', '-w', '-W']);
const listActionOptions: ReadonlySet<string> = new Set(['-a', '-A', '-d']);

/** The sentence about a rule's matches that follows its summary. */
function undecidedSentence(count: RuleLogCount): string {
  if (count.undecided === 0) return '';
  return ` ${countWords(count.undecided, count.unit)} more could not be decided: the log's ` +
    'profile keeps no file paths or syscall arguments';
}

/**
 * The hover of a rule's -a / -A / -w option or list,action word: the rule's summary, with
 * its match count when a log has been analysed. Other hovers pass through unchanged.
 */
export function withRuleSummary(
  hover: RulesHover | undefined,
  analysis: DocumentAnalysis,
  position: Position,
  count: (rule: RuleModel) => RuleLogCount | undefined,
): RulesHover | undefined {
  const target = targetAt(analysis.document, position);
  if (!target || target.kind === 'stray') return hover;
  const onRule = target.kind === 'option'
    ? ruleOptions.has(target.option.name)
    : listActionOptions.has(target.option.name);
  if (!onRule) return hover;
  const rule = analysis.rules.find((candidate) => candidate.line === position.line);
  if (!rule) return hover;

  const plain = ruleSummaryMarkdown(describeRule(rule));
  const matches = count(rule);
  const summary = matches
    ? ruleSummaryMarkdown(describeRule(rule, {
      matchCount: matches.matched,
      eventCount: matches.total,
    })) + undecidedSentence(matches)
    : plain;

  if (!hover) return { contents: summary, range: rule.listRange };
  // The option hover already opens with the summary: replace it by the counted one.
  if (hover.contents.startsWith(plain)) {
    return { contents: summary + hover.contents.slice(plain.length), range: hover.range };
  }
  return { contents: `${summary}\n\n---\n\n${hover.contents}`, range: hover.range };
}

function intersects(a: Range, b: Range): boolean {
  const before = (x: Position, y: Position) =>
    x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/**
 * "Move this rule above" for a never rule pre-empted by an always rule of an earlier file
 * (the engine offers the edit itself when both are in one file): the rule goes into the
 * other file, just above the rule that pre-empts it, and leaves this one.
 */
export function crossFileMoveActions(
  uri: string,
  analysis: DocumentAnalysis,
  range: Range,
  toLspDiagnostic: (diagnostic: RuleDiagnostic) => Diagnostic,
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of analysis.reported) {
    const movable = diagnostic.code === 'never-after-always' ||
      diagnostic.code === 'never-partly-pre-empted';
    if (!movable || !intersects(diagnostic.range, range)) continue;
    const move = (diagnostic.data as MoveRuleData | undefined)?.move;
    if (!move || move.beforeFile === move.file || !path.isAbsolute(move.beforeFile)) continue;
    const moving = analysis.document.lines[move.line];
    if (!moving) continue;

    const text = moving.text.replace(/\r$/, '');
    actions.push({
      title: `Move this rule to ${path.basename(move.beforeFile)}, above line ` +
        `${move.beforeLine + 1}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [toLspDiagnostic(diagnostic)],
      isPreferred: true,
      edit: {
        changes: {
          [pathToFileURL(move.beforeFile).href]: [
            TextEdit.insert({ line: move.beforeLine, character: 0 }, `${text}\n`),
          ],
          [uri]: [TextEdit.del({
            start: { line: move.line, character: 0 },
            end: { line: move.line + 1, character: 0 },
          })],
        },
      },
    });
  }
  return actions;
}

export interface RulesetFeaturesHost {
  connection: Connection;
  /** The open rules documents (documents of other languages are not given out). */
  documents: Pick<TextDocuments<TextDocument>, 'get'>;
  analyse: (document: TextDocument) => DocumentAnalysis;
  logger: ServerLogger;
}

/**
 * The server's part: the analysed-logs notification, the code lenses, and the hover and
 * code-action additions the language server asks for.
 */
export class RulesetFeatures {
  readonly logs: AnalysedLogs;
  private codeLensRefresh = false;

  /** The capabilities to announce in the initialize result. */
  readonly capabilities: Pick<ServerCapabilities, 'codeLensProvider'> = {
    codeLensProvider: { resolveProvider: false },
  };

  constructor(private readonly host: RulesetFeaturesHost) {
    this.logs = new AnalysedLogs(host.logger);
    const { connection } = host;

    connection.onNotification(analysedLogsNotification, (params: AnalysedLogsParams) => {
      const files = Array.isArray(params?.files)
        ? params.files.filter((file): file is string => typeof file === 'string') : [];
      void this.logs.load(files).then((changed) => {
        if (!changed || !this.codeLensRefresh) return;
        connection.sendRequest(CodeLensRefreshRequest.type).catch((error: unknown) => {
          host.logger.warn(`code lens refresh failed: ${String(error)}`);
        });
      });
    });

    connection.onRequest(CodeLensRequest.type, (params) => {
      const document = host.documents.get(params.textDocument.uri);
      const log = this.logs.log;
      if (!document || !log) return [];
      try {
        const analysis = host.analyse(document);
        const counts = this.logs.countsFor(analysis.rules);
        return counts ? ruleCodeLenses(analysis.rules, counts, log.files) : [];
      } catch (error) {
        host.logger.error(`codeLens failed: ${error instanceof Error ? error.stack : error}`);
        return [];
      }
    });
  }

  initialize(capabilities: ClientCapabilities): void {
    this.codeLensRefresh = Boolean(capabilities.workspace?.codeLens?.refreshSupport);
  }

  hover(
    hover: RulesHover | undefined,
    analysis: DocumentAnalysis,
    position: Position,
  ): RulesHover | undefined {
    return withRuleSummary(hover, analysis, position,
      (rule) => this.logs.countsFor([rule])?.get(rule));
  }
}
