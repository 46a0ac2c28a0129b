/**
 * Tells the language server which logs the noise view has just analysed, so that hovers
 * and code lenses in rules files show how many of their events each rule matched.
 */
import type { LogOutputChannel } from 'vscode';
import {
  AnalysedLogsParams,
  analysedLogsNotification,
} from '../../server/src/lsp/analysedLogsProtocol';
import { auditLanguageClient } from './extension';

export function announceAnalysedLogs(files: readonly string[], logger: LogOutputChannel): void {
  const client = auditLanguageClient();
  if (!client) return;
  const params: AnalysedLogsParams = { files: [...files] };
  client.sendNotification(analysedLogsNotification, params).catch((error: unknown) => {
    logger.warn(`The language server was not told of the analysed logs: ${String(error)}`);
  });
}
