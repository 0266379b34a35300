import { expectTypeOf, it } from "vitest";
import { createProviderStates, type ProviderStateHandlers } from "./create-provider-states.js";

it("ProviderStateHandlers needs one handler per state of the contract", () => {
  const noop = () => {};
  // @ts-expect-error offerMissing is missing: a state the contract has and the provider does not handle.
  const partial: ProviderStateHandlers = { campaignExists: noop, campaignMissing: noop, creatorExists: noop, offerExists: noop, offerPending: noop };
  void partial;
  expectTypeOf(createProviderStates).parameter(0).toHaveProperty("handlers").toEqualTypeOf<ProviderStateHandlers>();
});
