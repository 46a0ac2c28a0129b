/**
 * Looks at each message from the client before the protocol library hands it to a
 * handler. A request the server cannot read (a document request without a document URI or
 * position) or sent before `initialize` is answered with the error the protocol names for
 * it (-32602 invalid params, -32002 server not initialized) instead of failing inside a
 * handler as an internal error with a stack trace. A document notification that cannot be
 * read is dropped with one line in the log. Everything else passes as it came.
 */
import type {
  DataCallback, Disposable, Message, MessageReader, MessageWriter, RequestMessage,
} from 'vscode-languageserver/node';

const invalidParams = -32602;
const serverNotInitialized = -32002;
const parseError = -32700;
const invalidRequest = -32600;

/** Document requests whose params also carry a position. */
const positionRequests = new Set([
  'textDocument/hover', 'textDocument/completion', 'textDocument/references',
  'textDocument/documentHighlight', 'textDocument/prepareRename', 'textDocument/rename',
  'textDocument/definition', 'textDocument/signatureHelp',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): boolean {
  return isObject(value) && Number.isInteger(value.line) && Number.isInteger(value.character) &&
    (value.line as number) >= 0 && (value.character as number) >= 0;
}

/** What is wrong with a request's params, or undefined when the handlers can read them. */
export function requestProblem(method: string, params: unknown): string | undefined {
  if (method === 'initialize') {
    return isObject(params) && isObject(params.capabilities) ? undefined
      : 'initialize needs params.capabilities, the client\'s capabilities (an object)';
  }
  if (!method.startsWith('textDocument/')) return undefined;
  if (!isObject(params)) return `${method} needs a params object`;
  const document = params.textDocument;
  if (!isObject(document) || typeof document.uri !== 'string') {
    return `${method} needs params.textDocument.uri, a string`;
  }
  if (positionRequests.has(method) && !isPosition(params.position)) {
    return `${method} needs params.position, a line and a character counted from 0`;
  }
  return undefined;
}

/** What is wrong with a document notification's params, or undefined. */
export function notificationProblem(method: string, params: unknown): string | undefined {
  if (!method.startsWith('textDocument/')) return undefined;
  if (!isObject(params) || !isObject(params.textDocument) ||
    typeof params.textDocument.uri !== 'string') {
    return `${method} without params.textDocument.uri`;
  }
  const document = params.textDocument;
  if (method === 'textDocument/didOpen' &&
    (typeof document.text !== 'string' || typeof document.languageId !== 'string' ||
      !Number.isInteger(document.version))) {
    return 'textDocument/didOpen needs the document\'s text, languageId and version';
  }
  if (method === 'textDocument/didChange' &&
    (!Array.isArray(params.contentChanges) || !Number.isInteger(document.version) ||
      params.contentChanges.some((change) => !isObject(change) ||
        typeof change.text !== 'string'))) {
    return 'textDocument/didChange needs a version and content changes with their text';
  }
  return undefined;
}

export class GuardedReader implements MessageReader {
  private initialized = false;

  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
    private readonly log: (line: string) => void,
  ) {
    // A body that is not JSON cannot be answered by its id: JSON-RPC answers it with id
    // null. Either way the client's log and the server's stderr say what happened.
    inner.onError((error) => {
      this.log(`a message from the client could not be read: ${error.message}`);
      if (error instanceof SyntaxError) this.answer(null, parseError, 'the message is not JSON');
    });
    inner.onPartialMessage((info) => {
      this.log(`a message from the client is cut short: still waiting for its end after ` +
        `${info.waitingTime} ms`);
    });
  }

  get onError() { return this.inner.onError; }
  get onClose() { return this.inner.onClose; }
  get onPartialMessage() { return this.inner.onPartialMessage; }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message: Message) => {
      if (this.admits(message)) callback(message);
    });
  }

  dispose(): void {
    this.inner.dispose();
  }

  private admits(message: Message): boolean {
    if (!isObject(message)) {
      // JSON, but not a message (null, a number, an array): nothing to answer it by.
      this.answer(null, invalidRequest, 'a message must be a JSON object');
      this.log('ignored a message that is not a JSON object');
      return false;
    }
    const { id, method, params } = message as Partial<RequestMessage>;
    if (typeof method !== 'string') return true;
    if (id !== undefined && id !== null) {
      if (!this.initialized && method !== 'initialize') {
        this.answer(id, serverNotInitialized, `${method} before initialize`);
        return false;
      }
      if (this.initialized && method === 'initialize') {
        // The protocol allows one initialize per connection.
        this.answer(id, invalidRequest, 'initialize was already received');
        return false;
      }
      const problem = requestProblem(method, params);
      if (problem !== undefined) {
        this.answer(id, invalidParams, problem);
        return false;
      }
      if (method === 'initialize') this.initialized = true;
      return true;
    }
    const problem = notificationProblem(method, params);
    if (problem !== undefined) {
      this.log(`ignored a notification that cannot be read: ${problem}`);
      return false;
    }
    return true;
  }

  private answer(id: number | string | null, code: number, message: string): void {
    void this.writer.write({ jsonrpc: '2.0', id, error: { code, message } } as Message);
  }
}
