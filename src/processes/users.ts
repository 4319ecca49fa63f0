import { readFileSync } from 'node:fs';

/** Parses passwd(5) text into uid -> user name. */
export function parsePasswd(text: string): Map<number, string> {
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && /^\d+$/.test(uid) && !users.has(Number(uid))) users.set(Number(uid), name);
  }
  return users;
}

let cached: Map<number, string> | undefined;

/** The user name for a uid from /etc/passwd, or the uid itself when it has no entry (LDAP users, containers). */
export function userName(uid: number): string {
  if (!cached) {
    try {
      cached = parsePasswd(readFileSync('/etc/passwd', 'utf8'));
    } catch {
      cached = new Map();
    }
  }
  return cached.get(uid) ?? String(uid);
}
