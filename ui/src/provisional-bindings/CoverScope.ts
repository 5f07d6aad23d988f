export type CoverScope = "unit" | "home";
