import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CpuProfile, ProfileBreakdown, breakdown } from '../common/profile-breakdown';

/** A peer's processes, by role, as the benchmark started them. */
interface ProfiledPeer {
  name: string;
  processes: { role: string; pid: number }[];
}

/** Per peer, per role: where the process's CPU time went over the whole benchmark. */
export type ProfileReport = Record<string, Record<string, ProfileBreakdown>>;

/**
 * Reads the CPU profiles `--cpu-prof DIR` left (DIR/<peer>/CPU.<date>.<time>.<pid>...), once
 * the processes have exited, and sums each into kinds of work (bench/common/profile-breakdown.ts).
 * A profile covers the process's life: warm-up and every round, start-up left out.
 */
export function readProfiles(dir: string, peers: readonly ProfiledPeer[]): ProfileReport {
  const out: ProfileReport = {};
  for (const peer of peers) {
    const folder = join(dir, peer.name);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.cpuprofile'))) {
      const pid = Number(file.split('.')[3]);
      const role = peer.processes.find((p) => p.pid === pid)?.role ?? `pid ${pid}`;
      const profile = JSON.parse(readFileSync(join(folder, file), 'utf8')) as CpuProfile;
      const roles = (out[peer.name] ??= {});
      // Several processes share a role (the workers): number them.
      let name = role;
      for (let n = 2; roles[name] !== undefined; n++) name = `${role} ${n}`;
      roles[name] = breakdown(profile, 8);
    }
  }
  return out;
}

/** The report as text: per process, its busy time and the kinds and files that took most. */
export function profileText(report: ProfileReport): string {
  const lines: string[] = [];
  const list = (items: [string, number][], n: number) =>
    items
      .slice(0, n)
      .map(([k, p]) => `${k} ${p}%`)
      .join(', ');
  for (const [peer, roles] of Object.entries(report))
    for (const [role, b] of Object.entries(roles)) {
      lines.push(`${peer} ${role}: busy ${b.busyMs} ms; ${list(b.kinds, 6)}`);
      if (b.files.length > 0) lines.push(`  files: ${list(b.files, 5)}`);
    }
  return lines.join('\n');
}
