import type { Kysely } from "kysely";
import { systemClock, type Clock, type Envelope } from "@keyward/common";
import { finishDelivery, getClaimedDelivery, type Database, type Delivery } from "@keyward/db";
import { sendClaimed, sendFailure } from "./deliver.js";

/**
 * Sends a test delivery (made claimed by createTestDelivery) at once and records the outcome:
 * delivered, or dead with the error text (a test is not retried, and a failing test raises no
 * delivery.failing event: the admin who asked sees the answer). Resolves with the delivery as recorded.
 */
export async function sendTestDelivery(deps: { db: Kysely<Database>; envelope: Envelope; consoleBaseUrl: string; clock?: Clock }, deliveryId: string): Promise<Delivery> {
  const clock = deps.clock ?? systemClock;
  const claimed = await getClaimedDelivery(deps.db, deliveryId);
  if (!claimed) throw new Error(`no delivery ${deliveryId}`);
  try {
    const statusCode = await sendClaimed({ envelope: deps.envelope, consoleBaseUrl: deps.consoleBaseUrl, clock }, claimed);
    await finishDelivery(deps.db, deliveryId, { status: "delivered", at: clock.now(), ...(statusCode ? { statusCode } : {}) });
  } catch (e) {
    await finishDelivery(deps.db, deliveryId, { status: "dead", ...sendFailure(e) });
  }
  return (await getClaimedDelivery(deps.db, deliveryId))!.delivery;
}
