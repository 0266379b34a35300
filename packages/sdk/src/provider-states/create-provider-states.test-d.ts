import { expectTypeOf, it } from "vitest";
import { createProviderStates, type ProviderStateHandlers } from "./create-provider-states.js";

it("ProviderStateHandlers needs one handler per state of the party's pact", () => {
  const noop = () => {};
  // @ts-expect-error offerMissing is missing: a state DTTracker's pact has and the provider does not handle.
  const partial: ProviderStateHandlers<"dttracker"> = { offerPending: noop };
  void partial;
  const complete: ProviderStateHandlers<"dttracker"> = { offerPending: noop, offerMissing: noop };
  expectTypeOf(createProviderStates<"dttracker">)
    .parameter(0)
    .toHaveProperty("handlers")
    .toEqualTypeOf(complete);
  // @ts-expect-error the party's states only: campaignExists is Dobbletap's.
  createProviderStates({ party: "dttracker", enabled: true, secret: "", handlers: { ...complete, campaignExists: noop } });
});
