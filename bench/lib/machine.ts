import os from "node:os";

/** The machine the figures were measured on. */
export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  memoryGiB: number;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}
