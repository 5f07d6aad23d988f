import type { FieldError } from "./FieldError";
export type AppError = { message: string; fields: Array<FieldError> };
