import type { ErrorCode } from './error-codes';
import type { ErrorDetail } from './domain-errors';

export interface SuccessEnvelope<T> {
  success: true;
  data: T;
  timestamp: string;
}

export interface ErrorEnvelope {
  success: false;
  error: { code: ErrorCode; message: string; details: ErrorDetail[] };
  timestamp: string;
}

export function successEnvelope<T>(data: T): SuccessEnvelope<T> {
  return { success: true, data, timestamp: new Date().toISOString() };
}

export function errorEnvelope(code: ErrorCode, message: string, details: ErrorDetail[] = []): ErrorEnvelope {
  return { success: false, error: { code, message, details }, timestamp: new Date().toISOString() };
}
