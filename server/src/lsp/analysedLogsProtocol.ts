/**
 * The one custom notification between the client and the server about logs: the noise
 * view tells the server which audit logs it has just analysed, and the server reads them
 * for the match counts of its hovers and code lenses. Kept free of imports so that the
 * client bundle can share it without pulling in the server.
 */

/** `auditd/analysedLogs`: client to server, no answer. */
export const analysedLogsNotification = 'auditd/analysedLogs';

export interface AnalysedLogsParams {
  /** Absolute paths of the logs, as the noise view read them; empty forgets the counts. */
  files: string[];
}
