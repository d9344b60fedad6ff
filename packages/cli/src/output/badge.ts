import type { Colour } from "./format.js";

const COLOURS: Record<string, Colour> = {
  pending: "yellow",
  held: "yellow",
  stub: "yellow",
  due_soon: "yellow",
  approved: "green",
  granted: "green",
  active: "green",
  ok: "green",
  applied: "green",
  connected: "green",
  verifying: "yellow",
  error: "red",
  denied: "red",
  revoked: "red",
  disabled: "red",
  overdue: "red",
  expired: "red",
  rejected: "red",
  broken: "red",
};

/** A status word coloured by what it means (green done, yellow waiting, red refused); plain off a TTY. */
export function badge(paint: (colour: Colour, text: string) => string, status: string): string {
  const colour = COLOURS[status];
  return colour ? paint(colour, status) : status;
}
