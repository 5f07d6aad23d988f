export type PlanStatus = "optimal" | "gapReached" | "timeLimit";
