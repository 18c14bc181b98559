// Where the CPU went during a measurement: the server, the bench's own clients, and other
// processes on the machine. On a shared 2-core box a busy neighbour (a test run, a build) can
// dominate a latency figure, so the bench measures that instead of guessing. Linux /proc only;
// elsewhere the machine-wide figures are null.
import fs from "node:fs";

/** USER_HZ; 100 on every mainstream Linux. */
const TICKS_PER_SECOND = 100;

/** Cumulative CPU seconds at one moment. */
export interface CpuSample {
  server: number | null;
  serverUser: number | null;
  self: number;
  selfUser: number;
  /**
   * User-mode time of every process on the machine. Kernel time is left out of the
   * neighbour estimate because loopback networking and fsync work run in softirq and kernel
   * threads that no process is charged for, and would count as "others".
   */
  machineUser: number | null;
  /** Time the hypervisor ran someone else instead of this VM. */
  steal: number | null;
}

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** CPU seconds so far of `serverPid`, of this process and of the machine. */
export function sampleCpu(serverPid: number): CpuSample {
  const usage = process.cpuUsage();
  const sample: CpuSample = { server: null, serverUser: null, self: (usage.user + usage.system) / 1e6, selfUser: usage.user / 1e6, machineUser: null, steal: null };
  const stat = read(`/proc/${serverPid}/stat`);
  if (stat !== null) {
    // The command name (field 2) may hold spaces, so count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    sample.server = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    sample.serverUser = Number(fields[11]) / TICKS_PER_SECOND;
  }
  const cpu = read("/proc/stat")?.split("\n")[0]?.split(/\s+/).slice(1).map(Number);
  if (cpu && cpu.length >= 8) {
    const [user, nice, , , , , , steal] = cpu as [number, number, number, number, number, number, number, number];
    sample.machineUser = (user + nice) / TICKS_PER_SECOND;
    sample.steal = steal / TICKS_PER_SECOND;
  }
  return sample;
}

/** CPU seconds spent between two samples. */
export interface CpuUse {
  server: number | null;
  self: number;
  /** User-mode time of everything but the server and the bench itself. */
  others: number | null;
  steal: number | null;
}

export function cpuBetween(a: CpuSample, b: CpuSample): CpuUse {
  const diff = (x: number | null, y: number | null): number | null => (x === null || y === null ? null : y - x);
  const server = diff(a.server, b.server);
  const self = b.self - a.self;
  const user = diff(a.machineUser, b.machineUser);
  const serverUser = diff(a.serverUser, b.serverUser);
  const others = user === null || serverUser === null ? null : Math.max(0, user - serverUser - (b.selfUser - a.selfUser));
  return { server, self, others, steal: diff(a.steal, b.steal) };
}

/** Adds two measurements (rounds of one benchmark). */
export function addCpu(a: CpuUse, b: CpuUse): CpuUse {
  const add = (x: number | null, y: number | null): number | null => (x === null || y === null ? null : x + y);
  return { server: add(a.server, b.server), self: a.self + b.self, others: add(a.others, b.others), steal: add(a.steal, b.steal) };
}
