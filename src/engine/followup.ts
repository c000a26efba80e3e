/** Understanding turns that only make sense after an earlier answer. */
const MORE_PLEASE =
  /^(?:(?:please |can you |could you )?(?:tell me more|more|say more|more info(?:rmation)?|more details?|go on|explain(?: that| more| further)?|elaborate|why|why is that|how so|how come|really|in what way|what do you mean|details)(?: please)?(?: about (?:it|that|this))?)$/;
const LEAD_IN = /^(?:and |but |so |ok |okay )?(?:what|how) about /;
const ORDINALS: ReadonlyMap<string, number> = new Map(
  [
    ['1', 'one', 'first'],
    ['2', 'two', 'second'],
    ['3', 'three', 'third'],
  ].flatMap((words, index) => words.flatMap((w) => [w, `the ${w}`, `${w} one`, `the ${w} one`].map((say) => [say, index] as const))),
);

/** "tell me more", "why?": the user wants more on the last topic. */
export function asksForMore(normalizedText: string): boolean {
  return MORE_PLEASE.test(normalizedText);
}

/** "what about side effects" -> "side effects": the topic named after a lead-in. */
export function withoutLeadIn(normalizedText: string): string {
  return normalizedText.replace(LEAD_IN, '');
}

/** "2", "the first one": an index into the offered choices, or null. */
export function choiceIndex(normalizedText: string): number | null {
  return ORDINALS.get(normalizedText) ?? null;
}
