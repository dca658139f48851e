import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
export const CLOCK_TICKS_PER_S = 100;

/** utime + stime of one /proc/<pid>/stat line, in ticks (fields after the command name, which may hold spaces). */
function ticksOf(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU time (user + system) process `pid` has used so far, in seconds; NaN where /proc is not available. */
export function processCpuSeconds(pid: number): number {
  try {
    return ticksOf(readFileSync(`/proc/${pid}/stat`, 'utf8')) / CLOCK_TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/** Every core's busy time so far (all but idle and I/O wait), in seconds; NaN where /proc is not available. */
function machineBusySeconds(): number {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/** CPU ticks of every PostgreSQL server process on this machine (the postmaster, its backends and workers). */
function postgresTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return ticks;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres')
        ticks.set(Number(pid), ticksOf(stat));
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks;
}

/** How often a window looks for PostgreSQL processes: a backend's time after its last look is not counted. */
const SAMPLE_EVERY_MS = 250;

/**
 * CPU used between `start()` and `stop()`: by the whole machine (every process: apps, PostgreSQL, the broker, the
 * harness), and by PostgreSQL's processes (PostgreSQL keeps no CPU account of its own). These are looked at every
 * 250 ms, so a connection opened and closed inside the window is counted up to its last look.
 */
export class CpuWindow {
  private readonly machineAtStart = machineBusySeconds();
  private readonly postgresAtStart = postgresTicks();
  private readonly lastSeen = new Map(this.postgresAtStart);
  private readonly sampler = setInterval(() => this.look(), SAMPLE_EVERY_MS).unref();

  static start(): CpuWindow {
    return new CpuWindow();
  }

  /** Seconds of CPU: the machine's and PostgreSQL's (NaN where /proc is not available). */
  stop(): { machineS: number; postgresS: number } {
    clearInterval(this.sampler);
    this.look();
    const machineS = machineBusySeconds() - this.machineAtStart;
    let ticks = 0;
    for (const [pid, t] of this.lastSeen) {
      const before = this.postgresAtStart.get(pid);
      // A process not there at the start (or a pid reused since) started inside the window.
      ticks += before !== undefined && t >= before ? t - before : t;
    }
    return { machineS, postgresS: this.lastSeen.size > 0 ? ticks / CLOCK_TICKS_PER_S : NaN };
  }

  private look(): void {
    for (const [pid, t] of postgresTicks()) this.lastSeen.set(pid, t);
  }
}
