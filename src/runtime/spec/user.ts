/**
 * `--user` resolution against the container's /etc/passwd and /etc/group, with the rules of
 * runc's and moby's user package (moby/sys/user GetExecUser) and Docker's getUser:
 *
 * - spec forms: "", "name", "uid", "name:group", "uid:gid", "name:gid", "uid:group";
 * - a numeric id is always an id; it needs no passwd/group entry (but uses one if present);
 * - a name must exist: "unable to find user nobody: no matching entries in passwd file";
 * - the gid defaults to the user's passwd gid; an explicit group replaces it;
 * - supplementary groups come from /etc/group membership, only when no group was given;
 * - the spec's additionalGids are [gid, ...supplementary, ...--group-add], as Docker writes them.
 *
 * Passwd and group text are the files' contents; undefined means the file does not exist.
 */
import { invalidArgument } from "../../lib/errors.js";

export interface PasswdEntry {
  name: string;
  password: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  password: string;
  gid: number;
  members: string[];
}

export interface ResolvedUser {
  uid: number;
  gid: number;
  /** The primary gid first, then supplementary groups, then --group-add groups. */
  additionalGids: number[];
  /** From passwd; "/" when the user has no entry (runc's default). */
  home: string;
}

const MAX_ID = 2 ** 31 - 1;

/** Go's Atoi on a malformed field yields 0; so do we. */
function atoi(s: string | undefined): number {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return 0;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : 0;
}

function lines(text: string, skipComments: boolean): string[][] {
  const out: string[][] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || (skipComments && line.startsWith("#"))) continue;
    out.push(line.split(":"));
  }
  return out;
}

/** Parses /etc/passwd text (name:password:UID:GID:GECOS:directory:shell); short lines are padded. */
export function parsePasswd(text: string): PasswdEntry[] {
  return lines(text, false).map((f) => ({
    name: f[0] ?? "",
    password: f[1] ?? "",
    uid: atoi(f[2]),
    gid: atoi(f[3]),
    gecos: f[4] ?? "",
    home: f[5] ?? "",
    shell: f[6] ?? "",
  }));
}

/** Parses /etc/group text (name:password:GID:member,member); comment lines are skipped. */
export function parseGroup(text: string): GroupEntry[] {
  return lines(text, true).map((f) => ({
    name: f[0] ?? "",
    password: f[1] ?? "",
    gid: atoi(f[2]),
    members: f[3] ? f[3].split(",") : [],
  }));
}

/** A numeric id in range, undefined for a name; out-of-range numbers are an error. */
function numericId(value: string): number | undefined {
  if (!/^[+-]?\d+$/.test(value)) return undefined;
  const n = Number(value);
  if (n < 0 || n > MAX_ID) throw invalidArgument(`uids and gids must be in range 0-${MAX_ID}`);
  return n;
}

export interface ResolveUserOptions {
  /** `--group-add` values: names (must exist) or numeric gids. */
  groupAdd?: string[];
}

/** Resolves a `--user` spec; see the module comment for the rules. */
export function resolveUser(
  spec: string,
  passwd?: string,
  group?: string,
  options: ResolveUserOptions = {},
): ResolvedUser {
  const [userArg = "", groupArg = ""] = spec.split(":");
  const uidArg = numericId(userArg);
  const gidArg = numericId(groupArg);
  const users = passwd === undefined ? [] : parsePasswd(passwd);
  const groups = group === undefined ? [] : parseGroup(group);

  let uid = 0;
  let gid = 0;
  let home = "/";
  let matchedName: string | undefined;
  const found = users.find((u) =>
    userArg === "" ? u.uid === 0 : uidArg !== undefined ? u.uid === uidArg : u.name === userArg,
  );
  if (found !== undefined) {
    matchedName = found.name;
    uid = found.uid;
    gid = found.gid;
    home = found.home;
  } else if (userArg !== "") {
    if (uidArg === undefined) {
      throw invalidArgument(`unable to find user ${userArg}: no matching entries in passwd file`);
    }
    uid = uidArg;
  }

  let supplementary: number[] = [];
  if (groupArg !== "") {
    const g = groups.find((e) => (gidArg !== undefined ? e.gid === gidArg : e.name === groupArg));
    if (g !== undefined) gid = g.gid;
    else if (gidArg !== undefined) gid = gidArg;
    else throw invalidArgument(`unable to find group ${groupArg}: no matching entries in group file`);
  } else if (matchedName !== undefined) {
    supplementary = groups.filter((g) => g.members.includes(matchedName)).map((g) => g.gid);
  }

  const added = additionalGroups(options.groupAdd ?? [], groups);
  return { uid, gid, additionalGids: [gid, ...supplementary, ...added], home };
}

/** `--group-add`: names must exist in /etc/group, numbers are taken as they are; duplicates dropped. */
export function additionalGroups(values: readonly string[], groups: readonly GroupEntry[]): number[] {
  const out = new Set<number>();
  for (const value of values) {
    const n = numericId(value);
    const g = groups.find((e) => (n !== undefined ? e.gid === n : e.name === value));
    if (g !== undefined) {
      if (g.gid < 0 || g.gid > MAX_ID) throw invalidArgument(`uids and gids must be in range 0-${MAX_ID}`);
      out.add(g.gid);
    } else if (n !== undefined) {
      out.add(n);
    } else {
      throw invalidArgument(`unable to find group ${value}: no matching entries in group file`);
    }
  }
  return [...out];
}
