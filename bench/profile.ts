// CPU profiles of the bench Worker (bench/http.ts with BENCH_PROFILE=<path>): workerd's V8
// inspector samples the isolate that runs both the Worker and its tenant objects while one
// round of the chosen path runs, and the profile is summarised by source module and by
// function, so "where does each microsecond go" has an answer measured in the same harness.
// The bundle is esbuild's unminified output, which marks each module's start with a
// `// path/to/module.ts` comment: that is how a sampled line maps back to its module.
import { readFileSync, writeFileSync } from "node:fs";
import WebSocket from "ws";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
  /** Samples per source line (1-based) of this function. */
  positionTicks?: { line: number; ticks: number }[];
}

/** A V8 CPU profile (Profiler.stop's result). */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Samples the isolate every `intervalUs` while `work` runs; returns the profile. */
export async function profileWhile(inspectorUrl: string, intervalUs: number, work: () => Promise<void>) {
  const targets = (await (await fetch(`${inspectorUrl}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  const target = targets[0];
  if (!target) throw new Error(`workerd's inspector at ${inspectorUrl} lists no isolate`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await send("Profiler.enable");
    await send("Profiler.setSamplingInterval", { interval: intervalUs });
    await send("Profiler.start");
    await work();
    const { profile } = (await send("Profiler.stop")) as { profile: CpuProfile };
    return profile;
  } finally {
    socket.close();
  }
}

/** Line ranges of the bundle's modules, from esbuild's `// module/path.ts` markers. */
function moduleStarts(bundle: string): { line: number; module: string }[] {
  const starts: { line: number; module: string }[] = [];
  bundle.split("\n").forEach((text, line) => {
    const marker = /^\/\/ ((?:\.\.\/)*[\w@./-]+\.(?:ts|tsx|js|mjs|cjs|json))$/.exec(text);
    if (marker?.[1]) starts.push({ line, module: marker[1].replace(/^(\.\.\/)+/, "") });
  });
  return starts;
}

function moduleAt(starts: { line: number; module: string }[], line: number): string {
  let low = 0;
  let high = starts.length - 1;
  let found = "(bundle preamble)";
  while (low <= high) {
    const middle = (low + high) >> 1;
    const start = starts[middle] as { line: number; module: string };
    if (start.line <= line) {
      found = start.module;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** Folds a module path into the group a reader cares about: a package, or a project folder. */
function groupOf(module: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  if (inPackage?.[1]) return `npm:${inPackage[1]}`;
  return module
    .split("/")
    .slice(0, module.startsWith("web/") ? 2 : 1)
    .join("/");
}

export interface ProfileSummary {
  sampledMs: number;
  requests: number;
  /** Self time per request (µs) by module group and by function, largest first. */
  byGroup: { name: string; usPerRequest: number; share: number }[];
  byFunction: { name: string; usPerRequest: number; share: number }[];
  /** The bundle's hottest lines (self time), with their module and text. */
  byLine: { name: string; usPerRequest: number; share: number }[];
}

/**
 * Self time per request by module group and by function. Runtime frames without a script
 * ("(garbage collector)", "(program)", native code) keep their own names; "(idle)" is left out.
 */
export function summariseProfile(profile: CpuProfile, bundlePath: string, requests: number): ProfileSummary {
  const bundle = readFileSync(bundlePath, "utf8");
  const bundleLines = bundle.split("\n");
  const starts = moduleStarts(bundle);
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  // Samples are counted, each worth the median interval between samples, rather than summing
  // the intervals: on a loaded machine the sampler is sometimes descheduled for milliseconds,
  // and the whole gap would land on whichever frame happened to be on top.
  const deltas = [...profile.timeDeltas].sort((a, b) => a - b);
  const sampleUs = deltas[Math.floor(deltas.length / 2)] ?? 0;
  const selfUs = new Map<number, number>();
  for (const nodeId of profile.samples) selfUs.set(nodeId, (selfUs.get(nodeId) ?? 0) + sampleUs);
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  const lines = new Map<string, number>();
  let busyUs = 0;
  for (const [nodeId, us] of selfUs) {
    const frame = (nodes.get(nodeId) as ProfileNode).callFrame;
    if (frame.functionName === "(idle)") continue;
    busyUs += us;
    const inBundle = frame.url.endsWith("worker.js");
    const module = inBundle ? moduleAt(starts, frame.lineNumber) : "";
    const group = inBundle ? groupOf(module) : frame.functionName || "(runtime)";
    const name = inBundle ? `${frame.functionName || "(anonymous)"} — ${module}` : group;
    groups.set(group, (groups.get(group) ?? 0) + us);
    functions.set(name, (functions.get(name) ?? 0) + us);
    const ticks = nodes.get(nodeId)?.positionTicks ?? [];
    const totalTicks = ticks.reduce((sum, tick) => sum + tick.ticks, 0);
    for (const tick of inBundle ? ticks : []) {
      const text = (bundleLines[tick.line - 1] ?? "").trim().slice(0, 90);
      const key = `${moduleAt(starts, tick.line - 1)}:${tick.line}  ${text}`;
      lines.set(key, (lines.get(key) ?? 0) + (us * tick.ticks) / totalTicks);
    }
  }
  const rank = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({
        name,
        usPerRequest: Number((us / requests).toFixed(1)),
        share: Number((us / busyUs).toFixed(3)),
      }));
  return {
    sampledMs: Math.round(busyUs / 1000),
    requests,
    byGroup: rank(groups),
    byFunction: rank(functions).slice(0, 40),
    byLine: rank(lines).slice(0, 40),
  };
}

export function printProfileSummary(path: string, summary: ProfileSummary, profileFile: string): void {
  console.log(
    `\nCPU profile of one ${path} round (${summary.requests} requests, ${summary.sampledMs} ms on the isolate's thread; saved to ${profileFile}):`,
  );
  console.log("  by module group (self µs/request, share):");
  for (const row of summary.byGroup.slice(0, 20))
    console.log(
      `    ${String(row.usPerRequest).padStart(7)}  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.name}`,
    );
  console.log("  by function:");
  for (const row of summary.byFunction.slice(0, 30))
    console.log(
      `    ${String(row.usPerRequest).padStart(7)}  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.name}`,
    );
  console.log("  by line of the bundle (module:line  text):");
  for (const row of summary.byLine.slice(0, 30))
    console.log(
      `    ${String(row.usPerRequest).padStart(7)}  ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.name}`,
    );
}

export function saveProfile(profile: CpuProfile, file: string): void {
  writeFileSync(file, JSON.stringify(profile));
}

// `npx tsx bench/profile.ts FILE.cpuprofile REQUESTS`: summarises a saved profile again (its
// bundle, FILE.worker.js, saved beside it).
if (process.argv[1]?.endsWith("profile.ts") && process.argv[2]) {
  const file = process.argv[2];
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const bundle = file.replace(/\.cpuprofile$/, ".worker.js");
  printProfileSummary("saved", summariseProfile(profile, bundle, Number(process.argv[3] ?? 1)), file);
}
