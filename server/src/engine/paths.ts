/**
 * Normalises an include:local path against the repository root. GitLab drops leading
 * slashes and reads the path from the root, never from the including file's folder.
 * Returns undefined for a path that climbs out of the project.
 */
export function normaliseLocalPath(location: string): string | undefined {
  const parts: string[] = [];
  for (const part of location.replace(/^\/+/, "").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.join("/");
}
