import type { Change } from "./Change";
export type ChangeView = { change: Change; nb: string; en: string };
