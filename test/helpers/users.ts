import { execFileSync } from 'node:child_process';

export interface TestUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** A real second user (created once with useradd -m, kept: harmless, no password, no sudo). Needs root. */
export function ensureUser(name: string): TestUser {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['-m', '-s', '/bin/sh', name], { stdio: 'ignore' });
  }
  const [, , uid, gid, , home] = execFileSync('getent', ['passwd', name]).toString().trim().split(':');
  return { name, uid: Number(uid), gid: Number(gid), home: home ?? `/home/${name}` };
}
