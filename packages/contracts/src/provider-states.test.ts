import { describe, expect, it } from "vitest";
import { contractInteractions, pactEventIds, participants } from "./pact/interactions.js";
import { providerStates, providerStatesOf, type ProviderStateKey } from "./provider-states.js";

describe("providerStatesOf", () => {
  it.each(["dobbletap", "dttracker"] as const)("lists exactly the states %s's pact uses", (party) => {
    const byName = new Map<string, ProviderStateKey>((Object.keys(providerStates) as ProviderStateKey[]).map((key) => [providerStates[key], key]));
    const used = new Set(
      contractInteractions()
        .filter((interaction) => interaction.provider === participants[party])
        .flatMap((interaction) => interaction.states.map((state) => byName.get(state.name))),
    );
    expect([...used].sort()).toEqual([...providerStatesOf[party]].sort());
  });
});

describe("pactEventIds()", () => {
  it("gives every interaction its own event id, the same on every call", () => {
    const ids = pactEventIds();
    expect(new Set(ids).size).toBe(contractInteractions().length);
    expect(pactEventIds()).toEqual(ids);
    for (const interaction of contractInteractions()) expect((interaction.body as { id: string }).id).toBe(interaction.id);
  });
});
