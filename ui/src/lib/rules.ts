import type { Rules } from "$bindings/Rules";

/** The legal and tariff defaults (solver/src/model.rs `Rules::default`), shown beside the user's values. */
export const RULE_DEFAULTS: Rules = {
  dailyRestMinutes: 11 * 60,
  weeklyRestMinutes: 35 * 60,
  maxConsecutiveDays: 5,
  minConsecutiveDays: 1,
  maxConsecutiveNights: 3,
  minConsecutiveDaysOff: 1,
  weekendEvery: 3,
  fullTimeWeekMinutes: 2130,
  contractUnderMinutes: 8 * 60,
  contractOverMinutes: 8 * 60,
  overtimeSupplementPercent: 50,
};
