// The GitLab token for external includes, kept in VS Code's SecretStorage (never in settings, never
// logged) together with the instance it belongs to: the server sends it to that instance only.
import * as vscode from "vscode";

const KEY = "pipewright.gitlab";

export interface StoredCredentials {
  readonly gitlabUrl: string;
  readonly token: string;
}

export async function storedCredentials(secrets: vscode.SecretStorage): Promise<StoredCredentials | undefined> {
  const raw = await secrets.get(KEY);
  if (!raw) return undefined;
  try {
    const c = JSON.parse(raw) as Partial<StoredCredentials>;
    return typeof c.gitlabUrl === "string" && typeof c.token === "string"
      ? { gitlabUrl: c.gitlabUrl, token: c.token }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Asks for the instance (the `pipewright.gitlabUrl` setting, else gitlab.com, offered first) and a
 * token; an empty token forgets the stored one. Returns what is stored now, or undefined when cancelled.
 */
export async function askCredentials(
  secrets: vscode.SecretStorage,
): Promise<{ stored: StoredCredentials | undefined } | undefined> {
  const configured = vscode.workspace.getConfiguration("pipewright").get<string>("gitlabUrl") || "https://gitlab.com";
  const gitlabUrl = await vscode.window.showInputBox({
    title: "Pipewright: GitLab instance",
    prompt: "The instance the token belongs to; it is sent there and nowhere else",
    value: configured,
    validateInput: (v) =>
      /^https?:\/\/[^/\s]+\/?$/i.test(v.trim()) ? undefined : "An address like https://gitlab.com",
  });
  if (gitlabUrl === undefined) return undefined;
  const token = await vscode.window.showInputBox({
    title: "Pipewright: GitLab token",
    prompt: "A personal, project or group access token with read_api (empty: forget the stored token)",
    password: true,
    ignoreFocusOut: true,
  });
  if (token === undefined) return undefined;
  if (token.trim() === "") {
    await secrets.delete(KEY);
    return { stored: undefined };
  }
  const stored = { gitlabUrl: gitlabUrl.trim().replace(/\/+$/, ""), token: token.trim() };
  await secrets.store(KEY, JSON.stringify(stored));
  return { stored };
}
