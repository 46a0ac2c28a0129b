/**
 * The LSP adapter: requests in, rules-engine calls, LSP shapes out. Every feature is a
 * pure function in server/src/rules; this file only converts positions, kinds and
 * settings, and keeps one analysis per document version.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  CompletionItem,
  CompletionItemKind,
  Connection,
  Diagnostic,
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  DocumentSymbol,
  FoldingRange,
  FoldingRangeKind,
  InitializeParams,
  InitializeResult,
  InsertTextFormat,
  MarkupKind,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
  TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeDocumentation } from '../rules/codes';
import { RulesCompletion, completionsAt } from '../rules/completion';
import { plainRange, type RuleDiagnostic, type Severity } from '../rules/diagnostics';
import { codeActionsFor } from '../rules/fixes';
import { hoverAt } from '../rules/hover';
import { plainHoverText } from '../rules/hoverText';
import { isAugenrulesName } from '../rules/rulesetOrder';
import {
  RulesSymbol,
  documentSymbols,
  foldingRanges,
  keyAt,
  keyRangeAt,
  keyReferences,
  renameKey,
} from '../rules/navigation';
import {
  encodeSemanticTokens,
  semanticTokenModifiers,
  semanticTokenTypes,
  semanticTokens,
} from '../rules/semanticTokens';
import { AnalysisCache, AnalysisRequest, DocumentAnalysis, RulesFolder } from './analysis';
import { DiagnosticList, type LspForms } from './diagnosticWire';
import { ServerLogger } from './logger';
import { RulesetFeatures, crossFileMoveActions } from './rulesetAnalysis';
import { WorkspaceRulesets } from './workspaceRulesets';
import { ServerSettings, defaultSettings, readSettings, settingsProblems } from './settings';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const completionKinds: Record<RulesCompletion['kind'], CompletionItemKind> = {
  option: CompletionItemKind.Keyword,
  'list-action': CompletionItemKind.Enum,
  field: CompletionItemKind.Field,
  operator: CompletionItemKind.Operator,
  value: CompletionItemKind.Value,
  syscall: CompletionItemKind.Function,
  key: CompletionItemKind.Constant,
  snippet: CompletionItemKind.Snippet,
};

const symbolKinds: Record<RulesSymbol['kind'], SymbolKind> = {
  key: SymbolKind.Key,
  rule: SymbolKind.Event,
  watch: SymbolKind.File,
  control: SymbolKind.Property,
};

export function startLanguageServer(connection: Connection): void {
  const logger = new ServerLogger(connection.console);
  const documents = new TextDocuments(TextDocument);

  /**
   * Documents the server works on. A generic client may send every file it opens (an
   * audit.log as `audit-log`): only rules documents are checked, other languages are
   * ignored quietly. Clients that name no language, or their own one, for a `*.rules`
   * file (Neovim gives its filetype) still count.
   */
  const isRulesDocument = (document: TextDocument): boolean =>
    document.languageId === 'audit-rules' || document.languageId === '' ||
    document.uri.endsWith('.rules');
  const rulesDocument = (uri: string): TextDocument | undefined => {
    const document = documents.get(uri);
    return document && isRulesDocument(document) ? document : undefined;
  };
  const rulesDocuments = (): TextDocument[] => documents.all().filter(isRulesDocument);
  const cache = new AnalysisCache(defaultSettings);

  let diagnosticsDocument = path.join(__dirname, '..', 'docs', 'diagnostics.md');
  let pullDiagnostics = false;
  let diagnosticRefresh = false;
  let semanticRefresh = false;
  /** Whether hovers go out as Markdown: unless the client lists only other formats. */
  let markdownHovers = true;
  let configurationRequests = false;

  /** A document's path, for file URIs; other schemes (untitled:) keep their URI. */
  const fileOf = (uri: string): string => {
    if (!uri.startsWith('file:')) return uri;
    try {
      return fileURLToPath(uri);
    } catch {
      return uri;
    }
  };

  const uriOfFile = (file: string, documentUri: string, documentFile: string): string =>
    file === documentFile ? documentUri : path.isAbsolute(file) ? pathToFileURL(file).href : file;

  const workspaceRulesets = new WorkspaceRulesets(connection, logger);

  /** The folder augenrules would read the file with, when it sits in a rules.d. */
  const rulesFolderOf = (file: string): string | undefined => {
    if (!path.isAbsolute(file)) return undefined;
    const folder = path.dirname(file);
    const ruleset = path.basename(folder) === 'rules.d' ||
      workspaceRulesets.isRuleset(folder, file);
    return ruleset ? folder : undefined;
  };

  const unreadable = new Set<string>();

  /**
   * The largest sibling read beside an edited file. Each check of the file reads and checks
   * its siblings again: a junk file of 100 MB in rules.d cost about 2 s a keystroke and
   * 900 MB. Real rules files are far below this; `auditd-tools check` reads the folder whole
   * (up to 64 MiB a file).
   */
  const siblingByteLimit = 8 << 20;

  /** augenrules reads only `*.rules`; open documents count with their unsaved text. */
  const rulesFolder = (folder: string, self: string): RulesFolder | undefined => {
    let names: string[];
    try {
      names = readdirSync(folder).filter(isAugenrulesName);
    } catch (error) {
      logger.warn(`cannot list ${folder}: ${String(error)}`);
      return undefined;
    }
    const open = new Map<string, TextDocument>();
    for (const document of rulesDocuments()) open.set(fileOf(document.uri), document);

    const siblings: { file: string; read: () => string | undefined; stamp: string }[] = [];
    const notRead: { file: string; bytes: number; limit: number }[] = [];
    for (const name of names.sort()) {
      const file = path.join(folder, name);
      if (file === self) continue;
      const document = open.get(file);
      if (document) {
        siblings.push({ file, read: () => document.getText(), stamp: `v${document.version}` });
        continue;
      }
      try {
        const stat = statSync(file);
        if (!stat.isFile()) continue;
        if (stat.size > siblingByteLimit) {
          notRead.push({ file, bytes: stat.size, limit: siblingByteLimit });
          continue;
        }
        siblings.push({
          file,
          read: () => {
            try {
              return readFileSync(file, 'utf8');
            } catch (error) {
              if (!unreadable.has(file)) logger.warn(`cannot read ${file}: ${String(error)}`);
              unreadable.add(file);
              return undefined;
            }
          },
          stamp: `${stat.mtimeMs}:${stat.size}`,
        });
      } catch {
        // Gone between the listing and the stat: augenrules would not see it either.
      }
    }
    return {
      signature: [
        ...siblings.map((sibling) => `${sibling.file}@${sibling.stamp}`),
        ...notRead.map((sibling) => `${sibling.file}@${sibling.bytes} not read`),
      ].join('\n'),
      notRead,
      siblings: () =>
        siblings.flatMap((sibling) => {
          const text = sibling.read();
          return text === undefined ? [] : [{ file: sibling.file, text }];
        }),
    };
  };

  const logged = new WeakSet<DocumentAnalysis>();
  const analyse = (document: TextDocument): DocumentAnalysis => {
    const file = fileOf(document.uri);
    const folder = rulesFolderOf(file);
    const request: AnalysisRequest = {
      uri: document.uri,
      version: document.version,
      file,
      text: () => document.getText(),
      folder: folder ? rulesFolder(folder, file) : undefined,
    };
    const analysis = cache.analyse(request);
    if (logged.has(analysis)) return analysis;
    logged.add(analysis);
    logger.debug(() =>
      `checked ${document.uri} v${document.version}` +
      (analysis.files.length > 1 ? ` with ${analysis.files.length - 1} sibling files` : '') +
      `: ${analysis.reported.length} diagnostics in ${analysis.checkMillis.toFixed(1)} ms`,
    );
    return analysis;
  };

  // Match counts of the analysed log (hover, code lens) and cross-file moves.
  const rulesetFeatures = new RulesetFeatures({
    connection, documents: { get: rulesDocument }, analyse, logger,
  });

  const documentationLinks = new Map<string, string>();
  const documentationLink = (code: string): string => {
    let href = documentationLinks.get(code);
    if (href === undefined) {
      try {
        const anchor = codeDocumentation(code).split('#')[1];
        href = `${pathToFileURL(diagnosticsDocument).href}#${anchor}`;
      } catch {
        href = '';
      }
      documentationLinks.set(code, href);
    }
    return href;
  };

  // The fix edits stay on the server (code actions read them from the cached analysis),
  // so diagnostics travel without their `data`: a 10,000-line file reports thousands.
  const toLspDiagnostic = (uri: string, diagnostic: RuleDiagnostic): Diagnostic => {
    const href = documentationLink(diagnostic.code);
    const result: Diagnostic = {
      range: plainRange(diagnostic.range),
      severity: severities[diagnostic.severity],
      code: diagnostic.code,
      source: 'auditd',
      message: diagnostic.message,
    };
    if (href) result.codeDescription = { href };
    if (diagnostic.related) {
      const file = fileOf(uri);
      result.relatedInformation = diagnostic.related.map((related) => ({
        location: {
          uri: related.file ? uriOfFile(related.file, uri, file) : uri,
          range: plainRange(related.range),
        },
        message: related.message,
      }));
    }
    return result;
  };

  // Reports hold the engine's diagnostics and are written from them (diagnosticWire.ts):
  // over stdio without an LSP object per diagnostic, elsewhere through their LSP forms.
  // The forms change with the documentation links, so a new initialize makes new ones.
  const newLspForms = (): LspForms => ({
    lsp: toLspDiagnostic,
    plain: (diagnostic) => diagnostic.related === undefined,
  });
  let lspForms = newLspForms();

  const diagnosticsFor = (document: TextDocument): Diagnostic[] =>
    // The list serialises as the Diagnostic[] the protocol names.
    new DiagnosticList(document.uri, analyse(document).reported, lspForms) as unknown as
      Diagnostic[];

  const pushDiagnostics = (document: TextDocument) => {
    if (pullDiagnostics) return;
    connection.sendDiagnostics({
      uri: document.uri,
      version: document.version,
      diagnostics: diagnosticsFor(document),
    });
  };

  /** Runs a handler, logging instead of failing the request on an unexpected error. */
  function guarded<T>(name: string, fallback: T, handler: () => T): T {
    const started = performance.now();
    try {
      return handler();
    } catch (error) {
      logger.error(`${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return fallback;
    } finally {
      logger.debug(() => `${name} took ${(performance.now() - started).toFixed(2)} ms`);
    }
  }

  // Settings set aside are shown once, when they change: the client asks again for every
  // configuration change, whatever part of it changed.
  let shownSettingsProblems = '';
  /** Settings given in initializationOptions, by clients without workspace/configuration. */
  let settingsAtInitialize: unknown;
  const reportSettingsProblems = (section: unknown) => {
    const problems = settingsProblems(section);
    const text = problems.join(' ');
    if (text !== '' && text !== shownSettingsProblems) {
      problems.forEach((problem) => logger.warn(problem));
      // A notification, not a request: nothing to answer, and every client shows it.
      void connection.sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning, message: text,
      });
    }
    shownSettingsProblems = text;
  };

  const loadSettings = async (initial?: unknown) => {
    let section: unknown = initial;
    if (configurationRequests) {
      try {
        section = await connection.workspace.getConfiguration('auditd');
      } catch (error) {
        logger.warn(`could not read the auditd settings: ${String(error)}`);
      }
    }
    const settings: ServerSettings = readSettings(section);
    cache.setSettings(settings);
    logger.setLevel(settings.logLevel);
    reportSettingsProblems(section);
    logger.info(
      `settings: arch ${settings.defaultArch}, audit ${settings.auditVersion}, ` +
      `log level ${settings.logLevel}`,
    );
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    pullDiagnostics = Boolean(capabilities.textDocument?.diagnostic);
    diagnosticRefresh = Boolean(capabilities.workspace?.diagnostics?.refreshSupport);
    semanticRefresh = Boolean(capabilities.workspace?.semanticTokens?.refreshSupport);
    const hoverFormats = capabilities.textDocument?.hover?.contentFormat;
    markdownHovers = !hoverFormats || hoverFormats.length === 0 ||
      hoverFormats.includes(MarkupKind.Markdown);
    configurationRequests = Boolean(capabilities.workspace?.configuration);
    rulesetFeatures.initialize(capabilities);
    workspaceRulesets.initialize(params);

    const options = (params.initializationOptions ?? {}) as Record<string, unknown>;
    if (typeof options.diagnosticsDocument === 'string') {
      diagnosticsDocument = options.diagnosticsDocument;
      documentationLinks.clear();
      lspForms = newLspForms();
    }
    // Clients without workspace/configuration (simple editor setups) may pass the
    // settings here: { settings: { auditd: {...} } } or { auditd: {...} }.
    const initialSettings = (options.settings as Record<string, unknown> | undefined)?.auditd ??
      options.auditd;
    const settings = readSettings(initialSettings);
    cache.setSettings(settings);
    logger.setLevel(settings.logLevel);
    settingsAtInitialize = initialSettings;

    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        ...rulesetFeatures.capabilities,
        ...workspaceRulesets.capabilities,
        completionProvider: { triggerCharacters: [' ', ',', '=', '-'] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        semanticTokensProvider: {
          legend: {
            tokenTypes: [...semanticTokenTypes],
            tokenModifiers: [...semanticTokenModifiers],
          },
          full: true,
        },
        diagnosticProvider: {
          identifier: 'auditd',
          interFileDependencies: false,
          workspaceDiagnostics: false,
        },
      },
      serverInfo: { name: 'auditd-language-server' },
    };
  });

  connection.onInitialized(() => {
    if (configurationRequests) void loadSettings();
    else reportSettingsProblems(settingsAtInitialize);
  });

  connection.onDidChangeConfiguration(async (change) => {
    const section = (change.settings as Record<string, unknown> | undefined)?.auditd;
    await loadSettings(section);
    if (pullDiagnostics && diagnosticRefresh) connection.languages.diagnostics.refresh();
    if (!pullDiagnostics) rulesDocuments().forEach(pushDiagnostics);
    if (semanticRefresh) connection.languages.semanticTokens.refresh();
  });

  // A rules.d file changed on disk (the client watches **/rules.d/*.rules): open files of
  // that folder see it in their stream, so their diagnostics are asked for again.
  connection.onDidChangeWatchedFiles((change) => {
    const folders = new Set(change.changes.map((event) => rulesFolderOf(fileOf(event.uri))));
    const affected = rulesDocuments().filter((document) =>
      folders.has(rulesFolderOf(fileOf(document.uri))),
    );
    logger.debug(() => `${change.changes.length} rules files changed on disk`);
    if (affected.length === 0) return;
    if (pullDiagnostics && diagnosticRefresh) connection.languages.diagnostics.refresh();
    else affected.forEach(pushDiagnostics);
  });

  // A document opened again restarts its version numbers: drop what was cached for it.
  documents.onDidOpen((event) => cache.forget(event.document.uri));
  documents.onDidChangeContent((change) => {
    if (!isRulesDocument(change.document)) return;
    pushDiagnostics(change.document);

    // The other open files of the same rules.d see this one in their stream.
    const folder = rulesFolderOf(fileOf(change.document.uri));
    if (!folder) return;
    const siblings = rulesDocuments().filter((document) =>
      document !== change.document && rulesFolderOf(fileOf(document.uri)) === folder,
    );
    if (siblings.length === 0) return;
    if (pullDiagnostics && diagnosticRefresh) connection.languages.diagnostics.refresh();
    else siblings.forEach(pushDiagnostics);
  });
  documents.onDidClose((event) => {
    cache.forget(event.document.uri, fileOf(event.document.uri));
    if (!pullDiagnostics) connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on((params) => {
    const document = rulesDocument(params.textDocument.uri);
    return guarded('diagnostics', { kind: DocumentDiagnosticReportKind.Full, items: [] }, () => ({
      kind: DocumentDiagnosticReportKind.Full,
      items: document ? diagnosticsFor(document) : [],
    }));
  });

  const hoverOptions = () => ({
    auditVersion: cache.currentSettings.auditVersion,
    hostMachine: cache.currentSettings.defaultArch,
  });

  connection.onHover((params) => {
    const document = rulesDocument(params.textDocument.uri);
    if (!document) return null;
    return guarded('hover', null, () => {
      const analysis = analyse(document);
      const hover = rulesetFeatures.hover(hoverAt(analysis.document, params.position, {
        ...hoverOptions(),
        rules: analysis.rules,
      }), analysis, params.position);
      if (!hover) return null;
      const contents = markdownHovers
        ? { kind: MarkupKind.Markdown, value: hover.contents }
        : { kind: MarkupKind.PlainText, value: plainHoverText(hover.contents) };
      return { contents, range: hover.range };
    });
  });

  connection.onCompletion((params) => {
    const document = rulesDocument(params.textDocument.uri);
    if (!document) return [];
    return guarded('completion', [] as CompletionItem[], () =>
      completionsAt(analyse(document).document, params.position, hoverOptions()).map(
        (item): CompletionItem => ({
          label: item.label,
          kind: completionKinds[item.kind],
          detail: item.detail,
          documentation: item.documentation
            ? { kind: MarkupKind.Markdown, value: item.documentation }
            : undefined,
          textEdit: TextEdit.replace(item.range, item.insertText),
          insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
          filterText: item.filterText,
          sortText: item.sortText,
        }),
      ),
    );
  });

  connection.onCodeAction((params) => {
    const document = rulesDocument(params.textDocument.uri);
    if (!document) return [];
    return guarded('codeAction', [] as CodeAction[], () => {
      const analysis = analyse(document);
      const moves = crossFileMoveActions(document.uri, analysis, params.range,
        (diagnostic) => toLspDiagnostic(document.uri, diagnostic));
      return [...moves, ...codeActionsFor(analysis.reported, params.range).map((action) => ({
        title: action.title,
        kind: action.fixAll ? `${CodeActionKind.QuickFix}.all` : CodeActionKind.QuickFix,
        diagnostics: action.diagnostics.map((d) => toLspDiagnostic(document.uri, d)),
        isPreferred: action.preferred,
        edit: {
          changes: {
            [document.uri]: action.edits.map((edit) => TextEdit.replace(edit.range, edit.newText)),
          },
        },
      } satisfies CodeAction))];
    });
  });

  const toDocumentSymbol = (symbol: RulesSymbol): DocumentSymbol => ({
    name: symbol.name,
    detail: symbol.detail,
    kind: symbolKinds[symbol.kind],
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    children: symbol.children?.map(toDocumentSymbol),
  });

  connection.onDocumentSymbol((params) => {
    const document = rulesDocument(params.textDocument.uri);
    if (!document) return [];
    return guarded('documentSymbol', [] as DocumentSymbol[], () =>
      documentSymbols(analyse(document).document).map(toDocumentSymbol),
    );
  });

  connection.onFoldingRanges((params) => {
    const document = rulesDocument(params.textDocument.uri);
    if (!document) return [];
    return guarded('foldingRange', [] as FoldingRange[], () =>
      foldingRanges(analyse(document).document).map((range) => ({
        startLine: range.startLine,
        endLine: range.endLine,
        kind: range.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region,
      })),
    );
  });

  const keyLocations = (uri: string, position: { line: number; character: number }) => {
    const document = rulesDocument(uri);
    if (!document) return [];
    const parsed = analyse(document).document;
    const key = keyAt(parsed, position);
    return key === undefined ? [] : keyReferences(parsed, key);
  };

  connection.onReferences((params) =>
    guarded('references', [], () =>
      keyLocations(params.textDocument.uri, params.position).map((range) => ({
        uri: params.textDocument.uri,
        range,
      })),
    ),
  );

  connection.onDocumentHighlight((params) =>
    guarded('documentHighlight', [], () =>
      keyLocations(params.textDocument.uri, params.position).map((range) => ({ range })),
    ),
  );

  connection.onPrepareRename((params) => {
    const document = rulesDocument(params.textDocument.uri);
    if (!document) return null;
    return guarded('prepareRename', null, () => {
      const found = keyRangeAt(analyse(document).document, params.position);
      return found ? { range: found.range, placeholder: found.key } : null;
    });
  });

  connection.onRenameRequest((params) => {
    const document = rulesDocument(params.textDocument.uri);
    if (!document) return null;
    const rename = guarded('rename', undefined, () =>
      renameKey(analyse(document).document, params.position, params.newName),
    );
    if (!rename) return null;
    if ('error' in rename) return new ResponseError(-32602, rename.error);
    return {
      changes: {
        [document.uri]: rename.ranges.map((range) => TextEdit.replace(range, rename.newText)),
      },
    };
  });

  connection.languages.semanticTokens.on((params) => {
    const document = rulesDocument(params.textDocument.uri);
    if (!document) return { data: [] };
    return guarded('semanticTokens', { data: [] as number[] }, () => ({
      data: encodeSemanticTokens(semanticTokens(analyse(document).document, hoverOptions())),
    }));
  });

  documents.listen(connection);
  connection.listen();
}
