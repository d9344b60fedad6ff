import type { Session } from "../admin/session.js";
import { badge } from "../output/badge.js";
import { painter, type Colour } from "../output/format.js";
import { readKeys } from "../prompt/terminal.js";
import { decide, type DecisionResult } from "./decide.js";
import { itemEnvironment, itemService, registeredFrom, type PendingItem } from "./pending.js";

/** The terminal the review draws on and reads keys from. */
export interface ReviewIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

type Action = "approve" | "deny" | "skip" | "quit";
type State = DecisionResult | { id: string; outcome: "skipped" };

const CLEAR = "\u001b[2J\u001b[H";
const KEYS = "↑/↓ or j/k move · a approve · d deny · s skip · q quit";

/**
 * The interactive review: one pending item at a time with what it is (service, version, where it
 * registered from, environment, the secret asked for and its description); a approves, d denies,
 * s skips, q quits, arrows (or j/k) move. Each decision's result is shown as it happens, and a
 * summary at the end. Resolves to 0, or 1 when the service refused a decision.
 */
export async function reviewPending(session: Session, items: PendingItem[], io: ReviewIo): Promise<number> {
  const paint = painter(io.output, io.env);
  const states = new Map<string, State>();
  let index = 0;
  let last = "";
  const draw = () => io.output.write(CLEAR + screen(items, states, index, last, paint));
  const nextOpen = (from: number) => {
    for (let step = 1; step <= items.length; step++) {
      const i = (from + step) % items.length;
      if (!states.has(items[i]!.id)) return i;
    }
    return -1;
  };
  for (;;) {
    // readKeys turns raw mode on as it is called: draw after, so a key typed as soon as the screen
    // shows is read raw (a Ctrl-C in cooked mode would kill the process instead of aborting).
    const keys = readKeys<Action>(io.input, (key) => {
      if (("name" in key && key.name === "up") || ("char" in key && key.char === "k")) index = (index + items.length - 1) % items.length;
      else if (("name" in key && key.name === "down") || ("char" in key && key.char === "j")) index = (index + 1) % items.length;
      else if ("char" in key && key.char === "a") return "approve";
      else if ("char" in key && key.char === "d") return "deny";
      else if ("char" in key && key.char === "s") return "skip";
      else if (("char" in key && key.char === "q") || ("name" in key && key.name === "escape")) return "quit";
      else return undefined;
      draw();
      return undefined;
    });
    draw();
    const action = await keys;
    if (action === "quit") break;
    const item = items[index]!;
    const decided = states.get(item.id);
    if (decided && decided.outcome !== "skipped" && decided.outcome !== "failed") {
      last = paint("yellow", `already decided (${decided.outcome}); pick another with ↑/↓`);
      continue;
    }
    if (action === "skip") {
      states.set(item.id, { id: item.id, outcome: "skipped" });
      last = `skipped ${itemService(item)} (${item.kind === "token" ? "token" : item.request.secretName})`;
    } else {
      io.output.write(`\n${action === "approve" ? "approving" : "denying"}…\n`);
      const result = await decide(session, item, action);
      states.set(item.id, result);
      last = paint(result.outcome === "failed" ? "red" : result.outcome === "held" ? "yellow" : "green", result.message);
    }
    const next = nextOpen(index);
    if (next === -1) break;
    index = next;
  }
  io.output.write(CLEAR + screen(items, states, -1, last, paint) + "\n" + summary(items, states) + "\n");
  return [...states.values()].some((s) => s.outcome === "failed") ? 1 : 0;
}

function screen(items: PendingItem[], states: Map<string, State>, index: number, last: string, paint: (c: Colour, t: string) => string): string {
  const environments = [...new Set(items.map(itemEnvironment))].join(", ");
  const lines = [paint("bold", `Keyward approvals: ${items.length} pending in ${environments}`), paint("dim", KEYS), ""];
  items.forEach((item, i) => {
    const state = states.get(item.id)?.outcome ?? "pending";
    const what = item.kind === "token" ? `token   ${item.token.serviceName} ${item.token.serviceVersion}` : `access  ${item.request.serviceName} → ${item.request.secretName}`;
    lines.push(`${i === index ? "❯" : " "} ${badge(paint, state)}${" ".repeat(Math.max(0, 8 - state.length))} ${what}  ${paint("dim", itemEnvironment(item))}`);
  });
  // The last decision's result sits above the next item's details, where the eye goes next.
  if (last) lines.push("", last);
  const current = items[index];
  if (current) lines.push("", ...details(current, paint));
  return lines.join("\r\n") + "\r\n";
}

function details(item: PendingItem, paint: (c: Colour, t: string) => string): string[] {
  const row = (label: string, value: string) => `  ${label.padEnd(12)} ${value}`;
  if (item.kind === "token") {
    const t = item.token;
    const lines = [
      paint("bold", `Service token ${t.id}`),
      row("service", t.serviceName),
      row("version", t.serviceVersion),
      row("from", registeredFrom(t)),
      row("environment", t.environment),
      row("requested", t.requestedAt),
    ];
    if (t.sameNameApproved > 0) {
      lines.push(paint("yellow", `  ! ${t.sameNameApproved} approved token(s) already use the name ${t.serviceName}: approving gives this one their grants; check it is a redeploy (compare where it registered from)`));
    }
    return lines;
  }
  const r = item.request;
  return [
    paint("bold", `Access request ${r.id}`),
    row("service", r.serviceName),
    row("secret", r.secretName),
    row("description", item.description ?? "(the secret no longer exists)"),
    row("environment", r.environment),
    row("requested", r.requestedAt),
  ];
}

function summary(items: PendingItem[], states: Map<string, State>): string {
  const count = (outcome: string) => [...states.values()].filter((s) => s.outcome === outcome).length;
  const untouched = items.length - states.size;
  const parts = [`${count("approved")} approved`, `${count("denied") + count("revoked")} denied`, `${count("held")} held for approval`, `${count("skipped") + untouched} skipped`];
  if (count("failed") > 0) parts.push(`${count("failed")} failed`);
  return `done: ${parts.join(", ")}`;
}
