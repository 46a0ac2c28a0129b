/**
 * Workspace folders laid out as a rules.d: a folder opened in the editor whose top level
 * holds several `*.rules` files (a checkout of /etc/audit/rules.d under another name) is
 * read the way augenrules reads rules.d, so a duplicate of a rule in 10-base.rules shows
 * in 30-stig.rules there too. A lone `*.rules` file stays on the single-file check.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAugenrulesName } from '../rules/rulesetOrder';
import type {
  Connection,
  InitializeParams,
  ServerCapabilities,
  WorkspaceFolder,
} from 'vscode-languageserver/node';
import type { ServerLogger } from './logger';

function folderPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export class WorkspaceRulesets {
  private readonly roots = new Set<string>();
  private folderChanges: 'unsupported' | 'pending' | 'subscribed' = 'unsupported';

  /** Folder changes arrive as notifications without a registration round trip. */
  readonly capabilities: Pick<ServerCapabilities, 'workspace'> = {
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  };

  constructor(
    private readonly connection: Connection,
    private readonly logger: ServerLogger,
  ) {}

  initialize(params: InitializeParams): void {
    const folders: WorkspaceFolder[] = params.workspaceFolders ??
      (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    this.replace(folders, []);
    if (params.capabilities.workspace?.workspaceFolders) this.folderChanges = 'pending';
  }

  private replace(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
    for (const folder of removed) {
      const root = folderPath(folder.uri);
      if (root) this.roots.delete(root);
    }
    for (const folder of added) {
      const root = folderPath(folder.uri);
      if (root) this.roots.add(root);
    }
  }

  /**
   * The change event exists only once the initialize exchange is over, so it is taken up
   * at the first question, which comes with a request after it.
   */
  private followFolderChanges(): void {
    if (this.folderChanges !== 'pending') return;
    this.folderChanges = 'subscribed';
    try {
      this.connection.workspace.onDidChangeWorkspaceFolders((event) => {
        this.replace(event.added, event.removed);
        this.logger.debug(() => `workspace folders: ${[...this.roots].join(', ')}`);
      });
    } catch (error) {
      this.logger.warn(`workspace folder changes are not followed: ${String(error)}`);
    }
  }

  /** Whether `folder` is a workspace folder with `*.rules` files beside `file`. */
  isRuleset(folder: string, file: string): boolean {
    this.followFolderChanges();
    if (!this.roots.has(path.resolve(folder))) return false;
    try {
      const own = path.basename(file);
      return readdirSync(folder).some((name) => isAugenrulesName(name) && name !== own);
    } catch {
      return false;
    }
  }
}
