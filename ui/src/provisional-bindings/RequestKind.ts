export type RequestKind = "on" | "off";
