import { ContractViolationError } from '@app/contracts';
import type { ConsumedRecord, TopicHandler } from './consumer-runner';

/** The ids among `workspaceIds` that name no workspace. */
export type UnknownWorkspaces = (workspaceIds: string[]) => Promise<Set<string>>;

/**
 * A handler that refuses, before writing anything, a batch naming a workspace that does not exist. The error
 * is permanent, so the transport applies the batch again record by record and sends only the records of unknown
 * workspaces to the DLQ (as contract violations); a database outage during the check is retried as usual.
 */
export function workspaceChecked<T extends { workspaceId: string }>(
  handler: TopicHandler<T>,
  unknownAmong: UnknownWorkspaces,
): TopicHandler<T> {
  return {
    async apply(records: ConsumedRecord<T>[]): Promise<void> {
      const unknown = await unknownAmong(records.map((r) => r.value.workspaceId));
      if (unknown.size > 0)
        throw new ContractViolationError(
          'workspaceId',
          `${[...unknown].join(', ')} is not a known workspace`,
        );
      await handler.apply(records);
    },
    isPermanentError: (error) =>
      error instanceof ContractViolationError || (handler.isPermanentError?.(error) ?? false),
  };
}
