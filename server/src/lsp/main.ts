import { setFlagsFromString } from 'node:v8';
import {
  CodeActionKind, createConnection, DidChangeConfigurationNotification, FileChangeType, ProposedFeatures,
  TextDocuments, TextDocumentSyncKind, type CodeAction, type Connection, type Diagnostic, type InitializeParams,
  type WorkDoneProgressParams,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../core/findings';
import { groupedBy } from '../core/grouped';
import { resolveSettings } from '../core/settings';
import { Engine } from '../engine/engine';
import { detectNginxVersion, neverRunNginxFrom } from '../engine/nginx-version';
import { scanFolder } from '../engine/scan';
import { suppressionFix } from '../features/suppress';
import { gzipToggleActions } from '../features/gzip-toggle';
import { hoverAt } from '../features/hover';
import { originMap, type MapNode } from '../features/origin-map';
import { probeTargets } from '../features/probe-targets';
import { definitionAt, referencesAt } from '../features/origin-links';
import { EXPLAIN_LOG_REQUEST, type ExplainLogParams } from '../logs/explain-protocol';
import { explainLogRequest, relativeToRoots } from '../logs/explain-request';
import { LogDocuments } from '../logs/log-documents';
import { LOG_LANGUAGES } from '../logs/lsp-adapter';
import { completionsAt, resolveCompletion } from '../features/completion';
import { foldingRangesOf } from '../features/folding';
import { formatEdits } from '../features/format';
import { documentLinksOf } from '../features/links';
import { documentSymbolsOf, workspaceSymbolsOf } from '../features/symbols';
import { classifyFile, type FileKind } from '../model/classify';
import { diskFileSystem, OverlayFileSystem } from '../model/host';
import { TrustedFileSystem, WorkspaceFolders } from '../model/trusted-host';
import type { ParsedFile } from '../model/workspace';
import type { NginxParseResult } from '../parsers/nginx/ast';
import { fixToCodeAction, idToUri, toDiagnostic, uriToId } from './convert';
import { DocumentFormattingRequest, DocumentRangeFormattingRequest, type FormattingOptions, type Range } from 'vscode-languageserver/node';

/**
 * How long to wait after a keystroke before re-analysing when an analysis takes longer than the pause between two
 * keystrokes (a huge workspace): long enough to batch typing. When the last analysis was quicker, the next one runs
 * as soon as the pending messages are read, so diagnostics follow each keystroke.
 */
const ANALYSIS_DELAY_MS = 120;
const QUICK_ANALYSIS_MS = 150;

/** The languages we format: VS Code must not offer us as a YAML formatter (cloudflared configs have none here). */
const FORMATTED_DOCUMENTS = [{ language: 'nginx' }, { language: 'php-fpm' }];

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  /** The disk as the workspace's trust allows: confined to its folders when it is not trusted. */
  const disk = new TrustedFileSystem(diskFileSystem);
  const overlay = new OverlayFileSystem(disk);
  const engine = new Engine(overlay, resolveSettings({}), (message) => connection.console.error(message));
  /** Open nginx error logs and PHP-FPM logs: explained against the config, never part of it. */
  const logs = new LogDocuments();
  let workspaceRoots: string[] = [];
  let findingsByFile = new Map<string, Finding[]>();
  /** What each file was last sent: its findings (kept objects when unchanged) and the diagnostics' JSON. */
  const published = new Map<string, { findings: readonly Finding[]; json: string }>();
  let lastAnalysisMs = 0;
  /** Documents edited since the last analysis: they get their diagnostics even when unchanged, as editors expect. */
  const edited = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let canPullConfiguration = false;
  /** Formatting is registered per language when the client allows it, else declared for every document. */
  let registerFormatting = false;

  function kindOf(document: TextDocument, id: string): FileKind | undefined {
    if (document.languageId === 'nginx') return 'nginx';
    if (document.languageId === 'php-fpm') return 'php-fpm';
    const kind = classifyFile(id, document.getText());
    if (document.languageId === 'yaml') return kind === 'cloudflared' || kind === 'compose' ? kind : undefined;
    return kind;
  }

  function scheduleAnalysis(): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(analyze, lastAnalysisMs < QUICK_ANALYSIS_MS ? 0 : ANALYSIS_DELAY_MS);
  }

  function analyze(): void {
    timer = undefined;
    const started = performance.now();
    const analysis = engine.analyze();
    lastAnalysisMs = performance.now() - started;
    const { findings } = analysis;
    const next = groupedBy(findings, (finding) => finding.file);
    // Publish only what changed, and an empty list once for files whose last problem went away. The engine keeps a
    // configuration's finding objects while it does not change, so most files are told apart without converting.
    for (const id of new Set([...published.keys(), ...engine.paths(), ...logs.ids()])) {
      const fileFindings = next.get(id) ?? NO_FINDINGS;
      const last = published.get(id);
      if (!logs.has(id) && last && !edited.has(id) && sameItems(last.findings, fileFindings)) continue;
      const diagnostics = logs.has(id) ? logs.diagnostics(id, analysis) : fileFindings.map(toDiagnostic);
      const json = JSON.stringify(diagnostics);
      if (last?.json === json && !edited.has(id)) continue;
      published.set(id, { findings: fileFindings, json });
      void connection.sendDiagnostics({ uri: idToUri(id), diagnostics });
    }
    edited.clear();
    findingsByFile = next;
  }

  function scanWorkspace(): void {
    for (const root of workspaceRoots) {
      const { files, truncated } = scanFolder(disk, root);
      if (truncated) connection.console.warn(`${root} holds too many files; only the first were analysed`);
      for (const file of files) if (!documents.get(idToUri(file.path))) engine.setFile(file.path, file.text, file.kind);
    }
  }

  async function pullSettings(): Promise<void> {
    if (!canPullConfiguration) return;
    const [section] = await connection.workspace.getConfiguration([{ section: 'originDoctor' }]);
    engine.setSettings(resolveSettings(section, detectNginxVersion()));
  }

  connection.onInitialize((params: InitializeParams) => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    registerFormatting = params.capabilities.textDocument?.formatting?.dynamicRegistration === true
      && params.capabilities.textDocument?.rangeFormatting?.dynamicRegistration === true;
    workspaceRoots = (params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []))
      .filter((f) => f.uri.startsWith('file:'))
      .map((f) => uriToId(f.uri));
    // The client says when the workspace is not trusted: then nothing outside its folders is read, and no nginx
    // within them is run. A client that says nothing (another editor) is trusted.
    if (params.initializationOptions?.workspaceTrusted === false) {
      const folders = new WorkspaceFolders(workspaceRoots);
      disk.confineTo(folders);
      neverRunNginxFrom(folders);
    }
    engine.setSettings(resolveSettings(params.initializationOptions?.settings, detectNginxVersion()));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        completionProvider: { triggerCharacters: ['$', '/', ':'], resolveProvider: true },
        documentLinkProvider: { resolveProvider: false },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        ...(registerFormatting ? {} : { documentFormattingProvider: true, documentRangeFormattingProvider: true }),
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      },
      serverInfo: { name: 'origin-doctor' },
    };
  });

  connection.onInitialized(async () => {
    if (registerFormatting) {
      const failed = (error: unknown) => connection.console.warn(`cannot register formatting: ${String(error)}`);
      connection.client.register(DocumentFormattingRequest.type, { documentSelector: FORMATTED_DOCUMENTS }).catch(failed);
      connection.client.register(DocumentRangeFormattingRequest.type, { documentSelector: FORMATTED_DOCUMENTS }).catch(failed);
    }
    if (canPullConfiguration) {
      connection.client
        .register(DidChangeConfigurationNotification.type, { section: 'originDoctor' })
        .catch((error) => connection.console.warn(`cannot register for settings changes: ${String(error)}`));
    }
    await pullSettings().catch((error) => connection.console.error(`settings: ${String(error)}`));
    scanWorkspace();
    scheduleAnalysis();
  });

  connection.onDidChangeConfiguration(async (change) => {
    if (canPullConfiguration) await pullSettings().catch((error) => connection.console.error(`settings: ${String(error)}`));
    else engine.setSettings(resolveSettings(change.settings?.originDoctor, detectNginxVersion()));
    scheduleAnalysis();
  });

  documents.onDidChangeContent(({ document }) => {
    const id = uriToId(document.uri);
    if (LOG_LANGUAGES.has(document.languageId)) {
      logs.set(id, document.getText());
      scheduleAnalysis();
      return;
    }
    const kind = kindOf(document, id);
    overlay.set(id, document.getText());
    edited.add(id);
    if (kind) engine.setFile(id, document.getText(), kind);
    else engine.deleteFile(id);
    engine.invalidate(id);
    scheduleAnalysis();
  });

  documents.onDidClose(({ document }) => {
    const id = uriToId(document.uri);
    if (logs.has(id)) {
      logs.delete(id);
      scheduleAnalysis();
      return;
    }
    overlay.delete(id);
    // A closed file stays in the model as it is on disk, if it is part of the workspace.
    const text = disk.readFile(id);
    const kind = text === undefined ? undefined : classifyFile(id, text) ?? engine.kindOf(id);
    if (text !== undefined && kind && workspaceRoots.some((root) => id.startsWith(`${root}/`))) engine.setFile(id, text, kind);
    else engine.deleteFile(id);
    scheduleAnalysis();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    for (const change of changes) {
      const id = uriToId(change.uri);
      engine.invalidate(id);
      if (documents.get(change.uri)) continue;
      const text = change.type === FileChangeType.Deleted ? undefined : disk.readFile(id);
      const kind = text === undefined ? undefined : classifyFile(id, text);
      if (text !== undefined && kind) engine.setFile(id, text, kind);
      else engine.deleteFile(id);
    }
    scheduleAnalysis();
  });

  connection.onHover(({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    if (!document) return null;
    const id = uriToId(document.uri);
    const markdown = hoverAt(engine, id, position);
    return markdown ? { contents: { kind: 'markdown', value: markdown } } : null;
  });

  connection.onCodeAction(({ textDocument, range, context }) => {
    const id = uriToId(textDocument.uri);
    if (logs.has(id)) return logs.codeActions(id, engine.analyze(), range, context.diagnostics);
    const file = engine.parsedFile(id);
    const kind = engine.kindOf(id);
    if (!file || !kind) return [];
    const actions: CodeAction[] = [];
    for (const finding of findingsByFile.get(id) ?? []) {
      const diagnostic = matchingDiagnostic(finding, context.diagnostics) ?? (overlaps(finding, range) ? toDiagnostic(finding) : undefined);
      if (!diagnostic) continue;
      for (const fix of finding.fixes ?? []) actions.push(fixToCodeAction(fix, diagnostic));
      actions.push(fixToCodeAction(suppressionFix(finding, file.lines, kind), diagnostic));
    }
    if (kind === 'nginx') {
      for (const fix of gzipToggleActions(file as ParsedFile<NginxParseResult>, range)) actions.push(fixToCodeAction(fix));
    }
    return actions;
  });

  connection.onDefinition(({ textDocument, position }) =>
    definitionAt(engine.analyze().model, uriToId(textDocument.uri), position).map((p) => ({ uri: idToUri(p.file), range: p.range })));

  connection.onReferences(({ textDocument, position }) =>
    referencesAt(engine.analyze().model, uriToId(textDocument.uri), position).map((p) => ({ uri: idToUri(p.file), range: p.range })));

  connection.onRequest('originDoctor/originMap', () => {
    const withUris = (nodes: MapNode[]): unknown[] =>
      nodes.map((n) => ({ kind: n.kind, label: n.label, at: n.at ? { uri: idToUri(n.at.file), line: n.at.line } : undefined, children: withUris(n.children) }));
    return withUris(originMap(engine.analyze().model.origin));
  });

  connection.onRequest('originDoctor/probeTargets', () => probeTargets(engine.analyze().model));

  /** The raw `originDoctor` settings of one document, asked when needed (snippet sizes, formatting options). */
  async function documentSettings(uri: string): Promise<Record<string, unknown>> {
    if (!canPullConfiguration) return {};
    const [section] = await connection.workspace.getConfiguration([{ scopeUri: uri, section: 'originDoctor' }]);
    return typeof section === 'object' && section !== null ? section : {};
  }

  async function formatDocument(uri: string, options: FormattingOptions, range?: Range) {
    const document = documents.get(uri);
    if (!document) return null;
    const raw = await documentSettings(uri);
    const alignMapValues = (raw.format as { alignMapValues?: unknown } | undefined)?.alignMapValues === true;
    const extraDirectives = resolveSettings(raw).nginx.extraDirectives;
    return formatEdits(engine.kindOf(uriToId(uri)), document.getText(), { ...options, alignMapValues }, extraDirectives, range);
  }

  connection.onCompletion(async ({ textDocument, position }) =>
    completionsAt(engine, uriToId(textDocument.uri), position, resolveSettings(await documentSettings(textDocument.uri))));

  connection.onCompletionResolve((item) => resolveCompletion(item));

  connection.onDocumentFormatting(({ textDocument, options }) => formatDocument(textDocument.uri, options));

  connection.onDocumentRangeFormatting(({ textDocument, options, range }) => formatDocument(textDocument.uri, options, range));

  connection.onDocumentLinks(({ textDocument }) =>
    documentLinksOf(engine, uriToId(textDocument.uri), overlay).map((l) => ({ range: l.range, target: idToUri(l.target), tooltip: l.tooltip })));

  connection.onDocumentSymbol(({ textDocument }) => documentSymbolsOf(engine, uriToId(textDocument.uri)));

  connection.onWorkspaceSymbol(({ query }) => workspaceSymbolsOf(engine, query)
    .map((s) => ({ name: s.name, kind: s.kind, containerName: s.containerName, location: { uri: idToUri(s.file), range: s.range } })));

  connection.onFoldingRanges(({ textDocument }) => foldingRangesOf(engine, uriToId(textDocument.uri)));

  connection.onRequest(EXPLAIN_LOG_REQUEST, async (params: ExplainLogParams & WorkDoneProgressParams, token) => {
    const progress = connection.window.attachWorkDoneProgress(params.workDoneToken);
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    progress.begin('Explaining log', 0, undefined, true);
    try {
      const onProgress = (read: number, total: number | undefined) => {
        if (total) progress.report(Math.floor((100 * read) / total));
      };
      return await explainLogRequest(params, engine.analyze(), { signal: controller.signal, onProgress }, relativeToRoots(workspaceRoots));
    } finally {
      cancellation.dispose();
      progress.done();
    }
  });

  documents.listen(connection);
  connection.listen();
}

function matchingDiagnostic(finding: Finding, diagnostics: Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find(
    (d) => d.code === finding.rule && d.message === finding.message &&
      d.range.start.line === finding.range.start.line && d.range.start.character === finding.range.start.character,
  );
}

function overlaps(finding: Finding, range: { start: { line: number }; end: { line: number } }): boolean {
  return finding.range.start.line <= range.end.line && range.start.line <= finding.range.end.line;
}

const NO_FINDINGS: readonly Finding[] = [];

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Each keystroke leaves garbage (the edited text alone is a new copy of the file), and V8 lets the heap grow to
// several times what is live before collecting it: a server idle in the background would hold hundreds of MB for a
// 100 MB model. Growing by 45 % at most keeps its memory near what it uses. Bench, with the 68k-line file open, three
// runs each (highest RSS over edits 181-200; keystroke p95): 30 %: 131-134 MB, 20.9-23.1 ms; 40 %: 135-138 MB,
// 19.5-21.8 ms; 45 %: 139-141 MB, 18.1-21.6 ms. Fewer collections land on keystrokes, and the model is small
// enough since its arguments are kept as values (see the nginx parser) to stay under 150 MB.
setFlagsFromString('--heap-growing-percent=45');
startServer(createConnection(ProposedFeatures.all));
