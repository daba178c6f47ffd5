import * as vscode from 'vscode';
import type { ProbeTargetItem } from '../../../server/src/features/probe-targets';
import { parseProbeTarget } from '../../../server/src/probe/target';

export interface ProbeInput {
  url: string;
  connectTo?: string;
  headOnly?: boolean;
  insecure?: boolean;
}

interface UrlItem extends vscode.QuickPickItem {
  url: string;
}

/**
 * Asks for the URL (typed, the last one, or one the workspace's configs name) and then for an optional
 * origin address; undefined when the person backs out of either.
 */
export async function askProbeInput(last: ProbeInput | undefined, targets: Promise<ProbeTargetItem[]>): Promise<ProbeInput | undefined> {
  const url = await pickUrl(last, targets);
  if (!url) return undefined;
  const connectTo = await vscode.window.showInputBox({
    title: 'Probe Origin (2/2): origin address',
    prompt: 'IP[:PORT] to connect to instead of the DNS answer, to bypass Cloudflare (Host and TLS name stay the URL\'s). Empty: use DNS.',
    placeHolder: 'e.g. 203.0.113.10 or 203.0.113.10:8443',
    value: last?.url === url ? last.connectTo ?? '' : '',
    validateInput: (value) => problemWith(url, value),
  });
  if (connectTo === undefined) return undefined;
  return { url, connectTo: connectTo.trim() || undefined };
}

function pickUrl(last: ProbeInput | undefined, targets: Promise<ProbeTargetItem[]>): Promise<string | undefined> {
  let offered: UrlItem[] = [];
  const pick = vscode.window.createQuickPick<UrlItem>();
  pick.title = 'Probe Origin (1/2): URL';
  pick.placeholder = 'Type a URL, or pick one your configs name';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  // What is typed is always offered first, so any URL can be probed, not only the listed ones.
  const refresh = () => {
    const typed = pick.value.trim();
    const problem = typed ? problemWith(typed, '') : undefined;
    pick.items = typed && !offered.some((o) => o.url === typed)
      ? [{ label: typed, description: problem ? `cannot probe: ${problem}` : 'probe this URL', url: typed, alwaysShow: true }, ...offered]
      : offered;
  };
  pick.value = last?.url ?? '';
  refresh();
  // The picker opens at once; the workspace's URLs join it when the server has listed them.
  pick.busy = true;
  void targets.then((list) => {
    offered = list.map((t) => ({ label: t.label, description: t.url, detail: t.detail, url: t.url }));
    refresh();
    pick.busy = false;
  });
  return new Promise((resolve) => {
    pick.onDidChangeValue(refresh);
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0]?.url ?? pick.value.trim();
      // A URL that cannot be probed keeps the picker open; its item says why.
      if (!chosen || problemWith(chosen, '')) return;
      resolve(chosen);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

function problemWith(url: string, connectTo: string): string | undefined {
  try {
    parseProbeTarget(url, connectTo);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
