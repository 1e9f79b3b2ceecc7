import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { StandInData, StandInProject } from "./gitlab-stand-in";

// Reads the files a GitLab stand-in serves for one corpus, from test/fixtures/external/<corpus>/:
//
//   instance.txt                                   the instance's URL, e.g. https://gitlab.com
//   projects/<project full path>/project.json      {"defaultBranch": "main", "releases": ["2.1.0", "2.0.0"]}
//   projects/<project full path>/@<ref>/<file>     a file of the project at a branch or tag
//   templates/<template name>                      a CI template, e.g. templates/Jobs/SAST.gitlab-ci.yml
//   remote/<host>/<path>                           a remote include's URL without its scheme
//
// A directory of projects/ is a project when it has a project.json; the directories between
// projects/ and it are the groups of its full path. Each `@<ref>` directory becomes a commit whose
// SHA is the SHA-1 of "<project full path>@<ref>", so that a fixture's SHAs never change. A
// component `<host>/<project>/<name>@<version>` is the project's `templates/<name>.yml` or
// `templates/<name>/template.yml` at the ref <version>, like any other file of the project.

/** What a project.json may say. */
interface ProjectSettings {
  defaultBranch?: unknown;
  releases?: unknown;
  private?: unknown;
}

/** The SHA a fixture gives a project's ref: the SHA-1 of "<project>@<ref>", 40 hex digits. */
export function fixtureSha(project: string, ref: string): string {
  return createHash("sha1").update(`${project}@${ref}`).digest("hex");
}

export function loadExternalFixtures(dir: string): { instanceUrl: string; data: StandInData } {
  const instanceFile = path.join(dir, "instance.txt");
  if (!fs.existsSync(instanceFile)) throw new Error(`${instanceFile} is missing: it names the GitLab instance`);
  const instanceUrl = fs.readFileSync(instanceFile, "utf8").trim().replace(/\/+$/, "");
  if (!/^https?:\/\/[^/\s]+$/.test(instanceUrl))
    throw new Error(`${instanceFile} must hold an instance URL like https://gitlab.com, not "${instanceUrl}"`);

  const data: StandInData = { projects: {}, templates: {}, remote: {} };
  const projectsDir = path.join(dir, "projects");
  if (fs.existsSync(projectsDir)) {
    for (const projectDir of projectDirs(projectsDir)) {
      const project = relativePosix(projectsDir, projectDir);
      data.projects[project] = readProject(project, projectDir);
    }
  }
  for (const [name, text] of filesUnder(path.join(dir, "templates"))) data.templates[name] = text;
  for (const [url, text] of filesUnder(path.join(dir, "remote"))) data.remote[`/remote/${url}`] = text;
  return { instanceUrl, data };
}

function readProject(project: string, projectDir: string): StandInProject {
  const settingsFile = path.join(projectDir, "project.json");
  const settings = JSON.parse(fs.readFileSync(settingsFile, "utf8")) as ProjectSettings;
  if (typeof settings.defaultBranch !== "string" || settings.defaultBranch === "")
    throw new Error(`${settingsFile}: "defaultBranch" must be a branch name`);
  const refs: Record<string, string> = {};
  const files: Record<string, Record<string, string>> = {};
  for (const entry of sortedEntries(projectDir)) {
    if (!entry.isDirectory()) continue;
    if (!entry.name.startsWith("@") || entry.name.length === 1)
      throw new Error(`${path.join(projectDir, entry.name)}: a project's directories are its refs, named @<ref>`);
    const ref = entry.name.slice(1);
    const sha = fixtureSha(project, ref);
    refs[ref] = sha;
    files[sha] = Object.fromEntries(filesUnder(path.join(projectDir, entry.name)));
  }
  let releases: Array<{ tag: string; sha: string }> | undefined;
  if (settings.releases !== undefined) {
    if (!Array.isArray(settings.releases) || settings.releases.some((t) => typeof t !== "string"))
      throw new Error(`${settingsFile}: "releases" must be a list of tags, newest first`);
    releases = (settings.releases as string[]).map((tag) => {
      if (refs[tag] === undefined) throw new Error(`${settingsFile}: release ${tag} has no @${tag} directory`);
      return { tag, sha: refs[tag] };
    });
  }
  return {
    defaultBranch: settings.defaultBranch,
    refs,
    files,
    ...(releases ? { releases } : {}),
    ...(settings.private === true ? { private: true } : {}),
  };
}

/** Directories under `root` that hold a project.json, in sorted order; a project's own directories are not searched. */
function projectDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (fs.existsSync(path.join(dir, "project.json"))) {
      out.push(dir);
      return;
    }
    for (const entry of sortedEntries(dir)) {
      if (!entry.isDirectory()) continue;
      if (entry.name.startsWith("@"))
        throw new Error(`${path.join(dir, entry.name)}: a ref directory needs a project.json beside it`);
      walk(path.join(dir, entry.name));
    }
  };
  walk(root);
  return out;
}

/** Every file under `root` (none when it does not exist), by its path relative to `root` with `/`, sorted. */
function filesUnder(root: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (dir: string) => {
    for (const entry of sortedEntries(dir)) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) out.push([relativePosix(root, full), fs.readFileSync(full, "utf8")]);
    }
  };
  if (fs.existsSync(root)) walk(root);
  return out;
}

function sortedEntries(dir: string): fs.Dirent[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function relativePosix(from: string, to: string): string {
  return path.relative(from, to).split(path.sep).join("/");
}
