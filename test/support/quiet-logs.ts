import { Logger } from '@nestjs/common';

// In-process tests log errors only; real app processes in e2e tests keep their own JSON logs.
Logger.overrideLogger(['error']);
