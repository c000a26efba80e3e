/** Fills {{PLACEHOLDERS}} in content text from settings. */
import type { EngineSettings } from '../content/settings.js';

export type Placeholders = Readonly<Record<string, string>>;

export function placeholdersFrom(settings: EngineSettings): Placeholders {
  return {
    EMERGENCY_NUMBER: settings.emergencyNumber,
    CRISIS_LINE: settings.crisisLine,
    POISON_CONTROL: settings.poisonControl,
    REGION: settings.region,
    MAX_QUESTION_LENGTH: withThousandsSeparators(settings.maxQuestionLength),
  };
}

/** 2000 -> "2,000" (toLocaleString would load ICU's number formatting: tens of ms at start-up). */
function withThousandsSeparators(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function fillPlaceholders(text: string, values: Placeholders): string {
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}
